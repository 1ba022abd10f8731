from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q

from comments.models import ANONYMOUS_AUTHOR, BannedSender, Comment, Notice, Subscription
from comments.privacy import erase_personal_data, forget_tasks
from comments.text import normalise_email


class Command(BaseCommand):
    help = (
        "Löscht die Personendaten einer E-Mail-Adresse: Der Text der Kommentare bleibt, als "
        f"Autor steht dann „{ANONYMOUS_AUTHOR}“; E-Mail, Website, IP und Browser werden geleert, "
        "ebenso Name und Text in den Einträgen der Admin-Protokolle; Benachrichtigungen samt "
        "Einwilligungsnachweis werden gelöscht, die Adresse aus Meldungen ebenso, und die "
        "Einträge der E-Mail-Warteschlange zu alldem. Eine Sperre bleibt (nur als Hash)."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        with transaction.atomic():
            comments = Comment.objects.by_author_email(email)
            notices_of_person = Notice.objects.filter(
                reporter_email_normalised=normalise_email(email)
            )
            tasks = forget_tasks(
                comment_ids=list(comments.values_list("pk", flat=True)),
                subscription_ids=list(
                    Subscription.objects.by_email(email).values_list("pk", flat=True)
                ),
                notice_ids=list(notices_of_person.values_list("pk", flat=True)),
            )
            count = erase_personal_data(comments)
            subscriptions = Subscription.objects.by_email(email)
            # A subscription names itself by its address (str), so the admin's log does too.
            LogEntry.objects.filter(
                Q(object_id__in=[str(pk) for pk in subscriptions.values_list("pk", flat=True)])
                | Q(object_repr__icontains=email.strip()),
                content_type=ContentType.objects.get_for_model(Subscription),
            ).delete()
            deleted, _ = subscriptions.delete()
            notices = Notice.objects.filter(
                reporter_email_normalised=normalise_email(email)
            ).update(reporter_email="", reporter_email_normalised="")
        self.stdout.write(
            f"Personendaten aus {count} Kommentar(en) und {deleted} Benachrichtigung(en) gelöscht."
        )
        self.stdout.write(f"E-Mail-Adresse aus {notices} Meldung(en) gelöscht.")
        self.stdout.write(f"{tasks} Eintrag/Einträge der E-Mail-Warteschlange gelöscht.")
        if BannedSender.is_banned(email=email, ip_address=None):
            self.stdout.write(
                "Die Sperre dieser Adresse bleibt (nur als Schlüssel-Hash gespeichert; "
                "berechtigtes Interesse, siehe docs/privacy.md)."
            )
