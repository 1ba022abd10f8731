"""“Meine Kommentare” without an account (comments/own_page.py): from the browser's own
cookie, or from a signed link mailed to the address."""

import json
import re
import time
from unittest import mock

import pytest
from django.core import mail, signing
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from comments import email_links, readers
from comments.actions import change_status
from comments.audit import Via
from comments.grounds import Ground
from comments.models import Comment, Subscription
from comments.privacy import erase_personal_data
from tests.clients import BrowserClient

from .conftest import CommentFactory

pytestmark = pytest.mark.django_db
Status = Comment.Status
MINE = "/kommentare/meine/"


@pytest.fixture
def client():
    return BrowserClient()


@pytest.fixture
def erika(report):
    """Erika's comments: one waiting, one approved with a reply, one removed."""
    waiting = CommentFactory(
        report=report, status=Status.PENDING, author_email="erika@example.org", text="Wartet."
    )
    approved = CommentFactory(report=report, author_email="Erika@Example.org", text="Steht.")
    removed = CommentFactory(
        report=report, status=Status.TRASH, author_email="erika@example.org", text="Weg."
    )
    CommentFactory(
        report=report,
        parent=approved,
        author_name="Max Antwort",
        author_email="max@example.org",
        text="Meine Antwort.",
    )
    return {"waiting": waiting, "approved": approved, "removed": removed}


def with_own_cookie(client, comments):
    """The cookie the browser got when it sent these comments (readers.remember_own_comment)."""
    response = HttpResponse()
    for comment in comments:
        request = RequestFactory().get("/")
        request.COOKIES = {k: m.value for k, m in response.cookies.items()}
        readers.remember_own_comment(request, response, comment)
    client.cookies.update(response.cookies)


def mailed_link() -> str:
    return re.search(r"http://testserver(/kommentare/meine/\S+/)", mail.outbox[-1].body)[1]


def assert_private(response):
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in response.content.decode()


def test_cookie_page_lists_own_comments_with_status_and_replies(client, erika):
    with_own_cookie(client, [erika["waiting"], erika["approved"], erika["removed"]])
    response = client.get(MINE)
    assert response.status_code == 200
    assert_private(response)
    page = response.content.decode()
    for word, text in (("wartet", "Wartet."), ("freigegeben", "Steht."), ("entfernt", "Weg.")):
        assert re.search(rf">{word}</span>.*?{re.escape(text)}", page, re.DOTALL)
    assert "Eine Antwort" in page and "Max Antwort" in page
    # The reply's public name only: never its address or its text.
    assert "max@example.org" not in page and "Meine Antwort." not in page
    assert reverse("comments:permalink", args=[erika["approved"].pk]) in page


def test_a_removed_comment_shows_the_ground_the_moderators_gave(client, erika, moderator):
    """The ground of the statement of reasons (DSA Art. 17) that went with the removal."""
    published = erika["approved"]
    change_status(
        Comment.objects.filter(pk=published.pk),
        Status.TRASH,
        user=moderator,
        via=Via.ROW,
        ground=Ground("rule-2"),
    )
    with_own_cookie(client, [published, erika["removed"]])
    page = client.get(MINE).content.decode()

    assert page.count("Begründung: ") == 1
    assert f"Begründung: {Ground('rule-2').text}" in page


def test_cookie_page_shows_only_the_cookies_comments(client, erika, report):
    CommentFactory(report=report, author_email="erika@example.org", text="Anderer Browser.")
    with_own_cookie(client, [erika["waiting"]])
    page = client.get(MINE).content.decode()
    assert "Wartet." in page and "Anderer Browser." not in page and "Steht." not in page


def test_a_forged_cookie_shows_nothing(client, erika):
    client.cookies["comments_own"] = f"[{erika['approved'].pk}]:forged"
    page = client.get(MINE).content.decode()
    assert "Steht." not in page
    assert "noch keine Kommentare" in page


def test_link_is_mailed_for_an_address_with_comments(client, erika):
    response = client.post(MINE, {"email": " ERIKA@example.org "})
    assert response.status_code == 303
    assert mail.outbox[-1].to == ["erika@example.org"]
    assert "gilt 7 Tage" in mail.outbox[-1].body
    page = client.get(response["Location"]).content.decode()
    assert "Wenn es zu dieser Adresse Kommentare gibt, haben wir dir gerade einen Link" in page


def test_same_answer_and_no_mail_for_an_unknown_address(client, erika):
    known = client.post(MINE, {"email": "erika@example.org"})
    unknown = client.post(MINE, {"email": "niemand@example.org"}, REMOTE_ADDR="10.0.0.9")
    assert len(mail.outbox) == 1
    assert known.status_code == unknown.status_code == 303
    assert known["Location"] == unknown["Location"]


def test_confirmation_mail_limit_applies(client, erika, settings):
    client.post(MINE, {"email": "erika@example.org"})
    client.post(MINE, {"email": "erika@example.org"}, REMOTE_ADDR="10.0.0.9")
    assert len(mail.outbox) == 1


