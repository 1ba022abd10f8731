"""The publishing state machine (reports/workflow.py): drafts never touch the live rows, every
transition checks its permission wherever it is called from, and a schedule publishes exactly
the revision that was scheduled, by the task queue, and leaves no trace when it never happened.
"""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments.models import Comment
from reports import workflow
from reports.models import Draft, Publication, Report, Schedule, Section
from reports.workflow import publish_due_schedules
from tests.comments.conftest import CommentFactory
from tests.factories import UserFactory, staff_in_group

from .pages import parse, text_of
from .test_admin_editing import add_section_form, change_url, form_index, read_change_form, submit
from .test_publishing import article_html, clock, soon

pytestmark = pytest.mark.django_db

LIVE_TABLES = ("reports_report", "reports_section", "comments_comment")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def chief(db):
    return staff_in_group(
        "Chefredaktion", username="chefin", first_name="Erika", last_name="Muster"
    )


@pytest.fixture
def chief_client(chief):
    return signed_in(chief)


@pytest.fixture
def editor(db):
    return staff_in_group("Editors", username="redakteur", first_name="Max", last_name="Weber")


@pytest.fixture
def editor_client(editor):
    return signed_in(editor)


def rows(report) -> tuple:
    """Everything readers' pages are built from, as plain values."""
    return (
        list(Report.objects.filter(pk=report.pk).values()),
        list(Section.objects.filter(report=report).order_by("pk").values()),
        list(Comment.objects.filter(report=report).order_by("pk").values()),
    )


def writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"], re.I)
        and any(f'"{table}"' in q["sql"] for table in LIVE_TABLES)
    ]


def schedule_form(client, report, body, moment, **fields):
    url = change_url(report)
    data = read_change_form(client, url)
    data[f"sections-{form_index(data, 'Conclusion')}-body"] = body
    data.update(publish_at_0=f"{moment:%d.%m.%Y}", publish_at_1=f"{moment:%H:%M:%S}", **fields)
    return url, data


def publish_conclusion(client, report, body, note):
    url = change_url(report)
    data = read_change_form(client, url)
    data[f"sections-{form_index(data, 'Conclusion')}-body"] = body
    data["change_note"] = note
    return submit(client, url, data, publish=True)


class TestDraftsNeverTouchTheLiveRows:
    def test_a_draft_that_adds_removes_reorders_and_renames_writes_no_live_row(
        self, editor_client, seeded_report
    ):
        agent = seeded_report.sections.get(title="Agent Safety")
        conclusion = seeded_report.sections.get(title="Conclusion")
        on_agent = CommentFactory(report=seeded_report)
        on_agent.set_section(agent)
        on_agent.save()
        on_conclusion = CommentFactory(report=seeded_report)
        on_conclusion.set_section(conclusion)
        on_conclusion.save()
        url = change_url(seeded_report)
        data = read_change_form(editor_client, url)
        data[f"sections-{form_index(data, 'Agent Safety')}-DELETE"] = "on"
        data[f"sections-{form_index(data, 'Conclusion')}-title"] = "Conclusions"
        data[f"sections-{form_index(data, 'Conclusions')}-order"] = "1"
        add_section_form(data, order="5", level="2", title="Preface", body="New.", anchor="")
        before = rows(seeded_report)
        version = Report.objects.page_version(seeded_report.slug)
        page = article_html(report=seeded_report)

        with CaptureQueriesContext(connection) as queries:
            submit(editor_client, url, data)

        assert writes(queries) == []
        assert rows(seeded_report) == before
        assert Report.objects.page_version(seeded_report.slug) == version
        assert article_html(report=seeded_report) == page
        on_agent.refresh_from_db()
        assert on_agent.section_id == agent.pk
        # The draft holds all four changes, and the form shows them.
        shown = read_change_form(editor_client, url)
        titles = [v for k, v in shown.items() if re.fullmatch(r"sections-\d+-title", k)]
        assert "Agent Safety" not in titles
        assert "Preface" in titles
        assert "Conclusions" in titles
        preview = editor_client.get(
            reverse("admin:reports_report_preview", args=[seeded_report.pk])
        )
        headings = [text_of(h) for h in parse(preview).select("article h2[id]")]
        assert headings[0].startswith("Conclusions")
        assert "Preface" in " ".join(headings)

    def test_comments_keep_their_section_through_a_published_removal_and_get_it_back(
        self, chief_client, seeded_report
    ):
        agent = seeded_report.sections.get(title="Agent Safety")
        comment = CommentFactory(report=seeded_report)
        comment.set_section(agent)
        comment.save()
        url = change_url(seeded_report)
        data = read_change_form(chief_client, url)
        data[f"sections-{form_index(data, 'Agent Safety')}-DELETE"] = "on"
        submit(chief_client, url, data, publish=True, note="Agent Safety removed.")
        comment.refresh_from_db()
        assert comment.section is None
        assert (comment.section_anchor, comment.section_title) == ("agent-safety", "Agent Safety")

        imported = seeded_report.publications.order_by("published_at", "id").first().revision
        version = imported.version_set.get(content_type__model="report")
        restore_url = reverse("admin:reports_report_revision", args=[seeded_report.pk, version.pk])
        submit(chief_client, restore_url, read_change_form(chief_client, restore_url), publish=True)
        comment.refresh_from_db()
        assert comment.section == seeded_report.sections.get(anchor="agent-safety")


