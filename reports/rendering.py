"""Markdown to safe HTML, done when an editor saves, never per request."""

import html
import re

import markdown
from django.utils.html import strip_tags

from aireport.sanitizer import clean_editor_html

MARKDOWN_EXTENSIONS = ["sane_lists", "tables", "footnotes"]
MARKDOWN_EXTENSION_CONFIGS = {
    # German labels; the back link is a plain arrow with a German title.
    "footnotes": {"BACKLINK_TEXT": "↩", "BACKLINK_TITLE": "Zurück zur Fußnote %d im Text"},
}
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>])")
_TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)


def normalise_markdown(text: str) -> str:
    """One spelling for the same text: LF line endings, no trailing blanks on any line.

    Browsers send textareas with CRLF; without this every save would look like a change of
    every text on the form."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _TRAILING_SPACE.sub("", text).rstrip("\n")


def render_markdown(text: str, *, footnote_prefix: str = "") -> str:
    """Markdown to sanitised HTML. `footnote_prefix` keeps footnote ids unique on a page
    where several texts (sections) each have their own footnotes."""
    configs = {
        "footnotes": {
            **MARKDOWN_EXTENSION_CONFIGS["footnotes"],
            "UNIQUE_IDS": False,
            "SEPARATOR": f"-{footnote_prefix}-" if footnote_prefix else "-",
        }
    }
    html = markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS, extension_configs=configs)
    return clean_editor_html(html)


def escape_markdown(text: str) -> str:
    """Keep plain text literal when it is stored as Markdown (asterisks stay asterisks)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def html_to_text(fragment: str) -> str:
    """The words of an HTML fragment, with entities decoded and whitespace collapsed."""
    return " ".join(html.unescape(strip_tags(fragment)).split())


def count_words(*html_fragments: str) -> int:
    return sum(len(html_to_text(fragment).split()) for fragment in html_fragments)
