"""How to cite a report, one of its sections, and the version a reader read.

The report changes after publication, so a citation names the version (the publication readers
had, "Fassung vom 4. Dezember 2026") and points to that version's permanent page; a section's
citation adds the section's anchor. The formats are the ones reference managers import:
BibTeX, RIS, CSL-JSON, a plain APA-like line, and a CITATION.cff for the report.

Everything here is plain text built from the report's stored fields and the site's identity
(settings.SITE_PUBLISHER is the author and the publisher): the same for every reader, so the
pages that show it are cached like the article.
"""

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, time

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from .models import Publication, Report, Section
from .versions import VersionSection

ENGLISH_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def absolute(path: str, site_url: str = "") -> str:
    return (site_url or settings.SITE_URL).rstrip("/") + path


def current_version(report: Report) -> Publication | None:
    """The version readers have now: the newest publication whose moment has come."""
    return report.publications.seen_by_readers().first()


@dataclass(frozen=True)
class Citation:
    """What every format says about the cited work."""

    report: Report
    #: A live section, or a section as a version had it (its title and anchor then).
    section: Section | VersionSection | None
    version: Publication | None
    #: The site's address; settings.SITE_URL unless given (the repository's CITATION.cff).
    site_url: str = ""

    @property
    def author(self) -> str:
        return settings.SITE_PUBLISHER

    @property
    def report_title(self) -> str:
        """The report's title as the cited version had it."""
        stored = (self.version.content or {}).get("title") if self.version else None
        return stored or self.report.title

    @property
    def title(self) -> str:
        return self.section.title if self.section else self.report_title

    @property
    def issued(self) -> date | None:
        """The report's publication date (the seed gives month and year)."""
        return self.report.published_on

    @property
    def version_date(self) -> date:
        moment = self.version.published_at if self.version else self.report.content_changed_at
        return timezone.localdate(moment)

    @property
    def version_label(self) -> str:
        day = self.version_date
        return f"Version of {day.day} {ENGLISH_MONTHS[day.month - 1]} {day.year}"

    @property
    def url(self) -> str:
        """The version's permanent page (the article while no version is recorded), with the
        section's anchor."""
        page = self.version.get_version_url() if self.version else self.report.get_absolute_url()
        return absolute(page, self.site_url) + (f"#{self.section.html_id}" if self.section else "")

    @property
    def key(self) -> str:
        """A BibTeX key: letters and digits of the slug's start, the year, the version's day,
        the section; two versions cited in one bibliography get two keys."""
        stem = re.sub(r"[^a-z0-9]", "", self.report.slug.split("-")[0].lower()) or "report"
        year = self.issued.year if self.issued else self.version_date.year
        tail = f"_{self.section.anchor.replace('-', '_')[:40]}" if self.section else ""
        return f"{stem}{year}_v{self.version_date:%Y%m%d}{tail}"

    def filename(self, extension: str) -> str:
        name = self.report.slug + (f"-{self.section.anchor}" if self.section else "")
        return f"{name}-{self.version_date:%Y-%m-%d}.{extension}"


def cite(report: Report, section: Section | None = None) -> Citation:
    return Citation(report=report, section=section, version=current_version(report))


def citation_url(
    report: Report,
    section: Section | VersionSection | None = None,
    publication: Publication | None = None,
    extension: str = "",
) -> str:
    """The citation page of the report or a section, or with an extension its download: of
    the current version (…/zitieren/), or of the given version (…/fassungen/<id>/zitieren/)."""
    kwargs = {"slug": report.slug}
    name = "cite"
    if publication is not None:
        kwargs["publication_id"] = publication.pk
        name = "version_cite"
    if section is not None:
        kwargs["anchor"] = section.anchor
        name += "_section"
    if extension:
        kwargs["extension"] = extension
        name += "_file"
    return reverse(f"reports:{name}", kwargs=kwargs)


def cite_seed(parsed, site_url: str = "") -> Citation:
    """A seed report's citation from its file alone (reports.seed.read_seed_file), for the
    repository's CITATION.cff: fixed inputs, so the file changes only with the seed or this
    code. No version exists outside a site's database, so it names the article's address and
    the report's publication date as its version (docs/publication.md)."""
    if parsed.published_on is None:
        raise ValueError("Der Seed nennt kein Veröffentlichungsdatum („Published: …“).")
    published = parsed.published_on
    report = Report(
        title=parsed.title,
        slug=parsed.slug,
        published_on=parsed.published_on,
        content_changed_at=timezone.make_aware(datetime.combine(published, time(12))),
    )
    return Citation(report=report, section=None, version=None, site_url=site_url)


# BibTeX ----------------------------------------------------------------------------------------

_BIBTEX_SPECIAL = re.compile(r"([\\{}&%$#_^~])")
_BIBTEX_REPLACEMENTS = {
    "\\": r"\textbackslash{}",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
}


def bibtex_escape(text: str) -> str:
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_REPLACEMENTS.get(m[1], "\\" + m[1]), text)


