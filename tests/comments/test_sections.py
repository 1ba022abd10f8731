"""Discussion by section (issue 11): a comment can be about one section of the report.

Every heading has a "Diskutieren" link and its count, the contents a badge per section, each
comment names its section, and one section's discussion has its own cached page. The tests
go through the real form (no JavaScript: the "Diskutieren" link is a plain link) and the
admin, and read what a reader gets.
"""

import re

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments.models import Comment
from reports.models import Report, Section
from tests.comments.status import set_status
from tests.factories import SectionFactory

from .conftest import CommentFactory, form_data

pytestmark = pytest.mark.django_db

Status = Comment.Status


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def text(element) -> str:
    return " ".join(element.get_text(" ").split())


def heading_talk(page, anchor):
    """The quiet line under a section's heading ("Diskutieren · 3 Kommentare · Zitiervorschlag")."""
    heading = page.find(id=f"s-{anchor}")
    talk = heading.find_next_sibling()
    assert "section-talk" in talk["class"]
    return talk


def links(talk) -> list[str]:
    return [text(link) for link in talk.find_all("a")]


def toc_badge(page, anchor):
    entry = page.select_one(f'.toc a[href="#s-{anchor}"]').parent
    return entry.find(class_="toc-count", recursive=False)


def about(report, anchor, **fields):
    section = report.sections.get(anchor=anchor)
    comment = CommentFactory.build(report=report, **fields)
    comment.set_section(section)
    comment.save()
    return comment


@pytest.fixture
def sectioned(report):
    """A report with a section, two subsections under it, and another section."""
    for title, level in [
        ("Agent Safety", Section.Level.SECTION),
        ("Tool Use", Section.Level.SUBSECTION),
        ("Deepfakes", Section.Level.SUBSECTION),
        ("Regulation", Section.Level.SECTION),
    ]:
        SectionFactory(report=report, title=title, level=level, body=f"About {title}.")
    return report


class TestLinksAndCounts:
    def test_every_section_of_the_seed_report_has_its_diskutieren_link(self, client, seeded_report):
        sections = list(seeded_report.sections.all())
        assert len(sections) == 17
        page = soup(client.get(seeded_report.get_absolute_url()))
        for section in sections:
            link = heading_talk(page, section.anchor).find("a")
            assert text(link) == "Diskutieren"
            assert link["href"] == f"?abschnitt={section.anchor}#kommentarformular"
            assert toc_badge(page, section.anchor) is None  # nothing for no comments

    def test_counts_under_the_headings_and_in_the_contents(self, client, seeded_report):
        for _ in range(3):
            about(seeded_report, "agent-safety")
        about(seeded_report, "conclusion")
        about(seeded_report, "conclusion", status=Status.PENDING)  # not counted
        CommentFactory(report=seeded_report)  # about the whole report: not counted anywhere

        page = soup(client.get(seeded_report.get_absolute_url()))

        agent = heading_talk(page, "agent-safety")
        # The dots between the links are site.css's (not read out).
        assert links(agent) == ["Diskutieren", "3 Kommentare", "Zitiervorschlag"]
        assert agent.find_all("a")[1]["href"] == reverse(
            "comments:section", args=[seeded_report.slug, "agent-safety"]
        )
        assert links(heading_talk(page, "conclusion")) == [
            "Diskutieren",
            "1 Kommentar",
            "Zitiervorschlag",
        ]
        assert links(heading_talk(page, "successes")) == ["Diskutieren", "Zitiervorschlag"]

        assert text(toc_badge(page, "agent-safety")) == "3 3 Kommentare zu diesem Abschnitt"
        assert (
            text(toc_badge(page, "agent-safety").find(class_="visually-hidden"))
            == "3 Kommentare zu diesem Abschnitt"
        )
        assert text(toc_badge(page, "conclusion").find(class_="visually-hidden")) == (
            "1 Kommentar zu diesem Abschnitt"
        )
        badges = page.select(".toc .toc-count")
        assert len(badges) == 2

    def test_closed_comments_keep_the_counts_but_not_the_link(self, client, sectioned):
        about(sectioned, "agent-safety")
        Report.objects.filter(pk=sectioned.pk).update(comments_open=False)
        page = soup(client.get(sectioned.get_absolute_url()))
        assert page.select(".section-talk a[href^='?abschnitt=']") == []
        assert links(heading_talk(page, "agent-safety")) == ["1 Kommentar", "Zitiervorschlag"]


