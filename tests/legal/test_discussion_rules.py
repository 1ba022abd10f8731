"""The Diskussionsregeln (DSA Art. 14): a legal page that says what moderation really does."""

import pytest
from bs4 import BeautifulSoup

from legal.models import PLACEHOLDER, LegalPage
from tests.factories import ReportFactory
from tests.reports.test_html_valid import page_html

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("legal_pages")]


def rules_page() -> LegalPage:
    return LegalPage.objects.get(slug="diskussionsregeln")


def test_the_rules_are_numbered_so_that_a_decision_can_name_one(client):
    page = BeautifulSoup(client.get("/diskussionsregeln/").content, "html.parser")

    rules = page.select("article ol > li")
    assert len(rules) >= 5
    assert rules[0].get_text().startswith("Rechtswidrige Inhalte")
    headings = [h2.get_text() for h2 in page.select("article h2")]
    assert headings == [
        "Was willkommen ist",
        "Was wir entfernen",
        "Vorabprüfung",
        "Was die Website automatisch prüft",
        "Kommentare melden",
        "Wie wir Entscheidungen begründen",
        "Widerspruch",
    ]


@pytest.mark.parametrize(
    "statement",
    [
        "Zu viele Links",  # COMMENTS_MAX_LINKS: held for moderation
        "Wortlisten",  # moderation and blocklist words
        "Zu schnell hintereinander",  # flood control
        "Doppelte Kommentare",  # the duplicate check
        "Sperrliste",  # BannedSender
        "Zu schnelle Formulare",  # the signed timestamp and the honeypot
        "keine künstliche Intelligenz",
        "„Dein Kommentar wartet auf Freischaltung.“",  # pre-moderation, as the page says it
        "Unter jedem Kommentar steht „Melden“",
    ],
)
def test_the_default_text_names_each_automatic_rule_the_site_applies(statement):
    assert statement in rules_page().body


def test_the_contact_for_objections_is_left_for_the_operator_to_fill_in():
    widerspruch = rules_page().body.split("## Widerspruch", 1)[1]
    assert PLACEHOLDER in widerspruch


def test_the_comment_form_links_the_rules_beside_the_email_note(client):
    report = ReportFactory()

    page = BeautifulSoup(client.get(report.get_absolute_url()).content, "html.parser")

    notes = page.select_one("#kommentarformular .comment-notes")
    assert "Deine E-Mail-Adresse wird nicht veröffentlicht." in notes.get_text()
    assert notes.select_one('a[href="/diskussionsregeln/"]').get_text() == "Diskussionsregeln"


def test_the_rules_page_is_in_the_sitemap(client):
    assert "/diskussionsregeln/</loc>" in client.get("/sitemap.xml").content.decode()


def test_the_report_form_says_comments_are_checked_against_the_rules(client):
    from tests.comments.conftest import CommentFactory

    comment = CommentFactory(report=ReportFactory())

    page = BeautifulSoup(client.get(f"/kommentare/{comment.pk}/melden/").content, "html.parser")

    assert page.select_one('.report-notice a[href="/diskussionsregeln/"]')


@pytest.mark.parametrize("url", ["/diskussionsregeln/", "/impressum/", "/datenschutz/"])
def test_the_legal_pages_are_valid_html(client, html_errors, url):  # noqa: F811
    assert html_errors(page_html(client, url)) == []
