"""Editors change the report in the admin, readers see it, and every save can be compared/undone.

The admin is driven the way a browser drives it: the change form is fetched, its fields read from
the HTML, some of them changed, and the whole form posted back.
"""

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from reports.models import Report, Section
from tests.factories import UserFactory

from .pages import form_data, parse, text_of

pytestmark = pytest.mark.django_db


def change_url(report: Report) -> str:
    return reverse("admin:reports_report_change", args=[report.pk])


def read_change_form(client, url: str) -> dict[str, str]:
    response = client.get(url)
    assert response.status_code == 200
    form = parse(response).find("form", id="report_form")
    assert form is not None
    return form_data(form)


def submit(client, url: str, data: dict[str, str], *, publish=False, note="A change."):
    """Post the form as "Entwurf speichern", or as "Veröffentlichen" with a change note."""
    if publish:
        data = {**data, "_publish": "Veröffentlichen"}
        data["change_note"] = data.get("change_note") or note
    response = client.post(url, data)
    assert "/login/" not in response.get("Location", ""), "the editor was not signed in"
    if response.status_code != 302:
        errors = [
            text_of(e) for e in parse(response).select(".errorlist, .errornote") if text_of(e)
        ]
        pytest.fail(f"the admin refused the form ({response.status_code}): {errors}")
    return response


def form_index(data: dict[str, str], title: str) -> int:
    for key, value in data.items():
        if (match := re.fullmatch(r"sections-(\d+)-title", key)) and value == title:
            return int(match[1])
    raise AssertionError(f"no section form titled {title!r}")


def add_section_form(data: dict[str, str], **fields: str) -> None:
    index = int(data["sections-TOTAL_FORMS"])
    data["sections-TOTAL_FORMS"] = str(index + 1)
    for name, value in fields.items():
        data[f"sections-{index}-{name}"] = value


def reader_page(report: Report):
    """The article as an anonymous reader gets it (through the shared page cache)."""
    response = Client().get(report.get_absolute_url())
    assert response.status_code == 200
    return parse(response)


def headings(page) -> list[str]:
    return [
        text_of(h).removesuffix(" # Link kopieren")
        for h in page.select("article h2[id], article h3[id]")
        if not h.find_parent("nav") and not h.find_parent(class_="discussion")
    ]