class TestTheForm:
    def test_select_lists_the_sections_in_order_indented(self, client, sectioned):
        page = soup(client.get(sectioned.get_absolute_url()))
        select = page.find("select", id="id_section")
        assert select["name"] == "section"
        assert text(page.find("label", attrs={"for": "id_section"})) == "Bezieht sich auf"
        options = [(o["value"], o.get_text()) for o in select.find_all("option")]
        assert options == [
            ("", "den ganzen Bericht"),
            ("agent-safety", "Agent Safety"),
            ("tool-use", "\u00a0\u00a0\u00a0– Tool Use"),
            ("deepfakes", "\u00a0\u00a0\u00a0– Deepfakes"),
            ("regulation", "Regulation"),
        ]
        assert select.find("option", selected=True)["value"] == ""
        # The headings are English in a German form: a screen reader says them in English.
        assert [o.get("lang") for o in select.find_all("option")] == [None] + ["en"] * 4

    def test_diskutieren_without_javascript_preselects_the_section(self, client, sectioned):
        url = sectioned.get_absolute_url()
        shared = client.get(url)  # the shared page, now cached
        response = client.get(f"{url}?abschnitt=deepfakes")
        assert "private" in response["Cache-Control"]
        page = soup(response)
        assert page.find("select", id="id_section").find("option", selected=True)["value"] == (
            "deepfakes"
        )
        # The shared copy is untouched; any other parameter gets it as it is.
        again = client.get(f"{url}?utm_source=x")
        assert "public" in again["Cache-Control"]
        assert again.content == shared.content
        unknown = soup(client.get(f"{url}?abschnitt=gibt-es-nicht"))
        assert unknown.find("select", id="id_section").find("option", selected=True)["value"] == ""

    def test_posting_about_a_section_and_the_count_moves_after_approval(
        self, client, post_comment, sectioned, moderator_client
    ):
        reader = Client(headers={"Sec-Fetch-Site": "same-origin"})
        response = post_comment(section="tool-use", text="Zu kurz, finde ich.", client_=reader)
        assert response.status_code == 302
        comment = Comment.objects.get()
        assert comment.section == sectioned.sections.get(anchor="tool-use")
        assert (comment.section_anchor, comment.section_title) == ("tool-use", "Tool Use")
        assert comment.section_fingerprint == comment.section.text_fingerprint

        before = soup(Client().get(sectioned.get_absolute_url()))
        assert toc_badge(before, "tool-use") is None
        if comment.status != Status.APPROVED:
            moderator_client.post(
                reverse("admin:comments_comment_changelist"),
                {"action": "approve", "_selected_action": [comment.pk]},
            )
        after = soup(Client().get(sectioned.get_absolute_url()))
        assert text(toc_badge(after, "tool-use").find(class_="visually-hidden")) == (
            "1 Kommentar zu diesem Abschnitt"
        )
        label = after.find(id=f"c{comment.pk}").find(class_="comment-section")
        assert text(label).startswith("zu: Tool Use")
        assert label.find("a")["href"] == f"{sectioned.get_absolute_url()}#s-tool-use"

    def test_a_reply_is_about_its_parents_section_whatever_is_posted(self, post_comment, sectioned):
        parent = about(sectioned, "regulation")
        response = post_comment(parent=parent.pk, section="agent-safety", text="Antwort.")
        assert response.status_code == 302
        reply = Comment.objects.get(parent=parent)
        assert reply.section_anchor == "regulation"
        assert reply.section_id == parent.section_id
        # Even a section that does not exist is no error for a reply.
        response = post_comment(
            parent=parent.pk,
            section="weg",
            text="Noch eine Antwort.",
            ip="198.51.100.2",
            author_email="zweite@example.org",
        )
        assert response.status_code == 302
        assert Comment.objects.filter(parent=parent, section_anchor="regulation").count() == 2

    def test_a_section_gone_meanwhile_is_a_message_beside_the_field(self, post_comment, sectioned):
        response = post_comment(section="removed-meanwhile", text="Mein langer Text.")
        assert response.status_code == 400
        page = BeautifulSoup(response.content, "html.parser")
        error = page.find(id="id_section-error")
        assert "Diesen Abschnitt gibt es nicht mehr" in text(error)
        assert page.find("textarea", id="id_text").get_text().strip() == "Mein langer Text."
        assert not Comment.objects.exists()

    def test_the_reply_form_without_javascript_hides_the_select(self, client, sectioned):
        parent = about(sectioned, "regulation")
        page = soup(client.get(sectioned.get_absolute_url(), {"replytocom": parent.pk}))
        assert page.find("select", id="id_section").parent.has_attr("hidden")


