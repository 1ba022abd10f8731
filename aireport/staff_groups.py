"""Staff groups with exactly the permissions their work needs.

Data migrations create them with historical models; tests whose database was flushed build
them again with the same function and the migration's own list.
"""

from django.contrib.auth.management import create_permissions


def create_permissions_now(apps) -> None:
    """Django creates permissions after all migrations have run; a data migration that hands
    them out needs them earlier."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def grant_group_permissions(group_model, permission_model, name, permissions):
    """Give group `name` exactly `permissions`: [(app_label, model, (action, …)), …]."""
    group, _ = group_model.objects.get_or_create(name=name)
    group.permissions.set(
        [
            permission_model.objects.get(
                content_type__app_label=app_label, codename=f"{action}_{model}"
            )
            for app_label, model, actions in permissions
            for action in actions
        ]
    )
    return group
