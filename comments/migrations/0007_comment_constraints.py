from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0006_fill_normalised_email_and_duplicate_key"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(fields=["author_email_normalised"], name="comment_author_email"),
        ),
        migrations.AddConstraint(
            model_name="comment",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["pending", "approved", "spam", "trash"])),
                name="comment_status_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="comment",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "trash"), _negated=True),
                fields=("report", "duplicate_key"),
                name="comment_unique_per_author_and_text",
                violation_error_message="Doppelter Kommentar: Dieselben Worte von derselben E-Mail-Adresse stehen schon bei diesem Bericht.",
            ),
        ),
    ]
