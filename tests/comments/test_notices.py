"""Notice and action (DSA Art. 16): readers report a comment, moderators decide, the reporter
hears the decision."""

import json
from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, Notice

from .conftest import CommentFactory, timestamp
from .desk import log_messages

pytestmark = pytest.mark.django_db
Status = Comment.Status


@pytest.fixture
def approved(report):
    return CommentFactory(report=report, author_name="Troll", text="Du bist ein Idiot.")


def report_data(**overrides):
    return {
        "reason": "insult",
        "explanation": "Beleidigt eine andere Leserin.",
        "reporter_email": "melderin@example.org",
        "honeypot": "",
        "timestamp": timestamp(),
        **overrides,
    }


def send_report(client, comment, ip="198.51.100.4", **overrides):
    return client.post(
        reverse("comments:report", args=[comment.pk]), report_data(**overrides), REMOTE_ADDR=ip
    )


def test_each_approved_comment_has_a_real_melden_link(client, report, approved):
    CommentFactory(report=report, status=Status.PENDING)
    page = BeautifulSoup(client.get(report.get_absolute_url()).content, "html.parser")
    links = page.select("a.comment-report-link")
    assert [a["href"] for a in links] == [reverse("comments:report", args=[approved.pk])]
    assert links[0].get_text() == "Melden"


def test_form_page_lists_the_reasons_and_is_never_cached(client, approved):
    response = client.get(reverse("comments:report", args=[approved.pk]))
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    page = BeautifulSoup(response.content, "html.parser")
    reasons = [label.get_text() for label in page.select(".notice-reason label")]
    assert reasons == [
        "Beleidigung",
        "Spam/Werbung",
        "Falschinformation",
        "persönliche Daten",
        "rechtswidriger Inhalt",
        "Sonstiges",
    ]
    assert not page.select_one("input[name=csrfmiddlewaretoken]")  # Fetch Metadata instead


def test_cross_site_report_is_refused(approved):
    from tests.clients import BrowserClient

    foreign = BrowserClient(headers={"Sec-Fetch-Site": "cross-site"})
    response = send_report(foreign, approved)
    assert response.status_code == 403
    assert not Notice.objects.exists()


def test_pending_comments_cannot_be_reported(client, report):
    pending = CommentFactory(report=report, status=Status.PENDING)
    assert client.get(reverse("comments:report", args=[pending.pk])).status_code == 404


