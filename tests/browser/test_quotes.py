"""The "Zitieren" button: text selected in a section of the report goes into the comment form
as "> " lines, with the section chosen; by mouse, by keyboard, and never from outside the text."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from comments.models import Comment
from reports.models import Report
from reports.seed import import_report, read_seed_file
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS
from tests.browser.test_csp import COLLECT_VIOLATIONS, VIOLATIONS
from tests.comments.conftest import CommentFactory
from tests.conftest import SEED_PATH

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("human_speed_is_fine")]

#: A sentence of the seed report, in the subsection "Agent Safety" of "Emerging Safety Challenges".
SENTENCE = (
    "As AI systems transition from chatbots to autonomous agents, new safety challenges emerge:"
)
AGENT_SAFETY = "#s-agent-safety ~ p:not(.section-talk)"


@pytest.fixture
def report(transactional_db):
    import_report(read_seed_file(SEED_PATH))
    report = Report.objects.get()
    CommentFactory(report=report, text="Ein Kommentar, den niemand zitieren soll.")
    return report


@pytest.fixture
def report_url(live_server, report):
    return live_server.url + report.get_absolute_url()


@pytest.fixture
def caret_page(browser):
    """A page in a Chromium with caret browsing on, as a reader turns it on with F7."""
    chromium = browser.browser_type.launch(
        executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, "--enable-caret-browsing"], headless=True
    )
    context = chromium.new_context(locale="de-DE", viewport={"width": 1280, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    chromium.close()


def section_select(page):
    """The form's "Bezieht sich auf" (comments about a section)."""
    select = page.locator("select#id_section")
    expect(select).to_have_count(1)
    return select


def drag_select(page, selector, text):
    """Selects `text` inside the element with the mouse, from its first to its last letter."""
    page.locator(selector).scroll_into_view_if_needed()
    box = page.evaluate(
        """([selector, text]) => {
          const node = [...document.querySelector(selector).childNodes]
            .find(n => n.nodeType === 3 && n.data.includes(text));
          const start = node.data.indexOf(text);
          const range = document.createRange();
          range.setStart(node, start); range.setEnd(node, start + 1);
          const first = range.getBoundingClientRect();
          range.setStart(node, start + text.length - 1); range.setEnd(node, start + text.length);
          const last = range.getBoundingClientRect();
          return {x1: first.left + 1, y1: first.top + first.height / 2,
                  x2: last.right, y2: last.top + last.height / 2};
        }""",
        [selector, text],
    )
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move((box["x1"] + box["x2"]) / 2, box["y2"], steps=5)
    page.mouse.move(box["x2"], box["y2"], steps=5)
    page.mouse.up()


def post_and_see_the_quote(page):
    page.get_by_label("Name *", exact=True).fill("Erika Mustermann")
    page.get_by_label("E-Mail-Adresse *", exact=True).fill("erika@example.org")
    page.get_by_role("button", name="Kommentar abschicken").click()
    comment = Comment.objects.get(author_name="Erika Mustermann")
    # The author sees her comment, waiting for approval, with the quote as a quote.
    quote = page.locator(f"#c{comment.pk} .comment-content blockquote")
    expect(quote.locator("p").first).to_have_text(SENTENCE)
    # A quote of the comment's section links back to its passage (issue 22).
    expect(quote.locator("a.quote-passage")).to_have_text("Zur Stelle im Bericht")
    return comment


def test_select_with_the_mouse_and_quote(page, report_url):
    """Also under the strict CSP: the button is placed through CSS custom properties set from
    the script (CSSOM), which the policy allows, with no error on the way."""
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(COLLECT_VIOLATIONS)
    page.goto(report_url)
    select = section_select(page)
    area = page.get_by_label("Kommentar *", exact=True)
    area.fill("Vorher getippt.")
    page.locator(AGENT_SAFETY).scroll_into_view_if_needed()
    button = page.get_by_role("button", name="Zitieren", exact=True)
    expect(button).to_be_hidden()

    drag_select(page, AGENT_SAFETY, SENTENCE)
    expect(button).to_be_visible()
    # Near the selection: just above its first line (tests/browser/test_reader_layout.py checks
    # that it covers neither the selection nor the next line), inside the viewport.
    sentence_box = page.locator(AGENT_SAFETY).bounding_box()
    button_box = button.bounding_box()
    assert sentence_box["y"] - 60 < button_box["y"]
    assert button_box["y"] + button_box["height"] <= sentence_box["y"] + 1
    results = Axe().run(page)
    assert [v["id"] for v in results.response["violations"]] == [], results.generate_report()

    button.click()
    expect(area).to_have_value(f"Vorher getippt.\n\n> {SENTENCE}\n\n")
    expect(area).to_be_focused()
    assert (
        area.evaluate("a => [a.selectionStart, a.value.length]")
        == [len(f"Vorher getippt.\n\n> {SENTENCE}\n\n")] * 2
    )
    expect(select).to_have_value("agent-safety")
    expect(button).to_be_hidden()
    expect(page.get_by_role("status").filter(has_text="Zitat")).to_have_text(
        "Zitat in den Kommentar übernommen."
    )
    assert page.evaluate(VIOLATIONS) == [] and errors == []

    area.press("End")
    area.type("Dem stimme ich zu.")
    comment = post_and_see_the_quote(page)
    assert comment.text == f"Vorher getippt.\n\n> {SENTENCE}\n\nDem stimme ich zu."


