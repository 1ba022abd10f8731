"""The moderation desk in a real browser: width, row actions in place, shortcuts, axe."""

import importlib

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from playwright.sync_api import expect

from aireport.staff_groups import grant_group_permissions
from comments.models import Comment
from tests.comments.conftest import CommentFactory
from tests.factories import ReportFactory, UserFactory

pytestmark = pytest.mark.browser
Status = Comment.Status
PASSWORD = "correct horse battery staple"  # noqa: S105
LONG = (
    "Ein sehr langer Kommentar ohne Ende, der mehrere Zeilen füllen würde, wenn die Liste ihn "
    "ungekürzt zeigte; "
) * 6


@pytest.fixture
def desk(transactional_db):
    """Two reports and 25 comments with long names, addresses and texts."""
    migration = importlib.import_module("comments.migrations.0010_moderators_desk_permissions")
    group = grant_group_permissions(
        Group, Permission, "Moderators", migration.MODERATOR_PERMISSIONS
    )
    user = UserFactory(username="moderatorin", is_staff=True)
    user.groups.add(group)
    report = ReportFactory(title="AI Safety and Alignment Progress Report: December 2026")
    ReportFactory(title="Ein zweiter Bericht mit einem recht langen Titel")
    comments = []
    for n in range(25):
        parent = comments[-1] if n % 4 == 3 else None
        comments.append(
            CommentFactory(
                report=report,
                parent=parent,
                status=Status.PENDING if n % 3 == 0 else Status.APPROVED,
                author_name=f"Maximiliane Mustermann-Überlänge {n}",
                author_email=f"maximiliane.mustermann.ueberlaenge{n}@beispiel-domain.example.org",
                author_url=f"https://www.eine-sehr-lange-adresse-zum-testen.example.org/profil/{n}",
                ip_address="203.0.113.9",
                text=f"{n}: {LONG}",
            )
        )
    return comments


def login(page, live_server, path="admin:comments_comment_changelist"):
    page.goto(live_server.url + reverse("admin:login") + "?next=" + reverse(path))
    page.locator("#id_username").fill("moderatorin")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(f"**{reverse(path)}")
    page.wait_for_load_state("load")


def test_list_fits_1280_pixels_and_rows_stay_two_lines(page, live_server, desk):
    login(page, live_server)
    expect(page.locator(".comment-views")).to_contain_text("Alle (25)")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280
    line = page.locator(".comment-line").first
    height = line.evaluate("e => e.getBoundingClientRect().height")
    line_height = line.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
    assert height <= 2 * line_height + 1


def test_row_action_with_javascript_acts_in_place_and_keeps_scroll(page, live_server, desk):
    login(page, live_server)
    target = desk[6]  # pending, far enough down to scroll
    row = page.locator("#result_list tbody tr").filter(
        has=page.locator(f"[data-comment='{target.pk}']")
    )
    row.scroll_into_view_if_needed()
    page.mouse.wheel(0, 300)
    page.wait_for_timeout(100)
    before = page.evaluate("window.scrollY")
    assert before > 0
    url = page.url
    row.get_by_role("button", name="Freigeben").click()
    expect(page.locator("#comment-desk-status")).to_have_text("1 Kommentar freigegeben.")
    expect(row.locator(".comment-status")).to_have_text("Freigegeben")
    assert page.url == url
    assert page.evaluate("window.scrollY") == before
    target.refresh_from_db()
    assert target.status == Status.APPROVED
    row.get_by_role("button", name="Spam").click()
    expect(row).to_have_count(0)
    expect(page.locator(".comment-views")).to_contain_text("Spam (1)")


def test_the_trash_row_action_asks_for_the_ground(page, live_server, desk):
    """DSA Art. 17: "Papierkorb" (and its shortcut d) opens the page that asks for the ground,
    which is refused without one; the author is told it (tests/comments/test_statements.py)."""
    login(page, live_server)
    target = desk[-2]  # approved, on the first page
    row = page.locator("#result_list tbody tr").filter(
        has=page.locator(f"[data-comment='{target.pk}']")
    )
    row.get_by_role("link", name="Papierkorb").click()
    expect(
        page.get_by_role("heading", name="In den Papierkorb legen: Grund angeben")
    ).to_be_visible()
    page.get_by_role("button", name="In den Papierkorb legen").click()  # no ground: refused
    expect(
        page.get_by_role("heading", name="In den Papierkorb legen: Grund angeben")
    ).to_be_visible()
    target.refresh_from_db()
    assert target.status == Status.APPROVED
    page.get_by_label("Regel 2: Angriffe auf Personen").check()
    page.get_by_label("Erläuterung").fill("Beschimpft eine andere Leserin.")
    page.get_by_role("button", name="In den Papierkorb legen").click()
    expect(page.get_by_text("1 Kommentar in den Papierkorb gelegt.")).to_be_visible()
    target.refresh_from_db()
    assert target.status == Status.TRASH
    # The shortcut d leads to the same page, once the desk's script listens (after the load).
    page.wait_for_load_state("load")
    page.keyboard.press("j")
    expect(page.locator("#result_list tr.comment-current")).to_have_count(1)
    page.keyboard.press("d")
    expect(
        page.get_by_role("heading", name="In den Papierkorb legen: Grund angeben")
    ).to_be_visible()


