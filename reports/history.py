"""Readable differences between two stored revisions of a report (django-reversion)."""

import difflib

from reversion.models import Version

from .models import Report, Section


def _outline_text(fields: dict, sections: list[dict]) -> list[str]:
    lines = [
        f"Titel: {fields.get('title', '')}",
        f"Status: {fields.get('status', '')}",
        f"Geprüft am: {fields.get('reviewed_on') or '–'}",
        f"Veröffentlicht am: {fields.get('published_on') or '–'}",
        f"Lesezeit: {fields.get('reading_time_minutes') or 'berechnet'}",
        f"Kommentare offen: {'ja' if fields.get('comments_open') else 'nein'}",
        "",
        "Vorspann:",
        *str(fields.get("lead", "")).splitlines(),
        "",
    ]
    for section in sorted(sections, key=lambda s: (s.get("order", 0), s.get("id", 0))):
        marker = "##" if section.get("level") == Section.Level.SECTION else "###"
        lines += [f"{marker} {section.get('title', '')}  {{#{section.get('anchor', '')}}}", ""]
        lines += [*str(section.get("body", "")).splitlines(), ""]
    lines += ["Schlussnotiz:", *str(fields.get("closing_note", "")).splitlines()]
    return lines


def version_outline(version: Version | None) -> list[str]:
    if version is None:
        return []
    sections = [
        v.field_dict
        for v in version.revision.version_set.select_related("content_type")
        if v.content_type.model_class() is Section
    ]
    return _outline_text(version.field_dict, sections)


def previous_version(version: Version) -> Version | None:
    return (
        Version.objects.get_for_object_reference(Report, version.object_id)
        .filter(revision__date_created__lt=version.revision.date_created)
        .select_related("revision")
        .order_by("-revision__date_created")
        .first()
    )


def diff_lines(version: Version) -> list[tuple[str, str]]:
    """Unified diff against the previous revision, as (kind, text) pairs for the template."""
    older = version_outline(previous_version(version))
    newer = version_outline(version)
    kinds = {"+": "added", "-": "removed", "@": "hunk"}
    return [
        (kinds.get(line[:1], "context"), line)
        for line in difflib.unified_diff(older, newer, "vorher", "nachher", lineterm="", n=2)
        if not line.startswith(("+++", "---"))
    ]