class TestInTheDiscussion:
    def test_comment_names_its_section_and_the_whole_report_nothing(self, client, sectioned):
        on_section = about(sectioned, "agent-safety")
        reply = CommentFactory(report=sectioned, parent=on_section)
        whole = CommentFactory(report=sectioned)
        page = soup(client.get(sectioned.get_absolute_url()))
        label = page.find(id=f"c{on_section.pk}").find(class_="comment-section")
        assert text(label) == "zu: Agent Safety · alle zu diesem Abschnitt"
        links = [a["href"] for a in label.find_all("a")]
        assert links == [
            f"{sectioned.get_absolute_url()}#s-agent-safety",
            reverse("comments:section", args=[sectioned.slug, "agent-safety"]),
        ]
        assert page.find(id=f"c{reply.pk}").find(class_="comment-section") is not None
        assert page.find(id=f"c{whole.pk}").find(class_="comment-section") is None

    def test_comments_survive_a_deleted_section(self, client, sectioned):
        comment = about(sectioned, "deepfakes", text="Deepfakes fehlen mir.")
        reply = CommentFactory(report=sectioned, parent=comment, text="Mir auch.")
        sectioned.sections.get(anchor="deepfakes").delete()

        comment.refresh_from_db()
        assert comment.section is None and comment.section_title == "Deepfakes"
        page = soup(client.get(sectioned.get_absolute_url()))
        for pk in (comment.pk, reply.pk):
            label = page.find(id=f"c{pk}").find(class_="comment-section")
            assert text(label).startswith("zu einem entfernten Abschnitt: Deepfakes")
            assert [a.get_text() for a in label.find_all("a")] == ["alle zu diesem Abschnitt"]
        assert page.find("option", value="deepfakes") is None
        # Its own discussion page still works.
        own = soup(client.get(reverse("comments:section", args=[sectioned.slug, "deepfakes"])))
        assert "Diesen Abschnitt gibt es im Bericht" in text(own)
        assert "Deepfakes fehlen mir." in text(own) and "Mir auch." in text(own)


