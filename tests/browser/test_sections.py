"""Discussion by section in a real browser (issue 11): "Diskutieren" chooses the section in the
form without a page load and puts the cursor in the text box, the links and badges sit quietly
beside the headings and the contents on a 375 px phone, and axe finds nothing serious in either
colour scheme.

Screenshots at 375 and 1440 px (light and dark) go to var/screenshots/ (git-ignored).
"""

import datetime
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from comments.models import Comment
from reports.models import Publication, Report
from reports.seed import import_report, read_seed_file
from tests.browser.conftest import PHONE, open_page, serious_violations
from tests.comments.conftest import CommentFactory
from tests.conftest import SEED_PATH

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
DESKTOP = {"width": 1440, "height": 900}
COUNTS = {"agent-safety": 3, "2-mechanistic-interpretability-breakthroughs": 12, "conclusion": 1}


@pytest.fixture
def report(transactional_db):
    import_report(read_seed_file(SEED_PATH))
    report = Report.objects.get()
    start = timezone.now() - datetime.timedelta(days=2)
    number = 0
    for anchor, count in COUNTS.items():
        section = report.sections.get(anchor=anchor)
        for _ in range(count):
            comment = CommentFactory.build(
                report=report,
                created_at=start + datetime.timedelta(minutes=number),
                text=f"Kommentar {number} zum Abschnitt, so lang wie ein echter Gedanke dazu.",
            )
            comment.set_section(section)
            comment.save()
            number += 1
    CommentFactory(report=report, text="Ein Kommentar zum ganzen Bericht.")
    # One comment answers an older text of "Agent Safety": a published change since.
    Comment.objects.filter(section_anchor="agent-safety").filter(
        pk=Comment.objects.filter(section_anchor="agent-safety").order_by("pk").first().pk
    ).update(section_fingerprint="0" * 32)
    Publication.objects.create(
        report=report,
        published_at=timezone.now() - datetime.timedelta(days=1),
        note="Agent Safety überarbeitet.",
        content={},
        sections_touched=[{"anchor": "agent-safety", "title": "Agent Safety", "kind": "geändert"}],
    )
    return report


@pytest.fixture
def report_url(live_server, report) -> str:
    return live_server.url + report.get_absolute_url()


def overlaps(a, b) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


#: The box of an element's own text (not its padding), as the reader sees the words.
TEXT_BOX = """element => {
  const range = document.createRange();
  range.selectNodeContents(element);
  const box = range.getBoundingClientRect();
  return {x: box.x, y: box.y, width: box.width, height: box.height};
}"""


def test_diskutieren_chooses_the_section_without_a_page_load(browser, report_url, report):
    page = open_page(browser, report_url)
    try:
        page.evaluate("window.notReloaded = true")
        page.locator("#s-agent-safety + .section-talk a[href^='?abschnitt=']").click()
        select = page.locator("#id_section")
        expect(select).to_have_value("agent-safety")
        # The reader came to write: the text box takes the focus, the chosen section in view.
        expect(page.locator("#id_text")).to_be_focused()
        expect(select).to_be_in_viewport()
        expect(page.locator("#kommentarformular")).to_be_in_viewport()
        assert page.evaluate("window.notReloaded") is True
        assert page.url == report_url

        # A reply hides the select; "Diskutieren" then brings the form home, select and all.
        page.locator(".comment-reply-link").first.click()
        expect(select).to_be_hidden()
        page.locator("#s-conclusion + .section-talk a[href^='?abschnitt=']").click()
        expect(select).to_be_visible()
        expect(select).to_have_value("conclusion")
        assert page.locator("input[name='parent']").input_value() == ""

        # And the comment is sent about that section.
        page.locator("#id_text").fill("Das Fazit kommt zu schnell.")
        page.locator("#id_author_name").fill("Erika")
        page.locator("#id_author_email").fill("erika@example.org")
        page.locator("button.submit").click()
        expect(page.locator(".comment-awaiting-moderation")).to_be_visible()
        comment = Comment.objects.get(text="Das Fazit kommt zu schnell.")
        assert comment.section_anchor == "conclusion"
    finally:
        page.context.close()


