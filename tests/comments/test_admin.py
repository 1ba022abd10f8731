"""Moderators do all of it in the Django admin."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from comments.models import Comment
from tests.factories import UserFactory, staff_in_group

from .conftest import CommentFactory

pytestmark = pytest.mark.django_db

Status = Comment.Status
CHANGELIST = "admin:comments_comment_changelist"


@pytest.fixture
def moderator(db):
    return staff_in_group("Moderators", username="moderatorin")


@pytest.fixture
def admin_client(client, moderator):
    client.force_login(moderator)
    return client


#: The ground the trash action's intermediate page asks for (DSA Art. 17).
TRASH_GROUND = {"post": "yes", "ground": "rule-5", "note": ""}


def run_action(admin_client, action, comments, follow=True):
    extra = TRASH_GROUND if action == "move_to_trash" else {}
    return admin_client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [c.pk for c in comments], **extra},
        follow=follow,
    )


#: The (empty) readers' reports inline on a comment's page.
INLINE_MANAGEMENT = {
    "notices-TOTAL_FORMS": "0",
    "notices-INITIAL_FORMS": "0",
    "notices-MIN_NUM_FORMS": "0",
    "notices-MAX_NUM_FORMS": "1000",
}


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_list_rows_show_author_block_badge_excerpt_and_date(admin_client, report):
    CommentFactory(
        report=report,
        status=Status.PENDING,
        author_name="Erika",
        author_email="erika@example.org",
        author_url="https://erika.example.org/",
        ip_address="203.0.113.77",
        text="Ein Kommentar, der länger ist als achtzig Zeichen, damit der Auszug gekürzt "
        "werden muss und mit Auslassungszeichen endet.",
    )
    page = BeautifulSoup(admin_client.get(reverse(CHANGELIST)).content, "html.parser")
    headers = [" ".join(th.get_text().split()) for th in page.select("#result_list thead th")]
    # One report only: the report column is left out, as WordPress does.
    assert headers[1:] == ["Autor", "Kommentar", "Meldungen", "Datum"]
    email = page.select_one(".comment-author-email")
    email.string = email.get_text()  # one word, though it may wrap after "@" and "."
    author = " ".join(page.select_one(".comment-author-block").get_text(" ").split())
    assert author == "Erika erika.example.org/ erika@example.org 203.0.113.0"
    badge = page.select_one(".comment-row .comment-status")
    assert badge.get_text() == "Ausstehend" and "comment-status-pending" in badge["class"]
    assert "mit Auslassungszeichen endet." in page.select_one(".comment-excerpt").get_text()


def test_newest_first(admin_client, report):
    older = CommentFactory(report=report)
    newer = CommentFactory(report=report)
    response = admin_client.get(reverse(CHANGELIST))
    ids = [c.pk for c in response.context["cl"].result_list]
    assert ids == [newer.pk, older.pk]


def test_filter_by_status_and_report_and_search(admin_client, report):
    pending = CommentFactory(report=report, status=Status.PENDING, text="Grüne Äpfel")
    CommentFactory(report=report, status=Status.APPROVED, text="Rote Äpfel")
    elsewhere = CommentFactory(status=Status.PENDING, text="Birnen")

    def ids(**params):
        response = admin_client.get(reverse(CHANGELIST), params)
        return {c.pk for c in response.context["cl"].result_list}

    assert ids(status="pending") == {pending.pk, elsewhere.pk}
    assert ids(status="pending", report__id__exact=report.pk) == {pending.pk}
    assert ids(q="Grüne") == {pending.pk}


@pytest.mark.parametrize(
    ("action", "before", "after", "message"),
    [
        ("approve", Status.PENDING, Status.APPROVED, "2 Kommentare freigegeben."),
        (
            "unapprove",
            Status.APPROVED,
            Status.PENDING,
            "2 Kommentare warten wieder auf Freischaltung.",
        ),
        ("mark_spam", Status.PENDING, Status.SPAM, "2 Kommentare als Spam markiert."),
        ("move_to_trash", Status.APPROVED, Status.TRASH, "2 Kommentare in den Papierkorb gelegt."),
        (
            "restore",
            Status.TRASH,
            Status.PENDING,
            "2 Kommentare wiederhergestellt; sie warten auf Freischaltung.",
        ),
        (
            "restore",
            Status.SPAM,
            Status.PENDING,
            "2 Kommentare wiederhergestellt; sie warten auf Freischaltung.",
        ),
    ],
)
def test_bulk_actions_report_what_they_did(admin_client, report, action, before, after, message):
    comments = CommentFactory.create_batch(2, report=report, status=before)
    untouched = CommentFactory(report=report, status=before)
    response = run_action(admin_client, action, comments)
    assert message in messages_of(response)
    assert set(
        Comment.objects.filter(pk__in=[c.pk for c in comments]).values_list("status", flat=True)
    ) == {after}
    untouched.refresh_from_db()
    assert untouched.status == before


def test_singular_message(admin_client, report):
    comment = CommentFactory(report=report, status=Status.PENDING)
    assert "1 Kommentar freigegeben." in messages_of(run_action(admin_client, "approve", [comment]))


def test_restore_leaves_approved_comments_alone(admin_client, report):
    approved = CommentFactory(report=report, status=Status.APPROVED)
    response = run_action(admin_client, "restore", [approved])
    assert "0 Kommentare wiederhergestellt; sie warten auf Freischaltung." in messages_of(response)
    approved.refresh_from_db()
    assert approved.status == Status.APPROVED


def test_delete_for_good_only_from_the_trash(admin_client, report):
    trashed = CommentFactory(report=report, status=Status.TRASH)
    approved = CommentFactory(report=report, status=Status.APPROVED)
    response = run_action(admin_client, "delete_forever", [trashed, approved])
    assert "1 Kommentar endgültig gelöscht." in messages_of(response)
    assert "1 Kommentar ist nicht im Papierkorb und wurde nicht gelöscht." in messages_of(response)
    assert list(Comment.objects.all()) == [approved]


def test_django_bulk_delete_is_not_offered(admin_client, report):
    CommentFactory(report=report)
    page = admin_client.get(reverse(CHANGELIST)).content.decode()
    assert 'value="delete_selected"' not in page
    assert 'value="delete_forever"' in page


def test_delete_page_only_for_trashed_comments(admin_client, report):
    approved = CommentFactory(report=report, status=Status.APPROVED)
    trashed = CommentFactory(report=report, status=Status.TRASH)
    delete_url = "admin:comments_comment_delete"
    assert (
        admin_client.post(reverse(delete_url, args=[approved.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert Comment.objects.filter(pk=approved.pk).exists()
    admin_client.post(reverse(delete_url, args=[trashed.pk]), {"post": "yes"})
    assert not Comment.objects.filter(pk=trashed.pk).exists()


def test_moderator_edits_the_text_and_the_page_shows_it(admin_client, client, report):
    comment = CommentFactory(report=report, text="Tippfehlr", author_email="e@example.org")
    change_url = reverse("admin:comments_comment_change", args=[comment.pk])
    form = admin_client.get(change_url).context["adminform"].form
    data = {
        **form.initial,
        "section": "",  # the whole report (None cannot be posted)
        "text": "Tippfehler korrigiert\n\nmit www.example.org",
        "author_url": "",
        **INLINE_MANAGEMENT,
    }
    response = admin_client.post(change_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    comment.refresh_from_db()
    assert comment.text_html.startswith("<p>Tippfehler korrigiert</p>")
    assert 'rel="nofollow ugc"' in comment.text_html
    assert "Tippfehler korrigiert" in client.get(report.get_absolute_url()).content.decode()


def test_comments_are_not_added_in_the_admin(admin_client):
    assert admin_client.get(reverse("admin:comments_comment_add")).status_code == 403


def test_pending_count_on_the_admin_front_page(admin_client, report):
    CommentFactory.create_batch(3, report=report, status=Status.PENDING)
    CommentFactory(report=report, status=Status.APPROVED)
    page = BeautifulSoup(admin_client.get(reverse("admin:index")).content, "html.parser")
    notice = page.select_one(".pending-comments a")
    assert " ".join(notice.get_text().split()) == "3 Kommentare warten auf Freischaltung"
    assert notice["href"] == reverse(CHANGELIST) + "?status=pending"


def test_front_page_says_when_nothing_waits(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert "Keine Kommentare warten auf Freischaltung." in page


def test_pending_count_hidden_from_staff_without_comment_rights(client, report):
    CommentFactory(report=report, status=Status.PENDING)
    client.force_login(UserFactory(is_staff=True))
    assert "auf Freischaltung" not in client.get(reverse("admin:index")).content.decode()


def test_editing_a_comment_into_a_duplicate_shows_a_message(db):
    """The database would refuse it; the moderator gets the form back with a German message."""
    from django.test import Client
    from django.urls import reverse

    from comments.models import Comment
    from tests.factories import staff_in_group

    from .conftest import CommentFactory

    client = Client()
    client.force_login(staff_in_group("Moderators"))
    first = CommentFactory(author_email="erika@example.org", text="Genau das.")
    second = CommentFactory(
        report=first.report, author_email="erika@example.org", text="Etwas anderes."
    )
    response = client.post(
        reverse("admin:comments_comment_change", args=[second.pk]),
        {
            "status": "approved",
            "author_name": second.author_name,
            "author_email": "ERIKA@example.org",
            "author_url": "",
            "text": "Genau das.",
        },
    )
    assert response.status_code == 200
    assert "Doppelter Kommentar" in response.content.decode()
    assert Comment.objects.get(pk=second.pk).text == "Etwas anderes."
