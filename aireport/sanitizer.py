"""The one place that calls bleach.

bleach stopped receiving releases in June 2026, so every use of it sits behind the functions
here: replacing it later means changing this module only. The Content-Security-Policy is the
second line of defence if anything ever slips through.
"""

import functools
import itertools
import re
from html.parser import HTMLParser
from importlib.resources import files

import bleach
from bleach.linkifier import Linker, build_url_re
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
    """Links in reader comments must not pass on reputation (nofollow) and are marked ugc.
    A quote's link to its passage in the report (a path on this site, which a reader's text
    can never make: it is escaped, and only absolute addresses are linked) stays as it is."""
    if not new and attrs.get((None, "class")) == PASSAGE_LINK_CLASS:
        return attrs
    attrs[(None, "rel")] = "nofollow ugc"
    return attrs


def top_level_domains() -> list[str]:
    """Every top-level domain IANA delegates (`.de`, `.dev`, `.pub`, `.рф` …), also as punycode.

    Read from the Public Suffix List that the publicsuffixlist package ships and updates with
    each release; bleach's own list stopped at 2012's domains. Nothing is fetched at run time.
    """
    text = files("publicsuffixlist").joinpath("public_suffix_list.dat").read_text("utf-8")
    icann = text.split("===BEGIN ICANN DOMAINS===", 1)[1].split("===END ICANN DOMAINS===", 1)[0]
    tlds = set()
    for line in icann.splitlines():
        rule = line.strip()
        if rule and not rule.startswith("//") and "." not in rule and rule.isprintable():
            tlds.add(rule)
            tlds.add(rule.encode("idna").decode("ascii"))
    # Longest first, so that `.com` is tried before `.co`.
    return sorted(tlds, key=lambda tld: (-len(tld), tld))


@functools.cache
def _comment_linker() -> Linker:
    return Linker(
        callbacks=[_mark_as_user_content],
        skip_tags={"pre", "code"},
        url_re=build_url_re(tlds=top_level_domains(), protocols=SAFE_PROTOCOLS),
    )


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


class _MarkupLister(HTMLParser):
    """What clean_editor_html() would take away from `html`: tags, attributes, link targets."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.removed: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in EDITOR_TAGS:
            self.removed.append(f"<{tag}>")
            return
        allowed = EDITOR_ATTRIBUTES.get(tag, [])
        for name, value in attrs:
            if name not in allowed:
                self.removed.append(f"{name}=… an <{tag}>")
            elif (
                name == "href"
                and value
                and ":" in value.split("/", 1)[0]
                and value.split(":", 1)[0].strip().lower() not in SAFE_PROTOCOLS
            ):
                self.removed.append(f"den Link „{value[:40]}“")

    def handle_comment(self, data):
        self.removed.append("einen HTML-Kommentar")


def removed_from_editor_html(html: str) -> list[str]:
    """Which tags, attributes and links clean_editor_html() removes from `html`, each once,
    in the order they appear: the editor is told instead of left guessing."""
    lister = _MarkupLister()
    lister.feed(html)
    lister.close()
    return list(dict.fromkeys(lister.removed))


#: A quoted line: "> text", or ">" alone for an empty quoted line; ">>" opens a quote in a quote.
QUOTE_LINE = re.compile(r">(?=[> ]|$)")
#: Quotes inside quotes nest this deep; deeper ">" stay as typed, as text.
MAX_QUOTE_DEPTH = 3


def _paragraphs_html(text: str) -> str:
    """Plain text as paragraphs (blank lines) with line breaks, every character escaped."""
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    return "".join(
        "<p>" + "<br>".join(escape(line) for line in paragraph.split("\n")) + "</p>"
        for paragraph in paragraphs
    )


#: The class of the link a quote gets to its passage in the report.
PASSAGE_LINK_CLASS = "quote-passage"


def _passage_link_html(url: str) -> str:
    return f'<p><a class="{PASSAGE_LINK_CLASS}" href="{escape(url)}">Zur Stelle im Bericht</a></p>'


def _blocks_html(text: str, depth: int = 0, link_quote=None) -> str:
    """Runs of quoted lines become a <blockquote> (their text rendered as the rest is); the
    lines between them become paragraphs. `link_quote(text)` may give an outermost quote's
    address in the report (reports.passages), added as the quote's last line."""
    if depth >= MAX_QUOTE_DEPTH:
        return _paragraphs_html(text)
    html = []
    for quoted, lines in itertools.groupby(
        text.split("\n"), key=lambda line: bool(QUOTE_LINE.match(line.rstrip()))
    ):
        lines = list(lines)
        if quoted:
            inner = "\n".join(
                line.rstrip()[2:] if line[1:2] == " " else line.rstrip()[1:] for line in lines
            )
            inner_html = _blocks_html(inner, depth + 1)
            passage = link_quote(inner) if link_quote and depth == 0 else None
            if inner_html and passage:
                inner_html += _passage_link_html(passage)
            if inner_html:
                html.append(f"<blockquote>{inner_html}</blockquote>")
        else:
            html.append(_paragraphs_html("\n".join(lines)))
    return "".join(html)


def render_comment_text(text: str, *, link_quote=None) -> str:
    """Turn a reader's plain text into safe HTML: paragraphs, line breaks, quotes and links.

    Every piece of markup the reader typed is escaped and shown as text; only addresses
    (http, https, mailto, or a bare domain with a real top-level domain) become links, with
    rel="nofollow ugc"; and consecutive lines that begin with "> " (or are just ">") become
    one <blockquote> holding their text, escaped and linked like the rest. A quote of the
    report gets a link to its passage when `link_quote` finds it (reports.passages).
    """
    return _comment_linker().linkify(_blocks_html(text.replace("\r\n", "\n"), 0, link_quote))


def count_comment_links(text: str) -> int:
    """How many links render_comment_text() makes of this text: the link limit counts these.

    The text is escaped before linking, so every <a> in the result is one the linker made."""
    return render_comment_text(text).count("<a ")
