"""Editors through the real admin in a browser: a draft of the live report that readers do not
see (nor its preview), publishing it, and the section editor under the strict CSP."""

from importlib import import_module

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from playwright.sync_api import expect

from aireport.staff_groups import grant_group_permissions
from reports.models import Publication, Report
from reports.seed import import_report, read_seed_file
from tests.conftest import SEED_PATH
from tests.factories import staff_in_group

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"
COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push({directive: event.effectiveDirective, blocked: event.blockedURI});
});
"""


@pytest.fixture
def report(transactional_db, live_server):
    import_report(read_seed_file(SEED_PATH))
    return Report.objects.get()


@pytest.fixture
def signed_in(browser, live_server):
    """A function that opens a browser context signed in as a new member of `group`."""
    contexts = []

    def sign_in(group, username):
        # The browser tests' database is flushed between tests, and with it the groups the
        # migrations create: build them again from the migrations' own lists.
        editors = import_module(
            "reports.migrations.0010_editors_cannot_delete_reports"
        ).EDITOR_PERMISSIONS
        chiefs = import_module("reports.migrations.0007_chefredaktion_group")
        lists = {"Editors": editors, "Chefredaktion": chiefs.CHIEF_EDITOR_PERMISSIONS}
        grant_group_permissions(Group, Permission, group, lists[group])
        staff_in_group(group, username=username)
        context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.add_init_script(COLLECT_VIOLATIONS)
        page.goto(live_server.url + reverse("admin:login"))
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        expect(page.locator("#site-name")).to_be_visible()
        return page

    yield sign_in
    for context in contexts:
        context.close()


@pytest.fixture
def reader(browser):
    context = browser.new_context(locale="de-DE")
    yield context.new_page()
    context.close()


def open_section(page, title):
    """Unfold a section in the section editor by its heading; returns its body textarea."""
    row = page.locator(
        "#sections-group .inline-related",
        has=page.locator(".section-summary-title", has_text=title),
    )
    row.locator(".section-toggle").click()
    return row, row.locator("textarea[name$='-body']")


def test_a_draft_and_its_preview_stay_hidden_from_readers(signed_in, reader, report, live_server):
    editor = signed_in("Editors", "redakteurin")
    change_url = live_server.url + reverse("admin:reports_report_change", args=[report.pk])
    editor.goto(change_url)
    expect(editor.locator("input[name=_publish]")).to_have_count(0)

    row, body = open_section(editor, "Conclusion")
    expect(body).to_be_visible()
    body.fill(body.input_value() + "\n\nA sentence only the newsroom has seen.")
    editor.click("input[name=_continue]")
    expect(editor.locator(".messagelist")).to_contain_text("als Entwurf gespeichert")
    expect(editor.locator(".publishing-note").first).to_contain_text(
        "Unveröffentlichte Änderungen seit"
    )

    reader.goto(live_server.url + report.get_absolute_url())
    expect(reader.locator("article h1")).to_have_text(report.title)
    expect(reader.locator("article")).not_to_contain_text("only the newsroom")

    editor.click("text=Gespeicherten Entwurf ansehen")
    expect(editor.locator(".preview-banner")).to_contain_text("Vorschau")
    expect(editor.locator("article")).to_contain_text("A sentence only the newsroom has seen.")
    preview_url = editor.url

    reader.goto(preview_url)
    expect(reader.locator("#id_username")).to_be_visible()  # the admin's sign-in page
    expect(reader.locator("body")).not_to_contain_text("only the newsroom")
    assert editor.evaluate("window.__cspViolations") == []


def test_publishing_with_the_keyboard_reorder_and_a_note(signed_in, reader, report, live_server):
    chief = signed_in("Chefredaktion", "chefin")
    chief.goto(live_server.url + reverse("admin:reports_report_change", args=[report.pk]))

    row, body = open_section(chief, "Conclusion")
    body.fill("The conclusion, rewritten.")
    height_before = body.bounding_box()["height"]
    body.fill("Line\n" * 30)
    assert body.bounding_box()["height"] > height_before  # the textarea grows with its text
    body.fill("The conclusion, rewritten.")
    row.locator(".section-move-up").press("Enter")
    expect(chief.locator(".section-editor-enhanced [aria-live]").first).to_contain_text(
        "ist jetzt an Stelle 16"
    )
    # Per-section preview through the site's renderer, under the admin's CSP.
    row.locator(".section-preview-button").click()
    expect(row.locator(".section-preview")).to_contain_text("The conclusion, rewritten.")

    chief.fill("#id_change_note", "Rewrote the conclusion and moved it up.")
    chief.click("input[name=_publish]")
    expect(chief.locator(".messagelist")).to_contain_text("veröffentlicht")
    assert chief.evaluate("window.__cspViolations") == []

    reader.goto(live_server.url + report.get_absolute_url())
    titles = reader.locator("article :is(h2, h3)[id]").evaluate_all(
        "headings => headings.map(h => h.firstChild.textContent.trim())"
    )
    assert titles.index("Conclusion") < titles.index("Looking Ahead to 2027")
    expect(reader.locator("article")).to_contain_text("The conclusion, rewritten.")
    assert Publication.objects.in_changelog().count() == 1


def test_changelog_has_no_serious_accessibility_violations(signed_in, reader, report, live_server):
    chief = signed_in("Chefredaktion", "chefin")
    chief.goto(live_server.url + reverse("admin:reports_report_change", args=[report.pk]))
    row, body = open_section(chief, "Conclusion")
    body.fill("A new conclusion.")
    chief.fill("#id_change_note", "New conclusion.")
    chief.click("input[name=_publish]")
    expect(chief.locator(".messagelist")).to_contain_text("veröffentlicht")

    entry = Publication.objects.in_changelog().get()
    for path in (reverse("reports:changes", args=[report.slug]), entry.get_absolute_url()):
        reader.goto(live_server.url + path)
        results = Axe().run(reader)
        serious = [
            v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}
        ]
        assert not serious, results.generate_report()
