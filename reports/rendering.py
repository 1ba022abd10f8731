"""Markdown to safe HTML, done when an editor saves, never per request."""

import re
from html.parser import HTMLParser

import markdown

from aireport.sanitizer import clean_editor_html

MARKDOWN_EXTENSIONS = ["sane_lists", "tables"]
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>])")


def render_markdown(text: str) -> str:
    return clean_editor_html(markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS))


def escape_markdown(text: str) -> str:
    """Keep plain text literal when it is stored as Markdown (asterisks stay asterisks)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)


def html_to_text(html: str) -> str:
    extractor = _TextExtractor()
    extractor.feed(html)
    return " ".join("".join(extractor.parts).split())


def count_words(*html_fragments: str) -> int:
    return sum(len(html_to_text(fragment).split()) for fragment in html_fragments)
