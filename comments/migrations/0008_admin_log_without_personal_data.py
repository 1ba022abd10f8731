"""The admin's log kept str(comment), that is the author's name and words, for every change.

Comments now describe themselves as "Kommentar #12 zu „Titel“"; this rewrites the log
entries written before."""

from django.db import migrations


def rewrite(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("admin", "LogEntry")
    Comment = apps.get_model("comments", "Comment")
    content_type = ContentType.objects.filter(app_label="comments", model="comment").first()
    if content_type is None:
        return
    titles = dict(Comment.objects.values_list("pk", "report__title"))
    for entry in LogEntry.objects.filter(content_type=content_type):
        title = titles.get(int(entry.object_id)) if entry.object_id.isdigit() else None
        text = f"Kommentar #{entry.object_id}" + (f" zu „{title}“" if title else "")
        entry.object_repr = text[:200]
        entry.save(update_fields=["object_repr"])


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0007_comment_constraints"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(rewrite, migrations.RunPython.noop, elidable=True)]
