from django.core.management.base import BaseCommand

from reports.workflow import publish_due


class Command(BaseCommand):
    help = (
        "Veröffentlicht jetzt fällige geplante Fassungen, die älteste zuerst (sonst tut das "
        "der Task-Worker; nur für Betrieb ohne ihn, z. B. mit dem ImmediateBackend)."
    )

    def handle(self, *args, **options):
        published = publish_due()
        self.stdout.write(f"{len(published)} geplante Fassung(en) veröffentlicht.")