def test_a_triple_click_quotes_the_paragraph_of_its_own_section(page, report_url):
    """Chrome ends a triple click's selection at the start of what follows, which may be the
    next section: the quote and the section are still the clicked paragraph's."""
    page.goto(report_url)
    select = section_select(page)
    paragraph = page.locator("#s-concentration-of-capability ~ p").first
    paragraph.click(click_count=3)
    page.get_by_role("button", name="Zitieren", exact=True).click()
    text = paragraph.evaluate("p => p.textContent.trim()")
    expect(page.get_by_label("Kommentar *", exact=True)).to_have_value(f"> {text}\n\n")
    expect(select).to_have_value("concentration-of-capability")


def test_quote_with_the_keyboard(caret_page, report_url):
    """With caret browsing (F7), the caret in a paragraph offers "Absatz zitieren"; Shift with
    the arrow keys selects a part and offers "Zitieren"; Tab reaches either, Enter quotes."""
    page = caret_page
    page.goto(report_url)
    select = section_select(page)
    paragraph = page.locator(AGENT_SAFETY)
    paragraph.evaluate("p => window.getSelection().collapse(p.firstChild, 3)")
    page.keyboard.press("ArrowRight")
    whole = page.get_by_role("button", name="Absatz zitieren")
    expect(whole).to_be_visible()
    page.keyboard.press("Shift+ArrowLeft")
    page.keyboard.press("Shift+ArrowLeft")
    page.keyboard.press("Shift+ArrowLeft")
    page.keyboard.press("Shift+ArrowLeft")
    part = page.get_by_role("button", name="Zitieren", exact=True)
    expect(part).to_be_visible()
    page.keyboard.press("Escape")
    expect(part).to_be_hidden()

    paragraph.evaluate("p => window.getSelection().collapse(p.firstChild, 0)")
    for _ in "As AI systems":
        page.keyboard.press("Shift+ArrowRight")
    expect(part).to_be_visible()
    selected = page.evaluate("window.getSelection().toString()")
    assert selected.startswith("As AI system")
    page.keyboard.press("Tab")
    expect(part).to_be_focused()
    page.keyboard.press("Enter")
    area = page.get_by_label("Kommentar *", exact=True)
    expect(area).to_have_value(f"> {selected}\n\n")
    expect(area).to_be_focused()
    expect(select).to_have_value("agent-safety")

    # The whole paragraph, by keyboard alone.
    area.fill("")
    area.blur()
    paragraph.evaluate("p => window.getSelection().collapse(p.firstChild, 5)")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Tab")
    expect(whole).to_be_focused()
    page.keyboard.press("Enter")
    expect(area).to_have_value(f"> {SENTENCE}\n\n")
    post_and_see_the_quote(page)


def test_a_link_focused_by_keyboard_offers_its_paragraph(page, report_url):
    """The seed report's paragraphs hold no links; this one gets one, as edited text may."""
    page.goto(report_url)
    paragraph = page.locator(AGENT_SAFETY)
    paragraph.evaluate(
        """p => { const a = document.createElement("a"); a.href = "#s-agent-safety";
                  a.textContent = "agents"; p.append(" More on ", a, "."); }"""
    )
    link = paragraph.get_by_role("link", name="agents")
    link.focus()
    expect(page.locator(".quote-button")).to_be_hidden()  # focus by script or mouse: nothing
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    expect(link).to_be_focused()
    button = page.get_by_role("button", name="Absatz zitieren")
    expect(button).to_be_visible()
    page.keyboard.press("Tab")
    expect(button).to_be_focused()
    page.keyboard.press("Space")
    quoted = paragraph.evaluate("p => p.innerText.replace(/\\s+/g, ' ').trim()")
    expect(page.get_by_label("Kommentar *", exact=True)).to_have_value(f"> {quoted}\n\n")


def test_no_button_outside_the_report_text(page, report_url):
    page.goto(report_url)
    button = page.locator(".quote-button")
    selectors = (".comment-content p", ".report-lead p", ".toc-list a", "#comment-hint", "h3")
    for selector in selectors:
        page.locator(selector).first.scroll_into_view_if_needed()
        page.locator(selector).first.dblclick()
        assert page.evaluate("window.getSelection().toString().trim()") != ""
        expect(button).to_be_hidden()
    area = page.get_by_label("Kommentar *", exact=True)
    area.fill("Ein Wort")
    area.dblclick()
    expect(button).to_be_hidden()


def test_no_quoting_where_comments_are_closed_only_the_passage_link(page, report, report_url):
    """Without the form nothing to quote into; the passage's link is still offered
    (tests/browser/test_print_and_passages.py copies it)."""
    Report.objects.filter(pk=report.pk).update(comments_open=False)
    page.goto(report_url)
    expect(page.locator("#kommentarformular")).to_have_count(0)
    drag_select(page, AGENT_SAFETY, SENTENCE)
    assert page.evaluate("window.getSelection().toString()") == SENTENCE
    expect(page.get_by_role("button", name="Link zu dieser Stelle")).to_be_visible()
    expect(page.locator(".quote-button")).to_have_count(1)
    expect(page.get_by_role("button", name=re.compile("zitieren", re.I))).to_have_count(0)


def test_the_quote_script_comes_only_when_a_reader_selects(page, report_url):
    """Most readers never quote: quote.js is not part of the page's weight until a selection."""
    loaded = []
    page.on("request", lambda request: "quote" in request.url and loaded.append(request.url))
    page.goto(report_url)
    page.mouse.wheel(0, 1500)
    page.get_by_label("Kommentar *", exact=True).fill("Ohne Zitat.")
    assert loaded == []

    drag_select(page, AGENT_SAFETY, SENTENCE)
    expect(page.get_by_role("button", name="Zitieren", exact=True)).to_be_visible()
    assert len(loaded) == 1
