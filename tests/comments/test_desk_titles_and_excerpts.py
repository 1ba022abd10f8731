"""The desk reads cleanly: German titles and breadcrumbs, quotes set off in the excerpt,
addresses that break only at "@" or ".", a save message without nested quotes, and "Neueste
Aktionen" naming the report (never the author)."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from comments.models import Comment

from .conftest import CommentFactory

pytestmark = pytest.mark.django_db
Status = Comment.Status


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def words(element):
    return " ".join(element.get_text().split())


def test_list_title_and_breadcrumbs(moderator_client, report):
    CommentFactory(report=report)
    page = soup(moderator_client.get(reverse("admin:comments_comment_changelist")))
    assert page.title.get_text().startswith("Kommentare |")
    assert page.h1.get_text() == "Kommentare"
    assert words(page.select_one(".breadcrumbs")) == "Start › Kommentare"


def test_comment_page_and_desk_pages_have_one_kommentare_crumb(moderator_client, report):
    comment = CommentFactory(report=report)
    change = soup(moderator_client.get(reverse("admin:comments_comment_change", args=[comment.pk])))
    assert words(change.select_one(".breadcrumbs")) == (
        f"Start › Kommentare › Kommentar #{comment.pk} zu „AI Safety Progress“"
    )
    ban = soup(moderator_client.get(reverse("admin:comments_comment_ban", args=[comment.pk])))
    assert words(ban.select_one(".breadcrumbs")).startswith("Start › Kommentare › Kommentar #")


def test_quote_is_set_off_in_the_excerpt(moderator_client, report):
    CommentFactory(
        report=report, text="> Das Modell lügt nie.\n> Wirklich nie.\n\nDas stimmt so nicht."
    )
    page = soup(moderator_client.get(reverse("admin:comments_comment_changelist")))
    excerpt = page.select_one(".comment-excerpt")
    assert excerpt.select_one("q.comment-excerpt-quote").get_text() == (
        "Das Modell lügt nie. Wirklich nie."
    )
    assert words(excerpt).endswith("Das stimmt so nicht.")


def test_address_may_break_only_after_at_and_dots(moderator_client, report):
    CommentFactory(report=report, author_email="erika.muster@beispiel-verlag.example.org")
    page = soup(moderator_client.get(reverse("admin:comments_comment_changelist")))
    link = page.select_one(".comment-author-email")
    # Each part kept together (no break at the hyphen), a chance to break after "@" and ".".
    assert [part.get_text() for part in link.select(".address-part")] == [
        "erika.",
        "muster@",
        "beispiel-verlag.",
        "example.",
        "org",
    ]
    assert len(link.select("wbr")) == 4
    assert link.get_text() == "erika.muster@beispiel-verlag.example.org"
    assert link["href"] == "mailto:erika.muster@beispiel-verlag.example.org"


def test_address_markup_is_escaped(moderator_client, report):
    CommentFactory(report=report, author_email='"<b>x"@example.org')
    page = moderator_client.get(reverse("admin:comments_comment_changelist")).content.decode()
    assert "<b>x" not in page


def test_save_message_has_no_nested_quotes(moderator_client, report):
    comment = CommentFactory(report=report)
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    form = moderator_client.get(url).context["adminform"].form
    response = moderator_client.post(
        url, {**form.initial, "section": "", "author_url": "", "text": "Neu."}, follow=True
    )
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [f"Kommentar #{comment.pk} zu „AI Safety Progress“ wurde gespeichert."]


def test_recent_actions_name_the_report_and_section_never_the_author(moderator_client, report):
    comment = CommentFactory(
        report=report, status=Status.PENDING, author_name="Erika Geheim", text="Privat."
    )
    Comment.objects.filter(pk=comment.pk).update(section_title="Governance")
    moderator_client.post(
        reverse("admin:comments_comment_status", args=[comment.pk]), {"status": "approved"}
    )
    entry = LogEntry.objects.get(object_id=str(comment.pk))
    assert entry.object_repr == f"Kommentar #{comment.pk} zu „AI Safety Progress“ (Governance)"
    index = moderator_client.get(reverse("admin:index")).content.decode()
    assert f"Kommentar #{comment.pk} zu „AI Safety Progress“ (Governance)" in index
    assert "Erika Geheim" not in index and "Privat." not in index
