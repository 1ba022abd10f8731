"""Markdown that will not render as the editor probably meant, found before readers do.

Shown in the section preview and when publishing; never blocking. Three kinds: emphasis
markers left as literal characters (an unclosed `**` or `_`), a table row with another number
of cells than its header, and HTML that the sanitiser (aireport.sanitizer) removes.
"""

import re

import markdown

from aireport.sanitizer import removed_from_editor_html

from .rendering import MARKDOWN_EXTENSIONS, html_to_text

_CODE = re.compile(r"<code>.*?</code>|<pre>.*?</pre>", re.S)
_LITERAL_MARKERS = (
    ("**", re.compile(r"\*\*"), "„**“ (fett)"),
    ("_", re.compile(r"(?<![\w\\])_(?=\w)|(?<=\w)_(?![\w])"), "„_“ (kursiv)"),
    ("*", re.compile(r"(?<![\w*\\])\*(?=\w)"), "„*“ (kursiv)"),
)
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$|^[^|\n]+\|[^\n]*$")
_DIVIDER = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _cells(line: str) -> int:
    line = line.strip()
    line = line.removeprefix("|")
    line = line[:-1] if line.endswith("|") and not line.endswith("\\|") else line
    return len(re.split(r"(?<!\\)\|", line))


def _snippet(text: str, index: int) -> str:
    start, end = max(0, index - 25), min(len(text), index + 25)
    return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")


def warnings_for_text(text: str) -> list[str]:
    """German warnings for one Markdown text (a section's body, the lead)."""
    warnings = []
    raw_html = markdown.markdown(text or "", extensions=MARKDOWN_EXTENSIONS)
    visible = html_to_text(_CODE.sub(" ", raw_html))
    for _marker, pattern, name in _LITERAL_MARKERS:
        match = pattern.search(visible)
        if match:
            warnings.append(
                f"Ein {name} ist nicht geschlossen und erscheint als Zeichen: "
                f"„{_snippet(visible, match.start())}“."
            )
            if name.startswith("„**“"):
                break  # the single "*" of an unclosed "**" is the same mistake
    for block in re.split(r"\n\s*\n", text or ""):
        lines = block.strip().splitlines()
        if len(lines) >= 2 and _DIVIDER.match(lines[1]) and "|" in lines[0]:
            expected = _cells(lines[0])
            for number, line in enumerate(lines[2:], start=3):
                if "|" in line and _cells(line) != expected:
                    warnings.append(
                        f"Tabellenzeile {number} hat {_cells(line)} Zellen, die Kopfzeile "
                        f"{expected}: „{line.strip()[:60]}“."
                    )
    removed = removed_from_editor_html(raw_html)
    if removed:
        warnings.append(
            "Wird beim Speichern entfernt (nicht erlaubtes HTML; Text darin bleibt als Text "
            "stehen): " + ", ".join(removed) + "."
        )
    return warnings


def warnings_for_state(state) -> list[str]:
    """Warnings for every text of a version (reports.drafts.ReportState), each naming where."""
    texts = [("Vorspann", state.report.lead), ("Schlussnotiz", state.report.closing_note)]
    texts += [(f"Abschnitt „{s.title}“", s.body) for s in state.sections]
    return [f"{where}: {warning}" for where, text in texts for warning in warnings_for_text(text)]