class TestEditing:
    """Changes that someone with "Berichte veröffentlichen" makes and publishes."""

    def test_editor_changes_the_report_fields(self, chief_client, seeded_report):
        reader_page(seeded_report)  # a reader has the old page
        url = change_url(seeded_report)
        data = read_change_form(chief_client, url)
        data.update(
            title="AI Safety Report, revised",
            lead="A *new* lead.",
            reviewed_on="05.06.2026",
            reading_time_minutes="12",
        )
        submit(chief_client, url, data, publish=True)

        page = reader_page(seeded_report)
        assert text_of(page.h1) == "AI Safety Report, revised"
        meta = text_of(page.select_one("article header"))
        assert "Reviewed: June 5, 2026" in meta
        assert "Reading time: 12 minutes" in meta
        assert "<em>new</em>" in str(page.select_one("article"))

    def test_editor_edits_a_section_in_markdown(self, chief_client, seeded_report):
        url = change_url(seeded_report)
        data = read_change_form(chief_client, url)
        index = form_index(data, "Conclusion")
        data[f"sections-{index}-body"] = "The **last** word, with a [link](/health/)."
        submit(chief_client, url, data, publish=True)

        conclusion = seeded_report.sections.get(title="Conclusion")
        assert conclusion.body_html == (
            '<p>The <strong>last</strong> word, with a <a href="/health/">link</a>.</p>'
        )
        article = str(reader_page(seeded_report).select_one("article"))
        assert "The <strong>last</strong> word" in article

    def test_markdown_is_rendered_when_saved_not_per_request(self, chief_client, seeded_report):
        url = change_url(seeded_report)
        data = read_change_form(chief_client, url)
        data[f"sections-{form_index(data, 'Conclusion')}-body"] = "Stored *once*."
        submit(chief_client, url, data, publish=True)
        # Changing the Markdown behind the model's back changes nothing on the page.
        Section.objects.filter(title="Conclusion").update(body="Changed *later*.")
        article = text_of(reader_page(seeded_report).select_one("article"))
        assert "Stored once." in article
        assert "Changed" not in article

    def test_reorder_sections(self, chief_client, seeded_report):
        url = change_url(seeded_report)
        data = read_change_form(chief_client, url)
        looking_ahead = form_index(data, "Looking Ahead to 2027")
        conclusion = form_index(data, "Conclusion")
        data[f"sections-{looking_ahead}-order"], data[f"sections-{conclusion}-order"] = (
            data[f"sections-{conclusion}-order"],
            data[f"sections-{looking_ahead}-order"],
        )
        submit(chief_client, url, data, publish=True)

        titles = headings(reader_page(seeded_report))
        assert titles[-2:] == ["Conclusion", "Looking Ahead to 2027"]

    def test_add_a_section(self, chief_client, seeded_report):
        url = change_url(seeded_report)
        data = read_change_form(chief_client, url)
        add_section_form(
            data,
            order="1000",
            level="2",
            title="Further Reading",
            anchor="",
            body="- one\n- two",
            report=str(seeded_report.pk),
        )
        submit(chief_client, url, data, publish=True)

        page = reader_page(seeded_report)
        heading = page.find(id="s-further-reading")
        assert heading.name == "h2"
        assert headings(page)[-1] == "Further Reading"
        assert page.select_one("nav a[href='#s-further-reading']") is not None
        assert seeded_report.sections.count() == 18

    def test_add_several_sections_at_once(self, chief_client, seeded_report):
        url = change_url(seeded_report)
        data = read_change_form(chief_client, url)
        for order, title in ((1000, "Appendix"), (1010, "Conclusion"), (1020, "Kommentare")):
            add_section_form(data, order=str(order), level="2", title=title, anchor="", body="")
        submit(chief_client, url, data, publish=True)

        # Each new section gets its own anchor, never one that is taken; on the page its id
        # starts with "s-", so "Kommentare" cannot take the discussion's id.
        anchors = list(seeded_report.sections.values_list("anchor", flat=True))
        assert anchors[-3:] == ["appendix", "conclusion-2", "kommentare"]
        assert len(set(anchors)) == len(anchors) == 20

    def test_remove_a_section(self, chief_client, seeded_report):
        url = change_url(seeded_report)
        data = read_change_form(chief_client, url)
        data[f"sections-{form_index(data, 'Concentration of Capability')}-DELETE"] = "on"
        submit(chief_client, url, data, publish=True)

        page = reader_page(seeded_report)
        assert "Concentration of Capability" not in headings(page)
        assert page.find(id="concentration-of-capability") is None
        assert page.select_one("nav a[href='#concentration-of-capability']") is None
        assert seeded_report.sections.count() == 16

    def test_changes_are_sanitised(self, chief_client, seeded_report):
        url = change_url(seeded_report)
        data = read_change_form(chief_client, url)
        data["lead"] = "Lead <script>alert('lead')</script> text."
        data[f"sections-{form_index(data, 'Conclusion')}-body"] = (
            '<img src="x" onerror="alert(1)">\n\n'
            "[click](javascript:alert(2)) <b onmouseover=alert(3)>bold</b>\n\n"
            '<p style="color:red">styled</p>'
        )
        submit(chief_client, url, data, publish=True)

        stored = seeded_report.sections.get(title="Conclusion").body_html
        response = Client().get(seeded_report.get_absolute_url())
        # The report's own parts (the discussion at the article's end has its own script).
        article = "".join(
            str(part) for part in parse(response).select("article > :not(.discussion, script)")
        )
        for html in (stored, article):
            assert "<script" not in html
            assert "onerror" not in html
            assert "onmouseover" not in html
            assert "javascript:" not in html
            assert "style=" not in html
            assert "<img" not in html
        assert "styled" in article
        # The page's only scripts are our own static files (JSON-LD is data, never run; its
        # escaping is tested in tests/publication/test_previews.py).
        page = parse(response)
        scripts = page.select('script:not([type="application/ld+json"])')
        assert all(script.get("src", "").startswith("/static/") for script in scripts)


