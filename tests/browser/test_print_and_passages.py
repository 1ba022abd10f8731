"""Printing (to PDF with Chromium), links to a passage, and the citation disclosure, on a phone
(375 px) and a wide screen (1440 px).

The PDF is read with pypdf: its pages' size and the text a reader of the printout gets; the print
media's computed styles say which parts of the page Chromium laid out.
"""

import io
import re

import pypdf
import pytest
from playwright.sync_api import expect

from comments.models import Comment
from reports.models import Report
from reports.passages import passage_url
from reports.seed import import_report, read_seed_file
from tests.browser.conftest import open_page
from tests.browser.test_quotes import drag_select
from tests.comments.conftest import CommentFactory
from tests.conftest import SEED_PATH

pytestmark = [pytest.mark.browser]

WIDTHS = [
    pytest.param({"width": 375, "height": 740}, id="375"),
    pytest.param({"width": 1440, "height": 900}, id="1440"),
]
#: Words of "Agent Safety" with a comma, a colon and a hyphen, across a <strong>.
QUOTED = "Multi-agent dynamics: When multiple agents interact, emergent behaviors can arise"
#: Words inside one text node of "Agent Safety" (the "Tool misuse" item).
SELECTED = "external tools (browsers, code execution, file systems) can cause harm"
A4_POINTS = (595.92, 842.88)


@pytest.fixture
def report(transactional_db):
    import_report(read_seed_file(SEED_PATH))
    report = Report.objects.get()
    section = report.sections.get(anchor="agent-safety")
    section.body += "\n\nSee the [evaluation guide](https://example.org/guide) for details."
    section.save()
    quoting = CommentFactory.build(report=report, text=f"> {QUOTED}\n\nGenau das fehlt uns.")
    quoting.set_section(section)
    quoting.save()
    CommentFactory(report=report, text="Ein zweiter, freigegebener Kommentar zum Bericht.")
    return report


def pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """The size of every page, in points."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [(float(page.mediabox.width), float(page.mediabox.height)) for page in reader.pages]


def pdf_text(pdf: bytes) -> str:
    """The printout's text, spaces and line breaks collapsed (a title may wrap)."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


#: Words of the page that belong to the screen, not the printout: navigation, forms, buttons,
#: the sections' quiet lines, the header's tools.
SCREEN_ONLY = [
    "Zum Inhalt springen",
    "Schreibe einen Kommentar",
    "Kommentar abschicken",
    "Link kopieren",
    "Diskutieren",
    "Zitiervorschlag",
    "Drucken mit Kommentaren",
    "Nach oben",
    "Impressum",
    "Datenschutz",
]
#: The approved comments of the `report` fixture.
COMMENT_WORDS = ["Genau das fehlt uns.", "Ein zweiter, freigegebener Kommentar zum Bericht."]


def print_styles(page) -> dict:
    page.emulate_media(media="print")
    return page.evaluate(
        """() => {
          const visible = el => getComputedStyle(el).display !== 'none';
          const shown = el => !!el && visible(el) && [...ancestors(el)].every(visible);
          function* ancestors(el) { while ((el = el.parentElement)) yield el; }
          const all = sel => [...document.querySelectorAll(sel)];
          const external = document.querySelector(".report a[href^='http']");
          const toc = document.querySelector('.toc-list');
          return {
            header: shown(document.querySelector('.site-header')),
            footer: shown(document.querySelector('.site-footer')),
            forms: all('form').filter(shown).length,
            buttons: all('button').filter(shown).length,
            toc: shown(toc) && toc.offsetHeight > 0,
            tocSummary: shown(document.querySelector('.toc-summary')),
            title: shown(document.querySelector('.report-header h1')),
            dates: all('.report-meta').filter(shown).length,
            externalAfter: getComputedStyle(external, '::after').content,
            headingBreak: getComputedStyle(document.querySelector('.report h2')).breakAfter,
            discussion: shown(document.querySelector('.discussion')),
            comments: all('.comment').filter(shown).length,
            replyLinks: all('.comment-reply-link, .comment-report-link').filter(shown).length,
          };
        }"""
    )


