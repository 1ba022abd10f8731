from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reports.seed import ImportOutcome, SeedFormatError, import_report, read_seed_file


class Command(BaseCommand):
    help = (
        "Importiert Seed-Berichte (Standard: alle seeds/*.txt). Ein zweiter Lauf ändert nichts; "
        "von Redakteuren geänderte Berichte bleiben stehen, außer mit --overwrite."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path)
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Einen geänderten Bericht durch die Seed-Fassung ersetzen (als Revision).",
        )
        parser.add_argument(
            "--draft", action="store_true", help="Neue Berichte als Entwurf anlegen."
        )

    def handle(self, *args, paths, overwrite, draft, **options):
        paths = paths or sorted((Path(settings.BASE_DIR) / "seeds").glob("*.txt"))
        if not paths:
            raise CommandError("Keine Seed-Dateien gefunden.")
        for path in paths:
            try:
                parsed = read_seed_file(path)
            except (OSError, SeedFormatError, ValueError) as error:
                raise CommandError(f"{path.name}: {error}") from error
            outcome = import_report(parsed, overwrite=overwrite, publish=not draft)
            message = {
                ImportOutcome.CREATED: "importiert",
                ImportOutcome.UNCHANGED: "unverändert",
                ImportOutcome.OVERWRITTEN: "mit der Seed-Fassung überschrieben",
                ImportOutcome.EDITED: "von Redakteuren geändert; nicht überschrieben "
                "(--overwrite ersetzt ihn)",
            }[outcome]
            style = self.style.WARNING if outcome == ImportOutcome.EDITED else self.style.SUCCESS
            self.stdout.write(style(f"{parsed.title}: {message}"))
