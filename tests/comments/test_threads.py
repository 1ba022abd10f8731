"""Replies nest under their comment, up to COMMENTS_MAX_DEPTH levels."""

import pytest
from bs4 import BeautifulSoup

from comments.models import Comment

from .conftest import CommentFactory

pytestmark = pytest.mark.django_db


def page_of(client, report, **params):
    return BeautifulSoup(client.get(report.get_absolute_url(), params).content, "html.parser")


def chain(report, length):
    comments, parent = [], None
    for _ in range(length):
        parent = CommentFactory(report=report, parent=parent)
        comments.append(parent)
    return comments


def test_reply_is_nested_under_its_parent(client, report):
    first = CommentFactory(report=report)
    reply = CommentFactory(report=report, parent=first)
    second = CommentFactory(report=report)
    page = page_of(client, report)
    nested = page.select_one(f"#c{first.pk} > ol.children > li")
    assert nested["id"] == f"c{reply.pk}"
    top_level = [li["id"] for li in page.select("ol.comment-list > li")]
    assert top_level == [f"c{first.pk}", f"c{second.pk}"]
    assert reply.depth == 2


def test_reply_link_works_without_javascript(client, report):
    comment = CommentFactory(report=report, author_name="Erika")
    page = page_of(client, report)
    link = page.select_one(f"#c{comment.pk} .comment-reply-link")
    assert link.get_text() == "Antworten"
    assert link["href"] == f"?replytocom={comment.pk}#kommentarformular"

    replying = page_of(client, report, replytocom=comment.pk)
    title = replying.select_one("#antworten .reply-title-text").get_text()
    assert title == "Antworte auf den Kommentar von Erika"
    cancel = replying.select_one("#antworten .cancel-reply")
    assert cancel.get_text() == "Antwort abbrechen" and not cancel.has_attr("hidden")
    assert replying.select_one("input[name=parent]")["value"] == str(comment.pk)


def test_posting_a_reply_keeps_the_thread(post_comment, client, report):
    parent = CommentFactory(report=report)
    response = post_comment(parent=str(parent.pk), follow=True)
    reply = Comment.objects.latest("id")
    assert reply.parent == parent and reply.depth == 2
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one(f"#c{parent.pk} > ol.children > li#c{reply.pk}")


def test_no_reply_link_at_the_deepest_level(client, report, settings):
    settings.COMMENTS_MAX_DEPTH = 5
    comments = chain(report, 5)
    page = page_of(client, report)
    for comment in comments[:4]:
        assert page.select_one(f"#c{comment.pk} > article .comment-reply-link")
    assert page.select_one(f"#c{comments[4].pk} > article .comment-reply-link") is None
    assert len(page.select(f"#c{comments[0].pk} ol.children")) == 4


def test_reply_beyond_the_deepest_level_is_refused(post_comment, report, settings):
    settings.COMMENTS_MAX_DEPTH = 3
    deepest = chain(report, 3)[-1]
    response = post_comment(parent=str(deepest.pk))
    assert response.status_code == 400
    assert Comment.objects.count() == 3


def test_lowering_the_depth_flattens_deeper_replies(client, report, settings):
    comments = chain(report, 4)
    settings.COMMENTS_MAX_DEPTH = 2
    page = page_of(client, report)
    assert len(page.select("ol.children")) == 1
    siblings = [li["id"] for li in page.select(f"#c{comments[0].pk} > ol.children > li")]
    assert siblings == [f"c{c.pk}" for c in comments[1:]]


@pytest.mark.parametrize("status", ["pending", "spam", "trash"])
def test_no_reply_to_a_comment_that_is_not_approved(post_comment, client, report, status):
    parent = CommentFactory(report=report, status=status)
    response = post_comment(parent=str(parent.pk))
    assert response.status_code == 400
    assert "Auf diesen Kommentar kann nicht geantwortet werden." in response.content.decode()
    assert Comment.objects.count() == 1
    replying = page_of(client, report, replytocom=parent.pk)
    assert replying.select_one(".reply-title-text").get_text() == "Schreibe einen Kommentar"
    assert not replying.select_one("input[name=parent]").get("value")


def test_no_reply_to_a_comment_of_another_report(post_comment, report):
    elsewhere = CommentFactory()
    assert post_comment(parent=str(elsewhere.pk)).status_code == 400


def test_approved_reply_to_a_removed_comment_still_shows(client, report):
    parent = CommentFactory(report=report, status=Comment.Status.TRASH)
    reply = CommentFactory(report=report, parent=parent, text="Ich bleibe sichtbar.")
    page = page_of(client, report)
    assert page.select_one(f"ol.comment-list > li#c{reply.pk}")


def test_javascript_is_a_static_deferred_file(client, report):
    page = page_of(client, report)
    script = page.select_one("script[src$='js/comments.js']")
    assert script is not None and script.has_attr("defer")