def test_invalid_address_keeps_what_was_typed(client):
    response = client.post(MINE, {"email": "erika@"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Bitte gib eine gültige E-Mail-Adresse ein." in page and 'value="erika@"' in page


def test_signed_link_opens_every_comment_of_the_address(client, erika):
    client.post(MINE, {"email": "erika@example.org"})
    response = BrowserClient().get(mailed_link())
    assert response.status_code == 200
    assert_private(response)
    page = response.content.decode()
    assert all(text in page for text in ("Wartet.", "Steht.", "Weg."))
    assert "Auskunft verlangen" in page


def test_expired_link_is_refused(client, erika):
    url = email_links.own_page_url(erika["approved"])
    later = time.time() + 8 * 24 * 60 * 60
    with mock.patch("django.core.signing.time.time", return_value=later):
        response = client.get(url.removeprefix("http://testserver"))
    assert response.status_code == 400
    assert "Dieser Link gilt nicht mehr" in response.content.decode()
    assert "Steht." not in response.content.decode()


def test_tampered_link_is_refused(client, erika):
    reply = Comment.objects.get(author_email="max@example.org")
    url = email_links.own_page_url(reply).removeprefix("http://testserver")
    token = url.split("/")[-2]
    payload, _, signature = token.partition(":")
    data = json.loads(signing.b64_decode(payload.encode()))
    data["c"] = erika["approved"].pk  # Max's link, pointed at Erika's comment
    forged = signing.b64_encode(json.dumps(data).encode()).decode() + ":" + signature
    response = client.get(reverse("comments:mine_link", args=[forged]))
    assert response.status_code == 400
    assert "Steht." not in response.content.decode()


def test_link_holds_no_address_and_dies_with_the_erasure(client, erika):
    url = email_links.own_page_url(erika["approved"])
    payload = url.split("/")[-2].partition(":")[0]
    assert b"erika" not in signing.b64_decode(payload.encode()).lower()
    erase_personal_data(Comment.objects.by_author_email("erika@example.org"))
    assert client.get(url.removeprefix("http://testserver")).status_code == 400


def test_subscribe_from_the_link_is_confirmed_at_once(client, erika):
    url = email_links.own_page_url(erika["approved"]).removeprefix("http://testserver")
    response = client.post(url, {"action": "subscribe", "comment": erika["approved"].pk})
    assert response.status_code == 303
    subscription = Subscription.objects.get(comment=erika["approved"])
    assert subscription.is_confirmed and subscription.email_normalised == "erika@example.org"
    assert not mail.outbox
    page = client.get(response["Location"]).content.decode()
    assert "Du bekommst jetzt eine E-Mail" in page
    client.post(url, {"action": "stop", "comment": erika["approved"].pk})
    assert not Subscription.objects.exists()


def test_subscribe_from_the_cookie_asks_for_confirmation(client, erika):
    with_own_cookie(client, [erika["approved"]])
    client.post(MINE, {"action": "subscribe", "comment": erika["approved"].pk})
    subscription = Subscription.objects.get(comment=erika["approved"])
    assert not subscription.is_confirmed
    assert "bestätige" in mail.outbox[-1].body


def test_no_action_on_someone_elses_comment(client, erika, report):
    other = CommentFactory(report=report, author_email="max@example.org")
    with_own_cookie(client, [erika["approved"]])
    response = client.post(MINE, {"action": "subscribe", "comment": other.pk})
    assert "unavailable" in response["Location"]
    url = email_links.own_page_url(erika["approved"]).removeprefix("http://testserver")
    client.post(url, {"action": "subscribe", "comment": other.pk})
    assert not Subscription.objects.exists()


def test_privacy_request_reaches_the_operator(client, erika, settings):
    settings.SITE_CONTACT_EMAIL = "datenschutz@example.org"
    url = email_links.own_page_url(erika["approved"]).removeprefix("http://testserver")
    client.post(url, {"action": "erase"})
    message = mail.outbox[-1]
    assert message.to == ["datenschutz@example.org"]
    assert message.subject == "Datenschutz-Anfrage: Löschung zu 3 Kommentaren"
    assert "manage.py erase_personal_data erika@example.org" in message.body
    assert message.extra_headers["Reply-To"] == "erika@example.org"


def test_no_privacy_request_from_the_cookie_alone(client, erika, settings):
    settings.SITE_CONTACT_EMAIL = "datenschutz@example.org"
    with_own_cookie(client, [erika["approved"]])
    client.post(MINE, {"action": "export"})
    assert not mail.outbox


def test_comment_form_links_the_page(client, report):
    page = client.get(report.get_absolute_url()).content.decode()
    assert f'<a href="{MINE}">Meine Kommentare</a>' in page


def test_a_ground_taken_back_with_its_removal_is_not_shown(client, erika, moderator):
    """Trashed with a ground and undone at once: that statement is withdrawn. When the comment
    later ends in the trash another way (via spam, which needs no ground), the page does not
    give the withdrawn ground as the reason."""
    published = erika["approved"]
    one = Comment.objects.filter(pk=published.pk)
    change_status(one, Status.TRASH, user=moderator, via=Via.ROW, ground=Ground("rule-2"))
    change_status(one, Status.APPROVED, user=moderator, via=Via.UNDO)
    change_status(one, Status.SPAM, user=moderator, via=Via.ROW)
    change_status(one, Status.TRASH, user=moderator, via=Via.ROW)
    with_own_cookie(client, [published])
    page = client.get(MINE).content.decode()

    assert "entfernt" in page
    assert "Begründung: " not in page
