"""Every screen of the admin and the long article, at 375 and 1440 px, light and dark.

Each test opens one screen in the four views and asserts what a person would notice at once:
nothing scrolls sideways, the screen's own layout holds (cards, indentation, colours, a wide
monospace Markdown box) and axe finds no serious or critical violation. A desktop screen broke
once while every phone-sized check passed (a media block left open in admin.css), hence both
widths every time.

Elements are found by role, label and the stylesheet's own classes, not by the markup's shape.
With SCREENSHOTS=<folder> in the environment each view is also saved as a PNG there.
"""

import datetime
import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from comments.models import Comment
from reports.models import Publication, Report
from reports.seed import import_report, read_seed_file
from tests.browser.conftest import TIMEOUT_MS
from tests.comments.conftest import CommentFactory
from tests.conftest import SEED_PATH
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

VIEWS = [(width, scheme) for width in (375, 1440) for scheme in ("light", "dark")]
DESKTOP = 1440


@pytest.fixture
def report(transactional_db, live_server):
    """The seed report with a saved draft (two versions to compare) and a long discussion."""
    import_report(read_seed_file(SEED_PATH))
    report = Report.objects.get()
    start = timezone.now() - datetime.timedelta(days=3)
    comments = []
    for number in range(60):
        parent = comments[number - 1] if number % 3 == 2 else None
        comments.append(
            CommentFactory(
                report=report,
                parent=parent,
                created_at=start + datetime.timedelta(minutes=number),
                author_name=f"Leserin {number}",
                text=f"Kommentar {number}: ein Gedanke zum Bericht, so lang wie ein echter. " * 2,
            )
        )
    return report


@pytest.fixture
def chief(transactional_db):
    return UserFactory(username="chefin", is_staff=True, is_superuser=True)


@pytest.fixture
def staff_page(browser, live_server, chief):
    """One page signed in as a superuser (a session cookie, not the sign-in form)."""
    client = Client()
    client.force_login(chief)
    context = browser.new_context(locale="de-DE")
    context.set_default_timeout(TIMEOUT_MS)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    yield context.new_page()
    context.close()


@pytest.fixture
def reader_page(browser):
    context = browser.new_context(locale="de-DE")
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def a_saved_draft(chief, report) -> None:
    """An editor's change saved through the admin, so that compare has two versions."""
    from tests.reports.test_admin_editing import (
        change_url,
        form_index,
        read_change_form,
        submit,
    )

    client = Client()
    client.force_login(chief)
    url = change_url(report)
    data = read_change_form(client, url)
    index = form_index(data, "Conclusion")
    data[f"sections-{index}-body"] = (
        data[f"sections-{index}-body"].replace("progress", "uneven progress", 1)
        + "\n\nA new closing sentence."
    )
    data[f"sections-{form_index(data, 'Agent Safety')}-body"] = "Shortened."
    submit(client, url, data)


def check_every_view(page, url: str, facts, *, name: str) -> None:
    """Open `url` in each view, run `facts(page, width)` and the common checks; report all
    failing views at once."""
    failures = []
    for width, scheme in VIEWS:
        page.set_viewport_size({"width": width, "height": 900})
        page.emulate_media(color_scheme=scheme)
        response = page.goto(url)
        assert response.status == 200, f"{url}: {response.status}"
        view = f"{name} at {width} px, {scheme}"
        try:
            facts(page, width)
        except AssertionError as error:
            failures.append(f"{view}: {error}")
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            failures.append(f"{view}: scrolls sideways ({scroll_width} px wide)")
        if violations := serious_violations(page):
            failures.append(f"{view}: axe: {violations}")
        if folder := os.environ.get("SCREENSHOTS"):
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=Path(folder) / f"{name}-{width}-{scheme}.png", full_page=True)
    assert not failures, "\n".join(failures)


