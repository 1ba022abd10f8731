from django.db import migrations

#: Moderators see, edit, sort and delete comments; they cannot touch reports.
MODERATOR_PERMISSIONS = [
    ("comments", "comment", ("view", "change", "delete")),
]


def create_moderators_group(apps, schema_editor):
    """Moderators work on comments only; reports are the editors' room."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Moderators")
    codenames = [
        (app_label, f"{action}_{model}")
        for app_label, model, actions in MODERATOR_PERMISSIONS
        for action in actions
    ]
    permissions = [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in codenames
    ]
    group.permissions.set(permissions)


def remove_moderators_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Moderators").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_moderators_group, remove_moderators_group)]
