"""The "Moderators" group the migration creates holds exactly what moderation needs."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.factories import ReportFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_group_has_exactly_the_comment_permissions():
    """Comments, readers' reports, the ban list and the log; not the "Diskussion" settings."""
    group = Group.objects.get(name="Moderators")
    perms = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert perms == {
        ("comments", "view_comment"),
        ("comments", "change_comment"),
        ("comments", "delete_comment"),
        ("comments", "view_notice"),
        ("comments", "change_notice"),
        ("comments", "view_bannedsender"),
        ("comments", "add_bannedsender"),
        ("comments", "change_bannedsender"),
        ("comments", "delete_bannedsender"),
        ("comments", "view_moderationlogentry"),
    }


def test_moderator_cannot_see_or_edit_reports(client):
    moderator = UserFactory(is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    report = ReportFactory()
    client.force_login(moderator)
    assert client.get(reverse("admin:comments_comment_changelist")).status_code == 200
    assert client.get(reverse("admin:reports_report_changelist")).status_code == 403
    change = reverse("admin:reports_report_change", args=[report.pk])
    assert client.get(change).status_code == 403
    assert client.post(change, {"title": "Gekapert"}).status_code == 403
    report.refresh_from_db()
    assert report.title != "Gekapert"
