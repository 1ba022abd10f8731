from django.core.management.base import BaseCommand
from django.db import transaction

from comments.models import ANONYMOUS_AUTHOR, Comment, Notice


class Command(BaseCommand):
    help = (
        "Löscht die Personendaten einer E-Mail-Adresse: Der Text der Kommentare bleibt, als "
        f"Autor steht dann „{ANONYMOUS_AUTHOR}“; E-Mail, Website, IP und Browser werden "
        "geleert. Aus Meldungen dieser Adresse wird sie gelöscht."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        with transaction.atomic():
            comments = list(Comment.objects.by_author_email(email).select_for_update())
            for comment in comments:
                comment.erase_personal_data()
            notices = Notice.objects.filter(reporter_email__iexact=email.strip()).update(
                reporter_email=""
            )
        self.stdout.write(f"Personendaten aus {len(comments)} Kommentar(en) gelöscht.")
        self.stdout.write(f"E-Mail-Adresse aus {notices} Meldung(en) gelöscht.")
