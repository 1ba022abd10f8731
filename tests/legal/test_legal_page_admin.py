"""Editing a legal page in the admin: saving is publishing, so placeholders block it; a preview
shows the typed text first."""

import pytest
from bs4 import BeautifulSoup
from django.conf import settings

from legal.models import PLACEHOLDER, LegalPage
from tests.factories import staff_in_group

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("legal_pages")]


def change_url(page: LegalPage) -> str:
    return f"/{settings.ADMIN_URL}legal/legalpage/{page.pk}/change/"


@pytest.fixture
def administrator(client):
    client.force_login(staff_in_group("Editors", is_superuser=True))
    return client


def test_saving_with_a_placeholder_left_is_refused_at_the_field_and_keeps_the_text(administrator):
    page = LegalPage.objects.get(slug="impressum")
    before = page.body
    typed = "## Anbieter\r\n\r\nErika GmbH\r\n\r\nTelefon: [bitte ausfüllen]\r\n"

    response = administrator.post(change_url(page), {"title": "Impressum", "body": typed})

    assert response.status_code == 200
    html = BeautifulSoup(response.content, "html.parser")
    error = html.select_one(".field-body .errorlist").get_text()
    assert "nicht gespeichert" in error
    assert f"„{PLACEHOLDER}“" in error
    assert "Bitte ersetzen Sie" in error
    assert "Zeile 5: „Telefon: [bitte ausfüllen]“" in error
    assert "Erika GmbH" in html.select_one("textarea[name=body]").get_text()
    assert LegalPage.objects.get(pk=page.pk).body == before


def test_the_filled_in_page_saves_and_the_list_shows_it_as_filled_in(administrator):
    page = LegalPage.objects.get(slug="diskussionsregeln")
    filled = page.body.replace(PLACEHOLDER, "moderation@example.org")

    response = administrator.post(change_url(page), {"title": page.title, "body": filled})

    assert response.status_code == 302
    assert "moderation@example.org" in administrator.get("/diskussionsregeln/").content.decode()
    listing = administrator.get(f"/{settings.ADMIN_URL}legal/legalpage/").content.decode()
    assert listing.count('alt="True"') == 1  # only the rules are filled in


def test_the_preview_shows_the_typed_text_unsaved_and_uncached(administrator):
    page = LegalPage.objects.get(slug="impressum")
    before = page.body

    response = administrator.post(
        change_url(page),
        {"title": "Impressum", "body": "## Anbieter\n\nErika [bitte ausfüllen]", "_preview": "1"},
    )

    assert response.status_code == 200
    html = BeautifulSoup(response.content, "html.parser")
    assert html.select_one(".preview-banner").get_text().startswith("Vorschau")
    assert html.select_one("article h2").get_text() == "Anbieter"
    assert html.select_one('meta[name="robots"]')["content"] == "noindex"
    assert "no-store" in response["Cache-Control"]
    assert LegalPage.objects.get(pk=page.pk).body == before
    assert "preview-banner" not in administrator.get("/impressum/").content.decode()


def test_the_preview_goes_through_the_sanitiser(administrator):
    page = LegalPage.objects.get(slug="impressum")

    response = administrator.post(
        change_url(page), {"title": "x", "body": "Hallo <script>alert(1)</script>", "_preview": "1"}
    )

    assert "<script>alert(1)" not in response.content.decode()


def test_the_form_offers_a_preview_that_opens_in_a_new_tab(administrator):
    page = LegalPage.objects.get(slug="impressum")

    html = BeautifulSoup(administrator.get(change_url(page)).content, "html.parser")

    button = html.select_one('input[name="_preview"]')
    assert button["value"] == "Vorschau"
    assert button["formtarget"] == "_blank"


def test_staff_without_the_permission_get_no_preview(client):
    client.force_login(staff_in_group("Moderators"))
    page = LegalPage.objects.get(slug="impressum")

    response = client.post(change_url(page), {"title": "x", "body": "y", "_preview": "1"})

    assert response.status_code == 403


def test_a_preview_of_a_page_that_does_not_exist_is_404(administrator):
    url = f"/{settings.ADMIN_URL}legal/legalpage/kein-Seite/change/"

    response = administrator.post(url, {"title": "x", "body": "y", "_preview": "1"})

    assert response.status_code == 404
