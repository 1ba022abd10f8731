"""What only a browser shows of readers' own pages (issue 22): new comments announced without
reloading after a moderator approves them elsewhere, and "Meine Kommentare".

Screenshots (375 and 1440 px, light and dark) go to the folder in SHOTS_DIR, if set."""

import importlib
import os
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from playwright.sync_api import expect

from aireport.staff_groups import grant_group_permissions
from comments.models import Comment
from tests.browser.conftest import serious_violations
from tests.comments.conftest import CommentFactory
from tests.factories import ReportFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("human_speed_is_fine")]
PASSWORD = "correct horse battery staple"
WIDTHS = (375, 1440)
SHOTS = Path(os.environ["SHOTS_DIR"]) if os.environ.get("SHOTS_DIR") else None


@pytest.fixture
def report(transactional_db):
    report = ReportFactory(title="AI Safety Progress", slug="ai-safety")
    CommentFactory(report=report, author_name="Leserin Eins", text="Schon da.")
    return report


@pytest.fixture
def report_url(live_server, report):
    return live_server.url + report.get_absolute_url()


@pytest.fixture
def moderator(transactional_db):
    migration = importlib.import_module("comments.migrations.0010_moderators_desk_permissions")
    group = grant_group_permissions(
        Group, Permission, "Moderators", migration.MODERATOR_PERMISSIONS
    )
    user = UserFactory(username="moderatorin", is_staff=True)
    user.groups.add(group)
    return user


def new_context(browser, width, scheme="light"):
    return browser.new_context(
        viewport={"width": width, "height": 800}, locale="de-DE", color_scheme=scheme
    )


def post_comment(page, text, *, email="erika@example.org"):
    page.get_by_label("Kommentar *", exact=True).fill(text)
    page.get_by_label("Name *", exact=True).fill("Erika Mustermann")
    page.get_by_label("E-Mail-Adresse *", exact=True).fill(email)
    page.get_by_role("button", name="Kommentar abschicken").click()


def approve_in_the_desk(browser, live_server, texts):
    """A moderator approves in a browser of their own, with the desk's bulk action (which goes
    through comments.actions.change_status like every status change)."""
    admin = browser.new_context(locale="de-DE").new_page()
    admin.goto(live_server.url + reverse("admin:index"))
    admin.locator("#id_username").fill("moderatorin")
    admin.locator("#id_password").fill(PASSWORD)
    admin.locator("input[type=submit]").click()
    admin.goto(live_server.url + reverse("admin:comments_comment_changelist"))
    for text in texts:
        admin.locator("#result_list tbody tr").filter(has_text=text).locator(
            "input.action-select"
        ).check()
    admin.locator("select[name=action]").select_option("approve")
    admin.locator("button[name=index]").click()
    expect(admin.locator(".messagelist")).to_contain_text("freigegeben")
    admin.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_new_comments_appear_after_approval_elsewhere(
    browser, live_server, report_url, moderator, width
):
    reader_context = new_context(browser, width)
    reader = reader_context.new_page()
    reader.clock.install()
    errors = []
    reader.on("pageerror", lambda error: errors.append(str(error)))
    reader.goto(report_url + "#kommentare")
    reader.clock.run_for(6000)  # the page loaded, the browser idle: live.js comes
    expect(reader.locator("script[src*='live']")).to_have_count(1)
    reader.clock.run_for(31000)  # one question: nothing new
    expect(reader.locator(".discussion-live")).to_be_empty()

    writer_context = new_context(browser, width)
    try:
        writer = writer_context.new_page()
        for number in range(3):
            writer.goto(report_url)
            post_comment(writer, f"Neuer Gedanke {number}.", email=f"w{number}@example.org")
            expect(writer.get_by_text(f"Neuer Gedanke {number}.")).to_be_visible()
        approve_in_the_desk(browser, live_server, [f"Neuer Gedanke {n}." for n in range(3)])
    finally:
        writer_context.close()
    assert Comment.objects.approved().count() == 4

    reader.clock.run_for(60000)  # the next question, after the back-off
    live = reader.locator(".discussion-live")
    expect(live).to_contain_text("3 neue Kommentare.")
    expect(live).to_have_attribute("aria-live", "polite")
    expect(reader.locator(".comment-list")).not_to_contain_text("Neuer Gedanke 0.")
    if SHOTS:
        live.scroll_into_view_if_needed()
        reader.screenshot(path=SHOTS / f"live-button-{width}-light.png")
        reader.emulate_media(color_scheme="dark")
        reader.screenshot(path=SHOTS / f"live-button-{width}-dark.png")
    reader.get_by_role("button", name="3 neue Kommentare anzeigen").click()
    expect(reader.locator(".comment-list > li.comment")).to_have_count(4)
    expect(reader.locator(".comments-title")).to_have_text("4 Kommentare zu „AI Safety Progress“")
    expect(reader.locator(".comments-title")).to_be_focused()
    expect(live).to_have_text("Neue Kommentare geladen.")
    assert reader.evaluate("document.documentElement.scrollWidth") <= width
    assert not errors
    reader_context.close()


