"""The app and the model are both called "Berichte": the report's admin pages name it once in
their breadcrumbs ("Start › Berichte › …", never "Start › Berichte › Berichte › …"). At the end,
the same for every list in the admin, and German names for the apps we install."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from reversion.models import Version

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def crumbs(client, url, data=None) -> list[str]:
    response = client.post(url, data) if data else client.get(url)
    assert response.status_code == 200, url
    trail = BeautifulSoup(response.content, "html.parser").select_one(".breadcrumbs")
    return [part.strip() for part in " ".join(trail.get_text().split()).split("›")]


@pytest.fixture
def chief(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True, username="chefin"))
    return client


def pages(report):
    version = Version.objects.get_for_object(report).first()
    pk = report.pk
    return {
        "list": (reverse("admin:reports_report_changelist"), None),
        "add": (reverse("admin:reports_report_add"), None),
        "change": (reverse("admin:reports_report_change", args=[pk]), None),
        "history": (reverse("admin:reports_report_history", args=[pk]), None),
        "revision": (reverse("admin:reports_report_revision", args=[pk, version.pk]), None),
        "changes": (reverse("admin:reports_report_changes", args=[pk, version.pk]), None),
        "compare": (
            reverse("admin:reports_report_compare", args=[pk])
            + f"?von={version.pk}&bis={version.pk}",
            None,
        ),
        "delete": (reverse("admin:reports_report_delete", args=[pk]), None),
        "recover list": (reverse("admin:reports_report_recoverlist"), None),
        "delete several": (
            reverse("admin:reports_report_changelist"),
            {"action": "delete_selected", "_selected_action": [pk]},
        ),
    }


PAGES = [
    "list",
    "add",
    "change",
    "history",
    "revision",
    "changes",
    "compare",
    "delete",
    "delete several",
    "recover list",
]


@pytest.mark.parametrize("page", PAGES)
def test_no_crumb_is_repeated(chief, seeded_report, page):
    url, data = pages(seeded_report)[page]
    trail = crumbs(chief, url, data)
    assert trail[:2] == ["Start", "Berichte"]
    assert len(trail) == len(set(trail)), trail


def test_the_trails_lead_through_the_report_and_its_history(chief, seeded_report):
    title = seeded_report.title
    trails = {page: crumbs(chief, *pages(seeded_report)[page]) for page in PAGES}
    assert trails["list"] == ["Start", "Berichte"]
    assert trails["add"] == ["Start", "Berichte", "Bericht hinzufügen"]
    assert trails["change"] == ["Start", "Berichte", title]
    assert trails["history"] == ["Start", "Berichte", title, "Änderungsgeschichte"]
    assert trails["revision"][:4] == ["Start", "Berichte", title, "Änderungsgeschichte"]
    assert trails["revision"][4].startswith("Fassung vom ")
    assert trails["delete"] == ["Start", "Berichte", title, "Löschen"]
    assert trails["delete several"] == ["Start", "Berichte", "Mehrere Objekte löschen"]


def test_the_form_to_recover_a_deleted_report(chief, seeded_report):
    version = Version.objects.get_for_object(seeded_report).first()
    seeded_report.delete()
    trail = crumbs(chief, reverse("admin:reports_report_recover", args=[version.pk]))
    assert trail[:3] == ["Start", "Berichte", "Gelöschte Berichte wiederherstellen"]
    assert len(trail) == len(set(trail)), trail


def test_no_admin_list_names_its_app_twice(chief):
    """Every list in the admin, not only the report's: an app and its model never make the
    same crumb twice (the legal pages' app is "Rechtliches", its model "Rechtliche Seiten")."""
    from django.contrib import admin

    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = chief.get(url)
        if response.status_code == 302:  # a single settings row opens its form instead
            continue
        trail = crumbs(chief, url)
        assert len(trail) == len(set(trail)), (url, trail)


def test_the_task_queue_has_a_german_name(chief):
    page = chief.get(reverse("admin:index")).content.decode()
    assert "Aufgabenwarteschlange" in page
    assert "Tasks Database Backend" not in page


def test_the_history_button_says_what_the_page_it_opens_is_called(chief, seeded_report):
    page = chief.get(reverse("admin:reports_report_change", args=[seeded_report.pk]))
    link = BeautifulSoup(page.content, "html.parser").select_one(".object-tools a.historylink")
    assert link.get_text(strip=True) == "Änderungsgeschichte"
    assert link["href"] == reverse("admin:reports_report_history", args=[seeded_report.pk])