class TestRevisions:
    def test_each_save_is_a_revision_by_its_editor(self, editor_client, editor, seeded_report):
        url = change_url(seeded_report)
        for number in (1, 2):
            data = read_change_form(editor_client, url)
            data["title"] = f"Title, version {number}"
            submit(editor_client, url, data)

        versions = list(Version.objects.get_for_object(seeded_report))  # newest first
        assert len(versions) == 3  # the import and two saves
        assert [v.field_dict["title"] for v in versions[:2]] == [
            "Title, version 2",
            "Title, version 1",
        ]
        assert versions[0].revision.user == editor
        # A revision holds the whole report, sections included.
        section_versions = versions[0].revision.version_set.filter(content_type__model="section")
        assert section_versions.count() == 17

    def test_history_lists_the_revisions(self, editor_client, seeded_report):
        url = change_url(seeded_report)
        data = read_change_form(editor_client, url)
        data["title"] = "Retitled"
        submit(editor_client, url, data)

        response = editor_client.get(
            reverse("admin:reports_report_history", args=[seeded_report.pk])
        )
        assert response.status_code == 200
        rows = parse(response).select("#change-history tbody tr")
        assert len(rows) == 2
        assert "redakteurin" in text_of(rows[0])
        assert "Aus der Seed-Datei importiert." in text_of(rows[1])
        versions = Version.objects.get_for_object(seeded_report)
        for row, version in zip(rows, versions, strict=True):
            links = {a["href"] for a in row.select("a[href]")}
            assert (
                reverse("admin:reports_report_changes", args=[seeded_report.pk, version.pk])
                in links
            )
            assert (
                reverse("admin:reports_report_revision", args=[seeded_report.pk, version.pk])
                in links
            )

    def test_changes_view_shows_a_readable_diff(self, editor_client, seeded_report):
        url = change_url(seeded_report)
        data = read_change_form(editor_client, url)
        data["reading_time_minutes"] = "11"
        data[f"sections-{form_index(data, 'Conclusion')}-title"] = "Conclusions"
        data[f"sections-{form_index(data, 'Agent Safety')}-DELETE"] = "on"
        submit(editor_client, url, data)

        latest = Version.objects.get_for_object(seeded_report).first()
        response = editor_client.get(
            reverse("admin:reports_report_changes", args=[seeded_report.pk, latest.pk])
        )
        assert response.status_code == 200
        page = parse(response)
        fields = dict(
            zip(
                [text_of(dt) for dt in page.select(".diff-fields dt")],
                [str(dd) for dd in page.select(".diff-fields dd")],
                strict=True,
            )
        )
        assert "<del>10</del> <ins>11</ins>" in fields["Lesezeit (Minuten)"]
        sections = {text_of(s.select_one(".diff-heading")): s for s in page.select(".diff-section")}
        assert "Conclusion Conclusions (geändert)" in sections
        renamed = sections["Conclusion Conclusions (geändert)"]
        assert str(renamed.select_one("del")) == "<del>Conclusion</del>"
        assert str(renamed.select_one("ins")) == "<ins>Conclusions</ins>"
        assert "Agent Safety (entfernt)" in sections
        # Unchanged sections are not listed as changes.
        assert not any("Regulatory Progress" in title for title in sections)
        assert "redakteurin" in text_of(page.select_one("#content-main"))
        # The title gives the local time (Europe/Berlin), as the history list does.
        local = timezone.localtime(latest.revision.date_created)
        assert f"{local:%d.%m.%Y, %H:%M} Uhr" in text_of(page.select_one("h1"))

    def test_changes_view_of_the_first_revision_shows_everything_added(
        self, editor_client, seeded_report
    ):
        first = Version.objects.get_for_object(seeded_report).get()
        response = editor_client.get(
            reverse("admin:reports_report_changes", args=[seeded_report.pk, first.pk])
        )
        page = parse(response)
        assert page.select("del") == []
        kinds = [text_of(k) for k in page.select(".diff-section .diff-kind")]
        assert kinds == ["(neu)"] * (17 + 2)  # the sections, the lead and the closing note

    def test_restore_an_earlier_version_of_the_whole_report(
        self, editor_client, chief_client, chief_editor, seeded_report
    ):
        imported = Version.objects.get_for_object(seeded_report).get()
        # Sections are known by their anchors: a restored section whose row a publication
        # deleted comes back as a new row with its old anchor (and its comments).
        original_anchors = list(seeded_report.sections.values_list("anchor", flat=True))

        url = change_url(seeded_report)
        data = read_change_form(editor_client, url)
        data["title"] = "A worse title"
        data[f"sections-{form_index(data, 'Agent Safety')}-DELETE"] = "on"
        data[f"sections-{form_index(data, 'Conclusion')}-body"] = "Shortened."
        add_section_form(
            data, order="5", level="2", title="Preface", body="Added later.", anchor=""
        )
        submit(editor_client, url, data)
        publishing = read_change_form(chief_client, url)
        submit(chief_client, url, publishing, publish=True)
        assert "Preface" in headings(reader_page(seeded_report))

        revision_url = reverse(
            "admin:reports_report_revision", args=[seeded_report.pk, imported.pk]
        )
        restored_form = read_change_form(chief_client, revision_url)
        assert restored_form["title"] == imported.field_dict["title"]
        response = submit(chief_client, revision_url, restored_form, publish=True)
        message = text_of(parse(chief_client.get(response["Location"])).select_one(".messagelist"))
        assert "wiederhergestellt" in message

        seeded_report.refresh_from_db()
        assert seeded_report.title == "AI Safety and Alignment Progress Report: December 2026"
        assert list(seeded_report.sections.values_list("anchor", flat=True)) == original_anchors
        assert not seeded_report.sections.filter(title="Preface").exists()
        assert seeded_report.sections.get(title="Agent Safety").body_html.startswith("<p>")
        page = reader_page(seeded_report)
        assert text_of(page.h1) == seeded_report.title
        assert "Preface" not in headings(page)
        assert "Agent Safety" in headings(page)
        assert "Shortened." not in text_of(page.select_one("article"))
        # Restoring is itself a revision, by the editor who restored, naming its source.
        latest = Version.objects.get_for_object(seeded_report).first()
        assert latest.revision.user == chief_editor
        assert f"(Revision {imported.revision_id}) wiederhergestellt" in latest.revision.comment


