from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from comments.models import Comment, Subscription
from comments.notifications import CONFIRM_MAX_AGE


class Command(BaseCommand):
    help = (
        "Löscht IP-Adresse und Browser-Angabe von Kommentaren, die älter als "
        "COMMENTS_IP_RETENTION_DAYS Tage sind. Täglich laufen lassen (cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Aufbewahrungsdauer in Tagen (Standard: COMMENTS_IP_RETENTION_DAYS).",
        )

    def handle(self, *args, days, **options):
        days = settings.COMMENTS_IP_RETENTION_DAYS if days is None else days
        cutoff = timezone.now() - timedelta(days=days)
        count = Comment.objects.with_metadata_older_than(cutoff).update(
            ip_address=None, user_agent=""
        )
        self.stdout.write(f"IP-Adresse und Browser bei {count} Kommentar(en) gelöscht.")
        # A confirmation link is valid CONFIRM_MAX_AGE; after that an unconfirmed wish is void.
        expired, _ = Subscription.objects.unconfirmed_older_than(
            timezone.now() - CONFIRM_MAX_AGE
        ).delete()
        self.stdout.write(f"{expired} unbestätigte Benachrichtigung(en) gelöscht.")