def test_report_reaches_admin_and_moderators_and_decision_reaches_reporter(
    client, moderator_client, settings, approved, django_capture_on_commit_callbacks
):
    settings.COMMENTS_MODERATOR_EMAILS = ["moderation@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        response = send_report(client, approved)
    assert response.status_code == 302
    assert "Danke für deine Meldung" in client.get(response["Location"]).content.decode()
    alert = mail.outbox[-1]
    assert alert.to == ["moderation@example.org"]
    assert alert.subject == f"Kommentar gemeldet: „{approved.report.title}“"
    assert "Grund: Beleidigung" in alert.body and "Beleidigt eine andere Leserin." in alert.body

    listing = moderator_client.get(
        reverse("admin:comments_comment_changelist"), {"gemeldet": "offen"}
    )
    assert [c.pk for c in listing.context["cl"].result_list] == [approved.pk]
    count = BeautifulSoup(listing.content, "html.parser").select_one(".comment-notices")
    assert count.get_text() == "1"

    change_url = reverse("admin:comments_comment_change", args=[approved.pk])
    change = moderator_client.get(change_url)
    assert "Beleidigt eine andere Leserin." in change.content.decode()

    notice = Notice.objects.get()
    form = change.context["adminform"].form
    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(
            change_url,
            {
                **form.initial,
                "section": "",  # the whole report (None cannot be posted)
                "author_url": "",
                "notices-TOTAL_FORMS": "1",
                "notices-INITIAL_FORMS": "1",
                "notices-0-id": notice.pk,
                "notices-0-comment": approved.pk,
                "notices-0-decision": "removed",
                "notices-0-decision_reason": "Verstößt gegen unsere Regeln.",
            },
        )
    approved.refresh_from_db()
    assert approved.status == Status.TRASH
    decision = mail.outbox[-1]
    assert decision.to == ["melderin@example.org"]
    assert decision.subject == "Entscheidung zu deiner Meldung: Kommentar entfernt"
    assert "Begründung: Verstößt gegen unsere Regeln." in decision.body
    ground = "Verstoß gegen Regel 2 der Diskussionsregeln (Angriffe auf Personen): Verstößt "
    ground += "gegen unsere Regeln."
    assert log_messages(approved) == [
        f"Status: Freigegeben → Papierkorb (Meldung) – Grund: {ground}",
        "Meldung entschieden: Kommentar entfernt – Verstößt gegen unsere Regeln.",
        f"Begründung verschickt (Begründung #{approved.statements.get().pk}): {ground}",
    ]


def test_no_email_no_decision_mail(
    client, approved, moderator, settings, django_capture_on_commit_callbacks
):
    from comments.notices import decide_notice

    send_report(client, approved, reporter_email="")
    with django_capture_on_commit_callbacks(execute=True):
        decide_notice(notice=Notice.objects.get(), decision="no_action", reason="", user=moderator)
    assert mail.outbox == []
    approved.refresh_from_db()
    assert approved.status == Status.APPROVED


def test_bad_input_keeps_what_was_typed(client, approved):
    response = send_report(client, approved, reason="", reporter_email="kaputt")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Bitte wähle einen Grund." in page
    assert "Bitte gib eine gültige E-Mail-Adresse ein." in page
    assert "Beleidigt eine andere Leserin." in page
    assert not Notice.objects.exists()


def test_honeypot_stores_nothing(client, approved):
    response = send_report(client, approved, honeypot="http://spam.example/")
    assert response.status_code == 302
    assert not Notice.objects.exists()


def test_flood_limit(client, approved):
    assert send_report(client, approved).status_code == 302
    second = send_report(client, approved, reporter_email="")
    assert second.status_code == 429
    assert "Du schickst Meldungen zu schnell ab." in second.content.decode()
    assert Notice.objects.count() == 1


def test_comment_held_again_after_n_reports(client, approved, settings):
    settings.COMMENTS_HOLD_AFTER_NOTICES = 2
    send_report(client, approved, ip="198.51.100.1", reporter_email="")
    approved.refresh_from_db()
    assert approved.status == Status.APPROVED
    send_report(client, approved, ip="203.0.113.200", reporter_email="", reason="spam")
    approved.refresh_from_db()
    assert approved.status == Status.PENDING


def test_off_by_default(client, approved):
    for n in range(3):
        send_report(client, approved, ip=f"192.0.2.{n}", reporter_email="")
    approved.refresh_from_db()
    assert approved.status == Status.APPROVED


def test_reports_in_export_erase_and_purge(client, approved, moderator):
    from comments.notices import decide_notice

    send_report(client, approved)
    out = StringIO()
    call_command("export_personal_data", "MELDERIN@example.org", stdout=out)
    exported = json.loads(out.getvalue())["notices"]
    assert [n["explanation"] for n in exported] == ["Beleidigt eine andere Leserin."]

    call_command("erase_personal_data", "melderin@example.org", stdout=StringIO())
    notice = Notice.objects.get()
    assert notice.reporter_email == ""

    decide_notice(notice=notice, decision="no_action", reason="", user=moderator)
    call_command("purge_comment_metadata", stdout=StringIO())
    assert Notice.objects.exists()  # decided today: kept
    Notice.objects.update(decided_at=timezone.now() - timezone.timedelta(days=400))
    call_command("purge_comment_metadata", stdout=StringIO())
    assert not Notice.objects.exists()


def test_daily_purge_empties_old_trash(report, settings):
    settings.COMMENTS_TRASH_DAYS = 30
    old = CommentFactory(report=report, status=Status.TRASH)
    Comment.objects.filter(pk=old.pk).update(
        status_changed_at=timezone.now() - timezone.timedelta(days=31)
    )
    recent = CommentFactory(report=report, status=Status.TRASH)
    ancient_but_approved = CommentFactory(
        report=report, created_at=timezone.now() - timezone.timedelta(days=400)
    )
    call_command("purge_comment_metadata", stdout=StringIO())
    assert set(Comment.objects.all()) == {recent, ancient_but_approved}
