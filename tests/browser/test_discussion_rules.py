"""The Diskussionsregeln are one click from the comment form, readable on a phone and a desk."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from legal.models import PLACEHOLDER, LegalPage
from tests.browser.conftest import PHONE, open_page, serious_violations
from tests.factories import ReportFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("legal_pages")]

DESK = {"width": 1440, "height": 900}
PASSWORD = "correct horse battery staple"


@pytest.fixture
def report(transactional_db):
    return ReportFactory(title="AI Safety Progress", slug="ai-safety")


@pytest.mark.parametrize(
    ("viewport", "scheme"), [(PHONE, "light"), (PHONE, "dark"), (DESK, "light"), (DESK, "dark")]
)
def test_the_rules_are_linked_beside_the_email_note_and_open_readably(
    browser, live_server, report, viewport, scheme
):
    page = open_page(
        browser, live_server.url + report.get_absolute_url(), viewport=viewport, scheme=scheme
    )
    notes = page.locator("#kommentarformular .comment-notes")
    expect(notes).to_contain_text("Deine E-Mail-Adresse wird nicht veröffentlicht.")

    notes.get_by_role("link", name="Diskussionsregeln").click()

    page.wait_for_url("**/diskussionsregeln/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Diskussionsregeln")
    rules = page.locator("article ol > li")
    expect(rules.first).to_be_visible()
    assert rules.count() >= 5
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert not serious_violations(page)
    page.context.close()


def test_the_footer_links_the_rules_on_every_page(browser, live_server, report):
    page = open_page(browser, live_server.url + "/impressum/")

    page.locator("footer").get_by_role("link", name="Diskussionsregeln").click()

    page.wait_for_url("**/diskussionsregeln/")
    page.context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESK])
def test_the_legal_page_form_refuses_a_placeholder_and_previews_in_a_new_tab(
    browser, live_server, transactional_db, viewport
):
    UserFactory(username="admin", password=PASSWORD, is_staff=True, is_superuser=True)
    rules = LegalPage.objects.get(slug="diskussionsregeln")
    page = open_page(browser, f"{live_server.url}/{settings.ADMIN_URL}", viewport=viewport)
    page.get_by_label("Benutzername").fill("admin")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.goto(f"{live_server.url}/{settings.ADMIN_URL}legal/legalpage/{rules.pk}/change/")
    body = page.locator("textarea[name=body]")
    box = body.bounding_box()
    assert box["x"] + box["width"] <= viewport["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    with page.expect_popup() as popup:
        page.get_by_role("button", name="Vorschau").click()
    preview = popup.value
    expect(preview.locator(".preview-banner")).to_contain_text("Vorschau")
    expect(preview.get_by_role("heading", level=1)).to_have_text("Diskussionsregeln")
    preview.close()

    page.get_by_role("button", name="Sichern", exact=True).click()
    expect(page.locator(".field-body .errorlist")).to_contain_text(PLACEHOLDER)
    assert PLACEHOLDER in body.input_value()  # the text is kept

    body.fill(body.input_value().replace(PLACEHOLDER, "moderation@example.org"))
    page.get_by_role("button", name="Sichern", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("erfolgreich geändert")
    assert PLACEHOLDER not in LegalPage.objects.get(pk=rules.pk).body
    page.context.close()
