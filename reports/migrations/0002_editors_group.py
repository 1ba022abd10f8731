from django.db import migrations

from aireport.staff_groups import create_permissions_now, grant_group_permissions

EDITOR_PERMISSIONS = [
    ("reports", "report", ("add", "change", "delete", "view")),
    ("reports", "section", ("add", "change", "delete", "view")),
]


def create_editors_group(apps, schema_editor):
    """Editors change reports and their sections; comments are the moderators' room."""
    create_permissions_now(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    grant_group_permissions(Group, Permission, "Editors", EDITOR_PERMISSIONS)


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
