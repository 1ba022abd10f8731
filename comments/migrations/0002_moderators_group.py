from django.db import migrations

from aireport.staff_groups import create_permissions_now, grant_group_permissions

#: Moderators see, edit, sort and delete comments; they cannot touch reports.
MODERATOR_PERMISSIONS = [
    ("comments", "comment", ("view", "change", "delete")),
]


def create_moderators_group(apps, schema_editor):
    """Moderators work on comments only; reports are the editors' room."""
    create_permissions_now(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    grant_group_permissions(Group, Permission, "Moderators", MODERATOR_PERMISSIONS)


def remove_moderators_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Moderators").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_moderators_group, remove_moderators_group)]
