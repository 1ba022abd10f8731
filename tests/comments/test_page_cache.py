"""Anonymous readers get a cached article page; every change to the discussion shows at once."""

import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments.models import Comment
from tests.clients import CommittingClient
from tests.factories import staff_in_group

from .conftest import CommentFactory, remember_as_own

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator_client(db):
    client = CommittingClient()
    client.force_login(staff_in_group("Moderators"))
    return client


def anonymous_page(report):
    return Client().get(report.get_absolute_url()).content.decode()


def test_approving_in_the_admin_shows_the_comment_to_everyone(moderator_client, report):
    comment = CommentFactory(report=report, status=Comment.Status.PENDING, text="Bald sichtbar.")
    assert "Bald sichtbar." not in anonymous_page(report)  # now cached without it
    moderator_client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "approve", "_selected_action": [comment.pk]},
    )
    assert "Bald sichtbar." in anonymous_page(report)


def test_trashing_in_the_admin_hides_it_from_everyone(moderator_client, report):
    comment = CommentFactory(report=report, text="Gleich weg.")
    assert "Gleich weg." in anonymous_page(report)
    moderator_client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "move_to_trash", "_selected_action": [comment.pk], "post": "yes"}
        | {"ground": "rule-5"},
    )
    assert "Gleich weg." not in anonymous_page(report)


def test_auto_approved_comment_shows_to_others_at_once(post_comment, report, client):
    known = CommentFactory(
        report=report, author_name="Erika Mustermann", author_email="erika@example.org"
    )
    remember_as_own(client, known)
    anonymous_page(report)
    post_comment(text="Sofort freigegeben.")
    assert "Sofort freigegeben." in anonymous_page(report)


def test_erasing_personal_data_updates_the_page(report):
    from django.core.management import call_command

    CommentFactory(report=report, author_name="Erika Sichtbar", author_email="erika@example.org")
    assert "Erika Sichtbar" in anonymous_page(report)
    call_command("erase_personal_data", "erika@example.org", stdout=io.StringIO())
    assert "Erika Sichtbar" not in anonymous_page(report)


def test_a_pending_comment_leaves_the_cached_page_alone(post_comment, report):
    """Only its author sees a pending comment; everyone else keeps getting the cached page."""
    anonymous_page(report)
    post_comment(text="Wartet noch.")
    assert Comment.objects.get().status == Comment.Status.PENDING
    with CaptureQueriesContext(connection) as queries:
        page = anonymous_page(report)
    assert len(queries) == 1
    assert "Wartet noch." not in page


def test_unapproving_hides_the_comment_from_everyone(moderator_client, report):
    comment = CommentFactory(report=report, text="Doch nicht.")
    assert "Doch nicht." in anonymous_page(report)
    moderator_client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "unapprove", "_selected_action": [comment.pk]},
    )
    assert "Doch nicht." not in anonymous_page(report)