class TestOneSectionsDiscussion:
    def url(self, report, anchor):
        return reverse("comments:section", args=[report.slug, anchor])

    def test_shows_only_the_threads_about_the_section(self, client, sectioned):
        first = about(sectioned, "agent-safety", text="Über Agenten.")
        CommentFactory(report=sectioned, parent=first, text="Antwort über Agenten.")
        about(sectioned, "regulation", text="Über Regulierung.")
        CommentFactory(report=sectioned, text="Über alles.")

        response = client.get(self.url(sectioned, "agent-safety"))
        page = soup(response)
        assert "public" in response["Cache-Control"]
        assert text(page.find("h1")) == "Diskussion zu „Agent Safety“"
        shown = [text(c) for c in page.select(".comment-content")]
        assert shown == ["Über Agenten.", "Antwort über Agenten."]
        assert page.select(".comment-section-discussion") == []  # no link to this very page
        assert "2 Kommentare zu „Agent Safety“" in text(page.select_one(".comments-title"))
        assert page.find("link", rel="canonical")["href"].endswith(
            f"/berichte/{sectioned.slug}/kommentare/abschnitt/agent-safety/"
        )
        # The form there is about the section already.
        assert page.find("select", id="id_section").find("option", selected=True)["value"] == (
            "agent-safety"
        )

    def test_a_section_without_comments_has_an_empty_page_an_unknown_one_404(
        self, client, sectioned
    ):
        page = soup(client.get(self.url(sectioned, "regulation")))
        assert page.select(".comment") == []
        assert client.get(self.url(sectioned, "gibt-es-nicht")).status_code == 404

    def test_is_cached_and_moves_with_the_discussion(self, client, sectioned):
        url = self.url(sectioned, "agent-safety")
        soup(client.get(url))
        with CaptureQueriesContext(connection) as queries:
            soup(client.get(url))
        assert len(queries) == 1  # only the page version
        about(sectioned, "agent-safety", text="Neu dazu.")
        assert "Neu dazu." in text(soup(client.get(url)))

    def test_pages_like_the_whole_discussion(self, client, sectioned, settings):
        from comments.models import DiscussionSettings

        settings.COMMENTS_PER_PAGE = 2
        DiscussionSettings.objects.all().delete()
        for number in range(5):
            about(sectioned, "agent-safety", text=f"Gedanke {number}.")
        first = soup(client.get(self.url(sectioned, "agent-safety")))
        assert len(first.select(".comment")) == 2
        older = first.select_one(".comments-pagination a[href*='seite-2']")
        assert older["href"].startswith(self.url(sectioned, "agent-safety") + "seite-2/")
        third = soup(client.get(self.url(sectioned, "agent-safety") + "seite-3/"))
        assert [text(c) for c in third.select(".comment-content")] == ["Gedanke 4."]
        assert client.get(self.url(sectioned, "agent-safety") + "seite-4/").status_code == 404
        first_again = client.get(self.url(sectioned, "agent-safety") + "seite-1/")
        assert first_again.status_code == 301
        assert first_again["Location"] == self.url(sectioned, "agent-safety")


class TestModeratorsAndCache:
    def test_moving_an_approved_comment_to_another_section_in_the_admin(
        self, moderator_client, sectioned
    ):
        comment = about(sectioned, "agent-safety")
        reply = CommentFactory(report=sectioned, parent=comment)
        version = Report.objects.page_version(sectioned.slug)
        change_url = reverse("admin:comments_comment_change", args=[comment.pk])
        form = moderator_client.get(change_url).context["adminform"].form
        regulation = sectioned.sections.get(anchor="regulation")
        data = {
            **{k: v for k, v in form.initial.items() if v is not None},
            "section": regulation.pk,
            "notices-TOTAL_FORMS": "0",
            "notices-INITIAL_FORMS": "0",
        }
        response = moderator_client.post(change_url, data)
        assert response.status_code == 302
        comment.refresh_from_db()
        reply.refresh_from_db()
        assert (comment.section_anchor, comment.section_title) == ("regulation", "Regulation")
        assert reply.section_id == regulation.pk
        assert Report.objects.page_version(sectioned.slug) != version
        history = moderator_client.get(
            reverse("admin:comments_comment_history", args=[comment.pk])
        ).content.decode()
        assert "Abschnitt geändert: Agent Safety → Regulation" in history
        page = soup(Client().get(sectioned.get_absolute_url()))
        assert toc_badge(page, "agent-safety") is None
        assert "2 Kommentare zu diesem Abschnitt" in text(toc_badge(page, "regulation"))

    def test_a_pending_comments_section_changes_no_page_version(self, sectioned):
        comment = about(sectioned, "agent-safety", status=Status.PENDING)
        version = Report.objects.page_version(sectioned.slug)
        comment.set_section(sectioned.sections.get(anchor="regulation"))
        comment.save()
        assert Report.objects.page_version(sectioned.slug) == version
        Comment.objects.filter(pk=comment.pk).update(section_title="x")
        assert Report.objects.page_version(sectioned.slug) == version

    def test_the_desk_shows_and_filters_by_section(self, moderator_client, sectioned):
        about(sectioned, "agent-safety", text="Agenten-Kommentar")
        CommentFactory(report=sectioned, text="Allgemeiner Kommentar")
        changelist = reverse("admin:comments_comment_changelist")
        page = soup(moderator_client.get(changelist))
        assert "Abschnitt: Agent Safety" in text(page)
        filtered = text(soup(moderator_client.get(changelist, {"abschnitt": "agent-safety"})))
        assert "Agenten-Kommentar" in filtered and "Allgemeiner Kommentar" not in filtered
        whole = text(soup(moderator_client.get(changelist, {"abschnitt": "-"})))
        assert "Allgemeiner Kommentar" in whole and "Agenten-Kommentar" not in whole

    def test_the_feed_and_the_emails_name_the_section(
        self, client, sectioned, settings, mailoutbox, django_capture_on_commit_callbacks
    ):
        settings.COMMENTS_MODERATOR_EMAILS = ["moderation@example.org"]
        about(sectioned, "deepfakes", text="Ein Gedanke zu Deepfakes.")
        feed = client.get(reverse("comments:feed", args=[sectioned.slug])).content.decode()
        assert re.search(r"<title>Leserin \d+ zu „Deepfakes“: Ein Gedanke", feed)

        with django_capture_on_commit_callbacks(execute=True):
            Client(headers={"Sec-Fetch-Site": "same-origin"}).post(
                reverse("comments:post", args=[sectioned.slug]),
                form_data(
                    section="tool-use", text="Bitte prüfen, https://a.example https://b.example"
                ),
                REMOTE_ADDR="198.51.100.9",
            )
        bodies = [message.body for message in mailoutbox]
        assert any("Bezieht sich auf: Tool Use" in body for body in bodies), bodies


