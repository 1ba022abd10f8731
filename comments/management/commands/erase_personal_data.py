from django.core.management.base import BaseCommand

from comments.models import ANONYMOUS_AUTHOR, Comment


class Command(BaseCommand):
    help = (
        "Löscht die Personendaten einer E-Mail-Adresse: Der Text der Kommentare bleibt, als "
        f"Autor steht dann „{ANONYMOUS_AUTHOR}“; E-Mail, Website, IP und Browser werden geleert, "
        "ebenso Name und Text in den Einträgen der Admin-Protokolle."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        count = Comment.objects.by_author_email(email).erase_personal_data()
        self.stdout.write(f"Personendaten aus {count} Kommentar(en) gelöscht.")
