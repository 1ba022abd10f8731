"""The data migrations for stored comments: normalised emails, duplicate keys, the admin log."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from comments.models import BannedSender

BEFORE = [("comments", "0005_normalised_email_and_duplicate_key")]
AFTER = [("comments", "0008_admin_log_without_personal_data")]


def migrate(comments_targets):
    """Every other app at its newest migration, the comments app at the given one."""
    executor = MigrationExecutor(connection)
    others = [key for key in executor.loader.graph.leaf_nodes() if key[0] != "comments"]
    targets = [*others, *comments_targets]
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def back_to_the_newest_migrations():
    """The tests after these need every migration, the later ones of the comments app too."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_stored_comments_get_their_keys_and_old_double_posts_go_to_the_trash():
    apps = migrate(BEFORE)
    Report = apps.get_model("reports", "Report")
    Comment = apps.get_model("comments", "Comment")
    ContentType = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("admin", "LogEntry")
    User = apps.get_model("auth", "User")
    report = Report.objects.create(title="AI Safety", slug="ai-safety", status="published")

    def comment(**fields):
        defaults = {"report": report, "author_name": "Xaver", "author_email": "X@BÜCHER.DE"}
        return Comment.objects.create(**{**defaults, **fields})

    pending_twin = comment(text="Zweimal geklickt.", status="pending")
    approved_twin = comment(text="Zweimal geklickt.", status="approved")
    single = comment(text="Einmal.", status="approved")
    erased = comment(text="Einmal.", author_name="Anonym", author_email="", status="approved")
    content_type, _ = ContentType.objects.get_or_create(app_label="comments", model="comment")
    moderator = User.objects.create(username="moderatorin")
    entry = LogEntry.objects.create(
        user=moderator,
        content_type=content_type,
        object_id=str(single.pk),
        object_repr="Xaver: Einmal.",
        action_flag=2,
        change_message="[]",
    )

    apps = migrate(AFTER)
    Comment = apps.get_model("comments", "Comment")
    LogEntry = apps.get_model("admin", "LogEntry")
    rows = {c.pk: c for c in Comment.objects.all()}
    assert rows[approved_twin.pk].status == "approved"
    assert rows[pending_twin.pk].status == "trash"
    assert rows[single.pk].author_email_normalised == "x@bücher.de"
    assert rows[single.pk].duplicate_key
    assert rows[erased.pk].duplicate_key is None
    assert LogEntry.objects.get(pk=entry.pk).object_repr == (
        f"Kommentar #{single.pk} zu „AI Safety“"
    )


@pytest.mark.django_db(transaction=True)
def test_existing_bans_keep_working_as_keyed_hashes_without_the_addresses():
    apps = migrate([("comments", "0017_notice_reporter_network")])
    OldBan = apps.get_model("comments", "BannedSender")
    by_email = OldBan.objects.create(email="troll@bücher.de", reason="Werbung")
    by_network = OldBan.objects.create(ip_address="203.0.113.0", reason="Flut")
    migrate([("comments", "0018_ban_hashes")])
    columns = [
        c.name
        for c in connection.introspection.get_table_description(
            connection.cursor(), "comments_bannedsender"
        )
    ]
    assert "email" not in columns and "ip_address" not in columns
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert BannedSender.is_banned(email="TROLL@BÜCHER.DE", ip_address=None)
    assert BannedSender.is_banned(email="", ip_address="203.0.113.77")
    assert not BannedSender.is_banned(email="nett@example.org", ip_address="192.0.2.1")
    assert {ban.pk for ban in BannedSender.objects.all()} == {by_email.pk, by_network.pk}
