"""Privacy commands: purge old metadata, export and erase the data of one reader."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from comments.models import Comment

from .conftest import CommentFactory

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def test_purge_clears_ip_and_user_agent_after_the_retention_period(capsys, settings):
    settings.COMMENTS_IP_RETENTION_DAYS = 7
    old = CommentFactory(created_at=days_ago(8), ip_address="203.0.113.5", user_agent="Firefox")
    fresh = CommentFactory(created_at=days_ago(6), ip_address="203.0.113.6", user_agent="Chrome")
    call_command("purge_comment_metadata")
    assert "1 Kommentar(en)" in capsys.readouterr().out
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.ip_address, old.user_agent) == (None, "")
    assert (fresh.ip_address, fresh.user_agent) == ("203.0.113.0", "Chrome")
    assert old.text and old.author_name  # only the metadata goes


def test_purge_days_can_be_given(capsys):
    comment = CommentFactory(created_at=days_ago(2), ip_address="203.0.113.5", user_agent="x")
    call_command("purge_comment_metadata", "--days", "1")
    comment.refresh_from_db()
    assert comment.ip_address is None


def test_export_lists_every_comment_of_the_address_as_json(capsys):
    mine = CommentFactory(
        author_email="Erika@Example.org",
        author_name="Erika",
        ip_address="203.0.113.9",
        user_agent="Firefox",
        status=Comment.Status.PENDING,
    )
    CommentFactory(author_email="max@example.org")
    call_command("export_personal_data", "erika@example.org")
    data = json.loads(capsys.readouterr().out)
    assert data["email"] == "erika@example.org"
    (exported,) = data["comments"]
    assert exported["id"] == mine.pk
    assert exported["author_name"] == "Erika"
    assert exported["author_email"] == "Erika@Example.org"
    assert exported["ip_address"] == "203.0.113.0"
    assert exported["user_agent"] == "Firefox"
    assert exported["text"] == mine.text
    assert exported["status"] == "pending"
    assert exported["url"].endswith(f"#c{mine.pk}")


def test_erase_keeps_the_text_and_forgets_the_person(capsys, client):
    mine = CommentFactory(
        author_email="erika@example.org",
        author_name="Erika",
        author_url="https://erika.example.org",
        ip_address="203.0.113.9",
        user_agent="Firefox",
        text="Mein Gedanke bleibt.",
    )
    other = CommentFactory(author_email="max@example.org", author_name="Max")
    call_command("erase_personal_data", "ERIKA@example.org")
    assert "1 Kommentar(en)" in capsys.readouterr().out
    mine.refresh_from_db()
    assert mine.author_name == "Anonym"
    assert (mine.author_email, mine.author_url, mine.ip_address, mine.user_agent) == (
        "",
        "",
        None,
        "",
    )
    assert mine.text == "Mein Gedanke bleibt."
    other.refresh_from_db()
    assert other.author_name == "Max"
    page = client.get(mine.report.get_absolute_url()).content.decode()
    assert "Mein Gedanke bleibt." in page and "Erika" not in page
