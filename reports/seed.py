"""Reading a plain-text seed report into structured data, and storing it.

The seed is plain text: a title, "Reviewed:" and "Published: … | Reading time: …" lines, a
lead paragraph, headings (lines without closing punctuation), paragraphs, "•" bullet lists,
"1." numbered lists, a closing note after two blank lines, and the comment form's wording at
the end. Heading levels are not visible in plain text, so the top-level headings are listed in
a sidecar file `<seed>.outline`; every other heading is a subsection.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import reversion
from django.db import transaction
from django.utils.text import slugify
from reversion.models import Version

from .models import Report, Section, content_fingerprint, content_outline
from .rendering import escape_markdown
from .signals import sections_written

COMMENT_FORM_MARKER = "Schreibe einen Kommentar"
_BULLET = re.compile(r"^\s+•\s+(?P<text>.+)$")
_NUMBERED = re.compile(r"^\s+(?P<number>\d+)\.\s+(?P<text>.+)$")
_LEAD_IN = re.compile(r"^(?P<lead_in>[^:]{1,80}):\s+(?P<rest>.+)$")
_READING_TIME = re.compile(r"Reading time:\s*(\d+)\s*minutes?")


class SeedFormatError(ValueError):
    pass


@dataclass
class ParsedSection:
    level: int
    title: str
    body_blocks: list[str] = field(default_factory=list)

    @property
    def body(self) -> str:
        return "\n\n".join(self.body_blocks)

    @property
    def anchor(self) -> str:
        return slugify(self.title)


@dataclass
class ParsedReport:
    title: str
    slug: str
    reviewed_on: date | None
    published_on: date | None
    reading_time_minutes: int | None
    lead: str
    closing_note: str
    sections: list[ParsedSection]

    def outline(self) -> dict:
        return content_outline(self, self.sections)


def _list_item(text: str, marker: str) -> str:
    match = _LEAD_IN.match(text)
    if match and len(match["lead_in"].split()) <= 8:
        text = f"**{escape_markdown(match['lead_in'])}:** {escape_markdown(match['rest'])}"
    else:
        text = escape_markdown(text)
    return f"{marker} {text}"


def _is_heading(line: str) -> bool:
    return bool(line) and not line[0].isspace() and line.rstrip()[-1] not in ".:!?…"


def _blocks(lines: list[str]) -> list[list[str]]:
    """Group lines into blocks separated by blank lines, keeping a marker for double blanks."""
    blocks, current, blank_run = [], [], 0
    for line in lines:
        if line.strip():
            if blank_run >= 2 and blocks:
                blocks.append(["\x00gap"])
            current.append(line.rstrip("\n"))
            blank_run = 0
        else:
            if current:
                blocks.append(current)
                current = []
            blank_run += 1
    if current:
        blocks.append(current)
    return blocks


def parse_seed(text: str, top_level_headings: set[str]) -> ParsedReport:
    lines = text.splitlines()
    if COMMENT_FORM_MARKER in (line.strip() for line in lines):
        lines = lines[: [line.strip() for line in lines].index(COMMENT_FORM_MARKER)]
    blocks = _blocks(lines)
    if len(blocks) < 4:
        raise SeedFormatError("Die Datei ist zu kurz für einen Bericht.")

    title = blocks.pop(0)[0].strip()
    reviewed_on = published_on = reading_time = None
    while blocks and blocks[0][0].startswith(("Reviewed:", "Published:")):
        line = blocks.pop(0)[0]
        if line.startswith("Reviewed:"):
            reviewed_on = datetime.strptime(line.split(":", 1)[1].strip(), "%B %d, %Y").date()
        else:
            published_text = line.split(":", 1)[1].split("|")[0].strip()
            published_on = datetime.strptime(published_text, "%B %Y").date()
            if match := _READING_TIME.search(line):
                reading_time = int(match[1])
    lead = escape_markdown(" ".join(blocks.pop(0)))

    sections: list[ParsedSection] = []
    closing_note = ""
    for index, block in enumerate(blocks):
        if block == ["\x00gap"]:
            closing_note = "\n\n".join(
                escape_markdown(" ".join(b)) for b in blocks[index + 1 :] if b != ["\x00gap"]
            )
            break
        first = block[0]
        if len(block) == 1 and _is_heading(first):
            level = 2 if first.strip() in top_level_headings else 3
            sections.append(ParsedSection(level=level, title=first.strip()))
            continue
        if not sections:
            raise SeedFormatError(f"Text vor der ersten Überschrift: {first[:60]!r}")
        if _BULLET.match(first):
            items = [_list_item(_BULLET.match(line)["text"], "-") for line in block]
        elif _NUMBERED.match(first):
            items = [_list_item(m["text"], f"{m['number']}.") for m in map(_NUMBERED.match, block)]
        else:
            items = [escape_markdown(" ".join(line.strip() for line in block))]
        sections[-1].body_blocks.append("\n".join(items))

    missing = top_level_headings - {s.title for s in sections}
    if missing:
        raise SeedFormatError(f"Überschriften aus der Gliederung fehlen: {sorted(missing)}")
    return ParsedReport(
        title=title,
        slug=slugify(title),
        reviewed_on=reviewed_on,
        published_on=published_on,
        reading_time_minutes=reading_time,
        lead=lead,
        closing_note=closing_note,
        sections=sections,
    )


def read_seed_file(path: Path) -> ParsedReport:
    outline_path = path.with_suffix(".outline")
    top_level = set()
    if outline_path.exists():
        top_level = {
            line.strip()
            for line in outline_path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")
        }
    return parse_seed(path.read_text(encoding="utf-8"), top_level)


class ImportOutcome:
    CREATED = "created"
    UNCHANGED = "unchanged"
    EDITED = "edited"
    OVERWRITTEN = "overwritten"


@transaction.atomic
def import_report(parsed: ParsedReport, *, overwrite: bool = False, publish: bool = True) -> str:
    """Store a parsed seed; never replaces an editor's changes unless asked to."""
    report = Report.objects.filter(slug=parsed.slug).first()
    if report is not None:
        if content_fingerprint(report.content_outline()) == content_fingerprint(parsed.outline()):
            return ImportOutcome.UNCHANGED
        if not overwrite:
            return ImportOutcome.EDITED

    with reversion.create_revision():
        created = report is None
        report = report or Report(slug=parsed.slug)
        report.title = parsed.title
        report.reviewed_on = parsed.reviewed_on
        report.published_on = parsed.published_on
        report.reading_time_minutes = parsed.reading_time_minutes
        report.lead = parsed.lead
        report.closing_note = parsed.closing_note
        if created and publish:
            report.status = Report.Status.PUBLISHED
        report.save()
        # Links shared before section ids had their "s-" keep working after an overwrite.
        legacy = dict(report.sections.values_list("anchor", "legacy_anchor"))
        report.sections.all().delete()
        for order, parsed_section in enumerate(parsed.sections, start=1):
            Section.objects.create(
                report=report,
                order=order * 10,
                level=parsed_section.level,
                title=parsed_section.title,
                anchor=parsed_section.anchor,
                legacy_anchor=legacy.get(parsed_section.anchor, ""),
                body=parsed_section.body,
            )
        report.record_content_change()
        reversion.set_comment(
            "Aus der Seed-Datei importiert." if created else "Mit der Seed-Datei überschrieben."
        )
    if report.status == Report.Status.PUBLISHED:
        live = Version.objects.get_for_object(report).first().revision
        Report.objects.filter(pk=report.pk).update(live_revision=live)
    sections_written.send(sender=Report, report=report)
    return ImportOutcome.CREATED if created else ImportOutcome.OVERWRITTEN
