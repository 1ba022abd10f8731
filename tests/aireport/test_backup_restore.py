"""Backup and restore: reports, their revisions, comments and users come back unchanged."""

import gzip
import json
import os
import sqlite3
import subprocess
import sys

import pytest
import reversion
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import CommandError, call_command
from django.db import connection
from reversion.models import Version

from aireport.backup import backup_labels
from tests.aireport.conftest import manage, production_env, run_django
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


def recreate_rows_made_by_migrations() -> None:
    """What `migrate` writes into an empty database: the staff groups and the legal pages.

    The groups' permission lists come from their migrations; their functions themselves must
    not run on the live app registry (they switch models modules off to create permissions
    early), and flush has already recreated the permissions."""
    import importlib

    from django.contrib.auth.models import Group, Permission

    from aireport.staff_groups import grant_group_permissions

    for module, name, permissions in [
        ("reports.migrations.0002_editors_group", "Editors", "EDITOR_PERMISSIONS"),
        (
            "reports.migrations.0007_chefredaktion_group",
            "Chefredaktion",
            "CHIEF_EDITOR_PERMISSIONS",
        ),
        (
            "comments.migrations.0010_moderators_desk_permissions",
            "Moderators",
            "MODERATOR_PERMISSIONS",
        ),
    ]:
        listed = getattr(importlib.import_module(module), permissions)
        grant_group_permissions(Group, Permission, name, listed)
    importlib.import_module("legal.migrations.0002_initial_pages").create_pages(apps, None)
    importlib.import_module("legal.migrations.0004_discussion_rules_text").create_page(apps, None)


def fill_in(slug: str, text: str) -> None:
    LegalPage = apps.get_model("legal", "LegalPage")
    page = LegalPage.objects.get(slug=slug)
    page.body = text
    page.save()


def test_restore_into_a_freshly_migrated_database_needs_no_option(
    edited_report_with_comments, legal_pages, tmp_path, client
):
    """The staff groups and legal pages that migrate creates give way to the backup's."""
    recreate_rows_made_by_migrations()  # as on the site that was backed up
    fill_in("impressum", "## Anbieter\n\nErika Mustermann GmbH")
    path = tmp_path / "sicherung.json.gz"
    call_command("backup", str(path), verbosity=0)
    before = everything_backed_up()
    call_command("flush", interactive=False, verbosity=0)
    recreate_rows_made_by_migrations()
    # Other ids for the same pages, as on a database whose sequences ran differently.
    LegalPage = apps.get_model("legal", "LegalPage")
    for page in LegalPage.objects.order_by("-pk"):
        LegalPage.objects.filter(pk=page.pk).update(id=page.pk + 100)

    call_command("restore", str(path), verbosity=0)

    assert everything_backed_up() == before
    assert "Erika Mustermann GmbH" in client.get("/impressum/").content.decode()


def test_a_page_the_backup_lacks_stays_as_the_migration_made_it(seeded_report, tmp_path):
    """A backup from before the Diskussionsregeln existed, restored into today's schema."""
    path = tmp_path / "sicherung.json.gz"
    call_command("backup", str(path), verbosity=0)  # no legal pages in it
    call_command("flush", interactive=False, verbosity=0)
    recreate_rows_made_by_migrations()

    call_command("restore", str(path), verbosity=0)

    slugs = set(apps.get_model("legal", "LegalPage").objects.values_list("slug", flat=True))
    assert slugs == {"impressum", "datenschutz", "diskussionsregeln"}


def test_a_legal_page_the_operator_filled_in_is_data_and_stops_a_restore(
    seeded_report, legal_pages, tmp_path
):
    path = tmp_path / "sicherung.json.gz"
    call_command("backup", str(path), verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    recreate_rows_made_by_migrations()
    fill_in("impressum", "## Anbieter\n\nNeue Angaben, nach der Sicherung eingetragen.")

    with pytest.raises(CommandError, match="enthält schon Daten") as refused:
        call_command("restore", str(path), verbosity=0)

    assert "(legal.LegalPage: 1)" in str(refused.value)
    page = apps.get_model("legal", "LegalPage").objects.get(slug="impressum")
    assert "Neue Angaben" in page.body


@pytest.fixture
def fresh_database(tmp_path):
    """The URL of a database that only `migrate` has written to, in its own process."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'frisch.sqlite3'}"
        return
    params = connection.settings_dict
    name = f"aireport_restore_{os.getpid()}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    credentials = f"{params['USER']}:{params['PASSWORD']}@{params['HOST']}:{params['PORT']}"
    try:
        yield f"postgres://{credentials}/{name}"
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_restore_into_a_database_that_migrate_just_created(
    edited_report_with_comments, legal_pages, fresh_database, tmp_path
):
    """As the documentation says: migrate a new database, then `restore FILE`, no option."""
    fill_in("impressum", "## Anbieter\n\nErika Mustermann GmbH")
    path = tmp_path / "sicherung.json.gz"
    call_command("backup", str(path), verbosity=0)
    env = production_env(DATABASE_URL=fresh_database)
    manage(env, "migrate", "--noinput")

    restored = manage(env, "restore", str(path))
    shown = run_django(
        "from reports.models import Report\n"
        "from comments.models import Comment\n"
        "from legal.models import LegalPage\n"
        "print(Report.objects.get().title, Comment.objects.count(), sep='|')\n"
        "print(LegalPage.objects.get(slug='impressum').body_html)",
        env,
    )

    assert "Sicherung wiederhergestellt" in restored.stdout
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.strip().splitlines()
    assert lines[-3] == f"{edited_report_with_comments.title}|2"
    assert "Erika Mustermann GmbH" in "\n".join(lines[-2:])
    again = subprocess.run(
        [sys.executable, "manage.py", "restore", str(path)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert again.returncode != 0
    assert "enthält schon Daten" in again.stderr
