"""Every email match ignores case beyond ASCII: `X@BÜCHER.DE` is `x@bücher.de`.

SQLite's own case-insensitive comparison knows ASCII letters only, so the comments keep a
normalised copy of the address (casefolded, NFC) and every lookup goes through it: known
author, duplicates, flood control, export and erasure.
"""

import io
import json

import pytest
from django.core.management import call_command

from comments.models import Comment
from comments.text import normalise_email

from .conftest import CommentFactory, remember_as_own

pytestmark = pytest.mark.django_db

STORED = "x@bücher.de"
TYPED = "X@BÜCHER.DE"


@pytest.mark.parametrize(
    "variant",
    [
        TYPED,
        " X@Bücher.de ",
        "x@bu\u0308cher.de",  # ü as u + combining diaeresis
        "x@xn--bcher-kva.de",  # the same domain in punycode
    ],
)
def test_the_same_address_written_differently_normalises_alike(variant):
    assert normalise_email(variant) == normalise_email(STORED) == "x@bücher.de"


def test_german_sharp_s_is_casefolded():
    assert normalise_email("STRASSE@example.org") == normalise_email("straße@example.org")


def test_export_finds_the_address_in_capitals(report):
    CommentFactory(report=report, author_email=STORED, author_name="Xaver")
    out = io.StringIO()
    call_command("export_personal_data", TYPED, stdout=out)
    (exported,) = json.loads(out.getvalue())["comments"]
    assert (exported["author_name"], exported["author_email"]) == ("Xaver", STORED)


def test_erase_finds_the_address_in_capitals(report):
    comment = CommentFactory(report=report, author_email=STORED, author_name="Xaver")
    out = io.StringIO()
    call_command("erase_personal_data", TYPED, stdout=out)
    assert "1 Kommentar(en)" in out.getvalue()
    comment.refresh_from_db()
    assert (comment.author_name, comment.author_email) == ("Anonym", "")


def test_a_known_author_in_capitals_is_approved_at_once(post_comment, report, client):
    remember_as_own(client, CommentFactory(report=report, author_email=STORED, author_name="Xaver"))
    assert post_comment(author_email=TYPED, author_name="Xaver").status_code == 302
    assert Comment.objects.latest("id").status == Comment.Status.APPROVED


def test_the_same_words_from_the_address_in_capitals_are_a_duplicate(post_comment, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    assert post_comment(author_email=STORED, text="Genau das.").status_code == 302
    assert post_comment(author_email=TYPED, text="Genau das.").status_code == 409


def test_flood_control_knows_the_address_in_capitals(post_comment):
    assert post_comment(ip="198.51.100.1", author_email=STORED).status_code == 302
    response = post_comment(ip="192.0.2.9", author_email=TYPED, text="Gleich noch einer.")
    assert response.status_code == 429


def test_the_stored_address_keeps_what_the_reader_typed(post_comment):
    post_comment(author_email=TYPED)
    comment = Comment.objects.get()
    assert (comment.author_email, comment.author_email_normalised) == (TYPED, STORED)


def test_the_admin_search_finds_the_address_in_capitals(report):
    from django.test import Client
    from django.urls import reverse

    from tests.factories import staff_in_group

    client = Client()
    client.force_login(staff_in_group("Moderators"))
    CommentFactory(report=report, author_email=STORED, text="Von Xaver.")
    CommentFactory(report=report, author_email="max@example.org", text="Von Max.")
    response = client.get(reverse("admin:comments_comment_changelist"), {"q": TYPED})
    page = response.content.decode()
    assert "Von Xaver." in page and "Von Max." not in page


def test_subscriptions_reader_reports_and_bans_match_beyond_ascii_too(report):
    """Export, erasure and the ban list find what was stored under another spelling."""
    from comments.models import BannedSender, Notice, Subscription

    comment = CommentFactory(report=report, author_email="andere@example.org")
    Subscription.objects.create(email=STORED, report=report)
    Notice.objects.create(
        comment=comment, reason=Notice.Reason.SPAM, explanation="Werbung.", reporter_email=STORED
    )
    BannedSender.objects.ban(email=STORED, reason="Werbung")

    assert BannedSender.is_banned(email=TYPED, ip_address=None)
    exported = io.StringIO()
    call_command("export_personal_data", TYPED, stdout=exported)
    assert exported.getvalue().count(STORED) >= 2  # the subscription and the report

    call_command("erase_personal_data", TYPED, stdout=io.StringIO())
    assert not Subscription.objects.exists()
    assert Notice.objects.get().reporter_email == ""
