"""Render again the stored comments that hold quoted lines ("> …"), which are shown as a
<blockquote> from now on. Only those rows change; every other comment keeps its stored HTML.

Cached pages are not touched here: the page cache keys every page with the release
(settings.RELEASE), so the deploy that brings this migration serves freshly rendered pages."""

from django.db import migrations
from django.db.models import Q


def render_quotes(apps, schema_editor):
    from aireport.sanitizer import render_comment_text

    Comment = apps.get_model("comments", "Comment")
    quoting = Comment.objects.filter(Q(text__startswith=">") | Q(text__contains="\n>"))
    changed = []
    for comment in quoting.only("pk", "text", "text_html").iterator(chunk_size=500):
        text_html = render_comment_text(comment.text)
        if text_html != comment.text_html:
            comment.text_html = text_html
            changed.append(comment)
    Comment.objects.bulk_update(changed, ["text_html"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0013_comment_section"),
    ]

    operations = [migrations.RunPython(render_quotes, migrations.RunPython.noop, elidable=True)]
