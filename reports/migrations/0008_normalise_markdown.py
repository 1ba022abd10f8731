from django.db import migrations

from reports.rendering import normalise_markdown


def normalise_stored_markdown(apps, schema_editor):
    """Rows saved before Markdown was normalised keep CRLF and trailing blanks; give them the
    one spelling the forms now produce, so the next save does not log them all as changed."""
    Report = apps.get_model("reports", "Report")
    Section = apps.get_model("reports", "Section")
    for model, names in ((Report, ("lead", "closing_note")), (Section, ("body",))):
        for row in model.objects.only("pk", *names).iterator():
            values = {name: normalise_markdown(getattr(row, name)) for name in names}
            if any(values[name] != getattr(row, name) for name in names):
                model.objects.filter(pk=row.pk).update(**values)


class Migration(migrations.Migration):
    dependencies = [("reports", "0007_chefredaktion_group")]

    operations = [migrations.RunPython(normalise_stored_markdown, migrations.RunPython.noop)]
