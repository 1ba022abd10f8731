"""Backup and restore: reports, their revisions, comments and users come back unchanged."""

import gzip
import json
import sqlite3

import pytest
import reversion
from django.apps import apps
from django.core import serializers
from django.core.management import CommandError, call_command
from django.db import connection
from reversion.models import Version

from aireport.backup import backup_labels
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def everything_backed_up() -> list[dict]:
    """All rows a backup promises to keep, serialized without database ids of users/groups."""
    models = []
    for label in backup_labels():
        if "." in label:
            models.append(apps.get_model(label))
        else:
            models.extend(apps.get_app_config(label).get_models())
    rows = []
    for model in models:
        rows += json.loads(
            serializers.serialize(
                "json-exact",
                model._default_manager.order_by("pk"),
                use_natural_foreign_keys=True,
                use_natural_primary_keys=True,
            )
        )
    return sorted(rows, key=lambda row: json.dumps(row, sort_keys=True))


@pytest.fixture
def edited_report_with_comments(seeded_report):
    """The seed report, edited once by an editor (a second revision), with a short discussion."""
    report = seeded_report
    editor = UserFactory(username="redakteurin", is_staff=True)
    section = report.sections.all()[1]
    with reversion.create_revision():
        section.body += "\n\nEin nachgetragener Absatz – mit „Umlauten“ und Emoji 🙂."
        section.save()
        report.save()
        reversion.set_user(editor)
        reversion.set_comment("Absatz ergänzt")
    report.record_content_change()

    Comment = apps.get_model("comments", "Comment")
    question = Comment(
        report=report,
        author_name="Leserin",
        author_email="leserin@example.org",
        text="Gute Übersicht. Woher stammen die Zahlen?",
        status=Comment.Status.APPROVED,
    )
    question.save()
    Comment(
        report=report,
        parent=question,
        author_name="Redaktion",
        text="Aus den verlinkten Quellen im Abschnitt.",
        status=Comment.Status.PENDING,
    ).save()
    return report


def test_backup_flush_restore_brings_back_exactly_the_same_data(
    edited_report_with_comments, tmp_path
):
    assert Version.objects.get_for_object(edited_report_with_comments).count() == 2
    before = everything_backed_up()
    path = tmp_path / "sicherung.json.gz"

    call_command("backup", str(path), verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    assert everything_backed_up() != before
    call_command("restore", str(path), verbosity=0)

    assert everything_backed_up() == before
    models_in_backup = {row["model"] for row in json.loads(gzip.decompress(path.read_bytes()))}
    assert {"reports.report", "reports.section", "comments.comment"} <= models_in_backup
    assert {"reversion.revision", "reversion.version", "auth.user"} <= models_in_backup


def test_the_restored_site_shows_the_edited_report_and_its_history(
    edited_report_with_comments, tmp_path, client
):
    path = tmp_path / "sicherung.json.gz"
    call_command("backup", str(path), verbosity=0)

    call_command("restore", str(path), flush=True, verbosity=0)

    response = client.get(edited_report_with_comments.get_absolute_url())
    assert response.status_code == 200
    assert "Ein nachgetragener Absatz – mit „Umlauten“ und Emoji 🙂." in response.content.decode()
    comments = [
        v.revision.get_comment()
        for v in Version.objects.get_for_object(edited_report_with_comments)
    ]
    assert "Absatz ergänzt" in comments


def test_restore_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Keine Sicherung"):
        call_command("restore", str(tmp_path / "fehlt.json.gz"))


def test_sqlite_gets_a_consistent_file_copy_other_databases_a_clear_refusal(
    seeded_report, tmp_path
):
    path = tmp_path / "kopie.sqlite3"

    if connection.vendor != "sqlite":
        with pytest.raises(CommandError, match="nur mit SQLite"):
            call_command("backup", str(path), sqlite_copy=True)
        return
    call_command("backup", str(path), sqlite_copy=True, verbosity=0)

    with sqlite3.connect(path) as copy:
        titles = copy.execute("SELECT title FROM reports_report").fetchall()
        integrity = copy.execute("PRAGMA integrity_check").fetchone()
    assert titles == [(seeded_report.title,)]
    assert integrity == ("ok",)


def test_restore_into_a_database_with_data_is_refused_and_changes_nothing(
    edited_report_with_comments, tmp_path
):
    path = tmp_path / "sicherung.json.gz"
    call_command("backup", str(path), verbosity=0)
    Comment = apps.get_model("comments", "Comment")
    question = Comment.objects.order_by("pk").first()
    Comment.objects.filter(pk=question.pk).update(text="Nach der Sicherung geändert.")
    before = everything_backed_up()

    with pytest.raises(CommandError, match="enthält schon Daten") as refused:
        call_command("restore", str(path), verbosity=0)

    assert "comments.Comment: 2" in str(refused.value)
    assert "--flush" in str(refused.value) and "--merge" in str(refused.value)
    assert everything_backed_up() == before


def test_restore_with_merge_writes_the_backup_over_existing_rows(
    edited_report_with_comments, tmp_path
):
    path = tmp_path / "sicherung.json.gz"
    call_command("backup", str(path), verbosity=0)
    Comment = apps.get_model("comments", "Comment")
    question = Comment.objects.order_by("pk").first()
    Comment.objects.filter(pk=question.pk).update(text="Nach der Sicherung geändert.")
    newer = Comment.objects.create(
        report=edited_report_with_comments,
        author_name="Spätere Leserin",
        text="Nach der Sicherung geschrieben.",
        status=Comment.Status.APPROVED,
    )

    call_command("restore", str(path), merge=True, verbosity=0)

    question.refresh_from_db()
    assert question.text == "Gute Übersicht. Woher stammen die Zahlen?"
    assert Comment.objects.filter(pk=newer.pk).exists()


def test_restore_into_a_freshly_migrated_database_needs_no_option(
    edited_report_with_comments, tmp_path
):
    """The staff groups are there, which migrate itself creates; they are no data."""
    path = tmp_path / "sicherung.json.gz"
    call_command("backup", str(path), verbosity=0)
    before = everything_backed_up()
    call_command("flush", interactive=False, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Group.objects.bulk_create([Group(name="Editors"), Group(name="Moderators")])

    call_command("restore", str(path), verbosity=0)

    def without_groups(rows):
        return [row for row in rows if row["model"] != "auth.group"]

    assert without_groups(everything_backed_up()) == without_groups(before)
