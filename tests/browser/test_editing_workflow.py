"""Two editors in real browsers: the conflict page and the "bearbeitet diesen Bericht" notice on
a phone and a desktop, the Markdown warnings in the section preview, and the public per-block
word diff of a changed list item (reports/workflow.py, reports/history.py)."""

import re
from importlib import import_module

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from playwright.sync_api import expect

from aireport.staff_groups import grant_group_permissions
from reports import workflow
from reports.models import Publication, Report
from reports.seed import import_report, read_seed_file
from tests.conftest import SEED_PATH
from tests.factories import staff_in_group

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1440, "height": 900}


@pytest.fixture
def report(transactional_db, live_server):
    import_report(read_seed_file(SEED_PATH))
    return Report.objects.get()


@pytest.fixture
def sign_in(browser, live_server):
    """Open a browser context signed in as a new member of Chefredaktion or Editors."""
    contexts = []

    def open_as(username, first_name, *, group="Chefredaktion", viewport=DESKTOP):
        # The database is flushed between browser tests, and with it the migrations' groups.
        lists = {
            "Editors": import_module(
                "reports.migrations.0010_editors_cannot_delete_reports"
            ).EDITOR_PERMISSIONS,
            "Chefredaktion": import_module(
                "reports.migrations.0007_chefredaktion_group"
            ).CHIEF_EDITOR_PERMISSIONS,
        }
        grant_group_permissions(Group, Permission, group, lists[group])
        user = staff_in_group(group, username=username, first_name=first_name, last_name="Muster")
        context = browser.new_context(locale="de-DE", viewport=viewport)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.goto(live_server.url + reverse("admin:login"))
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        expect(page.locator("#site-name")).to_be_visible()
        return page, user

    yield open_as
    for context in contexts:
        context.close()


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def open_section(page, title):
    row = page.locator(
        "#sections-group .inline-related",
        has=page.locator(".section-summary-title", has_text=title),
    )
    row.locator(".section-toggle").click()
    return row, row.locator("textarea[name$='-body']")


def save_as(report, user, title, body):
    """Another editor saves a draft (as their own form would)."""
    state = workflow.preview_state(report, user=user)
    next(s for s in state.sections if s.title == title).body = body
    workflow.save_draft(report, state, user=user, base_id=workflow.head_id(report))


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1440px"])
def test_the_conflict_page_offers_both_versions(sign_in, report, live_server, viewport):
    page, _max = sign_in("max", "Max", viewport=viewport)
    _other, erika = sign_in("erika", "Erika")
    page.goto(live_server.url + reverse("admin:reports_report_change", args=[report.pk]))
    row, body = open_section(page, "Ongoing Challenges")
    body.fill("Max's view of the challenges.")

    save_as(report, erika, "Ongoing Challenges", "Erika's view of the challenges.")
    page.click("input[name=_continue]")

    expect(page.locator("h1")).to_contain_text("inzwischen gespeichert")
    expect(page.locator(".conflict-lead")).to_contain_text("Erika Muster hat am")
    expect(page.locator(".conflict-sides")).to_contain_text("Ongoing Challenges")
    expect(page.locator(".conflict-columns")).to_contain_text("Max's view")
    expect(page.locator(".conflict-columns")).to_contain_text("Erika's view")
    assert fits_the_screen(page)
    page.click("button[value=mine]")
    expect(page.locator(".messagelist")).to_contain_text("als Entwurf gespeichert")
    state = workflow.preview_state(report, user=erika)
    assert next(s.body for s in state.sections if s.title == "Ongoing Challenges") == (
        "Max's view of the challenges."
    )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1440px"])
def test_the_form_says_who_else_is_editing(sign_in, report, live_server, viewport):
    change_url = live_server.url + reverse("admin:reports_report_change", args=[report.pk])
    page, _max = sign_in("max", "Max", viewport=viewport)
    page.goto(change_url)
    expect(page.locator(".presence-note")).to_have_count(0)

    other, _erika = sign_in("erika", "Erika")
    other.goto(change_url)
    expect(other.locator(".presence-note")).to_contain_text(
        re.compile(r"Max Muster bearbeitet diesen Bericht seit \d\d:\d\d Uhr")
    )
    # The open form's heartbeat brings the news without a reload.
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    expect(page.locator(".presence-note")).to_contain_text("Erika Muster bearbeitet diesen Bericht")
    assert fits_the_screen(page)


def test_the_section_preview_warns_about_markdown(sign_in, report, live_server):
    page, _editor = sign_in("redakteurin", "Rita", group="Editors")
    page.goto(live_server.url + reverse("admin:reports_report_change", args=[report.pk]))
    row, body = open_section(page, "Conclusion")
    body.fill("An **open bold.\n\n| a | b |\n|---|---|\n| 1 |\n\nSee <script>alert(1)</script>")
    row.locator(".section-preview-button").click()
    warnings = row.locator(".markdown-warnings")
    expect(warnings).to_contain_text("„**“ (fett) ist nicht geschlossen")
    expect(warnings).to_contain_text("Tabellenzeile 3 hat 1 Zellen, die Kopfzeile 2")
    expect(warnings).to_contain_text("<script>")
    expect(row.locator(".section-preview-body")).to_contain_text("An **open bold.")


def test_the_public_diff_shows_a_changed_list_item_on_its_own_line(
    sign_in, report, live_server, page
):
    _chief_page, chief = sign_in("chefin", "Erika")
    for body, note in (
        ("Intro.\n\n- **Modern** methods work\n- Second item stays", "First."),
        ("Intro.\n\n- **Most modern** methods work\n- Second item stays", "Second."),
    ):
        state = workflow.preview_state(report, user=chief)
        next(s for s in state.sections if s.title == "Conclusion").body = body
        workflow.publish_now(report, state, user=chief, base_id=workflow.head_id(report), note=note)
    entry = Publication.objects.get(note="Second.")
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + entry.get_absolute_url())
    lines = page.locator(".diff-section p.diff")
    expect(lines).to_have_count(1)
    expect(lines.first.locator("del strong")).to_have_text("Modern")
    expect(lines.first.locator("ins strong")).to_have_text("Most modern")
    expect(lines.first).to_have_text("– Modern Most modern methods work")
    assert fits_the_screen(page)
