"""What changed between two versions of a report, section by section and word by word.

Versions come from django-reversion (admin) or from a Publication's stored outline (public
changelog); both are reduced to the same plain outline first (models.content_outline). Words
are compared with the standard library's difflib on word tokens.
"""

import difflib
import re
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from reversion.models import Revision

from .models import Report, Section, content_outline
from .rendering import html_to_text, render_markdown

#: German names of the report's fields in a comparison.
FIELD_LABELS = {
    "title": "Titel",
    "reviewed_on": "Geprüft am",
    "published_on": "Veröffentlicht am",
    "reading_time_minutes": "Lesezeit (Minuten)",
    "description": "Meta-Beschreibung",
    "comments_open": "Kommentare offen",
}
LEAD, CLOSING = "__vorspann", "__schlussnotiz"
#: Below this share of equal words, two versions of a paragraph are shown one after the other.
REWRITTEN_BELOW = 0.5
_TOKEN = re.compile(r"\s+|[^\s]+")
_BLOCK_SPLIT = re.compile(r"\n\s*\n")


class _Fields:
    """Attribute access to a stored field dict, so content_outline() reads it like a model."""

    def __init__(self, values: dict):
        self.__dict__.update(values)


def outline_of_revision(revision: Revision) -> dict:
    """The content outline of a report as one django-reversion revision stored it."""
    report_fields, sections = {}, []
    for version in revision.version_set.select_related("content_type"):
        model = version.content_type.model_class()
        if model is Report:
            report_fields = version.field_dict
        elif model is Section:
            sections.append(version.field_dict)
    sections.sort(key=lambda s: (s.get("order", 0), s.get("id", 0)))
    outline = content_outline(
        _Fields(
            {key: report_fields.get(key) for key in FIELD_LABELS | {"lead": 0, "closing_note": 0}}
        ),
        [_Fields(s) for s in sections],
    )
    outline["description"] = report_fields.get("description", "")
    outline["comments_open"] = report_fields.get("comments_open")
    return outline


def _words(text: str) -> list[str]:
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> SafeString:
    """Both texts as HTML with removed words in <del> and inserted words in <ins>."""
    old_words, new_words = _words(old), _words(new)
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    if old_words and new_words and matcher.ratio() < REWRITTEN_BELOW:
        # A rewritten paragraph reads better as old text, then new text, than as a mosaic.
        return mark_safe(f"<del>{escape(old)}</del> <ins>{escape(new)}</ins>")  # noqa: S308
    parts = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(escape("".join(old_words[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            parts.append(f"<del>{escape(''.join(old_words[i1:i2]))}</del>")
        if tag in ("insert", "replace"):
            parts.append(f"<ins>{escape(''.join(new_words[j1:j2]))}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above


def _blocks(markdown_text: str, rendered: bool) -> list[str]:
    """Paragraph-sized pieces of Markdown, for aligning before the word diff; as the text a
    reader sees (`rendered`) or as the source an editor typed."""
    blocks = [b.strip() for b in _BLOCK_SPLIT.split(markdown_text or "") if b.strip()]
    if rendered:
        blocks = [html_to_text(render_markdown(b)) for b in blocks]
    return [b for b in blocks if b]


def block_diff(old: str, new: str, rendered: bool = False) -> list[SafeString]:
    """The changed paragraphs only, each as a word diff; unchanged paragraphs are left out."""
    old_blocks, new_blocks = _blocks(old, rendered), _blocks(new, rendered)
    shown = []
    matcher = difflib.SequenceMatcher(None, old_blocks, new_blocks, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        olds, news = old_blocks[i1:i2], new_blocks[j1:j2]
        for index in range(max(len(olds), len(news))):
            before = olds[index] if index < len(olds) else ""
            after = news[index] if index < len(news) else ""
            shown.append(word_diff(before, after))
    return shown


@dataclass
class SectionChange:
    """One section (or the lead / closing note) in a comparison."""

    anchor: str
    title: SafeString
    level: int
    kind: str  # "geändert", "neu", "entfernt", "verschoben"
    moved: bool = False
    paragraphs: list[SafeString] = field(default_factory=list)

    @property
    def label(self) -> str:
        if self.kind == "geändert" and self.moved:
            return "verschoben und geändert"
        return self.kind


@dataclass
class Comparison:
    fields: list[tuple[str, SafeString]]
    sections: list[SectionChange]

    def __bool__(self):
        return bool(self.fields or self.sections)

    @property
    def touched(self) -> list[dict]:
        return [
            {"anchor": s.anchor, "title": str(s.title), "kind": s.label}
            for s in self.sections
            if not s.anchor.startswith("__")
        ]


def _display(value) -> str:
    if value is None or value == "":
        return "–"
    if value is True:
        return "ja"
    if value is False:
        return "nein"
    return str(value)


def _text_change(old, new, name, anchor, label, paragraphs) -> list[SectionChange]:
    """The lead or the closing note as a pseudo-section of the comparison."""
    before, after = old.get(name) or "", new.get(name) or ""
    if before == after:
        return []
    kind = "neu" if not before else "entfernt" if not after else "geändert"
    return [SectionChange(anchor, label, 2, kind, paragraphs=paragraphs(before, after))]


def compare(old: dict, new: dict, *, rendered: bool = False) -> Comparison:
    """Compare two content outlines: changed fields, then sections in the newer order.

    `rendered` compares the text readers see (public changelog) instead of the Markdown."""

    def paragraphs(before, after):
        return block_diff(before, after, rendered)

    fields = [
        (label, word_diff(_display(old.get(name)), _display(new.get(name))))
        for name, label in FIELD_LABELS.items()
        if name in old and name in new and old.get(name) != new.get(name)
    ]
    old_sections = {s["anchor"]: s for s in old.get("sections", [])}
    new_sections = {s["anchor"]: s for s in new.get("sections", [])}
    # A section that keeps its anchor but changes place is "verschoben": the sections
    # outside the longest run of unchanged order are the ones that moved.
    common_old = [a for a in old_sections if a in new_sections]
    common_new = [a for a in new_sections if a in old_sections]
    in_place = set()
    for block in difflib.SequenceMatcher(None, common_old, common_new).get_matching_blocks():
        in_place.update(common_new[block.b : block.b + block.size])

    changes = _text_change(old, new, "lead", LEAD, "Vorspann", paragraphs)
    for anchor, section in new_sections.items():
        before = old_sections.get(anchor)
        if before is None:
            changes.append(
                SectionChange(
                    anchor,
                    word_diff("", section["title"]),
                    section["level"],
                    "neu",
                    paragraphs=paragraphs("", section["body"]),
                )
            )
            continue
        moved = anchor not in in_place
        edited = (
            before["body"] != section["body"]
            or before["title"] != section["title"]
            or before["level"] != section["level"]
        )
        if not (moved or edited):
            continue
        changes.append(
            SectionChange(
                anchor,
                word_diff(before["title"], section["title"]),
                section["level"],
                "geändert" if edited else "verschoben",
                moved=moved,
                paragraphs=paragraphs(before["body"], section["body"]),
            )
        )
    for anchor, section in old_sections.items():
        if anchor not in new_sections:
            changes.append(
                SectionChange(
                    anchor,
                    word_diff(section["title"], ""),
                    section["level"],
                    "entfernt",
                    paragraphs=paragraphs(section["body"], ""),
                )
            )
    changes += _text_change(old, new, "closing_note", CLOSING, "Schlussnotiz", paragraphs)
    return Comparison(fields=fields, sections=changes)


def sections_touched(old: dict, new: dict) -> list[dict]:
    return compare(old, new).touched
