from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from comments.models import Comment, Notice, Subscription
from comments.notifications import CONFIRM_MAX_AGE
from comments.rules import discussion_rules


class Command(BaseCommand):
    help = (
        "Tägliche Pflege (cron): löscht IP-Adresse und Browser-Angabe von Kommentaren nach der "
        "Aufbewahrungsfrist (Diskussion-Einstellungen), Kommentare, die länger als "
        "COMMENTS_TRASH_DAYS im Papierkorb liegen, und entschiedene Meldungen nach "
        "COMMENTS_NOTICE_RETENTION_DAYS."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Aufbewahrungsdauer der IP-Adressen in Tagen (Standard: Diskussion-Einstellung).",
        )

    def handle(self, *args, days, **options):
        now = timezone.now()
        days = discussion_rules().ip_retention_days if days is None else days
        count = Comment.objects.with_metadata_older_than(now - timedelta(days=days)).update(
            ip_address=None, user_agent=""
        )
        self.stdout.write(f"IP-Adresse und Browser bei {count} Kommentar(en) gelöscht.")

        trash = Comment.objects.trashed_before(now - timedelta(days=settings.COMMENTS_TRASH_DAYS))
        trashed = 0
        for comment in trash:
            comment.delete()
            trashed += 1
        self.stdout.write(f"{trashed} Kommentar(e) aus dem Papierkorb endgültig gelöscht.")

        cutoff = now - timedelta(days=settings.COMMENTS_NOTICE_RETENTION_DAYS)
        notices, _ = Notice.objects.exclude(decision="").filter(decided_at__lt=cutoff).delete()
        self.stdout.write(f"{notices} entschiedene Meldung(en) gelöscht.")

        # A confirmation link is valid CONFIRM_MAX_AGE; after that an unconfirmed wish is void.
        expired, _ = Subscription.objects.unconfirmed_older_than(
            timezone.now() - CONFIRM_MAX_AGE
        ).delete()
        self.stdout.write(f"{expired} unbestätigte Benachrichtigung(en) gelöscht.")
