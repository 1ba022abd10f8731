"""What changed between two versions of a report, section by section and word by word.

Versions come from django-reversion (admin) or from a Publication's stored outline (public
changelog); both are reduced to the same plain outline first (models.content_outline). Words
are compared with the standard library's difflib on word tokens.
"""

import difflib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from reversion.models import Revision

from .models import Report, Section, content_outline
from .rendering import render_markdown

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
#: The same for one line of the public diff (a list item is short: a few changed words weigh
#: more, and are still easier to read in place).
LINE_REWRITTEN_BELOW = 0.25
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
    sections.sort(key=lambda s: (s.get("order") or 0, s.get("id") or 0))
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
    """Both texts as HTML with removed words in <del> and inserted words in <ins>; a
    replacement shows the removed words, a space, then the inserted ones."""
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
        if tag == "replace":
            parts.append(" ")
        if tag in ("insert", "replace"):
            parts.append(f"<ins>{escape(''.join(new_words[j1:j2]))}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above


_LIST_OR_TABLE_LINE = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|\|)")


def _source_blocks(markdown_text: str) -> list[str]:
    """Paragraph-sized pieces of Markdown as typed; a list or table gives one piece per item
    or row, so that a changed list item is compared on its own."""
    blocks = []
    for block in _BLOCK_SPLIT.split(markdown_text or ""):
        lines = [line for line in block.strip().splitlines() if line.strip()]
        if lines and all(_LIST_OR_TABLE_LINE.match(line) for line in lines):
            blocks += [line.strip() for line in lines]
        elif block.strip():
            blocks.append(block.strip())
    return blocks


#: Inline elements a reader sees as formatting: kept in both versions of the public diff.
_INLINE = {"strong", "em", "a", "code", "sub", "sup", "abbr"}
#: Elements that make one line of the public diff each.
_LINE_BLOCKS = {"p", "li", "tr", "h2", "h3", "h4", "pre", "blockquote"}


@dataclass(frozen=True)
class _Word:
    """A word as the reader sees it, with the inline formatting it stands in."""

    text: str
    context: tuple = ()


class _BlockReader(HTMLParser):
    """Rendered HTML into lines of words: each paragraph, list item, table row and heading on
    its own, each word with the inline elements around it (bold, links …)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[list[_Word]] = []
        self.current: list[_Word] | None = None
        self.inline: list[tuple] = []
        self.depth = 0

    def _flush(self):
        if self.current:
            self.lines.append(self.current)
        self.current = None

    def handle_starttag(self, tag, attrs):
        if tag in _LINE_BLOCKS:
            self._flush()
            self.current = []
            if tag == "li":
                self.current.append(_Word("–"))
        elif tag in ("td", "th") and self.current is not None and len(self.current) > 0:
            self.current.append(_Word("|"))
        elif tag in ("ul", "ol", "table"):
            self._flush()
        elif tag in _INLINE:
            kept = tuple((name, value) for name, value in attrs if name in ("href", "title"))
            self.inline.append((tag, kept))

    def handle_endtag(self, tag):
        if tag in _LINE_BLOCKS:
            self._flush()
        elif tag in _INLINE:
            for index in range(len(self.inline) - 1, -1, -1):
                if self.inline[index][0] == tag:
                    del self.inline[index]
                    break

    def handle_data(self, data):
        words = data.split()
        if not words:
            return
        if self.current is None:
            self.current = []
        context = tuple(self.inline)
        self.current += [_Word(word, context) for word in words]

    def close(self):
        super().close()
        self._flush()


def _rendered_lines(markdown_text: str) -> list[tuple[_Word, ...]]:
    reader = _BlockReader()
    reader.feed(render_markdown(markdown_text or ""))
    reader.close()
    return [tuple(line) for line in reader.lines]


def _open(context) -> str:
    return "".join(
        f"<{tag}" + "".join(f' {name}="{escape(value)}"' for name, value in attrs) + ">"
        for tag, attrs in context
    )


def _close(context) -> str:
    return "".join(f"</{tag}>" for tag, _attrs in reversed(context))


def _words_html(words) -> str:
    """Words with their formatting, consecutive words of the same formatting in one element."""
    groups: list[tuple[tuple, list[str]]] = []
    for word in words:
        if groups and groups[-1][0] == word.context:
            groups[-1][1].append(escape(word.text))
        else:
            groups.append((word.context, [escape(word.text)]))
    return " ".join(_open(c) + " ".join(texts) + _close(c) for c, texts in groups)


def rendered_word_diff(old: tuple[_Word, ...], new: tuple[_Word, ...]) -> SafeString:
    """One line (paragraph, list item, table row) as readers see it, formatting kept on
    both sides; removed words, a space, inserted words."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    if old and new and matcher.ratio() < LINE_REWRITTEN_BELOW:
        return mark_safe(  # noqa: S308 - _words_html escapes every word and attribute
            f"<del>{_words_html(old)}</del> <ins>{_words_html(new)}</ins>"
        )
    parts = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(_words_html(old[i1:i2]))
            continue
        if tag in ("delete", "replace"):
            parts.append(f"<del>{_words_html(old[i1:i2])}</del>")
        if tag in ("insert", "replace"):
            parts.append(f"<ins>{_words_html(new[j1:j2])}</ins>")
    return mark_safe(" ".join(parts))  # noqa: S308 - _words_html escapes every piece


def block_diff(old: str, new: str, rendered: bool = False) -> list[SafeString]:
    """The changed blocks only, each as a word diff; unchanged blocks are left out. A block
    is a paragraph, a list item or a table row; `rendered` compares what readers see (with
    its bold and links), otherwise the Markdown an editor typed."""
    if rendered:
        old_blocks, new_blocks = _rendered_lines(old), _rendered_lines(new)
        differ = rendered_word_diff
        empty: tuple = ()
    else:
        old_blocks, new_blocks = _source_blocks(old), _source_blocks(new)
        differ, empty = word_diff, ""
    shown = []
    matcher = difflib.SequenceMatcher(None, old_blocks, new_blocks, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        olds, news = old_blocks[i1:i2], new_blocks[j1:j2]
        for index in range(max(len(olds), len(news))):
            before = olds[index] if index < len(olds) else empty
            after = news[index] if index < len(news) else empty
            shown.append(differ(before, after))
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
