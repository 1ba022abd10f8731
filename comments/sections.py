"""Comments about one section of a report: the form's choices, the counts per section, and
what each comment on a page says about its section ("zu: …", "seitdem geändert").

A comment keeps its section's anchor, title and text fingerprint from the moment it was
written (Comment.set_section). It counts as answering an older text when the section's text
differs from that fingerprint now AND a change of that section was published since that the
public changelog lists: small corrections (Publication.minor) and changes of other sections
never mark it, and the mark links to that change.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef
from django.urls import reverse

from reports.models import Publication, Section

from .models import Comment

WHOLE_REPORT_LABEL = "den ganzen Bericht"
#: Before a subsection's title in the select: indented, and a dash a screen reader reads.
SUBSECTION_PREFIX = "\u00a0\u00a0\u00a0– "


def section_choices(sections) -> list[tuple[str, str]]:
    """The "Bezieht sich auf" options: the whole report, then the sections in report order."""
    return [("", WHOLE_REPORT_LABEL)] + [
        (s.anchor, f"{SUBSECTION_PREFIX}{s.title}" if s.level == s.Level.SUBSECTION else s.title)
        for s in sections
    ]


def comment_counts(report) -> dict[int, int]:
    """Approved comments per section id, from one grouped query (replies included)."""
    rows = (
        Comment.objects.for_report(report)
        .approved()
        .exclude(section=None)
        .values("section")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {row["section"]: row["count"] for row in rows}


def reattach_comments(report_id) -> None:
    """A section that comes (back) with the anchor of a deleted one gets its comments again:
    an editor published a version that restores it, or the section was written anew (the seed
    import, a script). Comments whose section is still there are not touched."""
    orphaned = set(
        Comment.objects.filter(report_id=report_id, section=None)
        .exclude(section_anchor="")
        .values_list("section_anchor", flat=True)
        .distinct()
    )
    if not orphaned:
        return
    for section in Section.objects.filter(report_id=report_id, anchor__in=orphaned):
        Comment.objects.filter(
            report_id=report_id, section=None, section_anchor=section.anchor
        ).update(section=section)


def section_url(report, anchor: str) -> str:
    return reverse("comments:section", kwargs={"slug": report.slug, "anchor": anchor})


@dataclass
class About:
    """What one comment on the page says about its section."""

    title: str
    #: The heading on the article page; empty when the section was deleted.
    url: str = ""
    #: The section's own discussion.
    discussion_url: str = ""
    #: When the section has changed since: the date of the version the comment answered,
    #: and the public changelog entry of the first change after it.
    version_date: object = None
    change_url: str = ""

    @property
    def removed(self) -> bool:
        return not self.url


def describe(report, comments, *, within: str = "") -> None:
    """Give each comment about a section its `about` (None for the whole report); on the
    page of one section's discussion (`within`) without the link to that very page.

    The report's sections are the ones the page shows already (prefetched on the article);
    the publications are read in one query, and only when some comment's section has
    changed since it was written: never a query per comment."""
    sections = {section.pk: section for section in report.sections.all()}
    changed = []
    for comment in comments:
        comment.about = None
        if not comment.section_anchor:
            continue
        section = sections.get(comment.section_id)
        if section is None:
            comment.about = About(title=comment.section_title)
        else:
            comment.about = About(
                title=section.title, url=f"{report.get_absolute_url()}#{section.html_id}"
            )
        anchor = section.anchor if section is not None else comment.section_anchor
        if anchor != within:
            comment.about.discussion_url = section_url(report, anchor)
        if section is None:
            continue
        if comment.section_fingerprint and comment.section_fingerprint != section.text_fingerprint:
            changed.append((comment, section))
    if changed:
        _mark_changed(report, changed)


def _mark_changed(report, changed) -> None:
    publications = list(
        Publication.objects.filter(report=report)
        .annotate(listed=Exists(Publication.objects.in_changelog().filter(pk=OuterRef("pk"))))
        .order_by("published_at", "id")
        .only("id", "published_at", "sections_touched")
    )
    for comment, section in changed:
        version = None
        for publication in publications:
            if publication.published_at <= comment.created_at:
                version = publication  # the version readers had when the comment was written
                continue
            if publication.listed and _edits(publication, section.anchor):
                comment.about.version_date = (
                    version.published_at if version is not None else comment.created_at
                )
                comment.about.change_url = reverse(
                    "reports:change", kwargs={"slug": report.slug, "publication_id": publication.pk}
                )
                break


def _edits(publication, anchor: str) -> bool:
    """Whether the publication changed the section's words (a mere move does not count)."""
    return any(
        touched.get("anchor") == anchor and touched.get("kind") != "verschoben"
        for touched in publication.sections_touched or ()
    )