class TestPermissions:
    """Each transition refuses whoever lacks its permission, at every entry point."""

    @pytest.fixture
    def people(self, db):
        return {
            "Editors": staff_in_group("Editors", username="ed"),
            "Chefredaktion": staff_in_group("Chefredaktion", username="chef"),
            "Moderators": staff_in_group("Moderators", username="mod"),
            "ohne Gruppe": UserFactory(is_staff=True, username="staff"),
        }

    def test_the_workflow_itself_checks_every_permission(self, people, seeded_report):
        state = workflow.preview_state(seeded_report, user=people["Chefredaktion"])
        base = workflow.head_id(seeded_report)
        later = soon(days=1)
        for name in ("Editors", "Moderators", "ohne Gruppe"):
            user = people[name]
            for attempt in (
                lambda u=user: workflow.publish_now(seeded_report, state, user=u, base_id=base),
                lambda u=user: workflow.schedule(
                    seeded_report, state, user=u, base_id=base, at=later
                ),
                lambda u=user: workflow.cancel_schedule(seeded_report, user=u),
                lambda u=user: workflow.delete_report(seeded_report, user=u),
            ):
                with pytest.raises(PermissionDenied):
                    attempt()
        for name in ("Moderators", "ohne Gruppe"):
            with pytest.raises(PermissionDenied):
                workflow.save_draft(seeded_report, state, user=people[name], base_id=base)
            with pytest.raises(PermissionDenied):
                workflow.preview_state(seeded_report, user=people[name])
        workflow.save_draft(seeded_report, state, user=people["Editors"], base_id=base)
        assert Report.objects.published().filter(pk=seeded_report.pk).exists()

    def test_every_admin_url_refuses_what_a_person_may_not_do(self, people, seeded_report):
        chief = signed_in(people["Chefredaktion"])
        url = change_url(seeded_report)
        moment = soon(days=1)
        submit(chief, *schedule_form(chief, seeded_report, "Planned.", moment), publish=True)
        pk = seeded_report.pk
        refused = {
            "delete": reverse("admin:reports_report_delete", args=[pk]),
            "cancel": reverse("admin:reports_report_cancel_schedule", args=[pk]),
            "discard": reverse("admin:reports_report_discard", args=[pk]),
        }
        for name in ("Editors", "Moderators", "ohne Gruppe"):
            client = signed_in(people[name])
            for what, address in refused.items():
                assert client.get(address).status_code == 403, (name, what)
                assert client.post(address, {"post": "yes"}).status_code == 403, (name, what)
            data = read_change_form(chief, url)
            response = client.post(url, {**data, "_publish": "Veröffentlichen", "change_note": "x"})
            assert response.status_code == 403, name
            for view in ("preview", "resolve"):
                address = reverse(f"admin:reports_report_{view}", args=[pk])
                expected = {200, 302} if name == "Editors" and view == "preview" else {403}
                if name == "Editors" and view == "resolve":
                    expected = {302}  # allowed, but nothing to resolve: back to the form
                assert client.post(address).status_code in expected, (name, view)
        assert Schedule.objects.filter(report=seeded_report).exists()
        assert Report.objects.published().filter(pk=pk).exists()

    def test_editors_see_no_delete_and_no_publish_controls(self, people, seeded_report):
        editor = signed_in(people["Editors"])
        page = parse(editor.get(change_url(seeded_report)))
        assert page.select_one(".deletelink") is None
        buttons = {b.get("value") for b in page.select(".submit-row input[type=submit]")}
        assert buttons == {"Entwurf speichern", "Vorschau"}
        chief_page = parse(signed_in(people["Chefredaktion"]).get(change_url(seeded_report)))
        assert chief_page.select_one(".deletelink") is not None

    def test_chief_editors_delete_a_report(self, people, seeded_report):
        chief = signed_in(people["Chefredaktion"])
        address = reverse("admin:reports_report_delete", args=[seeded_report.pk])
        assert chief.post(address, {"post": "yes"}).status_code == 302
        assert not Report.objects.filter(pk=seeded_report.pk).exists()

    def test_an_editor_discards_their_own_draft_but_not_someone_elses(
        self, editor_client, chief_client, seeded_report
    ):
        url = change_url(seeded_report)
        data = read_change_form(chief_client, url)
        data["title"] = "The chief's title"
        submit(chief_client, url, data)
        discard = reverse("admin:reports_report_discard", args=[seeded_report.pk])
        page = parse(editor_client.get(url))
        assert page.select_one(".discard-link") is None
        assert editor_client.post(discard).status_code == 403
        assert Draft.objects.filter(report=seeded_report).exists()

        data = read_change_form(editor_client, url)
        data["title"] = "The editor's title"
        submit(editor_client, url, data)
        assert editor_client.post(discard).status_code == 302
        assert not Draft.objects.filter(report=seeded_report).exists()


