"""Markdown to safe HTML, done when an editor saves, never per request."""

import html
import re

import markdown
from django.utils.html import strip_tags

from aireport.sanitizer import clean_editor_html

MARKDOWN_EXTENSIONS = ["sane_lists", "tables"]
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>])")


def render_markdown(text: str) -> str:
    return clean_editor_html(markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS))


def escape_markdown(text: str) -> str:
    """Keep plain text literal when it is stored as Markdown (asterisks stay asterisks)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def html_to_text(fragment: str) -> str:
    """The words of an HTML fragment, with entities decoded and whitespace collapsed."""
    return " ".join(html.unescape(strip_tags(fragment)).split())


def count_words(*html_fragments: str) -> int:
    return sum(len(html_to_text(fragment).split()) for fragment in html_fragments)
