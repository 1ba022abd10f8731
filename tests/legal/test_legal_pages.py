"""Impressum, Datenschutz and Diskussionsregeln: created by migrations, edited in the admin,
linked everywhere."""

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.test import Client

from legal.models import PLACEHOLDER, LegalPage
from tests.factories import ReportFactory, staff_in_group

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("legal_pages")]


def footer_links(html: str) -> dict[str, str]:
    footer = BeautifulSoup(html, "html.parser").select_one("footer.site-footer")
    assert footer is not None
    return {a.get_text(strip=True): a["href"] for a in footer.select("a")}


def test_the_migrations_create_the_pages_with_placeholders_to_fill_in():
    pages = {page.slug: page for page in LegalPage.objects.all()}

    assert set(pages) == {"impressum", "datenschutz", "diskussionsregeln"}
    assert PLACEHOLDER in pages["impressum"].body
    assert "§ 5 DDG" in pages["impressum"].body_html
    assert PLACEHOLDER in pages["datenschutz"].body


@pytest.mark.parametrize(
    "statement",
    [
        "IPv4 auf /24, IPv6 auf /48",  # the shortened IP address
        "wird nach 7 Tagen gelöscht",  # the retention purge
        "Double-Opt-In",  # notification consent
        "Zeitpunkt der Anfrage, den Zeitpunkt der Bestätigung und die\ngekürzte IP-Adresse",
        "„Melden“",  # reader reports of comments
        "`comments_own`",
        "`comment_author`",
        "Auskunft (Art. 15 DSGVO)",
        "Widerspruch gegen\nVerarbeitungen aus berechtigtem Interesse (Art. 21)",
        "So nutzt du sie",
    ],
)
def test_the_privacy_template_states_what_this_code_stores(statement):
    assert statement in LegalPage.objects.get(slug="datenschutz").body


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/impressum/", "Impressum"),
        ("/datenschutz/", "Datenschutzerklärung"),
        ("/diskussionsregeln/", "Diskussionsregeln"),
    ],
)
def test_each_legal_page_is_public_with_the_site_name_in_its_title(client, url, heading):
    response = client.get(url)

    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert page.h1.get_text() == heading
    assert page.title.get_text() == f"{heading} – {settings.SITE_NAME}"
    assert page.select_one("article h2")  # the Markdown is rendered


def test_the_privacy_page_shows_the_table_of_stored_data(client):
    page = BeautifulSoup(client.get("/datenschutz/").content, "html.parser")

    headers = [th.get_text() for th in page.select("article table th")]
    assert headers == ["Angabe", "Wozu", "Wie lange"]


def test_an_administrator_edits_a_page_and_its_markdown_goes_through_the_sanitiser(client):
    admin = staff_in_group("Editors", is_superuser=True)
    client.force_login(admin)
    page = LegalPage.objects.get(slug="impressum")

    response = client.post(
        f"/{settings.ADMIN_URL}legal/legalpage/{page.pk}/change/",
        {"title": "Impressum", "body": "## Anbieter\n\nErika GmbH <script>alert(1)</script>"},
    )

    assert response.status_code == 302
    html = Client().get("/impressum/").content.decode()
    assert "<h2>Anbieter</h2>" in html
    assert "Erika GmbH" in html
    assert "<script>alert(1)" not in html
    assert not LegalPage.objects.get(slug="impressum").is_unfinished


def test_the_admin_offers_no_way_to_add_or_delete_a_legal_page(client):
    client.force_login(staff_in_group("Editors", is_superuser=True))
    page = LegalPage.objects.get(slug="impressum")

    assert client.get(f"/{settings.ADMIN_URL}legal/legalpage/add/").status_code == 403
    assert client.get(f"/{settings.ADMIN_URL}legal/legalpage/{page.pk}/delete/").status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        "/",  # the list of reports (two reports, so no redirect)
        "/berichte/report-one/",  # the article
        "/impressum/",
        "/datenschutz/",
        "/diskussionsregeln/",
    ],
)
def test_every_page_links_the_legal_pages_in_its_footer(client, url):
    ReportFactory(slug="report-one")
    ReportFactory(slug="report-two")

    response = client.get(url)

    assert response.status_code == 200
    links = footer_links(response.content.decode())
    assert links["Impressum"] == "/impressum/"
    assert links["Datenschutz"] == "/datenschutz/"
    assert links["Diskussionsregeln"] == "/diskussionsregeln/"


@pytest.mark.urls("tests.aireport.error_urls")
@pytest.mark.parametrize(
    ("url", "status"),
    [("/kaputt/400/", 400), ("/kaputt/403/", 403), ("/gibt-es-nicht/", 404), ("/kaputt/500/", 500)],
)
def test_error_pages_link_the_legal_pages_too(url, status):
    response = Client(raise_request_exception=False).get(url)

    assert response.status_code == status
    html = response.content.decode()
    assert footer_links(html)["Impressum"] == "/impressum/"
    assert footer_links(html)["Datenschutz"] == "/datenschutz/"
    assert footer_links(html)["Diskussionsregeln"] == "/diskussionsregeln/"
    assert BeautifulSoup(html, "html.parser").title.get_text().endswith(f" – {settings.SITE_NAME}")


def test_the_csrf_failure_page_links_the_legal_pages():
    response = Client(enforce_csrf_checks=True).post(f"/{settings.ADMIN_URL}login/", {})

    assert response.status_code == 403
    assert footer_links(response.content.decode())["Datenschutz"] == "/datenschutz/"


def test_the_comment_form_links_the_privacy_page_beside_the_email_note(client):
    report = ReportFactory()

    page = BeautifulSoup(client.get(report.get_absolute_url()).content, "html.parser")

    notes = page.select_one(".comment-notes")
    assert "Deine E-Mail-Adresse wird nicht veröffentlicht." in notes.get_text()
    assert notes.select_one('a[href="/datenschutz/"]').get_text() == "Datenschutzerklärung"