class TestSchedules:
    def test_an_overtaken_schedule_leaves_no_trace(self, chief_client, seeded_report):
        now = soon()
        moment = soon(hours=1)
        with clock(now):
            url, data = schedule_form(chief_client, seeded_report, "Text A, planned.", moment)
            submit(chief_client, url, data, publish=True, note="Change A.")
        with clock(now + datetime.timedelta(minutes=10)):
            publish_conclusion(chief_client, seeded_report, "Text B, at once.", "Change B.")
            assert not Schedule.objects.filter(report=seeded_report).exists()
        with clock(moment + datetime.timedelta(minutes=5)):
            assert publish_due_schedules.call() == 0
            article = article_html(report=seeded_report)
            changes = Client().get(reverse("reports:changes", args=[seeded_report.slug]))
            feed = Client().get(reverse("reports:feed")).content.decode()
        assert "Text B, at once." in article
        assert "Text A" not in article
        assert "Change A." not in text_of(parse(changes))
        assert "Change B." in text_of(parse(changes))
        assert "Text A" not in feed
        assert [p.note for p in Publication.objects.filter(minor=False, initial=False)] == [
            "Change B."
        ]
        guessed = Publication.objects.order_by("-pk").first().pk + 1
        address = reverse("reports:change", args=[seeded_report.slug, guessed])
        assert Client().get(address).status_code == 404

    def test_a_cancelled_schedule_never_goes_live(self, chief_client, seeded_report):
        now = soon()
        moment = soon(hours=1)
        with clock(now):
            live = article_html(report=seeded_report)
            url, data = schedule_form(chief_client, seeded_report, "Never live.", moment)
            submit(chief_client, url, data, publish=True, note="Cancelled change.")
            cancel = reverse("admin:reports_report_cancel_schedule", args=[seeded_report.pk])
            assert "Planung aufheben" in text_of(parse(chief_client.get(url)))
            question = parse(chief_client.get(cancel))
            assert text_of(question.select_one(".breadcrumbs")).endswith("› Planung aufheben")
            assert question.select_one("input[type=submit]")["value"] == "Ja, Planung aufheben"
            assert chief_client.post(cancel).status_code == 302
        with clock(moment + datetime.timedelta(minutes=1)):
            assert publish_due_schedules.call() == 0
            assert article_html(report=seeded_report) == live
        assert not Publication.objects.filter(note="Cancelled change.").exists()
        # The planned text stays as the draft: cancelling is not discarding.
        assert Draft.objects.filter(report=seeded_report).exists()

    def test_a_draft_saved_after_the_schedule_stays_a_draft(
        self, chief_client, editor_client, seeded_report
    ):
        now = soon()
        moment = soon(hours=2)
        with clock(now):
            url, data = schedule_form(chief_client, seeded_report, "Reviewed text.", moment)
            submit(chief_client, url, data, publish=True, note="Reviewed change.")
            scheduled = Schedule.objects.get(report=seeded_report).revision_id
        with clock(now + datetime.timedelta(minutes=30)):
            data = read_change_form(editor_client, url)
            data[f"sections-{form_index(data, 'Conclusion')}-body"] = "Unreviewed addition."
            submit(editor_client, url, data)
            notice = text_of(parse(chief_client.get(url)))
            assert "neueren Entwurf als den geplanten" in notice
            assert Schedule.objects.get(report=seeded_report).revision_id == scheduled
        with clock(moment):
            assert publish_due_schedules.call() == 1
            article = article_html(report=seeded_report)
        assert "Reviewed text." in article
        assert "Unreviewed addition." not in article
        draft = Draft.objects.get(report=seeded_report)
        assert draft.revision_id != scheduled
        shown = read_change_form(editor_client, url)
        assert shown[f"sections-{form_index(shown, 'Conclusion')}-body"] == "Unreviewed addition."

    def test_an_editors_discard_does_not_cancel_the_schedule(
        self, chief_client, editor_client, seeded_report
    ):
        moment = soon(hours=1)
        url, data = schedule_form(chief_client, seeded_report, "Planned.", moment)
        submit(chief_client, url, data, publish=True, note="Planned change.")
        data = read_change_form(editor_client, url)
        data["title"] = "An editor's draft"
        submit(editor_client, url, data)
        discard = reverse("admin:reports_report_discard", args=[seeded_report.pk])
        assert editor_client.post(discard).status_code == 302
        assert Schedule.objects.filter(report=seeded_report).exists()
        with clock(moment):
            assert publish_due_schedules.call() == 1
        assert "Planned." in article_html(report=seeded_report)

    def test_nothing_publishes_on_a_request(self, chief_client, seeded_report):
        moment = soon(hours=1)
        url, data = schedule_form(chief_client, seeded_report, "Only by the queue.", moment)
        submit(chief_client, url, data, publish=True, note="Queued.")
        with clock(moment + datetime.timedelta(hours=1)):
            assert "Only by the queue." not in article_html(report=seeded_report)
            chief_client.get(url)
            assert "Only by the queue." not in article_html(report=seeded_report)
        assert Schedule.objects.filter(report=seeded_report).exists()


