"""The desk's "Rückgängig", its view "Gemeldet (N)", the start page's open reports, and a link
to each comment's page in every row."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from comments.models import Comment, Notice

from .conftest import CommentFactory
from .desk import log_messages

pytestmark = pytest.mark.django_db
Status = Comment.Status
FETCH = {"X-Requested-With": "fetch"}


def changelist():
    return reverse("admin:comments_comment_changelist")


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def act(client, comment, status):
    return client.post(
        reverse("admin:comments_comment_status", args=[comment.pk]),
        {"status": status},
        headers=FETCH,
    ).json()


def undo(client, offer, **headers):
    return client.post(
        offer["url"], {"status": offer["status"], "expected": offer["expected"]}, **headers
    )


@pytest.mark.parametrize(
    ("before", "action"),
    [
        (Status.PENDING, Status.SPAM),
        # A waiting or published comment goes to the trash through the ground page (DSA
        # Art. 17); spam goes there in place.
        (Status.SPAM, Status.TRASH),
        (Status.PENDING, Status.APPROVED),
        (Status.SPAM, Status.PENDING),
    ],
)
def test_undo_returns_the_comment_to_its_status_and_is_logged(
    moderator_client, report, before, action
):
    comment = CommentFactory(report=report, status=before, author_name="Bernd")
    answer = act(moderator_client, comment, action)
    offer = answer["undo"]
    assert offer["status"] == before and offer["expected"] == action
    assert offer["text"].startswith("Kommentar von Bernd ")

    response = undo(moderator_client, offer, headers=FETCH)
    assert response.status_code == 200
    assert response.json()["message"] == (
        f"Rückgängig gemacht: Der Kommentar ist wieder „{Status(before).label}“."
    )
    comment.refresh_from_db()
    assert comment.status == before
    old, new = Status(before).label, Status(action).label
    assert log_messages(comment) == [
        f"Status: {old} → {new} (Zeilenaktion)",
        f"Status: {new} → {old} (Rückgängig)",
    ]


def test_undo_is_refused_once_someone_else_changed_the_status(moderator_client, report):
    comment = CommentFactory(report=report, status=Status.PENDING)
    offer = act(moderator_client, comment, Status.SPAM)["undo"]
    # A second moderator restores it from spam and approves it meanwhile.
    Comment.objects.filter(pk=comment.pk).update(status=Status.APPROVED)

    response = undo(moderator_client, offer, headers=FETCH)
    assert response.status_code == 409
    assert response.json()["message"] == (
        "Nicht mehr rückgängig zu machen: Der Kommentar hat inzwischen den Status „Freigegeben“."
    )
    comment.refresh_from_db()
    assert comment.status == Status.APPROVED
    assert len(log_messages(comment)) == 1


def test_undo_without_javascript_and_its_guards(client, moderator_client, report):
    comment = CommentFactory(report=report, status=Status.PENDING)
    offer = act(moderator_client, comment, Status.SPAM)["undo"]
    assert moderator_client.get(offer["url"]).status_code == 405
    bad = moderator_client.post(offer["url"], {"status": "gone", "expected": "spam"})
    assert bad.status_code == 400
    response = undo(moderator_client, offer, follow=True)
    assert response.redirect_chain[-1][0] == changelist()
    comment.refresh_from_db()
    assert comment.status == Status.PENDING
    # A second undo of the same action finds the status changed: a message, nothing else.
    again = undo(moderator_client, offer, follow=True)
    assert "Nicht mehr rückgängig zu machen" in again.content.decode()
    client.logout()
    assert undo(client, offer).status_code == 302  # to the login page
    comment.refresh_from_db()
    assert comment.status == Status.PENDING


def test_no_change_offers_no_undo(moderator_client, report):
    comment = CommentFactory(report=report, status=Status.APPROVED)
    answer = act(moderator_client, comment, Status.APPROVED)
    assert answer == {"message": "Keine Änderung.", "undo": None}


def test_undo_row_template_is_on_the_list(moderator_client, report):
    CommentFactory(report=report)
    page = soup(moderator_client.get(changelist()))
    template = page.select_one("template#comment-undo-row")
    assert "Rückgängig" in template.decode_contents()


def notice(comment, decision=""):
    return Notice.objects.create(
        comment=comment, reason="insult", explanation="Beleidigend.", decision=decision
    )


def test_reported_view_lists_comments_with_open_reports(moderator_client, report):
    reported = CommentFactory(report=report)
    notice(reported)
    notice(reported)
    decided = CommentFactory(report=report)
    notice(decided, decision="no_action")
    trashed = CommentFactory(report=report, status=Status.TRASH)
    notice(trashed)
    CommentFactory(report=report)

    page = soup(moderator_client.get(changelist()))
    views = {li.get_text(" ", strip=True): li.a for li in page.select(".comment-views li")}
    link = views["Gemeldet (1)"]
    assert link["href"] == "?gemeldet=offen"

    response = moderator_client.get(changelist(), {"gemeldet": "offen"})
    assert [c.pk for c in response.context["cl"].result_list] == [reported.pk]
    page = soup(response)
    assert page.select_one(".comment-views [aria-current]").get_text() == "Gemeldet (1)"
    # From the reported view, the status views lead away from it.
    others = [a["href"] for a in page.select(".comment-views a")]
    assert all("gemeldet" not in href for href in others)


def test_start_page_shows_pending_and_open_reports(moderator_client, report):
    admin_index = reverse("admin:index")
    text = soup(moderator_client.get(admin_index)).select_one(".pending-comments").get_text()
    assert "Keine offenen Meldungen von Leserinnen und Lesern." in text
    notice(CommentFactory(report=report))
    notice(CommentFactory(report=report))
    page = soup(moderator_client.get(admin_index))
    link = page.select(".pending-comments a")[-1]
    assert link.get_text() == "2 Kommentare haben offene Meldungen von Leserinnen und Lesern"
    assert link["href"] == changelist() + "?gemeldet=offen"


@pytest.mark.parametrize("status", list(Status))
def test_every_row_links_to_the_comments_page(moderator_client, report, status):
    comment = CommentFactory(report=report, status=status)
    page = soup(moderator_client.get(changelist(), {"status": status}))
    row = page.select_one(f"[data-comment='{comment.pk}']")
    edit = row.select_one("a.row-action-edit")
    assert edit["href"] == reverse("admin:comments_comment_change", args=[comment.pk])
    view = row.select_one("a.row-action-view")
    if status == Status.APPROVED:
        assert view["href"] == comment.get_absolute_url()
    else:
        assert view is None  # readers do not see it: nothing to look at on the site


def test_spam_comment_page_offers_the_ban(moderator_client, report):
    comment = CommentFactory(report=report, status=Status.SPAM)
    page = soup(moderator_client.get(reverse("admin:comments_comment_change", args=[comment.pk])))
    links = [a.get_text() for a in page.select(".object-tools a")]
    assert "Absender sperren" in links


def test_reply_button_says_it_approves_a_pending_comment(moderator_client, report):
    pending = CommentFactory(report=report, status=Status.PENDING)
    approved = CommentFactory(report=report, status=Status.APPROVED)

    def button(comment):
        page = soup(
            moderator_client.get(reverse("admin:comments_comment_reply", args=[comment.pk]))
        )
        return page.select_one(".submit-row input[type=submit]")["value"]

    assert button(pending) == "Freigeben und antworten"
    assert button(approved) == "Antwort veröffentlichen"
    # The row's reply link tells the script which label the in-place box needs.
    page = soup(moderator_client.get(changelist()))
    flags = {
        int(row["data-comment"]): row.select_one(".row-action-reply").has_attr("data-approves")
        for row in page.select(".comment-row")
    }
    assert flags == {pending.pk: True, approved.pk: False}
