"""The site's name, publisher and contact come from the settings, not from the code."""

import pytest
from bs4 import BeautifulSoup
from django.conf import settings

from tests.factories import ReportFactory, staff_in_group

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("legal_pages")]


@pytest.fixture
def identity(settings):
    settings.SITE_NAME = "KI-Sicherheitsbericht"
    settings.SITE_PUBLISHER = "Beispiel Verlag GmbH"
    settings.SITE_CONTACT_EMAIL = "redaktion@example.org"


@pytest.mark.parametrize("url", ["/", "/berichte/one/", "/impressum/", "/gibt-es-nicht/"])
def test_every_title_ends_with_the_site_name_and_the_footer_names_the_publisher(
    client, identity, url
):
    ReportFactory(slug="one", title="First report")
    ReportFactory(slug="two")

    page = BeautifulSoup(client.get(url).content, "html.parser")

    assert page.title.get_text().endswith(" – KI-Sicherheitsbericht")
    assert page.select_one(".site-name").get_text() == "KI-Sicherheitsbericht"
    assert "Beispiel Verlag GmbH" in page.select_one(".site-footer").get_text()
    assert "aireport" not in page.title.get_text()


def test_the_admin_header_uses_the_site_name(client, identity):
    client.force_login(staff_in_group("Editors"))

    html = client.get(f"/{settings.ADMIN_URL}").content.decode()

    assert "KI-Sicherheitsbericht – Verwaltung" in html
