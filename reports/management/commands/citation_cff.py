from dataclasses import replace
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.citation import cite, cite_seed, to_cff
from reports.models import Report
from reports.seed import SeedFormatError, read_seed_file


class Command(BaseCommand):
    help = (
        "Schreibt die CITATION.cff eines veröffentlichten Berichts, wie die Website sie unter "
        "/berichte/<slug>/CITATION.cff ausliefert, oder mit --seed die eines Seed-Berichts aus "
        "seiner Datei (für die CITATION.cff im Wurzelverzeichnis; docs/publication.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", nargs="?", help="Der Bericht aus der Datenbank.")
        parser.add_argument("--seed", type=Path, help="Eine Seed-Datei statt der Datenbank.")
        parser.add_argument(
            "--site-url", default="", help="Die Adresse der Website (Standard: SITE_URL)."
        )

    def handle(self, *args, slug, seed, site_url, **options):
        if (slug is None) == (seed is None):
            raise CommandError("Entweder einen Slug oder --seed angeben.")
        if seed is not None:
            try:
                citation = cite_seed(read_seed_file(seed), site_url=site_url)
            except (OSError, SeedFormatError, ValueError) as error:
                raise CommandError(f"{seed.name}: {error}") from error
        else:
            report = Report.objects.published().filter(slug=slug).first()
            if report is None:
                raise CommandError(f"Kein veröffentlichter Bericht „{slug}“.")
            citation = replace(cite(report), site_url=site_url)
        self.stdout.write(to_cff(citation), ending="")
