"""A live report changes as a draft first: readers see the published version until someone
with "Berichte veröffentlichen" publishes it, now or at a scheduled moment.

The admin is driven through its real change form (tests/reports/test_admin_editing.py's
helpers); the clock is controlled by patching django.utils.timezone.now, never by sleeping.
"""

import datetime
from contextlib import contextmanager
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_max_age
from reversion.models import Version

from reports.models import Draft, Publication, Report
from reports.workflow import publish_due_schedules

from .pages import form_data, parse, text_of
from .test_admin_editing import (
    change_url,
    form_index,
    headings,
    read_change_form,
    reader_page,
    submit,
)

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")


def soon(**delta) -> datetime.datetime:
    """A moment near the real time (sessions of signed-in staff must not expire), on the
    minute, in Berlin time."""
    base = timezone.localtime(timezone.now(), BERLIN).replace(second=0, microsecond=0)
    return base + datetime.timedelta(**delta)


def english_date(moment) -> str:
    local = timezone.localtime(moment, BERLIN)
    return f"{local:%B} {local.day}, {local.year}"


def german(moment) -> str:
    return f"{timezone.localtime(moment, BERLIN):%d.%m.%Y, %H:%M} Uhr"


@contextmanager
def clock(moment: datetime.datetime):
    """Every timezone.now() in the site returns `moment` (also inside django-reversion)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


@pytest.fixture(autouse=True)
def long_sessions(settings):
    """Staff stay signed in while the tests move the clock forward by days."""
    settings.SESSION_COOKIE_AGE = 60 * 60 * 24 * 60


def article_html(client=None, report=None) -> str:
    response = (client or Client()).get(report.get_absolute_url())
    assert response.status_code == 200
    return str(parse(response).select_one("article"))


def edit_conclusion(client, report, body, **fields):
    url = change_url(report)
    data = read_change_form(client, url)
    data[f"sections-{form_index(data, 'Conclusion')}-body"] = body
    data.update(fields)
    return url, data


class TestDraftOfALiveReport:
    def test_saving_keeps_readers_on_the_published_version_and_its_cache(
        self, editor_client, seeded_report
    ):
        before = article_html(report=seeded_report)
        version_before = Report.objects.page_version(seeded_report.slug)

        url, data = edit_conclusion(editor_client, seeded_report, "A draft nobody reads yet.")
        submit(editor_client, url, data)

        assert Report.objects.page_version(seeded_report.slug) == version_before
        with CaptureQueriesContext(connection) as queries:
            after = article_html(report=seeded_report)
        assert len(queries) == 1  # still the cached page: only the version was asked
        assert after == before
        # Rendering anew (cache emptied) gives the same bytes: the rows are the live ones.
        from django.core.cache import cache

        cache.clear()
        assert article_html(report=seeded_report) == before
        assert "A draft nobody reads yet." not in before

    def test_the_change_form_shows_the_draft_and_since_when(self, editor_client, seeded_report):
        moment = soon(hours=1)
        with clock(moment):
            url, data = edit_conclusion(editor_client, seeded_report, "Draft text.")
            submit(editor_client, url, data)
        data = read_change_form(editor_client, url)
        assert data[f"sections-{form_index(data, 'Conclusion')}-body"] == "Draft text."
        page = parse(editor_client.get(url))
        assert f"Unveröffentlichte Änderungen seit {german(moment)}" in text_of(page)
        listing = parse(editor_client.get(reverse("admin:reports_report_changelist")))
        assert f"unveröffentlichte Änderungen seit {german(moment)}" in text_of(listing)

    def test_preview_of_the_saved_draft_is_for_staff_only_and_never_cached(
        self, editor_client, seeded_report
    ):
        url, data = edit_conclusion(editor_client, seeded_report, "Previewed *draft*.")
        submit(editor_client, url, data)
        preview_url = reverse("admin:reports_report_preview", args=[seeded_report.pk])

        response = editor_client.get(preview_url)
        assert response.status_code == 200
        assert get_max_age(response) == 0
        page = parse(response)
        assert "Vorschau" in text_of(page.select_one(".preview-banner"))
        assert "Previewed <em>draft</em>." in str(page.select_one("article"))
        # Looking at the preview changed nothing for readers.
        assert "Previewed" not in article_html(report=seeded_report)

        anonymous = Client().get(preview_url)
        assert anonymous.status_code == 302
        assert "Previewed" not in anonymous.content.decode()

    def test_preview_button_shows_the_form_without_saving(self, editor_client, seeded_report):
        revisions = Version.objects.get_for_object(seeded_report).count()
        url, data = edit_conclusion(editor_client, seeded_report, "Only *looked at*.")
        response = editor_client.post(url, {**data, "_preview": "Vorschau"})

        assert response.status_code == 200
        assert get_max_age(response) == 0
        page = parse(response)
        assert page.select_one(".preview-banner") is not None
        assert "Only <em>looked at</em>." in str(page.select_one("article"))
        assert Version.objects.get_for_object(seeded_report).count() == revisions
        assert not Draft.objects.filter(report=seeded_report).exists()
        assert "looked at" not in article_html(report=seeded_report)
        again = read_change_form(editor_client, url)
        assert again[f"sections-{form_index(again, 'Conclusion')}-body"] != "Only *looked at*."

    def test_publishing_makes_the_draft_live(self, editor_client, client, seeded_report):
        url, data = edit_conclusion(editor_client, seeded_report, "Now it is *final*.")
        submit(editor_client, url, data)

        chief = Client()
        chief.force_login(_chief())
        data = read_change_form(chief, url)
        moment = soon(days=3)
        with clock(moment):
            submit(chief, url, data, publish=True, note="Final conclusion.")
            page = reader_page(seeded_report)
        assert "Now it is <em>final</em>." in str(page.select_one("article"))
        header = text_of(page.select_one("article header"))
        assert f"Updated: {english_date(moment)}" in header
        assert not Draft.objects.filter(report=seeded_report).exists()

    def test_discarding_returns_to_the_live_version(self, editor_client, seeded_report):
        live = article_html(report=seeded_report)
        url, data = edit_conclusion(editor_client, seeded_report, "Thrown away.")
        submit(editor_client, url, data)
        discard_url = reverse("admin:reports_report_discard", args=[seeded_report.pk])
        question = parse(editor_client.get(discard_url))
        assert text_of(question.select_one(".breadcrumbs")).endswith("› Entwurf verwerfen")
        assert question.select_one("input[type=submit]")["value"] == "Ja, Entwurf verwerfen"

        response = editor_client.post(discard_url)
        assert response.status_code == 302
        data = read_change_form(editor_client, url)
        assert data[f"sections-{form_index(data, 'Conclusion')}-body"] != "Thrown away."
        assert article_html(report=seeded_report) == live
        assert not Draft.objects.filter(report=seeded_report).exists()


def _chief():
    from tests.factories import staff_in_group

    return staff_in_group("Chefredaktion", username="chefredakteur")


class TestPublishingPermission:
    def test_editor_without_the_permission_cannot_publish(self, editor_client, seeded_report):
        url, data = edit_conclusion(editor_client, seeded_report, "Sneaked in.")
        page = parse(editor_client.get(url))
        buttons = {b.get("value") for b in page.select(".submit-row input[type=submit]")}
        assert "Entwurf speichern" in buttons
        assert "Veröffentlichen" not in buttons

        response = editor_client.post(url, {**data, "_publish": "Veröffentlichen"})
        assert response.status_code == 403
        assert "Sneaked in." not in article_html(report=seeded_report)
        assert Publication.objects.count() == 0

    def test_chief_editors_group_has_the_editors_permissions_and_publishing(self):
        def codenames(name):
            return set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))

        assert codenames("Chefredaktion") == codenames("Editors") | {
            "publish_report",
            "delete_report",
        }
        assert "publish_report" not in codenames("Editors")

    def test_publishing_a_change_asks_for_a_change_note(self, chief_client, seeded_report):
        url, data = edit_conclusion(chief_client, seeded_report, "No note given.")
        response = chief_client.post(url, {**data, "_publish": "Veröffentlichen"})
        assert response.status_code == 200
        page = parse(response)
        error = page.select_one(".field-change_note .errorlist")
        assert error is not None
        assert "ein oder zwei Sätzen" in text_of(error)
        # The text the editor typed is still in the form.
        assert "No note given." in response.content.decode()
        assert "No note given." not in article_html(report=seeded_report)


class TestScheduling:
    """The task queue publishes a schedule (reports.workflow); these tests run its task the
    way the worker does, with the clock set. tests/reports/test_workflow.py runs the worker."""

    def test_a_scheduled_draft_goes_live_when_its_task_runs(self, chief_client, seeded_report):
        now = soon()
        moment = soon(days=2, hours=8)
        with clock(now):
            live = article_html(report=seeded_report)
            url, data = edit_conclusion(
                chief_client,
                seeded_report,
                "Scheduled words.",
                publish_at_0=f"{moment:%d.%m.%Y}",
                publish_at_1=f"{moment:%H:%M:%S}",
            )
            submit(chief_client, url, data, publish=True, note="Scheduled change.")
            version_before = Report.objects.page_version(seeded_report.slug)
            assert article_html(report=seeded_report) == live
            assert f"geplant für {german(moment)}" in text_of(parse(chief_client.get(url)))

        with clock(moment - datetime.timedelta(seconds=1)):
            publish_due_schedules.call()  # too early: nothing happens
            assert Report.objects.page_version(seeded_report.slug) == version_before
            assert article_html(report=seeded_report) == live

        with clock(moment):
            # A reader's visit alone publishes nothing any more.
            assert article_html(report=seeded_report) == live
            assert publish_due_schedules.call() == 1
            assert Report.objects.page_version(seeded_report.slug) != version_before
            page = reader_page(seeded_report)
            assert "Scheduled words." in text_of(page.select_one("article"))
            header = text_of(page.select_one("article header"))
            assert f"Updated: {english_date(moment)}" in header
            changes = Client().get(reverse("reports:changes", args=[seeded_report.slug]))
            assert "Scheduled change." in text_of(parse(changes))

    def test_a_scheduled_new_report_appears_when_its_task_runs(self, chief_client, db):
        now = soon()
        moment = soon(days=1, hours=2)
        add_url = reverse("admin:reports_report_add")
        with clock(now):
            data = form_data(parse(chief_client.get(add_url)).find("form", id="report_form"))
            data.update(
                title="A new report",
                slug="a-new-report",
                lead="Coming soon.",
                publish_at_0=f"{moment:%d.%m.%Y}",
                publish_at_1=f"{moment:%H:%M:%S}",
            )
            submit(chief_client, add_url, data, publish=True)
            report = Report.objects.get(slug="a-new-report")
            assert Client().get(report.get_absolute_url()).status_code == 404
            assert Report.objects.page_version(report.slug) is None
            assert not Report.objects.published().filter(pk=report.pk).exists()

        with clock(moment):
            assert not Report.objects.published().filter(pk=report.pk).exists()
            publish_due_schedules.call()
            assert Report.objects.published().filter(pk=report.pk).exists()
            assert Report.objects.page_version(report.slug) is not None
            page = reader_page(report)
            assert text_of(page.h1) == "A new report"

    def test_a_moment_in_the_past_is_refused_with_the_text_kept(self, chief_client, seeded_report):
        url, data = edit_conclusion(
            chief_client,
            seeded_report,
            "Too late.",
            publish_at_0="01.01.2020",
            publish_at_1="10:00:00",
            change_note="Late.",
        )
        response = chief_client.post(url, {**data, "_publish": "Veröffentlichen"})
        assert response.status_code == 200
        assert "schon vorbei" in text_of(parse(response).select_one(".field-publish_at"))
        assert "Too late." in response.content.decode()


class TestChangeNotesAndChangelog:
    def publish(self, client, report, body, note, **fields):
        url, data = edit_conclusion(client, report, body, **fields)
        submit(client, url, data, publish=True, note=note)

    def test_a_change_note_appears_in_the_changelog_with_a_word_diff(
        self, chief_client, seeded_report
    ):
        old_body = seeded_report.sections.get(title="Conclusion").body
        new_body = old_body.replace("The", "Our", 1)
        with clock(soon(days=2)):  # after the seed's "Published: December 2026"
            self.publish(chief_client, seeded_report, new_body, "Wording of the conclusion.")
        with clock(soon(days=2, minutes=1)):
            self.check_changelog(seeded_report)

    def check_changelog(self, seeded_report):
        listing = Client().get(reverse("reports:changes", args=[seeded_report.slug]))
        assert listing.status_code == 200
        entries = parse(listing).select(".changelog-entry")
        assert len(entries) == 1
        assert "Wording of the conclusion." in text_of(entries[0])
        assert "Conclusion (geändert)" in text_of(entries[0])

        entry = Client().get(entries[0].select_one("a")["href"])
        assert entry.status_code == 200
        diff = parse(entry).select_one(".diff-section")
        assert str(diff.select_one("del")) == "<del>The</del>"
        assert str(diff.select_one("ins")) == "<ins>Our</ins>"
        # The report's "Updated" line leads to the changelog.
        page = reader_page(seeded_report)
        link = page.select_one("article header a.changes-link")
        assert link["href"] == reverse("reports:changes", args=[seeded_report.slug])

    def test_a_small_correction_stays_out_of_the_changelog_and_keeps_the_date(
        self, chief_client, seeded_report
    ):
        first = soon(days=2)  # after the seed's "Published: December 2026"
        with clock(first):
            self.publish(chief_client, seeded_report, "Real change.", "A real change.")
        with clock(first + datetime.timedelta(days=3)):
            self.publish(chief_client, seeded_report, "Real change!", "Typo.", minor_change="on")
            page = reader_page(seeded_report)
            listing = parse(Client().get(reverse("reports:changes", args=[seeded_report.slug])))
        assert "Real change!" in text_of(page.select_one("article"))
        assert f"Updated: {english_date(first)}" in text_of(page.select_one("article header"))
        notes = [text_of(n) for n in listing.select(".changelog-note")]
        assert notes == ["A real change."]

    def test_a_moved_section_shows_as_moved(self, chief_client, seeded_report):
        url = change_url(seeded_report)
        data = read_change_form(chief_client, url)
        data[f"sections-{form_index(data, 'Conclusion')}-order"] = "1"
        submit(chief_client, url, data, publish=True, note="Conclusion first.")
        entry = Publication.objects.in_changelog().get()
        page = parse(Client().get(entry.get_absolute_url()))
        kinds = {text_of(s.select_one(".diff-heading")) for s in page.select(".diff-section")}
        assert kinds == {"Conclusion (verschoben)"}
        assert headings(reader_page(seeded_report))[0] == "Conclusion"

    def test_changelog_pages_cost_the_same_queries_however_many_entries(
        self, chief_client, seeded_report
    ):
        def queries_for(path):
            from django.core.cache import cache

            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                response = Client().get(path)
            assert response.status_code == 200
            return len(queries), response

        changes_url = reverse("reports:changes", args=[seeded_report.slug])
        self.publish(chief_client, seeded_report, "Change 0.", "Note 0.")
        few, _ = queries_for(changes_url)
        for number in range(1, 25):
            self.publish(chief_client, seeded_report, f"Change {number}.", f"Note {number}.")
        many, response = queries_for(changes_url)
        assert few == many
        assert len(parse(response).select(".changelog-entry")) == 20
        second = reverse("reports:changes_page", args=[seeded_report.slug, 2])
        count, response = queries_for(second)
        assert count == few
        notes = [text_of(n) for n in parse(response).select(".changelog-note")]
        assert notes == ["Note 4.", "Note 3.", "Note 2.", "Note 1.", "Note 0."]

    def test_changelog_of_an_unpublished_report_is_not_found(self, client, db):
        from tests.factories import ReportFactory

        draft = ReportFactory(status=Report.Status.DRAFT)
        assert client.get(reverse("reports:changes", args=[draft.slug])).status_code == 404


class TestRestoreIsANewChange:
    def test_restoring_stamps_the_dates_now(self, chief_client, seeded_report):
        """Issue 13, point 12: a restore never winds "Updated" or the discussion stamp back."""
        imported = Version.objects.get_for_object(seeded_report).get()
        later = soon(days=1)
        with clock(later):
            url, data = edit_conclusion(chief_client, seeded_report, "Changed.")
            submit(chief_client, url, data, publish=True)
        Report.objects.filter(pk=seeded_report.pk).mark_page_changed()
        seeded_report.refresh_from_db()
        discussion = seeded_report.discussion_changed_at

        restore = soon(days=9)
        revision_url = reverse(
            "admin:reports_report_revision", args=[seeded_report.pk, imported.pk]
        )
        with clock(restore):
            data = read_change_form(chief_client, revision_url)
            submit(chief_client, revision_url, data, publish=True, note="Back to the original.")
        seeded_report.refresh_from_db()
        assert seeded_report.content_changed_at == restore
        assert seeded_report.discussion_changed_at >= discussion
        page = reader_page(seeded_report)
        assert f"Updated: {english_date(restore)}" in text_of(page.select_one("article header"))
        assert "Changed." not in text_of(page.select_one("article"))


def test_a_draft_never_brings_back_content_changed_outside_the_admin(
    editor_client, seeded_report, seed_path
):
    """The seed import with --overwrite writes the live rows directly; a later draft must be
    put aside against those rows, not against an older published revision."""
    url, data = edit_conclusion(editor_client, seeded_report, "First draft.")
    submit(editor_client, url, data)
    discard = reverse("admin:reports_report_discard", args=[seeded_report.pk])
    editor_client.post(discard)
    seeded_report.sections.filter(title="Conclusion").update(body="Changed by an import.")
    section = seeded_report.sections.get(title="Conclusion")
    section.save()
    Report.objects.get(pk=seeded_report.pk).record_content_change()
    live = article_html(report=seeded_report)
    assert "Changed by an import." in live

    url, data = edit_conclusion(editor_client, seeded_report, "Second draft.")
    submit(editor_client, url, data)
    from django.core.cache import cache

    cache.clear()
    assert article_html(report=seeded_report) == live
