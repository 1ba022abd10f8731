"""The ban page: the address only by default, the network only when chosen, and how many other
people wrote from that network."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from comments.models import BannedSender, Comment

from .conftest import CommentFactory
from .desk import log_messages

pytestmark = pytest.mark.django_db
Status = Comment.Status


def ban_url(comment):
    return reverse("admin:comments_comment_ban", args=[comment.pk])


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def troll(report):
    return CommentFactory(
        report=report, author_email="troll@example.org", ip_address="203.0.113.50"
    )


def test_page_offers_the_address_by_default_and_the_network_as_a_choice(moderator_client, troll):
    page = soup(moderator_client.get(ban_url(troll)))
    choices = {
        radio["value"]: (
            page.select_one(f"label[for={radio['id']}]").get_text(),
            radio.has_attr("checked"),
        )
        for radio in page.select("input[name=scope]")
    }
    assert choices == {
        "email": ("nur diese E-Mail-Adresse", True),
        "network": ("auch das Netz 203.0.113.0/24", False),
    }


def test_page_counts_other_addresses_from_the_network_in_90_days(moderator_client, troll, report):
    CommentFactory(report=report, author_email="kollegin@example.org", ip_address="203.0.113.7")
    CommentFactory(report=report, author_email="kollegin@example.org", ip_address="203.0.113.9")
    CommentFactory(report=report, author_email="chef@example.org", ip_address="203.0.113.200")
    CommentFactory(report=report, author_email="TROLL@example.org", ip_address="203.0.113.8")
    CommentFactory(report=report, author_email="fern@example.org", ip_address="198.51.100.1")
    old = CommentFactory(report=report, author_email="alt@example.org", ip_address="203.0.113.1")
    Comment.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=91))

    text = soup(moderator_client.get(ban_url(troll))).select_one(".comment-ban-network")
    assert " ".join(text.get_text().split()).startswith(
        "Aus dem Netz 203.0.113.0/24 kamen in den letzten 90 Tagen "
        "3 Kommentare von 2 anderen E-Mail-Adressen."
    )


def test_page_says_when_nobody_else_wrote_from_there(moderator_client, troll):
    text = soup(moderator_client.get(ban_url(troll))).select_one(".comment-ban-network")
    assert "keine Kommentare von anderen E-Mail-Adressen" in text.get_text()


def test_default_ban_is_the_address_only(moderator_client, troll, post_comment):
    response = moderator_client.post(ban_url(troll), {"scope": "email", "reason": ""}, follow=True)
    assert "Neue Kommentare dieser E-Mail-Adresse landen im Spam." in response.content.decode()
    ban = BannedSender.objects.get()
    assert ban.email_hash == BannedSender.email_key("troll@example.org")
    assert ban.network_hash == ""
    assert log_messages(troll)[0] == "Absender gesperrt (E-Mail-Adresse)"

    post_comment(author_email="troll@example.org", ip="198.51.100.9", text="Wieder da.")
    post_comment(author_email="kollege@example.org", ip="203.0.113.99", text="Gleiches Netz.")
    statuses = dict(Comment.objects.values_list("text", "status"))
    assert statuses["Wieder da."] == Status.SPAM
    assert statuses["Gleiches Netz."] == Status.PENDING


def test_network_ban_when_chosen(moderator_client, troll):
    response = moderator_client.post(ban_url(troll), {"scope": "network"}, follow=True)
    assert "aus dem Netz 203.0.113.0/24 landen im Spam" in response.content.decode()
    assert BannedSender.objects.get().network_hash == BannedSender.network_key("203.0.113.50")
    assert log_messages(troll)[0] == "Absender gesperrt (E-Mail-Adresse und IP-Netz)"


def test_without_a_stored_address_only_the_email_can_be_banned(moderator_client, report):
    comment = CommentFactory(report=report, ip_address=None)
    page = soup(moderator_client.get(ban_url(comment)))
    assert [r["value"] for r in page.select("input[name=scope]")] == ["email"]
    response = moderator_client.post(ban_url(comment), {"scope": "network"})
    assert response.status_code == 200
    assert not BannedSender.objects.exists()
    error = soup(response).select_one("#ban-scope-error").get_text()
    assert error.startswith("Bitte eine gültige Auswahl treffen.")


def test_ban_needs_the_ban_permission(client, report, troll):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True))
    assert client.post(ban_url(troll), {"scope": "network"}).status_code == 403
    assert not BannedSender.objects.exists()
