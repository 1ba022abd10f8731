"""Fill the new columns for stored comments.

Comments that are already there twice (a double click before the database refused it) keep
one copy on the page: the approved one if there is one, else the oldest; the other copies go
to the trash, where moderators can still see them."""

from django.db import migrations


def fill(apps, schema_editor):
    from comments.text import duplicate_key, normalise_email

    Comment = apps.get_model("comments", "Comment")
    seen = set()
    comments = Comment.objects.exclude(status="trash").order_by("created_at", "id")
    ordered = sorted(comments, key=lambda c: c.status != "approved")
    for comment in [*ordered, *Comment.objects.filter(status="trash")]:
        comment.author_email_normalised = normalise_email(comment.author_email)
        comment.duplicate_key = duplicate_key(author_email=comment.author_email, text=comment.text)
        fields = ["author_email_normalised", "duplicate_key"]
        if comment.status != "trash" and comment.duplicate_key is not None:
            slot = (comment.report_id, comment.duplicate_key)
            if slot in seen:
                comment.status = "trash"
                fields.append("status")
            seen.add(slot)
        comment.save(update_fields=fields)


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0005_normalised_email_and_duplicate_key"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=True)]
