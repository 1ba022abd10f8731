from django.db import migrations


#: What the Editors keep (reports.migrations.0002_editors_group gave them delete_report too).
EDITOR_PERMISSIONS = [
    ("reports", "report", ("add", "change", "view")),
    ("reports", "section", ("add", "change", "delete", "view")),
]


def take_delete_from_editors(apps, schema_editor):
    """Deleting a report takes it from readers: only "Berichte veröffentlichen" may
    (reports.workflow.delete_report); the Editors keep drafts and previews."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    delete = Permission.objects.filter(content_type__app_label="reports", codename="delete_report")
    for group in Group.objects.filter(name="Editors"):
        group.permissions.remove(*delete)


def give_delete_back(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    delete = Permission.objects.filter(content_type__app_label="reports", codename="delete_report")
    for group in Group.objects.filter(name="Editors"):
        group.permissions.add(*delete)


class Migration(migrations.Migration):
    dependencies = [("reports", "0009_drafts_and_schedules")]

    operations = [migrations.RunPython(take_delete_from_editors, give_delete_back)]
