from django.db import migrations

EDITOR_PERMISSIONS = [
    ("reports", "report", ("add", "change", "delete", "view")),
    ("reports", "section", ("add", "change", "delete", "view")),
]


def create_editors_group(apps, schema_editor):
    """Editors change reports and their sections; comments are the moderators' room."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    codenames = [
        (app_label, f"{action}_{model}")
        for app_label, model, actions in EDITOR_PERMISSIONS
        for action in actions
    ]
    permissions = [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in codenames
    ]
    group.permissions.set(permissions)


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