def test_row_action_without_javascript(browser, live_server, desk):
    context = browser.new_context(
        java_script_enabled=False, locale="de-DE", viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    try:
        login(page, live_server)
        target = desk[24]  # newest, on the first page
        row = page.locator("#result_list tbody tr").filter(
            has=page.locator(f"[data-comment='{target.pk}']")
        )
        row.get_by_role("button", name="Spam").click()
        expect(page.locator(".messagelist")).to_contain_text("1 Kommentar als Spam markiert.")
        target.refresh_from_db()
        assert target.status == Status.SPAM
    finally:
        context.close()


def test_keyboard_shortcuts(page, live_server, desk):
    login(page, live_server)
    expect(page.locator(".comment-shortcuts")).to_contain_text("Tastenkürzel")
    rows = page.locator("#result_list tbody tr")
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(rows.nth(1)).to_have_class("comment-current")
    page.keyboard.press("k")
    expect(rows.nth(0)).to_have_class("comment-current")
    first_id = int(rows.nth(0).locator(".comment-row").get_attribute("data-comment"))
    first = Comment.objects.get(pk=first_id)
    key, expected = ("u", Status.PENDING) if first.is_approved else ("a", Status.APPROVED)
    page.keyboard.press(key)
    expect(page.locator("#comment-desk-status")).not_to_be_empty()
    first.refresh_from_db()
    assert first.status == expected

    # Typing in the search field is typing, not moderating.
    statuses = dict(Comment.objects.values_list("pk", "status"))
    page.locator("#searchbar").fill("")
    page.locator("#searchbar").type("asdu")
    page.wait_for_timeout(300)
    assert dict(Comment.objects.values_list("pk", "status")) == statuses

    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("s")
    expect(page.locator("#comment-desk-status")).to_have_text("1 Kommentar als Spam markiert.")
    assert Comment.objects.get(pk=first_id).status == Status.SPAM
    page.keyboard.press("r")
    expect(page.locator(".comment-reply-row textarea")).to_be_focused()
    page.keyboard.type("Danke!")
    page.locator(".comment-reply-row").get_by_role("button", name="Antworten").click()
    expect(page.locator("#comment-desk-status")).to_contain_text("veröffentlicht")
    assert Comment.objects.filter(moderator__isnull=False, text="Danke!").exists()


def serious_violations(page):
    results = Axe().run(page)
    return [
        v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}
    ], results


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violations_on_list_and_comment_page(
    page, live_server, desk, scheme
):
    page.emulate_media(color_scheme=scheme)
    login(page, live_server)
    serious, results = serious_violations(page)
    assert not serious, results.generate_report()
    page.goto(live_server.url + reverse("admin:comments_comment_change", args=[desk[3].pk]))
    serious, results = serious_violations(page)
    assert not serious, results.generate_report()


@pytest.mark.parametrize("width", [375, 1280])
def test_melden_link_and_form_fit_and_pass_axe(browser, live_server, desk, width):
    """A plain link and a plain form (no script on that page; axe needs JavaScript to run)."""
    from comments.models import Notice

    context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        approved = desk[1]
        page.goto(live_server.url + approved.report.get_absolute_url())
        page.locator(f"#c{approved.pk} .comment-report-link").click()
        expect(page.locator("h1")).to_have_text("Kommentar melden")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        serious, results = serious_violations(page)
        assert not serious, results.generate_report()
        page.get_by_label("Falschinformation").check()
        page.get_by_label("Begründung *").fill("Die Zahlen stimmen nicht.")
        page.get_by_role("button", name="Meldung abschicken").click()
        expect(page.locator("h1")).to_have_text("Danke für deine Meldung")
    finally:
        context.close()
    notice = Notice.objects.get()
    assert (notice.comment_id, notice.reason) == (approved.pk, "misinformation")
