"""The site's own script and styles work under its strict Content-Security-Policy.

Chromium reports every resource the policy blocks as a `securitypolicyviolation` event. An init
script (injected by the browser, so not subject to the page's policy) collects them in
window.__cspViolations before any of the page's own code runs; the last test shows the
collector does catch what the policy blocks, so an empty list means something.
"""

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from reports.models import Report
from reports.seed import import_report, read_seed_file
from tests.comments.conftest import CommentFactory
from tests.conftest import SEED_PATH

pytestmark = pytest.mark.browser

COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    {directive: event.effectiveDirective, blocked: event.blockedURI, sample: event.sample}
  );
});
"""
VIOLATIONS = "window.__cspViolations"
REPLY_AUTHOR = "Max Mustermann"


@pytest.fixture
def article(transactional_db, live_server):
    """The seed article with one approved comment to answer."""
    import_report(read_seed_file(SEED_PATH))
    report = Report.objects.get()
    comment = CommentFactory(report=report, author_name=REPLY_AUTHOR)
    return live_server.url + report.get_absolute_url(), comment


@pytest.fixture
def console_errors(page) -> list[str]:
    """Errors the page logs or throws, from now on."""
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


@pytest.fixture
def watched_page(page, console_errors):
    """The page with every CSP violation recorded in window.__cspViolations."""
    page.add_init_script(COLLECT_VIOLATIONS)
    return page


def test_the_policy_is_sent_and_strict(watched_page, article):
    url, _ = article
    response = watched_page.goto(url)

    policy = response.headers["content-security-policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert "unsafe" not in policy


def test_navigation_highlight_reply_form_and_styles_work_under_the_policy(
    watched_page, console_errors, article
):
    page = watched_page
    url, comment = article
    response = page.goto(url)
    assert "script-src 'self'" in response.headers["content-security-policy"]

    # (a) The contents highlight the section being read (static/js/report.js).
    page.locator("[id='s-agent-safety']").evaluate("heading => heading.scrollIntoView()")
    current = page.locator(".toc a[aria-current='true']")
    expect(current).to_have_count(1)
    expect(current).to_have_attribute("href", "#s-agent-safety")

    # (b) "Antworten" moves the form under the comment, "Antwort abbrechen" moves it back
    # (static/js/comments.js).
    page.locator(f"#c{comment.pk} .comment-reply-link").click()
    form = page.locator(f"#c{comment.pk} #kommentarformular")
    expect(form).to_have_count(1)
    expect(form.locator(".reply-title-text")).to_have_text(
        f"Antworte auf den Kommentar von {REPLY_AUTHOR}"
    )
    expect(form.locator("input[name='parent']")).to_have_value(str(comment.pk))
    page.get_by_role("link", name="Antwort abbrechen").click()
    expect(form).to_have_count(0)
    expect(page.locator(".reply-title-text")).to_have_text("Schreibe einen Kommentar")
    expect(page.locator("input[name='parent']")).to_have_value("")

    # (c) site.css is applied: the contents stay in view beside the text at 1280 px, the
    # highlighted link is bold, and the robots' trap field is out of sight.
    assert current.evaluate("link => getComputedStyle(link).fontWeight") == "600"
    assert page.locator(".toc").evaluate("toc => getComputedStyle(toc).position") == "sticky"
    expect(page.locator(".comment-form-hp")).not_to_be_in_viewport()

    assert page.evaluate(VIOLATIONS) == []
    assert console_errors == []
    assert Comment.objects.count() == 1  # nothing was posted on the way


def test_the_collector_records_what_the_policy_blocks(watched_page, article):
    """Guards the guard: an inline script and an inline style on the same page are blocked
    and reported, so an empty list above means nothing was blocked."""
    page = watched_page
    url, _ = article
    page.goto(url)

    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.__inlineScriptRan = true;";
          document.body.append(script);
          const style = document.createElement("style");
          style.textContent = "body { background: red; }";
          document.head.append(style);
        }"""
    )

    page.wait_for_function(f"{VIOLATIONS}.length >= 2")
    directives = {violation["directive"] for violation in page.evaluate(VIOLATIONS)}
    assert {"script-src-elem", "style-src-elem"} <= directives
    assert page.evaluate("window.__inlineScriptRan") is None
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(255, 0, 0)"
