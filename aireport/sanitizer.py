"""The one place that calls bleach.

bleach stopped receiving releases in June 2026, so every use of it sits behind these two
functions: replacing it later means changing this module only. The Content-Security-Policy
is the second line of defence if anything ever slips through.
"""

import bleach
from bleach.linkifier import Linker
from django.utils.html import escape

# What Markdown written by an editor may produce, and nothing more.
EDITOR_TAGS = frozenset(
    {
        "a",
        "abbr",
        "blockquote",
        "br",
        "code",
        "div",
        "em",
        "h2",
        "h3",
        "h4",
        "hr",
        "li",
        "ol",
        "p",
        "pre",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
EDITOR_ATTRIBUTES = {
    "a": ["href", "title"],
    "abbr": ["title"],
    "ol": ["start"],
    # Markdown footnotes (reports.rendering): their ids, links and the notes' box.
    "sup": ["id"],
    "li": ["id"],
    "div": ["class"],
}
SAFE_PROTOCOLS = frozenset({"http", "https", "mailto"})


def _mark_as_user_content(attrs, new=False):
    """Links in reader comments must not pass on reputation (nofollow) and are marked ugc."""
    attrs[(None, "rel")] = "nofollow ugc"
    return attrs


_comment_linker = Linker(callbacks=[_mark_as_user_content], skip_tags={"pre", "code"})


def clean_editor_html(html: str) -> str:
    """Sanitise HTML rendered from an editor's Markdown: no scripts, handlers or styles."""
    return bleach.clean(
        html,
        tags=EDITOR_TAGS,
        attributes=EDITOR_ATTRIBUTES,
        protocols=SAFE_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )


def render_comment_text(text: str) -> str:
    """Turn a reader's plain text into safe HTML: paragraphs, line breaks and linked URLs.

    Every piece of markup the reader typed is escaped and shown as text; only bare http(s)
    URLs become links, with rel="nofollow ugc".
    """
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    html = "".join(
        "<p>" + "<br>".join(escape(line) for line in paragraph.split("\n")) + "</p>"
        for paragraph in paragraphs
    )
    return _comment_linker.linkify(html)
