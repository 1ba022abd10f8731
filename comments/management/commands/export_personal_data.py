import json

from django.core.management.base import BaseCommand

from comments.models import BannedSender, Comment, Notice, Subscription
from comments.text import normalise_email


class Command(BaseCommand):
    help = (
        "Gibt alle Kommentare und Benachrichtigungen einer E-Mail-Adresse mit ihren "
        "Personendaten als JSON aus."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        comments = (
            Comment.objects.by_author_email(email)
            .select_related("report")
            .order_by("created_at", "id")
        )
        data = {
            "email": email.strip(),
            # The ban list keeps only a keyed hash of the address; it says whether it is banned.
            "banned": BannedSender.is_banned(email=email, ip_address=None),
            "comments": [
                {
                    "id": comment.pk,
                    "report": comment.report.title,
                    "url": comment.get_absolute_url(),
                    "status": comment.status,
                    "created_at": comment.created_at.isoformat(),
                    "author_name": comment.author_name,
                    "author_email": comment.author_email,
                    "author_url": comment.author_url,
                    "ip_address": comment.ip_address,
                    "user_agent": comment.user_agent,
                    "text": comment.text,
                }
                for comment in comments
            ],
            "notices": [
                {
                    "id": notice.pk,
                    "comment": notice.comment_id,
                    "created_at": notice.created_at.isoformat(),
                    "reason": notice.reason,
                    "explanation": notice.explanation,
                    "reporter_email": notice.reporter_email,
                    "decision": notice.decision,
                    "decision_reason": notice.decision_reason,
                }
                for notice in Notice.objects.filter(
                    reporter_email_normalised=normalise_email(email)
                )
            ],
            # Email notifications with the proof of consent (double opt-in).
            "subscriptions": [
                {
                    "report": subscription.report.title,
                    "about": subscription.description,
                    "email": subscription.email,
                    "requested_at": subscription.requested_at.isoformat(),
                    "request_ip": subscription.request_ip,
                    "confirmed_at": subscription.confirmed_at.isoformat()
                    if subscription.confirmed_at
                    else None,
                    "confirm_ip": subscription.confirm_ip,
                }
                for subscription in Subscription.objects.by_email(email).select_related("report")
            ],
        }
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
