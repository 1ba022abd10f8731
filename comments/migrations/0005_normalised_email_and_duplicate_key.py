from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0004_subscriptions"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="comment",
            name="comment_author_email",
        ),
        migrations.AddField(
            model_name="comment",
            name="author_email_normalised",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="Kleingeschrieben (casefold) und NFC: So wird jede Adresse verglichen.",
                max_length=300,
                verbose_name="E-Mail-Adresse (normalisiert)",
            ),
        ),
        migrations.AddField(
            model_name="comment",
            name="duplicate_key",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="SHA-256 aus normalisierter E-Mail-Adresse und Text; je Bericht nur einmal.",
                max_length=64,
                null=True,
            ),
        ),
    ]
