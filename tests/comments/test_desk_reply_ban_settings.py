"""Reply from the desk, the ban list, and the "Diskussion" settings."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from comments.models import BannedSender, Comment, DiscussionSettings
from tests.factories import UserFactory

from .conftest import CommentFactory
from .desk import log_messages

pytestmark = pytest.mark.django_db
Status = Comment.Status


def reply(client, comment, text="Danke für den Hinweis!", **headers):
    return client.post(
        reverse("admin:comments_comment_reply", args=[comment.pk]), {"text": text}, **headers
    )


def test_moderator_reply_is_published_threaded_with_badge(
    client, moderator_client, moderator, report
):
    parent = CommentFactory(report=report, author_name="Leserin")
    response = reply(moderator_client, parent)
    assert response.status_code == 302
    answer = Comment.objects.get(parent=parent)
    assert answer.status == Status.APPROVED and answer.moderator == moderator
    assert answer.author_name == "Mara Moder"

    page = BeautifulSoup(client.get(report.get_absolute_url()).content, "html.parser")
    item = page.select_one(f"#c{parent.pk} ol.children #c{answer.pk}")
    assert item is not None
    assert item.select_one(".comment-badge-staff").get_text() == "Redaktion"
    assert "Danke für den Hinweis!" in item.get_text()
    assert log_messages(answer) == [
        f"Antwort der Redaktion auf Kommentar #{parent.pk} veröffentlicht"
    ]


def test_reply_to_pending_approves_it_first_and_says_so(moderator_client, report):
    parent = CommentFactory(report=report, status=Status.PENDING)
    response = reply(moderator_client, parent, follow=True)
    assert "Der Kommentar wurde freigegeben und Ihre Antwort veröffentlicht." in [
        str(m) for m in response.context["messages"]
    ]
    parent.refresh_from_db()
    assert parent.status == Status.APPROVED
    assert log_messages(parent)[0] == "Status: Ausstehend → Freigegeben (Antwort der Redaktion)"


def test_reply_page_without_javascript_and_empty_text(moderator_client, report):
    parent = CommentFactory(report=report, status=Status.PENDING)
    page = moderator_client.get(reverse("admin:comments_comment_reply", args=[parent.pk]))
    assert "Mit Ihrer Antwort wird er zuerst freigegeben." in page.content.decode()
    response = reply(moderator_client, parent, text="  ")
    assert response.status_code == 200
    assert "Bitte geben Sie Ihren Antworttext ein." in response.content.decode()
    assert Comment.objects.count() == 1


def test_reply_at_the_deepest_level_stays_in_that_thread(moderator_client, settings, report):
    settings.COMMENTS_MAX_DEPTH = 2
    top = CommentFactory(report=report)
    deepest = CommentFactory(report=report, parent=top)
    reply(moderator_client, deepest)
    answer = Comment.objects.get(moderator__isnull=False)
    assert answer.parent == top and answer.depth == 2


def test_reply_moves_the_discussion_stamp(moderator_client, report):
    parent = CommentFactory(report=report)
    report.refresh_from_db()
    before = report.discussion_changed_at
    reply(moderator_client, parent)
    report.refresh_from_db()
    assert report.discussion_changed_at != before


def test_ban_sends_new_comments_from_that_sender_to_spam(moderator_client, post_comment, report):
    bad = CommentFactory(report=report, author_email="troll@example.org", ip_address="203.0.113.50")
    url = reverse("admin:comments_comment_ban", args=[bad.pk])
    assert "Absender sperren" in moderator_client.get(url).content.decode()
    moderator_client.post(url, {"scope": "network", "reason": "Beleidigungen"})
    ban = BannedSender.objects.get()
    # Only keyed hashes of the address and the network are kept.
    assert (ban.email_hash, ban.network_hash, ban.reason) == (
        BannedSender.email_key("troll@example.org"),
        BannedSender.network_key("203.0.113.1"),
        "Beleidigungen",
    )
    assert "troll" not in ban.email_hash and "203.0" not in ban.network_hash
    bad.refresh_from_db()
    assert bad.status == Status.SPAM

    post_comment(author_email="TROLL@example.org", ip="198.51.100.9", text="Wieder da.")
    post_comment(author_email="neu@example.org", ip="203.0.113.99", text="Anderes Gerät.")
    post_comment(author_email="harmlos@example.org", ip="192.0.2.1", text="Ganz normal.")
    statuses = dict(Comment.objects.values_list("text", "status"))
    assert statuses["Wieder da."] == Status.SPAM
    assert statuses["Anderes Gerät."] == Status.SPAM
    assert statuses["Ganz normal."] == Status.PENDING


def test_ban_list_is_searchable_and_removable(moderator_client, moderator):
    kept = BannedSender(reason="Werbung", created_by=moderator)
    kept.set_sender(email="a@example.org")
    kept.save()
    gone = BannedSender(reason="Flut")
    gone.set_sender(ip_address="192.0.2.0")
    gone.save()
    listing = reverse("admin:comments_bannedsender_changelist")
    found = moderator_client.get(listing, {"q": "Werbung"}).context["cl"].result_list
    assert list(found) == [kept]
    # An address typed into the search finds its ban through the same hash.
    found = moderator_client.get(listing, {"q": "A@example.org"}).context["cl"].result_list
    assert list(found) == [kept]
    found = moderator_client.get(listing, {"q": "192.0.2.77"}).context["cl"].result_list
    assert list(found) == [gone]
    moderator_client.post(
        reverse("admin:comments_bannedsender_delete", args=[gone.pk]), {"post": "yes"}
    )
    assert list(BannedSender.objects.all()) == [kept]


def test_moderators_cannot_open_the_discussion_settings(moderator_client):
    url = reverse("admin:comments_discussionsettings_changelist")
    assert moderator_client.get(url).status_code == 403


def test_settings_from_the_admin_apply_without_a_restart(client, post_comment, settings, report):
    settings.COMMENTS_MODERATION_WORDS = []
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    start = client.get(reverse("admin:comments_discussionsettings_changelist"))
    change_url = reverse("admin:comments_discussionsettings_change", args=[1])
    assert start["Location"] == change_url
    form = client.get(change_url).context["adminform"].form
    assert form.initial["max_links"] == settings.COMMENTS_MAX_LINKS  # from the environment
    client.post(
        change_url,
        {
            **form.initial,
            "moderation_words": "Kryptowährung\nWunderpille",
            "blocklist_words": "Casino",
            "auto_approve_known_authors": "",
        },
    )
    assert DiscussionSettings.objects.get().blocklist_words == "Casino"
    client.logout()
    post_comment(text="Kauft Kryptowährung!", ip="192.0.2.10", author_email="a@example.org")
    post_comment(text="Bestes Casino", ip="192.0.2.11", author_email="b@example.org")
    statuses = dict(Comment.objects.values_list("text", "status"))
    assert statuses == {"Kauft Kryptowährung!": Status.PENDING, "Bestes Casino": Status.SPAM}

    record = DiscussionSettings.objects.get()
    record.blocklist_words = ""
    record.save()  # as another server would: the shared cache entry is dropped
    post_comment(text="Wieder Casino", ip="192.0.2.12", author_email="c@example.org")
    assert Comment.objects.get(text="Wieder Casino").status == Status.PENDING


def test_comments_per_page_from_the_admin_pages_the_discussion_at_once(report):
    from tests.clients import BrowserClient

    for number in range(3):
        CommentFactory(report=report, text=f"Kommentar Nummer {number}.")
    assert "Kommentar Nummer 2." in BrowserClient().get(report.get_absolute_url()).content.decode()

    record = DiscussionSettings.from_environment()
    record.comments_per_page = 2
    record.save()
    first = BrowserClient().get(report.get_absolute_url()).content.decode()
    assert "Kommentar Nummer 1." in first and "Kommentar Nummer 2." not in first
    assert "Neuere Kommentare" in first or "Ältere Kommentare" in first