@pytest.mark.parametrize("viewport", WIDTHS)
def test_the_report_prints_on_a4_without_forms_or_navigation(
    browser, live_server, report, viewport
):
    page = open_page(browser, live_server.url + report.get_absolute_url(), viewport=viewport)
    pdf = page.pdf(prefer_css_page_size=True)
    pages = pdf_pages(pdf)
    assert len(pages) > 3
    assert all(abs(w - A4_POINTS[0]) < 2 and abs(h - A4_POINTS[1]) < 2 for w, h in pages)
    text = pdf_text(pdf)
    assert report.title in text
    assert "Agent Safety" in text and "(https://example.org/guide)" in text
    assert [words for words in SCREEN_ONLY + COMMENT_WORDS if words in text] == []

    styles = print_styles(page)
    assert styles["title"] and styles["dates"] >= 2
    assert styles["toc"] and not styles["tocSummary"]  # the contents as a plain list
    assert not styles["header"] and not styles["footer"]
    assert styles["forms"] == 0 and styles["buttons"] == 0
    assert not styles["discussion"] and styles["comments"] == 0
    assert (
        styles["externalAfter"] == '" (" attr(href) ")"' or "example.org" in styles["externalAfter"]
    )
    assert styles["headingBreak"] == "avoid"
    page.context.close()


@pytest.mark.parametrize("viewport", WIDTHS)
def test_printing_with_comments_adds_the_approved_comments_only(
    browser, live_server, report, viewport
):
    page = open_page(browser, live_server.url + report.get_absolute_url(), viewport=viewport)
    page.get_by_role("link", name="Drucken mit Kommentaren").click()
    expect(page.locator(".print-banner")).to_be_visible()
    assert page.url.endswith("?drucken=kommentare")
    pdf = page.pdf(prefer_css_page_size=True)
    assert len(pdf_pages(pdf)) > 3
    text = pdf_text(pdf)
    assert report.title in text
    assert all(words in text for words in COMMENT_WORDS), text[-2000:]
    assert [words for words in SCREEN_ONLY if words in text] == []

    styles = print_styles(page)
    approved = Comment.objects.filter(status=Comment.Status.APPROVED).count()
    assert styles["discussion"] and styles["comments"] == approved == 2
    assert styles["forms"] == 0 and styles["buttons"] == 0 and styles["replyLinks"] == 0
    assert not styles["header"]
    assert page.locator(".print-banner").evaluate("e => getComputedStyle(e).display") == "none"
    page.context.close()


def assert_it_leads_to_the_passage(browser, url, viewport) -> None:
    """A new tab opened at the copied address scrolls to the selected passage."""
    fresh = open_page(browser, url, viewport=viewport)
    fresh.wait_for_timeout(300)
    assert passage_in_view(fresh, SELECTED)
    fresh.context.close()


def passage_in_view(page, text) -> bool:
    return page.evaluate(
        """(text) => {
          const li = [...document.querySelectorAll('.report li')]
            .find(e => e.textContent.includes(text));
          const box = li.getBoundingClientRect();
          return box.top >= 0 && box.bottom <= innerHeight;
        }""",
        text,
    )


@pytest.mark.parametrize("viewport", WIDTHS)
def test_a_quotes_link_leads_to_its_passage_and_marks_it(browser, live_server, report, viewport):
    page = open_page(browser, live_server.url + report.get_absolute_url(), viewport=viewport)
    link = page.locator(".comment blockquote a.quote-passage")
    expect(link).to_have_text("Zur Stelle im Bericht")
    href = link.get_attribute("href")
    assert href == passage_url(report.sections.get(anchor="agent-safety"), QUOTED)
    assert not passage_in_view(page, "emergent behaviors can arise")

    link.click()
    page.wait_for_function("() => location.hash.startsWith('#s-agent-safety')")
    # Chromium keeps the text directive out of location; the passage is scrolled into view.
    page.wait_for_function(
        """() => { const li = [...document.querySelectorAll('.report li')]
             .find(e => e.textContent.includes('emergent behaviors can arise'));
           const b = li.getBoundingClientRect(); return b.top >= 0 && b.bottom <= innerHeight; }"""
    )
    # Following the same address from outside (a shared link) lands there too.
    fresh = open_page(browser, live_server.url + href, viewport=viewport)
    fresh.wait_for_function("() => document.readyState === 'complete'")
    fresh.wait_for_timeout(300)
    assert passage_in_view(fresh, "emergent behaviors can arise")
    fresh.context.close()
    page.context.close()