def test_without_javascript_the_link_opens_the_form_with_the_section(browser, report_url, report):
    page = open_page(browser, report_url, javascript=False)
    try:
        page.locator("#s-agent-safety + .section-talk a[href^='?abschnitt=']").click()
        assert page.url == f"{report_url}?abschnitt=agent-safety#kommentarformular"
        expect(page.locator("#id_section")).to_have_value("agent-safety")
    finally:
        page.context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_links_and_badges_do_not_crowd_headings_or_contents(browser, report_url, viewport):
    page = open_page(browser, report_url, viewport=viewport)
    try:
        assert page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
        talks = page.locator(".section-talk")
        assert talks.count() == 17
        for index in range(talks.count()):
            talk = talks.nth(index)
            heading = talk.locator("xpath=preceding-sibling::*[1]")
            assert heading.evaluate("e => e.tagName") in {"H2", "H3"}
            heading_text = heading.evaluate(TEXT_BOX)
            talk_box = talk.bounding_box()
            assert not overlaps(heading_text, talk_box)
            assert talk_box["y"] >= heading_text["y"] + heading_text["height"]
            # Close to its heading (it belongs to it), above the section's first paragraph.
            assert talk_box["y"] - (heading_text["y"] + heading_text["height"]) < 24
            # A comfortable target for a thumb (WCAG 2.5.8: at least 24 px high).
            assert talk.locator("a").first.bounding_box()["height"] >= 24
        if viewport is PHONE:
            page.locator(".toc-summary").click()
        badges = page.locator(".toc .toc-count")
        assert badges.count() == len(COUNTS)
        for index in range(badges.count()):
            badge = badges.nth(index)
            link = badge.locator("xpath=preceding-sibling::a[1]")
            badge_box = badge.bounding_box()
            assert not overlaps(link.evaluate(TEXT_BOX), badge_box)
            entry = badge.locator("xpath=..").bounding_box()
            assert badge_box["x"] + badge_box["width"] <= entry["x"] + entry["width"] + 1
        assert page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
    finally:
        page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_axe_and_screenshots(browser, report_url, report, scheme, viewport):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = f"sections-{viewport['width']}-{scheme}"
    page = open_page(browser, report_url, viewport=viewport, scheme=scheme)
    try:
        if viewport is PHONE:
            page.locator(".toc-summary").click()
        assert not serious_violations(page)
        page.locator("nav.toc").screenshot(path=SCREENSHOTS / f"{name}-toc.png")
        page.locator("#s-emerging-safety-challenges").scroll_into_view_if_needed()
        page.evaluate("document.getElementById('s-emerging-safety-challenges').scrollIntoView()")
        page.screenshot(path=SCREENSHOTS / f"{name}-headings.png")
        page.evaluate("document.getElementById('kommentare').scrollIntoView()")
        page.screenshot(path=SCREENSHOTS / f"{name}-discussion.png")

        page.goto(
            page.url.split("/berichte/")[0]
            + reverse("comments:section", args=[report.slug, "agent-safety"])
        )
        expect(page.locator("h1")).to_have_text("Diskussion zu „Agent Safety“")
        assert not serious_violations(page)
        page.screenshot(path=SCREENSHOTS / f"{name}-section-page.png", full_page=True)
    finally:
        page.context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_desk_shows_and_filters_the_section(browser, live_server, viewport):
    import importlib

    from django.contrib.auth.models import Group, Permission

    from aireport.staff_groups import grant_group_permissions
    from tests.browser.test_moderation_desk import login
    from tests.factories import UserFactory

    import_report(read_seed_file(SEED_PATH))
    report = Report.objects.get()
    # Transactional tests flush the groups the migrations made: made again as they are.
    migration = importlib.import_module("comments.migrations.0010_moderators_desk_permissions")
    group = grant_group_permissions(
        Group, Permission, "Moderators", migration.MODERATOR_PERMISSIONS
    )
    UserFactory(username="moderatorin", is_staff=True).groups.add(group)
    for anchor in ("agent-safety", "synthetic-media-and-disinformation", ""):
        comment = CommentFactory.build(report=report, text=f"Ein Kommentar zu {anchor or 'allem'}.")
        comment.set_section(report.sections.get(anchor=anchor) if anchor else None)
        comment.save()
    context = browser.new_context(viewport=viewport, locale="de-DE")
    page = context.new_page()
    try:
        login(page, live_server)
        expect(page.locator(".comment-section-of")).to_have_text(
            ["Abschnitt: Synthetic Media and Disinformation", "Abschnitt: Agent Safety"]
        )
        assert page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"
        )
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"sections-desk-{viewport['width']}.png", full_page=True)
        page.goto(page.url + "?abschnitt=agent-safety")
        expect(page.locator(".comment-row")).to_have_count(1)
        results = Axe().run(page)
        serious = [
            v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}
        ]
        assert not serious, results.generate_report()
    finally:
        context.close()