class TestErrorsAndNotices:
    def test_a_missing_change_note_is_listed_at_the_top_with_a_link(
        self, chief_client, seeded_report
    ):
        url = change_url(seeded_report)
        data = read_change_form(chief_client, url)
        response = chief_client.post(url, {**data, "_publish": "Veröffentlichen"})
        page = parse(response)
        summary = page.select_one(".error-summary")
        assert summary is not None
        link = summary.select_one("a")
        assert link["href"] == "#id_change_note"
        assert "Änderungsnotiz" in text_of(link)
        assert page.find(id="id_change_note") is not None
        assert page.select_one(".field-change_note .errorlist") is not None

    def test_the_draft_notice_and_the_history_name_people(
        self, editor_client, chief_client, seeded_report
    ):
        url = change_url(seeded_report)
        data = read_change_form(editor_client, url)
        data["title"] = "Retitled"
        submit(editor_client, url, data)
        notice = text_of(parse(chief_client.get(url)).select_one(".publishing-note"))
        assert "zuletzt gespeichert von Max Weber" in notice
        history = chief_client.get(reverse("admin:reports_report_history", args=[seeded_report.pk]))
        assert "Max Weber" in text_of(parse(history).select("#change-history tbody tr")[0])

    def test_the_form_says_who_else_has_it_open(self, editor_client, chief_client, seeded_report):
        url = change_url(seeded_report)
        chief_client.get(url)
        page = parse(editor_client.get(url))
        notice = text_of(page.select_one(".editing-presence"))
        assert re.search(r"Erika Muster bearbeitet diesen Bericht seit \d\d:\d\d Uhr", notice)
        heartbeat = reverse("admin:reports_report_presence", args=[seeded_report.pk])
        response = chief_client.post(heartbeat)
        assert "Max Weber bearbeitet diesen Bericht" in text_of(parse(response))
        assert Client().post(heartbeat).status_code == 302  # signed-in staff only

    def test_the_section_preview_warns_without_blocking(self, editor_client):
        response = editor_client.post(
            reverse("admin:reports_report_section_preview"),
            {"body": "An **open bold.\n\n| a | b |\n|---|---|\n| 1 |\n\n<script>alert(1)</script>"},
        )
        warnings = [text_of(li) for li in parse(response).select(".markdown-warnings li")]
        assert any("„**“" in w for w in warnings)
        assert any("Tabellenzeile 3 hat 1 Zellen, die Kopfzeile 2" in w for w in warnings)
        assert any("<script>" in w for w in warnings)


