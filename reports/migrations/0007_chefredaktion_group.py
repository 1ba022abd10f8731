from django.db import migrations

from aireport.staff_groups import create_permissions_now, grant_group_permissions

CHIEF_EDITOR_PERMISSIONS = [
    ("reports", "report", ("add", "change", "delete", "view", "publish")),
    ("reports", "section", ("add", "change", "delete", "view")),
]


def create_chief_editors_group(apps, schema_editor):
    """The Editors' permissions plus "Berichte veröffentlichen": drafts go live through them."""
    create_permissions_now(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    grant_group_permissions(Group, Permission, "Chefredaktion", CHIEF_EDITOR_PERMISSIONS)


def remove_chief_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Chefredaktion").delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0006_publishing")]

    operations = [migrations.RunPython(create_chief_editors_group, remove_chief_editors_group)]