@pytest.mark.parametrize("viewport", WIDTHS)
def test_link_to_this_passage_copies_the_sections_address_with_a_text_fragment(
    browser, live_server, report, viewport
):
    page = open_page(
        browser,
        live_server.url + report.get_absolute_url(),
        viewport=viewport,
        permissions=["clipboard-read", "clipboard-write"],
    )
    # A key press fetches quote.js first (as the first selection would), so that the drag below
    # is the one a reader makes once the script is there; loading it mid-drag is covered by
    # tests/browser/test_quotes.py.
    page.keyboard.press("Shift")
    page.wait_for_load_state("networkidle")
    drag_select(page, "#s-agent-safety ~ ul li:nth-child(2)", SELECTED)
    assert page.evaluate("getSelection().toString()") == SELECTED
    button = page.get_by_role("button", name="Link zu dieser Stelle")
    expect(button).to_be_visible()
    expect(page.get_by_role("button", name="Zitieren", exact=True)).to_be_visible()
    button.click()
    expect(page.locator("p[role=status]").first).to_have_text("Link zu dieser Stelle kopiert.")

    copied = page.evaluate("navigator.clipboard.readText()")
    section = report.sections.get(anchor="agent-safety")
    assert copied == live_server.url + passage_url(section, SELECTED)
    assert "%2C%20code" in copied and "%28browsers" in copied

    assert_it_leads_to_the_passage(browser, copied, viewport)
    page.context.close()


@pytest.mark.parametrize("viewport", WIDTHS)
def test_the_citation_disclosure_works_without_scripting(browser, live_server, report, viewport):
    page = open_page(
        browser, live_server.url + report.get_absolute_url(), viewport=viewport, javascript=False
    )
    summary = page.locator(".report-header summary", has_text="Zitiervorschlag")
    summary.click()
    citation = page.locator(".report-header details.cite p").first
    expect(citation).to_be_visible()
    expect(citation).to_contain_text("aireport. (2026, December).")
    page.get_by_role("link", name=re.compile("Alle Formate")).click()
    expect(page.locator("#zitat-bib")).to_contain_text("@online{ai2026_v")
    page.context.close()


@pytest.mark.parametrize("viewport", WIDTHS)
def test_the_citation_and_version_pages_copy_and_pass_axe(browser, live_server, report, viewport):
    from django.utils import timezone

    from reports.models import Publication
    from tests.browser.conftest import serious_violations

    version = Publication.objects.create(
        report=report, published_at=timezone.now(), initial=True, content=report.content_outline()
    )
    page = open_page(
        browser,
        live_server.url + f"/berichte/{report.slug}/zitieren/agent-safety/",
        viewport=viewport,
        permissions=["clipboard-read", "clipboard-write"],
    )
    assert serious_violations(page) == []
    page.get_by_role("button", name="Kopieren").nth(1).click()  # BibTeX
    expect(page.get_by_role("status")).to_have_text("In die Zwischenablage kopiert.")
    copied = page.evaluate("navigator.clipboard.readText()")
    stamp = f"{timezone.localdate(version.published_at):%Y%m%d}"
    assert copied.startswith(f"@incollection{{ai2026_v{stamp}_agent_safety,")
    assert f"{version.get_version_url()}#s-agent-safety" in copied

    page.goto(live_server.url + version.get_version_url())
    expect(page.locator(".version-note")).to_contain_text("aktuelle Fassung")
    assert serious_violations(page) == []
    page.context.close()


