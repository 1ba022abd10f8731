"""The desk in a real browser: "Rückgängig" in the row, the reply box's Ctrl+Enter and Esc,
and counts that follow in-place actions."""

import pytest
from playwright.sync_api import expect

from comments.models import Comment

from .test_moderation_desk import desk, login  # noqa: F401 - the fixture is used by name

pytestmark = pytest.mark.browser
Status = Comment.Status


def row_of(page, comment):
    return page.locator("#result_list tbody tr").filter(
        has=page.locator(f"[data-comment='{comment.pk}']")
    )


def test_undo_in_the_row_after_spam(page, live_server, desk):  # noqa: F811
    login(page, live_server)
    target = desk[24]  # newest, pending, at the top
    assert target.status == Status.PENDING
    row_of(page, target).get_by_role("button", name="Spam").click()
    undo_row = page.locator("tr.comment-undo-row")
    expect(undo_row).to_contain_text(f"Kommentar von {target.author_name} als Spam markiert.")
    expect(row_of(page, target)).to_have_count(0)
    # The undo sits where the row was: first in the list.
    expect(page.locator("#result_list tbody tr").first).to_have_class("comment-undo-row")
    undo_row.get_by_role("button", name="Rückgängig").click()
    expect(page.locator("#comment-desk-status")).to_have_text(
        "Rückgängig gemacht: Der Kommentar ist wieder „Ausstehend“."
    )
    expect(row_of(page, target)).to_have_count(1)
    expect(undo_row).to_have_count(0)
    target.refresh_from_db()
    assert target.status == Status.PENDING


def test_undo_refused_after_another_moderators_change(page, live_server, desk):  # noqa: F811
    login(page, live_server)
    target = desk[24]
    # "Papierkorb" asks for a ground on a page of its own (DSA Art. 17); "Spam" acts in place.
    row_of(page, target).get_by_role("button", name="Spam").click()
    undo_row = page.locator("tr.comment-undo-row")
    expect(undo_row).to_be_visible()
    Comment.objects.filter(pk=target.pk).update(status=Status.APPROVED)  # someone else, meanwhile
    undo_row.get_by_role("button", name="Rückgängig").click()
    expect(page.locator("#comment-desk-status")).to_contain_text("Nicht mehr rückgängig")
    target.refresh_from_db()
    assert target.status == Status.APPROVED


def test_reply_box_sends_with_ctrl_enter_and_closes_with_escape(page, live_server, desk):  # noqa: F811
    login(page, live_server)
    pending = desk[24]
    row = row_of(page, pending)
    row.get_by_role("link", name="Antworten").click()
    box = page.locator(".comment-reply-row textarea")
    expect(box).to_be_focused()
    expect(page.locator(".comment-reply-row button.default")).to_have_text(
        "Freigeben und antworten"
    )
    box.type("Wird gleich wieder zu.")
    page.keyboard.press("Escape")
    expect(page.locator(".comment-reply-row")).to_have_count(0)
    expect(row.get_by_role("link", name="Antworten")).to_be_focused()

    approved = desk[23]
    assert approved.status == Status.APPROVED
    row_of(page, approved).get_by_role("link", name="Antworten").click()
    expect(page.locator(".comment-reply-row button.default")).to_have_text("Antworten")
    page.keyboard.type("Danke für den Hinweis!")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#comment-desk-status")).to_contain_text("veröffentlicht")
    assert Comment.objects.filter(parent=approved, text="Danke für den Hinweis!").exists()
    assert not Comment.objects.filter(text="Wird gleich wieder zu.").exists()


def test_counts_follow_in_place_actions(page, live_server, desk):  # noqa: F811
    login(page, live_server)
    page.locator("#searchbar").fill("Maximiliane")
    page.locator("#searchbar").press("Enter")
    page.wait_for_load_state("load")
    expect(page.locator("#changelist-search .quiet")).to_contain_text("25 Ergebnisse")
    counter = page.locator(".actions .action-counter")
    expect(counter).to_have_text("0 von 20 ausgewählt")
    target = desk[24]
    row_of(page, target).get_by_role("button", name="Spam").click()
    expect(page.locator("#changelist-search .quiet")).to_contain_text("24 Ergebnisse")
    expect(counter).to_have_text("0 von 20 ausgewählt")
    expect(page.locator(".comment-views")).to_contain_text("Alle (24)")
    expect(page.locator("p.paginator")).to_contain_text("24 Kommentare")

    # The fresh rows count when ticked, one by one or all at once.
    boxes = page.locator("#result_list tbody input.action-select")
    boxes.nth(0).check()
    boxes.nth(1).check()
    expect(counter).to_have_text("2 von 20 ausgewählt")
    page.locator("#action-toggle").check()
    expect(counter).to_have_text("20 von 20 ausgewählt")