class TestPermissions:
    def test_editors_group_has_exactly_the_report_permissions(self):
        group = Group.objects.get(name="Editors")
        permissions = set(group.permissions.values_list("content_type__app_label", "codename"))
        # Deleting a report takes it from readers: that needs "Berichte veröffentlichen".
        assert permissions == {
            ("reports", f"{action}_{model}")
            for action in ("add", "change", "delete", "view")
            for model in ("report", "section")
        } - {("reports", "delete_report")}
        assert not group.permissions.filter(content_type__app_label="comments").exists()

    def test_staff_without_the_group_cannot_edit(self, client, seeded_report):
        client.force_login(UserFactory(is_staff=True))
        assert client.get(change_url(seeded_report)).status_code == 403

    def test_staff_without_the_group_cannot_read_the_history(self, client, seeded_report):
        client.force_login(UserFactory(is_staff=True))
        version = Version.objects.get_for_object(seeded_report).get()
        for name, args in (
            ("admin:reports_report_history", [seeded_report.pk]),
            ("admin:reports_report_changes", [seeded_report.pk, version.pk]),
            ("admin:reports_report_revision", [seeded_report.pk, version.pk]),
        ):
            assert client.get(reverse(name, args=args)).status_code == 403, name

    def test_editor_sees_reports_but_not_comments_in_the_admin(self, editor_client):
        response = editor_client.get(reverse("admin:index"))
        assert response.status_code == 200
        app_labels = {app["app_label"] for app in response.context["app_list"]}
        assert app_labels == {"reports"}

    def test_editor_cannot_open_anything_under_comments(self, editor, editor_client, seeded_report):
        from comments import audit
        from comments.models import BannedSender, Comment, DiscussionSettings, Notice, Subscription

        comment = Comment.objects.create(
            report=seeded_report, author_name="Leserin", text="Ein Kommentar."
        )
        # Every comments model needs a row, or its admin answers "does not exist" (a redirect).
        Subscription.objects.create(email="leserin@example.org", report=seeded_report)
        BannedSender.objects.ban(email="troll@example.org")
        Notice.objects.create(comment=comment, reason="spam", explanation="Werbung")
        DiscussionSettings.from_environment().save()
        audit.log_status_changes(
            user=editor, changes=[(comment.pk, "pending")], status="approved", via="Test"
        )
        comments_root = reverse("admin:index") + "comments/"
        urls = [comments_root, comments_root + "comment/", comments_root + "comment/add/"]
        for model, model_admin in admin.site._registry.items():
            if model._meta.app_label != "comments":
                continue
            obj = model._default_manager.first() or comment
            for pattern in model_admin.get_urls():
                if pattern.name:
                    regex = pattern.pattern.regex
                    kwargs = dict.fromkeys(regex.groupindex, str(obj.pk))
                    args = [str(obj.pk)] * (regex.groups - len(kwargs))
                    urls.append(reverse(f"admin:{pattern.name}", args=args, kwargs=kwargs))
        assert len(urls) > 5
        for url in urls:
            assert url.startswith(comments_root)
            assert editor_client.get(url).status_code in {403, 404}, url
            assert editor_client.post(url, {}).status_code in {403, 404}, url
        assert Comment.objects.filter(pk=comment.pk).exists()

    def test_editor_has_no_comment_permissions(self, editor):
        comment_permissions = Permission.objects.filter(content_type__app_label="comments")
        assert not any(
            editor.has_perm(f"comments.{permission.codename}") for permission in comment_permissions
        )