def select_and_copy_the_passage_link(page) -> str:
    """Selects SELECTED in "Agent Safety" as a reader does (the selection fetches quote.js),
    checks that only "Link zu dieser Stelle" is offered, clicks it and returns the copied
    address."""
    assert page.locator("script[src*='quote']").count() == 0  # nothing until a selection
    drag_select(page, "#s-agent-safety ~ ul li:nth-child(2)", SELECTED)
    assert page.evaluate("getSelection().toString()") == SELECTED
    button = page.get_by_role("button", name="Link zu dieser Stelle")
    expect(button).to_be_visible()
    expect(page.get_by_role("button", name="Zitieren", exact=True)).to_have_count(0)
    # Beside the selection, not over it.
    selected = page.evaluate(
        "(() => { const r = getSelection().getRangeAt(0).getBoundingClientRect();"
        " return {x: r.x, y: r.y, width: r.width, height: r.height}; })()"
    )
    box = button.bounding_box()
    assert box["y"] + box["height"] <= selected["y"] or box["y"] >= selected["y"] + 1
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport_width(page)
    button.click()
    expect(page.locator("p[role=status]").first).to_have_text("Link zu dieser Stelle kopiert.")
    return page.evaluate("navigator.clipboard.readText()")


def viewport_width(page) -> int:
    return page.evaluate("document.documentElement.clientWidth")


@pytest.mark.parametrize("viewport", WIDTHS)
def test_with_comments_closed_a_selection_offers_its_link_and_no_quoting(
    browser, live_server, report, viewport
):
    report.comments_open = False
    report.save()
    page = open_page(
        browser,
        live_server.url + report.get_absolute_url(),
        viewport=viewport,
        permissions=["clipboard-read", "clipboard-write"],
    )
    assert page.locator("#kommentarformular form").count() == 0
    copied = select_and_copy_the_passage_link(page)

    section = report.sections.get(anchor="agent-safety")
    assert copied == live_server.url + passage_url(section, SELECTED)
    assert ":~:text=external%20tools%20%28browsers%2C%20code" in copied
    assert_it_leads_to_the_passage(browser, copied, viewport)
    page.context.close()


@pytest.mark.parametrize("viewport", WIDTHS)
def test_on_a_versions_page_the_passage_link_names_that_version(
    browser, live_server, report, viewport
):
    from django.utils import timezone

    from reports.models import Publication
    from reports.passages import text_directive

    version = Publication.objects.create(
        report=report, published_at=timezone.now(), initial=True, content=report.content_outline()
    )
    page = open_page(
        browser,
        live_server.url + version.get_version_url(),
        viewport=viewport,
        permissions=["clipboard-read", "clipboard-write"],
    )
    copied = select_and_copy_the_passage_link(page)

    expected = f"{version.get_version_url()}#s-agent-safety:~:{text_directive(SELECTED)}"
    assert copied == live_server.url + expected
    assert_it_leads_to_the_passage(browser, copied, viewport)
    page.context.close()


def test_with_comments_closed_the_keyboard_reaches_a_paragraphs_link(browser, live_server, report):
    """Without caret browsing a keyboard selects nothing: the focus in a paragraph (on its link)
    offers that paragraph's link, the next Tab reaches it."""
    report.comments_open = False
    report.save()
    page = open_page(
        browser,
        live_server.url + report.get_absolute_url(),
        permissions=["clipboard-read", "clipboard-write"],
    )
    page.locator("a[href='https://example.org/guide']").focus()
    page.keyboard.press("Shift")  # a key press fetches quote.js
    button = page.get_by_role("button", name="Link zu dieser Stelle")
    expect(button).to_be_visible()
    page.keyboard.press("Tab")
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("p[role=status]").first).to_have_text("Link zu dieser Stelle kopiert.")

    section = report.sections.get(anchor="agent-safety")
    paragraph = "See the evaluation guide for details."
    assert page.evaluate("navigator.clipboard.readText()") == live_server.url + passage_url(
        section, paragraph
    )
    page.context.close()
