"""What only a browser shows of the discussion: the German form used by its labels, the reply
form moving under a comment, remembered details, and the moderator's round trip."""

import importlib
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from playwright.sync_api import expect

from aireport.staff_groups import grant_group_permissions
from comments.models import Comment
from tests.comments.conftest import CommentFactory
from tests.factories import ReportFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("human_speed_is_fine")]

WAITING = "Dein Kommentar wartet auf Freischaltung."
PASSWORD = "correct horse battery staple"


@pytest.fixture
def report(transactional_db):
    return ReportFactory(title="AI Safety Progress", slug="ai-safety")


@pytest.fixture
def report_url(live_server, report):
    return live_server.url + report.get_absolute_url()


def fill_form(page, *, text, name="Erika Mustermann", email="erika@example.org", remember=False):
    page.get_by_label("Kommentar *", exact=True).fill(text)
    page.get_by_label("Name *", exact=True).fill(name)
    page.get_by_label("E-Mail-Adresse *", exact=True).fill(email)
    if remember:
        page.get_by_label("in diesem Browser für meinen nächsten Kommentar speichern").check()
    page.get_by_role("button", name="Kommentar abschicken").click()


@pytest.fixture
def moderators_group(transactional_db):
    """The group comments' migration creates. Transactional tests flush it away with the other
    rows, so it is built again here from the migration's own list of permissions."""
    migration = importlib.import_module("comments.migrations.0010_moderators_desk_permissions")
    group = grant_group_permissions(
        Group, Permission, "Moderators", migration.MODERATOR_PERMISSIONS
    )
    return group


def test_reader_posts_moderator_approves_another_reader_sees_it(
    page, browser, live_server, report_url, moderators_group
):
    page.goto(report_url)
    fill_form(page, text="Ein Gedanke aus dem Browser.")
    comment = Comment.objects.get()
    expect(page).to_have_url(
        re.compile(
            rf"{re.escape(report_url)}\?unapproved={comment.pk}&moderation-hash=[^#]+#c{comment.pk}"
        )
    )
    mine = page.locator(f"#c{comment.pk}")
    expect(mine).to_contain_text("Ein Gedanke aus dem Browser.")
    expect(mine.locator(".comment-awaiting-moderation")).to_have_text(WAITING)

    stranger = browser.new_context(locale="de-DE")
    try:
        other = stranger.new_page()
        other.goto(report_url)
        expect(other.locator(".discussion")).not_to_contain_text("Ein Gedanke aus dem Browser.")

        moderator = UserFactory(username="moderatorin", is_staff=True)
        moderator.groups.add(moderators_group)
        admin = browser.new_context(locale="de-DE").new_page()
        admin.goto(live_server.url + reverse("admin:index"))
        admin.locator("#id_username").fill("moderatorin")
        admin.locator("#id_password").fill(PASSWORD)
        admin.locator("input[type=submit]").click()
        expect(admin.locator(".pending-comments")).to_contain_text(
            "1 Kommentar wartet auf Freischaltung"
        )
        admin.locator(".pending-comments a").click()
        row = admin.locator("#result_list tbody tr").filter(has_text="Ein Gedanke aus dem")
        row.locator("input.action-select").check()
        admin.locator("select[name=action]").select_option("approve")
        admin.locator("button[name=index]").click()
        expect(admin.locator(".messagelist")).to_contain_text("1 Kommentar freigegeben.")
        admin.context.close()

        other.goto(report_url)
        approved = other.locator(f"#c{comment.pk}")
        expect(approved).to_contain_text("Ein Gedanke aus dem Browser.")
        expect(approved.locator(".comment-awaiting-moderation")).to_have_count(0)
        expect(other.locator(".comments-title")).to_have_text(
            "Ein Kommentar zu „AI Safety Progress“"
        )
    finally:
        stranger.close()


def test_reply_form_moves_under_the_comment_and_the_reply_nests(page, report, report_url):
    parent = CommentFactory(report=report, author_name="Max Muster", text="Erster!")
    page.goto(report_url)
    page.locator(f"#c{parent.pk} .comment-reply-link").click()
    form = page.locator(f"#c{parent.pk} > #kommentarformular")
    expect(form).to_be_visible()
    expect(form.locator(".reply-title-text")).to_have_text(
        "Antworte auf den Kommentar von Max Muster"
    )
    expect(page.get_by_label("Kommentar *", exact=True)).to_be_focused()

    page.get_by_role("link", name="Antwort abbrechen").click()
    expect(page.locator(f"#c{parent.pk} #kommentarformular")).to_have_count(0)
    expect(page.locator(".reply-title-text")).to_have_text("Schreibe einen Kommentar")

    page.locator(f"#c{parent.pk} .comment-reply-link").click()
    fill_form(page, text="Eine Antwort darauf.")
    reply = Comment.objects.get(parent=parent)
    nested = page.locator(f"#c{parent.pk} > ol.children > li#c{reply.pk}")
    expect(nested).to_contain_text("Eine Antwort darauf.")
    expect(nested).to_contain_text(WAITING)
    parent_box = page.locator(f"#c{parent.pk} > article").bounding_box()
    reply_box = nested.locator("article").bounding_box()
    assert reply_box["x"] > parent_box["x"] + 10  # visibly indented
    assert reply_box["y"] > parent_box["y"]


def test_saved_details_fill_the_form_next_time_and_only_then(page, report_url):
    page.goto(report_url)
    fill_form(page, text="Mit Haken.", remember=True)
    page.goto(report_url)
    expect(page.get_by_label("Name *", exact=True)).to_have_value("Erika Mustermann")
    expect(page.get_by_label("E-Mail-Adresse *", exact=True)).to_have_value("erika@example.org")
    expect(
        page.get_by_label("in diesem Browser für meinen nächsten Kommentar speichern")
    ).to_be_checked()
    expect(page.get_by_label("Kommentar *", exact=True)).to_have_value("")

    page.get_by_label("in diesem Browser für meinen nächsten Kommentar speichern").uncheck()
    fill_form(page, text="Ohne Haken.")
    page.goto(report_url)
    expect(page.get_by_label("Name *", exact=True)).to_have_value("")
    expect(page.get_by_label("E-Mail-Adresse *", exact=True)).to_have_value("")


def test_missing_fields_show_german_errors_and_keep_the_text(page, report_url):
    page.goto(report_url)
    page.get_by_label("Kommentar *", exact=True).fill("Mein Text darf nicht verloren gehen.")
    page.get_by_label("E-Mail-Adresse *", exact=True).fill("keine-adresse")
    page.get_by_role("button", name="Kommentar abschicken").click()

    summary = page.locator(".form-errors")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Name: Bitte gib deinen Namen ein.")
    expect(summary).to_contain_text("E-Mail-Adresse: Bitte gib eine gültige E-Mail-Adresse ein.")
    expect(page.locator("#id_author_name-error")).to_have_text("Bitte gib deinen Namen ein.")
    expect(page.get_by_label("Kommentar *", exact=True)).to_have_value(
        "Mein Text darf nicht verloren gehen."
    )
    expect(page.get_by_label("E-Mail-Adresse *", exact=True)).to_have_value("keine-adresse")
    expect(page.locator("#kommentarformular")).to_be_in_viewport()
    assert Comment.objects.count() == 0