def to_bibtex(citation: Citation) -> str:
    """biblatex's @online (BibTeX styles read it as @misc). The author is an organisation, so
    it sits in double braces and is never split into given and family names."""
    fields = [
        ("title", f"{{{bibtex_escape(citation.title)}}}"),
        ("author", f"{{{bibtex_escape(citation.author)}}}"),
    ]
    if citation.section:
        fields.append(("booktitle", f"{{{bibtex_escape(citation.report_title)}}}"))
    fields += [("organization", bibtex_escape(citation.author))]
    if citation.issued:
        fields += [("year", str(citation.issued.year)), ("month", str(citation.issued.month))]
    fields += [
        ("version", citation.version_label),
        ("date", citation.version_date.isoformat()),
        ("url", citation.url),
        ("langid", "english"),
    ]
    lines = [f"  {name} = {{{value}}}," for name, value in fields]
    kind = "incollection" if citation.section else "online"
    return f"@{kind}{{{citation.key},\n" + "\n".join(lines) + "\n}\n"


# RIS -------------------------------------------------------------------------------------------


def to_ris(citation: Citation) -> str:
    """RIS: one "TAG  - value" per line, ending with "ER  - "; ELEC is an electronic source."""
    tags = [("TY", "ELEC"), ("TI", citation.title)]
    if citation.section:
        tags.append(("T2", citation.report_title))
    tags += [("AU", citation.author), ("PB", citation.author)]
    if citation.issued:
        tags.append(("PY", str(citation.issued.year)))
    tags += [
        ("DA", citation.version_date.strftime("%Y/%m/%d")),
        ("ET", citation.version_label),
        ("UR", citation.url),
        ("LA", "en"),
        ("ER", ""),
    ]
    return "".join(f"{tag}  - {' '.join(value.split())}\r\n" for tag, value in tags)


# CSL-JSON --------------------------------------------------------------------------------------


def _date_parts(day: date) -> dict:
    return {"date-parts": [[day.year, day.month, day.day]]}


def to_csl(citation: Citation) -> dict:
    item = {
        "id": citation.key,
        "type": "chapter" if citation.section else "report",
        "title": citation.title,
        "author": [{"literal": citation.author}],
        "publisher": citation.author,
        "version": citation.version_label,
        "URL": citation.url,
        "language": "en",
        "available-date": _date_parts(citation.version_date),
    }
    if citation.section:
        item["container-title"] = citation.report_title
    if citation.issued:
        item["issued"] = {"date-parts": [[citation.issued.year, citation.issued.month]]}
    return item


def to_csl_json(citation: Citation) -> str:
    return json.dumps([to_csl(citation)], ensure_ascii=False, indent=2) + "\n"


# Plain text ------------------------------------------------------------------------------------


def to_text(citation: Citation) -> str:
    """APA-like: Author. (Year, Month). Title (Version). Publisher. URL"""
    issued = citation.issued or citation.version_date
    when = f"{issued.year}, {ENGLISH_MONTHS[issued.month - 1]}"
    if citation.section:
        work = f"{citation.section.title}. In {citation.report_title} ({citation.version_label})"
    else:
        work = f"{citation.report_title} ({citation.version_label})"
    return f"{citation.author}. ({when}). {work}. {citation.author}. {citation.url}"


# CITATION.cff ----------------------------------------------------------------------------------


def _yaml_string(text: str) -> str:
    """A YAML double-quoted scalar: JSON's string syntax is a subset of it."""
    return json.dumps(text, ensure_ascii=False)


def to_cff(citation: Citation) -> str:
    """Citation File Format 1.2.0 for the report. CFF's own `type` knows only software and
    datasets, so the report is described as the `preferred-citation` of type "report"."""
    author = _yaml_string(citation.author)
    common = [
        f"title: {_yaml_string(citation.report_title)}",
        "authors:",
        f"  - name: {author}",
        f"version: {_yaml_string(citation.version_label)}",
        f"url: {_yaml_string(citation.url)}",
        'languages: ["en"]',
    ]
    released = citation.version_date.isoformat()
    lines = [
        "cff-version: 1.2.0",
        'message: "If you cite this report, please cite it as below."',
        *common,
        f'date-released: "{released}"',
        "preferred-citation:",
        "  type: report",
        *(f"  {line}" for line in common),
        "  publisher:",
        f"    name: {author}",
    ]
    if citation.issued:
        lines += [f"  year: {citation.issued.year}", f"  month: {citation.issued.month}"]
    return "\n".join(lines) + "\n"


#: Download formats, in the order the citation page shows them: extension → (label, media
#: type, renderer).
FORMATS = {
    "txt": ("Text", "text/plain", to_text),
    "bib": ("BibTeX", "application/x-bibtex", to_bibtex),
    "ris": ("RIS", "application/x-research-info-systems", to_ris),
    "json": ("CSL-JSON", "application/vnd.citationstyles.csl+json", to_csl_json),
}
