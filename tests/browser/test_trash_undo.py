"""The desk in a real browser: "Papierkorb" in a row, the ground page, and back on the list
"Rückgängig" in the row's place (as WordPress offers it after "In den Papierkorb")."""

import os

import pytest
from playwright.sync_api import expect

from comments.models import Comment, StatementOfReasons

from .test_moderation_desk import desk, login  # noqa: F401 - the fixture is used by name

pytestmark = pytest.mark.browser
Status = Comment.Status


@pytest.mark.parametrize("width", [375, 1440])
def test_undo_in_the_row_after_the_ground_page(page, live_server, desk, width, settings):  # noqa: F811
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # mail waits
    page.set_viewport_size({"width": width, "height": 900})
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    login(page, live_server, path="admin:comments_comment_changelist")
    target = desk[-2]  # approved, the second row
    rows = page.locator("#result_list tbody tr")
    expect(rows.nth(1).locator(f"[data-comment='{target.pk}']")).to_have_count(1)
    rows.nth(1).get_by_role("link", name="Papierkorb").click()
    page.get_by_label("Regel 2: Angriffe auf Personen").check()
    page.get_by_role("button", name="In den Papierkorb legen").click()
    page.wait_for_load_state("load")

    # Back on the list: the offer sits where the comment was, not above the list.
    undo_row = page.locator("tr.comment-undo-row")
    expect(undo_row).to_have_text(
        f"Kommentar von {target.author_name} in den Papierkorb gelegt. Rückgängig"
    )
    expect(rows.nth(1)).to_have_class("comment-undo-row")
    expect(page.locator(".comment-undo-offers")).to_have_count(0)
    if folder := os.environ.get("SCREENSHOTS"):
        page.screenshot(path=os.path.join(folder, f"desk-trash-undo-{width}.png"), full_page=True)
    undo_row.get_by_role("button", name="Rückgängig").click()
    expect(page.locator("#comment-desk-status")).to_have_text(
        "Rückgängig gemacht: Der Kommentar ist wieder „Freigegeben“."
    )
    expect(rows.nth(1).locator(f"[data-comment='{target.pk}']")).to_have_count(1)
    expect(undo_row).to_have_count(0)
    target.refresh_from_db()
    assert target.status == Status.APPROVED
    assert StatementOfReasons.objects.get(comment=target).withdrawn_at is not None
    assert errors == []
