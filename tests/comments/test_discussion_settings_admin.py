"""The "Diskussion" settings: folding, order and "Kommentare nach N Tagen schließen" in the
admin, each starting from the environment, and a discussion that closes by age."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, DiscussionSettings
from reports.models import Report
from tests.clients import BrowserClient
from tests.factories import UserFactory

from .conftest import CommentFactory, form_data

pytestmark = pytest.mark.django_db
CHANGE_URL = "admin:comments_discussionsettings_change"


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def rules(**values):
    record = DiscussionSettings.from_environment()
    for name, value in values.items():
        setattr(record, name, value)
    record.save()


def test_new_rules_start_from_the_environment(admin_client, settings):
    settings.COMMENTS_FOLD_ABOVE = 30
    settings.COMMENTS_ORDER = "newest"
    settings.COMMENTS_CLOSE_AFTER_DAYS = 14
    admin_client.get(reverse("admin:comments_discussionsettings_changelist"))
    page = admin_client.get(reverse(CHANGE_URL, args=[1]))
    form = page.context["adminform"].form
    new_rules = [form.initial[name] for name in ("fold_above", "order", "close_after_days")]
    assert new_rules == [30, "newest", 14]
    labels = [label.get_text() for label in BeautifulSoup(page.content, "html.parser")("label")]
    assert "Kommentare nach so vielen Tagen schließen:" in labels
    assert "Reihenfolge der Kommentare:" in labels


def test_admin_saves_the_new_rules(admin_client):
    admin_client.get(reverse("admin:comments_discussionsettings_changelist"))
    form = admin_client.get(reverse(CHANGE_URL, args=[1])).context["adminform"].form
    response = admin_client.post(
        reverse(CHANGE_URL, args=[1]),
        {
            **form.initial,
            "auto_approve_known_authors": "on",
            "fold_above": "7",
            "order": "newest",
            "close_after_days": "30",
        },
    )
    assert response.status_code == 302
    record = DiscussionSettings.objects.get()
    assert (record.fold_above, record.order, record.close_after_days) == (7, "newest", 30)
    bad = admin_client.post(reverse(CHANGE_URL, args=[1]), {**form.initial, "order": "random"})
    assert bad.status_code == 200
    assert DiscussionSettings.objects.get().order == "newest"


def test_order_from_the_admin_turns_the_discussion_round(report):
    for number in range(3):
        CommentFactory(report=report, text=f"Kommentar Nummer {number}.")
    html = BrowserClient().get(report.get_absolute_url()).content.decode()
    assert html.index("Kommentar Nummer 0.") < html.index("Kommentar Nummer 2.")
    rules(order="newest")
    html = BrowserClient().get(report.get_absolute_url()).content.decode()
    assert html.index("Kommentar Nummer 2.") < html.index("Kommentar Nummer 0.")


def test_fold_threshold_from_the_admin(report):
    top = CommentFactory(report=report, text="Erster Kommentar.")
    CommentFactory(report=report, parent=top, text="Zustimmung von unten.")
    CommentFactory(report=report, text="Zweiter Kommentar.")
    html = BrowserClient().get(report.get_absolute_url()).content.decode()
    assert "Zustimmung von unten." in html
    rules(fold_above=2)
    html = BrowserClient().get(report.get_absolute_url()).content.decode()
    assert "Zustimmung von unten." not in html and "Eine Antwort anzeigen" in html


def age(report, days):
    Report.objects.filter(pk=report.pk).update(
        published_on=timezone.localdate() - timedelta(days=days)
    )
    report.refresh_from_db()


def test_discussion_closes_after_n_days(report, post_url):
    age(report, 10)
    rules(close_after_days=0)
    html = BrowserClient().get(report.get_absolute_url()).content.decode()
    assert 'id="kommentarformular"' in html

    rules(close_after_days=10)
    html = BrowserClient().get(report.get_absolute_url()).content.decode()
    assert 'id="kommentarformular"' not in html
    assert "Die Kommentare sind geschlossen." in html
    response = BrowserClient().post(post_url, form_data(), REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 403
    assert "Die Kommentare sind geschlossen." in response.content.decode()
    assert not Comment.objects.exists()

    rules(close_after_days=11)
    html = BrowserClient().get(report.get_absolute_url()).content.decode()
    assert 'id="kommentarformular"' in html


def test_cached_page_closes_on_the_day_without_a_save(report, settings):
    """The page version holds "open"/"closed": the shared page changes that day by itself."""
    age(report, 9)
    rules(close_after_days=10)
    before = Report.objects.page_version(report.slug)
    html = BrowserClient().get(report.get_absolute_url()).content.decode()
    assert 'id="kommentarformular"' in html
    age(report, 10)  # a day later (the date column is not part of the version)
    Report.objects.filter(pk=report.pk).update(published_on=report.published_on)
    assert Report.objects.page_version(report.slug) != before
    html = BrowserClient().get(report.get_absolute_url()).content.decode()
    assert "Die Kommentare sind geschlossen." in html


def test_report_without_a_publication_date_counts_from_its_creation(report):
    Report.objects.filter(pk=report.pk).update(
        published_on=None, created_at=timezone.now() - timedelta(days=40)
    )
    rules(close_after_days=30)
    html = BrowserClient().get(report.get_absolute_url()).content.decode()
    assert "Die Kommentare sind geschlossen." in html


def test_closed_by_age_offers_no_diskutieren_and_no_quoting(report):
    from tests.factories import SectionFactory

    SectionFactory(report=report, title="Governance")
    html = BrowserClient().get(report.get_absolute_url()).content.decode()
    assert ">Diskutieren</a>" in html and "data-quote-script" in html
    assert 'id="kommentarformular"' in html
    age(report, 30)
    rules(close_after_days=7)
    html = BrowserClient().get(report.get_absolute_url()).content.decode()
    assert ">Diskutieren</a>" not in html
    # quote.js still comes for "Link zu dieser Stelle"; it offers "Zitieren" only beside the
    # comment form, which is gone (tests/browser/test_quotes.py).
    assert "data-quote-script" in html and 'id="kommentarformular"' not in html