def serious_violations(page) -> list[str]:
    """axe's serious and critical findings, one line each: the rule, the impact, the elements."""
    return [
        f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes']]} "
        f"{v['nodes'][0].get('failureSummary', '')[:300]!r}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def style(locator, prop: str) -> str:
    return locator.evaluate("(e, p) => getComputedStyle(e).getPropertyValue(p)", prop)


def pixels(locator, prop: str) -> float:
    return float(style(locator, prop).removesuffix("px"))


def rgb(colour: str) -> tuple[int, ...]:
    """ "rgb(216, 245, 221)" → (216, 245, 221); transparent is (0, 0, 0, 0)."""
    inside = colour[colour.index("(") + 1 : colour.index(")")]
    return tuple(round(float(part)) for part in inside.replace("/", ",").split(",") if part.strip())


def characters_wide(textarea) -> float:
    """How many of the textarea's own "0" characters fit into its text area."""
    return textarea.evaluate(
        """t => {
          const probe = document.createElement("span");
          probe.style.font = getComputedStyle(t).font;
          probe.style.whiteSpace = "pre";
          probe.textContent = "0".repeat(40);
          document.body.append(probe);
          const width = probe.getBoundingClientRect().width / 40;
          probe.remove();
          const padding = parseFloat(getComputedStyle(t).paddingLeft)
            + parseFloat(getComputedStyle(t).paddingRight);
          return (t.clientWidth - padding) / width;
        }"""
    )


def test_the_change_form_with_sections_folded_and_open(staff_page, report, live_server):
    url = live_server.url + reverse("admin:reports_report_change", args=[report.pk])

    def facts(page, width):
        sections = page.locator("#sections-group .inline-related:not(.empty-form)")
        expect(sections.first).to_be_visible()
        top_level = page.locator("#sections-group .inline-related:not(.empty-form, .is-subsection)")
        subsection = page.locator("#sections-group .inline-related.is-subsection").first
        if width == DESKTOP:
            for index in range(min(sections.count(), 5)):
                card = sections.nth(index)
                assert style(card, "border-top-style") != "none", "a section is not a card"
                assert pixels(card, "border-top-width") >= 1, "a section has no border"
        indent = subsection.bounding_box()["x"] - top_level.first.bounding_box()["x"]
        assert indent >= (24 if width == DESKTOP else 8), f"subsections indented {indent} px"
        # Folded: the Markdown is hidden; open: a wide box in a monospace font.
        body = subsection.locator("textarea.markdown-editor")
        expect(body).to_be_hidden()
        subsection.locator("button[aria-expanded]").first.click()
        expect(body).to_be_visible()
        assert "monospace" in style(body, "font-family"), style(body, "font-family")
        if width == DESKTOP:
            assert characters_wide(body) >= 40, f"{characters_wide(body):.0f} characters"
        lead = page.locator(".field-lead textarea")
        assert "monospace" in style(lead, "font-family")

    check_every_view(staff_page, url, facts, name="change-form")


def test_compare_colours_insertions_and_deletions(staff_page, report, live_server, chief):
    a_saved_draft(chief, report)
    history = live_server.url + reverse("admin:reports_report_history", args=[report.pk])
    staff_page.goto(history)
    compare = staff_page.locator("a[href*='/changes/']").first.get_attribute("href")
    url = live_server.url + compare

    def facts(page, width):
        page_background = rgb(style(page.locator("body"), "background-color"))
        inserted, deleted = (
            page.locator(".comparison ins").first,
            page.locator(".comparison del").first,
        )
        expect(inserted).to_be_visible()
        red, green, _ = rgb(style(inserted, "background-color"))[:3]
        assert green > red, f"insertions are not green: {style(inserted, 'background-color')}"
        red, green, _ = rgb(style(deleted, "background-color"))[:3]
        assert red > green, f"deletions are not red: {style(deleted, 'background-color')}"
        assert rgb(style(inserted, "background-color"))[:3] != page_background[:3]
        assert style(deleted, "text-decoration-line") == "line-through"

    check_every_view(staff_page, url, facts, name="compare")


def test_history(staff_page, report, live_server, chief):
    a_saved_draft(chief, report)
    url = live_server.url + reverse("admin:reports_report_history", args=[report.pk])

    def facts(page, width):
        expect(page.locator("#change-history tbody tr")).to_have_count(2)

    check_every_view(staff_page, url, facts, name="history")


def test_the_preview(staff_page, report, live_server, chief):
    a_saved_draft(chief, report)
    url = live_server.url + reverse("admin:reports_report_preview", args=[report.pk])

    def facts(page, width):
        expect(page.locator(".preview-banner")).to_contain_text("Vorschau")
        expect(page.locator("article.report")).to_contain_text("A new closing sentence.")

    check_every_view(staff_page, url, facts, name="preview")


def test_the_desk_list(staff_page, report, live_server):
    Comment.objects.filter(author_name__endswith="7").update(status=Comment.Status.PENDING)
    url = live_server.url + reverse("admin:comments_comment_changelist")

    def facts(page, width):
        header = page.locator("#result_list thead")
        if width == DESKTOP:
            expect(header).to_be_visible()  # a table with columns, not the phones' cards
        else:
            expect(header).to_be_hidden()
        expect(page.locator("#result_list tbody tr").first).to_be_visible()

    check_every_view(staff_page, url, facts, name="desk")


def test_a_comments_page(staff_page, report, live_server):
    reply = Comment.objects.exclude(parent=None).first()
    url = live_server.url + reverse("admin:comments_comment_change", args=[reply.pk])

    def facts(page, width):
        text = page.locator("#content form textarea").first
        expect(text).to_be_visible()
        expect(page.locator("#content")).to_contain_text("Antwort auf")

    check_every_view(staff_page, url, facts, name="comment")


def test_the_ban_page(staff_page, report, live_server):
    comment = Comment.objects.first()
    url = live_server.url + reverse("admin:comments_comment_ban", args=[comment.pk])

    def facts(page, width):
        expect(page.locator("#content form")).to_be_visible()
        expect(page.locator("#content")).to_contain_text(comment.author_email)

    check_every_view(staff_page, url, facts, name="ban")


def test_the_moderation_log(staff_page, report, live_server, chief):
    kind = ContentType.objects.get_for_model(Comment)
    for comment in Comment.objects.all()[:5]:
        LogEntry.objects.create(
            user=chief,
            content_type=kind,
            object_id=str(comment.pk),
            object_repr=f"Kommentar #{comment.pk}",
            action_flag=CHANGE,
            change_message="Status: Freigegeben → Spam",
        )
    url = live_server.url + reverse("admin:comments_moderationlogentry_changelist")

    def facts(page, width):
        expect(page.locator("#result_list tbody tr")).to_have_count(5)

    check_every_view(staff_page, url, facts, name="moderation-log")


def test_the_discussion_settings(staff_page, transactional_db, live_server):
    url = live_server.url + reverse("admin:comments_discussionsettings_changelist")

    def facts(page, width):
        expect(page.get_by_label("Linkgrenze")).to_be_visible()

    check_every_view(staff_page, url, facts, name="settings")


def test_a_legal_pages_form(staff_page, legal_pages, live_server):
    page_to_edit = legal_pages["impressum"]
    url = live_server.url + reverse("admin:legal_legalpage_change", args=[page_to_edit.pk])

    def facts(page, width):
        body = page.locator("#content form textarea").first
        expect(body).to_be_visible()
        assert "monospace" in style(body, "font-family"), style(body, "font-family")
        if width == DESKTOP:
            assert characters_wide(body) >= 40, f"{characters_wide(body):.0f} characters"

    check_every_view(staff_page, url, facts, name="legal")


def test_the_sign_in_page(reader_page, transactional_db, live_server):
    url = live_server.url + reverse("admin:login")

    def facts(page, width):
        expect(page.get_by_role("link", name="Passwort vergessen?")).to_be_visible()

    check_every_view(reader_page, url, facts, name="sign-in")


def test_the_password_reset_form(reader_page, transactional_db, live_server):
    url = live_server.url + reverse("admin_password_reset")

    def facts(page, width):
        expect(page.get_by_label("E-Mail-Adresse")).to_be_visible()

    check_every_view(reader_page, url, facts, name="password-reset")


def test_the_article_with_a_long_discussion(reader_page, report, live_server, settings):
    settings.COMMENTS_PER_PAGE = 15
    url = live_server.url + report.get_absolute_url()

    def facts(page, width):
        navigations = page.locator("nav.comments-pagination")
        expect(navigations).to_have_count(2)
        names = {navigations.nth(i).get_attribute("aria-label") for i in range(2)}
        assert len(names) == 2, f"the two page navigations share a name: {names}"

    check_every_view(reader_page, url, facts, name="article")


def test_an_earlier_version_and_its_citations(reader_page, report, live_server):
    """A version's page offers its citation and each section's; a section dropped since is
    cited in the version that had it, whose citation page says it is an earlier one."""
    outline = report.content_outline()
    dropped = {"level": 2, "title": "Outlook", "anchor": "outlook", "body": "Dropped since."}
    earlier = Publication.objects.create(
        report=report,
        published_at=timezone.now() - datetime.timedelta(days=2),
        initial=True,
        content={**outline, "sections": [*outline["sections"], dropped]},
    )
    Publication.objects.create(
        report=report, published_at=timezone.now() - datetime.timedelta(hours=1), content=outline
    )

    def version(page, width):
        cite = page.locator(".report-header details.cite")
        cite.get_by_text("Zitiervorschlag", exact=True).click()
        expect(cite.get_by_role("link", name="Alle Formate")).to_be_visible()
        expect(cite).to_contain_text(earlier.get_version_url())
        line = page.locator("#s-outlook + .section-talk")
        expect(line.get_by_role("link", name="Zitiervorschlag")).to_be_visible()

    check_every_view(
        reader_page, live_server.url + earlier.get_version_url(), version, name="version"
    )

    def citation(page, width):
        expect(page.get_by_role("heading", level=1)).to_contain_text("Outlook")
        expect(page.get_by_role("note")).to_contain_text("frühere Fassung")
        expect(page.locator("#zitat-bib")).to_contain_text(f"{earlier.get_version_url()}#s-outlook")

    url = f"{live_server.url}{earlier.get_version_url()}zitieren/outlook/"
    check_every_view(reader_page, url, citation, name="version-section-citation")
