"""Reply notifications in the browser: ticking the box, then the confirmation page."""

import re

import pytest
from playwright.sync_api import expect

from comments.forms import NOTIFY_REPLIES_LABEL, NOTIFY_REPORT_LABEL
from comments.models import Subscription
from tests.factories import ReportFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("human_speed_is_fine")]

CONFIRM_LINK = re.compile(r"http://testserver(/benachrichtigungen/bestaetigen/\S+/)")


def test_ticking_a_box_sends_a_confirmation_and_its_page_says_what_was_subscribed(
    page, live_server, transactional_db, mailoutbox
):
    report = ReportFactory(title="AI Safety Progress", slug="ai-safety")
    page.goto(live_server.url + report.get_absolute_url())

    page.get_by_label("Kommentar *", exact=True).fill("Ich möchte Antworten lesen.")
    page.get_by_label("Name *", exact=True).fill("Erika Mustermann")
    page.get_by_label("E-Mail-Adresse *", exact=True).fill("erika@example.org")
    replies = page.get_by_label(NOTIFY_REPLIES_LABEL, exact=True)
    expect(replies).not_to_be_checked()
    expect(page.get_by_label(NOTIFY_REPORT_LABEL, exact=True)).not_to_be_checked()
    replies.check()
    page.get_by_role("button", name="Kommentar abschicken").click()
    expect(page.locator(".comment-awaiting-moderation")).to_be_visible()

    (mail,) = mailoutbox
    assert mail.to == ["erika@example.org"]
    link = CONFIRM_LINK.search(mail.body)[1]

    page.goto(live_server.url + link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Benachrichtigungen bestätigen")
    assert Subscription.objects.get().confirmed_at is None  # opening the link is not enough
    page.get_by_role("button", name="Ja, benachrichtige mich").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Danke, das ist bestätigt")
    expect(page.locator(".subscription-list li")).to_have_text(
        "Antworten auf deinen Kommentar zu „AI Safety Progress“ – zum Bericht"
    )
    assert Subscription.objects.get().confirmed_at is not None
