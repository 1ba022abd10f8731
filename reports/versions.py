"""A published version's permanent page, built from the content outline its publication keeps.

The outline is what readers had at that moment (reports.models.content_outline); it is rendered
with the site's own Markdown renderer. The page is the same for every reader and never changes,
so the page cache (aireport.page_cache) keeps the rendered page and this runs once per version.
"""

from dataclasses import dataclass, field
from datetime import date

from .models import SECTION_ID_PREFIX, Publication, Report, Section
from .rendering import render_markdown


@dataclass
class VersionSection:
    """A section as a version had it; without its text, what a citation of it names."""

    level: int
    title: str
    anchor: str
    body_html: str = ""
    subsections: list = field(default_factory=list)

    @property
    def html_id(self) -> str:
        return f"{SECTION_ID_PREFIX}{self.anchor}"


@dataclass
class VersionContent:
    title: str
    reviewed_on: date | None
    published_on: date | None
    lead_html: str
    closing_note_html: str
    tree: list[VersionSection]


def _date(value) -> date | None:
    return date.fromisoformat(value) if value else None


def version_sections(publication: Publication) -> list[VersionSection]:
    """The version's sections and subsections in order, titles and anchors only (a citation
    page needs no text): a section removed since is still there."""
    return [
        VersionSection(
            level=item.get("level", Section.Level.SECTION),
            title=item.get("title", ""),
            anchor=item.get("anchor", ""),
        )
        for item in (publication.content or {}).get("sections", [])
    ]


def render_version(publication: Publication) -> VersionContent:
    outline = publication.content or {}
    tree: list[VersionSection] = []
    for item in outline.get("sections", []):
        section = VersionSection(
            level=item.get("level", Section.Level.SECTION),
            title=item.get("title", ""),
            anchor=item.get("anchor", ""),
            body_html=render_markdown(item.get("body", ""), footnote_prefix=item.get("anchor", "")),
        )
        if section.level == Section.Level.SUBSECTION and tree:
            tree[-1].subsections.append(section)
        else:
            tree.append(section)
    return VersionContent(
        title=outline.get("title", publication.report.title),
        reviewed_on=_date(outline.get("reviewed_on")),
        published_on=_date(outline.get("published_on")),
        lead_html=render_markdown(outline.get("lead", ""), footnote_prefix="vorspann"),
        closing_note_html=render_markdown(
            outline.get("closing_note", ""), footnote_prefix="schluss"
        ),
        tree=tree,
    )


def versions_page_version(slug: str, **view_kwargs) -> str | None:
    """What the citation and version pages depend on: the report's page version and the
    newest version readers have (a scheduled publication becomes current at its moment)."""
    page_version = Report.objects.page_version(slug)
    if page_version is None:
        return None
    newest = (
        Publication.objects.seen_by_readers()
        .filter(report__slug=slug)
        .values_list("pk", flat=True)
        .first()
    )
    return f"{page_version}|{newest}"
