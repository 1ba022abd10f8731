"""The stylesheet and scripts as production ships them (minified by aireport/storage.py) still
do their work: the other browser tests run on the readable sources, this one on what readers get."""

import mimetypes
import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from reports.models import Report
from reports.seed import import_report, read_seed_file
from tests.browser.test_csp import COLLECT_VIOLATIONS, VIOLATIONS
from tests.comments.conftest import CommentFactory
from tests.conftest import SEED_PATH

pytestmark = pytest.mark.browser

SENTENCE = "As AI systems transition from chatbots to autonomous agents"


@pytest.fixture
def report_url(live_server, transactional_db):
    import_report(read_seed_file(SEED_PATH))
    report = Report.objects.get()
    first = CommentFactory(report=report, author_name="Leserin", text="Ein Gedanke zum Bericht.")
    CommentFactory(report=report, parent=first, author_name="Leser", text="Eine Antwort.")
    return live_server.url + report.get_absolute_url()


@pytest.fixture
def shipped_page(page, production_static):
    """A page whose static files come from the collected, minified folder."""
    root, hashed = production_static
    served = []

    def from_collected(route):
        name = route.request.url.split(settings.STATIC_URL, 1)[1].split("?")[0]
        served.append(name)
        route.fulfill(
            body=(root / hashed[name]).read_bytes(),
            content_type=mimetypes.guess_type(name)[0],
        )

    page.route(f"**{settings.STATIC_URL}**", from_collected)
    page.served = served
    return page


def test_the_minified_scripts_work_in_the_browser(shipped_page, report_url, settings):
    settings.COMMENTS_FOLD_ABOVE = 1  # "Eine Antwort anzeigen" under the first comment
    page = shipped_page
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(COLLECT_VIOLATIONS)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(report_url)

    # report.js: "Link kopieren" copies the section's address and says so.
    heading = page.locator("h3#s-agent-safety")
    heading.scroll_into_view_if_needed()
    heading.hover()
    heading.locator("button.copy-link").click()
    expect(page.get_by_role("status").first).to_have_text("Link kopiert")

    # quote.js, fetched on the first selection: "Zitieren" fills the form.
    page.locator("#s-agent-safety ~ p:not(.section-talk)").first.click(click_count=3)
    page.get_by_role("button", name="Zitieren", exact=True).click()
    comment_text = page.get_by_label("Kommentar *", exact=True)
    expect(comment_text).to_have_value(re.compile(rf"^> {SENTENCE}"))

    # comments.js: a folded thread opens in place.
    page.get_by_role("link", name="Eine Antwort anzeigen").click()
    expect(page.locator(".comment .children .comment")).to_have_text(re.compile("Eine Antwort."))

    # comments.js: "Antworten" moves the form under the comment, without a page load.
    page.get_by_role("link", name="Antworten").first.click()
    expect(page.locator(".comment #kommentarformular")).to_be_visible()

    assert {"css/site.css", "js/report.js", "js/comments.js", "js/quote.js"} <= set(page.served)
    assert errors == []
    assert page.evaluate(VIOLATIONS) == []