class TestPublicWordDiff:
    def test_each_list_item_is_its_own_line_with_its_formatting_kept(
        self, chief_client, seeded_report
    ):
        before = "Intro with **bold** words.\n\n- Modern methods work\n- Second item stays"
        after = (
            "Intro with **strong** words.\n\n"
            "- Most modern methods work, see [the study](https://example.org/)\n"
            "- Second item stays"
        )
        publish_conclusion(chief_client, seeded_report, before, "First.")
        publish_conclusion(chief_client, seeded_report, after, "Second.")
        entry = Publication.objects.get(note="Second.")
        page = parse(Client().get(entry.get_absolute_url()))
        lines = [str(p) for p in page.select(".diff-section p.diff")]
        assert lines == [
            '<p class="diff" lang="en">Intro with <del><strong>bold</strong></del> '
            "<ins><strong>strong</strong></ins> words.</p>",
            '<p class="diff" lang="en">– <del>Modern</del> <ins>Most modern</ins> methods '
            '<del>work</del> <ins>work, see <a href="https://example.org/">the study</a></ins></p>',
        ]


def test_the_publish_due_command_catches_up_without_a_worker(chief_client, seeded_report):
    from django.core.management import call_command

    moment = soon(hours=1)
    url, data = schedule_form(chief_client, seeded_report, "By the command.", moment)
    submit(chief_client, url, data, publish=True, note="Command.")
    with clock(moment):
        call_command("publish_due")
    assert "By the command." in article_html(report=seeded_report)


def test_publishing_warns_about_markdown_but_goes_live(chief_client, seeded_report):
    response = publish_conclusion(chief_client, seeded_report, "An **open bold.", "Warned.")
    page = parse(chief_client.get(response["Location"]))
    messages = text_of(page.select_one(".messagelist"))
    assert "veröffentlicht" in messages
    assert "Abschnitt „Conclusion“: Ein „**“ (fett) ist nicht geschlossen" in messages
    assert "An **open bold." in article_html(report=seeded_report)


def test_a_draft_with_new_sections_can_be_compared(editor_client, seeded_report):
    url = change_url(seeded_report)
    data = read_change_form(editor_client, url)
    add_section_form(data, order="5", level="2", title="Preface", body="One.", anchor="")
    add_section_form(data, order="5", level="2", title="Foreword", body="Two.", anchor="")
    submit(editor_client, url, data)
    draft = Draft.objects.get(report=seeded_report)
    version = draft.revision.version_set.get(content_type__model="report")
    response = editor_client.get(
        reverse("admin:reports_report_changes", args=[seeded_report.pk, version.pk])
    )
    kinds = {text_of(h) for h in parse(response).select(".diff-heading")}
    assert {"Preface (neu)", "Foreword (neu)"} <= kinds


def test_a_drafts_new_section_can_be_removed_in_the_next_draft(editor_client, seeded_report):
    url = change_url(seeded_report)
    data = read_change_form(editor_client, url)
    add_section_form(data, order="5", level="2", title="Preface", body="One.", anchor="")
    submit(editor_client, url, data)
    page = parse(editor_client.get(url))
    row = next(
        r for r in page.select("#sections-group .inline-related") if "Preface" in text_of(r.h3)
    )
    checkbox = row.select_one("input[name$='-DELETE']")
    assert checkbox is not None
    data = read_change_form(editor_client, url)
    data[checkbox["name"]] = "on"
    submit(editor_client, url, data)
    shown = read_change_form(editor_client, url)
    assert "Preface" not in shown.values()


def test_opening_the_form_after_publishing_stores_no_further_revision(chief_client, seeded_report):
    from reversion.models import Revision

    publish_conclusion(chief_client, seeded_report, "Published words.", "Note.")
    count = Revision.objects.count()
    for _ in range(2):
        chief_client.get(change_url(seeded_report))
    assert Revision.objects.count() == count
    seeded_report.refresh_from_db()
    assert seeded_report.live_revision == Publication.objects.first().revision