def test_without_scripting_nothing_changes(browser, report_url):
    context = browser.new_context(java_script_enabled=False, locale="de-DE")
    page = context.new_page()
    page.goto(report_url)
    expect(page.locator(".discussion-live")).to_be_empty()
    expect(page.locator("script[src*='live']")).to_have_count(0)
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_meine_kommentare_in_the_same_browser(browser, report, report_url, width):
    CommentFactory(report=report, author_email="erika@example.org", text="Andernorts.")
    for scheme in ("light", "dark"):
        context = new_context(browser, width, scheme)
        page = context.new_page()
        page.goto(report_url)
        post_comment(page, f"Mein Einwand ({scheme}).")
        mine = Comment.objects.get(text=f"Mein Einwand ({scheme}).")
        note = page.locator(f"#c{mine.pk} .comment-awaiting-note")
        expect(note).to_contain_text("Status und Antworten: Meine Kommentare")
        if SHOTS:
            page.locator(f"#c{mine.pk}").scroll_into_view_if_needed()
            page.screenshot(path=SHOTS / f"own-waiting-{width}-{scheme}.png")
        note.get_by_role("link", name="Meine Kommentare").click()

        expect(page).to_have_url(re.compile(r"/kommentare/meine/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Meine Kommentare")
        item = page.locator(f"li#c{mine.pk}")
        expect(item.locator(".own-status")).to_have_text("wartet")
        expect(item).to_contain_text(f"Mein Einwand ({scheme}).")
        # Only this browser's comments: the same address's comment from elsewhere is not here.
        expect(page.locator("main")).not_to_contain_text("Andernorts.")
        item.get_by_role("button", name="Bei Antworten benachrichtigen").click()
        expect(page.locator(".own-done")).to_contain_text("Bitte bestätige darin")
        expect(page.locator(f"li#c{mine.pk}")).to_contain_text("wartet auf deine Bestätigung")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert not serious_violations(page)
        if SHOTS:
            page.screenshot(path=SHOTS / f"own-page-{width}-{scheme}.png", full_page=True)
        context.close()


def test_meine_kommentare_from_the_mailed_link(browser, live_server, report):
    from django.core import mail

    approved = CommentFactory(report=report, author_email="erika@example.org", text="Steht.")
    CommentFactory(report=report, parent=approved, author_name="Max Antwort", text="Danke!")
    context = new_context(browser, 375)
    page = context.new_page()
    page.goto(live_server.url + reverse("comments:mine"))
    page.get_by_label("E-Mail-Adresse").fill("erika@example.org")
    page.get_by_role("button", name="Link schicken").click()
    expect(page.locator(".own-done")).to_contain_text("Wenn es zu dieser Adresse Kommentare gibt")
    link = re.search(r"http://testserver(\S+)", mail.outbox[-1].body)[1]

    other = new_context(browser, 1440).new_page()
    other.goto(live_server.url + link)
    item = other.locator(f"li#c{approved.pk}")
    expect(item.locator(".own-status")).to_have_text("freigegeben")
    expect(item).to_contain_text("Eine Antwort")
    expect(item).to_contain_text("Max Antwort")
    item.get_by_role("button", name="Bei Antworten benachrichtigen").click()
    expect(other.locator(".own-done")).to_contain_text("Du bekommst jetzt eine E-Mail")
    expect(other.locator(f"li#c{approved.pk}")).to_contain_text("Abbestellen")
    if SHOTS:
        other.screenshot(path=SHOTS / "own-page-link-1440-light.png", full_page=True)
    other.context.close()
    context.close()
