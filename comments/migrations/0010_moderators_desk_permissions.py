from django.db import migrations

from aireport.staff_groups import create_permissions_now, grant_group_permissions

#: Moderators also decide readers' reports, keep the ban list and read the
#: Moderationsprotokoll; the "Diskussion" settings stay with administrators.
MODERATOR_PERMISSIONS = [
    ("comments", "comment", ("view", "change", "delete")),
    ("comments", "notice", ("view", "change")),
    ("comments", "bannedsender", ("view", "add", "change", "delete")),
    ("comments", "moderationlogentry", ("view",)),
]


def grant(apps, schema_editor):
    create_permissions_now(apps)
    grant_group_permissions(
        apps.get_model("auth", "Group"),
        apps.get_model("auth", "Permission"),
        "Moderators",
        MODERATOR_PERMISSIONS,
    )


class Migration(migrations.Migration):
    dependencies = [("comments", "0009_moderation_desk")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