def test_subscribers_are_told_which_section_a_new_comment_is_about(
    sectioned, mailoutbox, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from comments.models import Subscription

    Subscription.objects.create(
        email="anna@example.org", report=sectioned, confirmed_at=timezone.now()
    )
    comment = about(sectioned, "tool-use", status=Status.PENDING, text="Werkzeuge fehlen.")
    with django_capture_on_commit_callbacks(execute=True):
        set_status(Comment.objects.filter(pk=comment.pk), Status.APPROVED)
    (mail,) = mailoutbox
    assert "Zum Abschnitt „Tool Use“:\n„Werkzeuge fehlen.“" in mail.body


def test_a_reply_in_the_admin_shows_its_section_but_cannot_change_it(moderator_client, sectioned):
    parent = about(sectioned, "regulation")
    reply = CommentFactory(report=sectioned, parent=parent)
    page = soup(moderator_client.get(reverse("admin:comments_comment_change", args=[reply.pk])))
    assert page.find("select", attrs={"name": "section"}) is None
    assert "Regulation" in text(page.select_one(".field-section"))
    top = soup(moderator_client.get(reverse("admin:comments_comment_change", args=[parent.pk])))
    options = [o.get_text() for o in top.find("select", attrs={"name": "section"}).select("option")]
    assert options == ["Ganzer Bericht", "Agent Safety", "Tool Use", "Deepfakes", "Regulation"]


def test_a_restored_section_gets_its_comments_back(client, sectioned):
    """django-reversion restores a deleted section as a new row with its old anchor."""
    comment = about(sectioned, "deepfakes", text="Deepfakes fehlen mir.")
    reply = CommentFactory(report=sectioned, parent=comment)
    sectioned.sections.get(anchor="deepfakes").delete()
    page = soup(client.get(sectioned.get_absolute_url()))
    assert "zu einem entfernten Abschnitt" in text(page.find(id=f"c{comment.pk}"))

    SectionFactory(report=sectioned, title="Deepfakes", level=Section.Level.SUBSECTION)

    page = soup(client.get(sectioned.get_absolute_url()))
    for pk in (comment.pk, reply.pk):
        assert text(page.find(id=f"c{pk}").find(class_="comment-section")).startswith(
            "zu: Deepfakes"
        )
    assert "1 Kommentar" not in text(toc_badge(page, "deepfakes"))
    assert "2 Kommentare zu diesem Abschnitt" in text(toc_badge(page, "deepfakes"))
