"""Links to a passage of a section: the section's address with a text fragment
(`#s-anchor:~:text=…`, https://wicg.github.io/scroll-to-text-fragment/), which every current
browser scrolls to and highlights (`::target-text`). Where the text has changed since, the
fragment simply does not match and the link still leads to the section.

static/js/quote.js builds the same links in the browser ("Link zu dieser Stelle").
"""

from urllib.parse import quote

from .rendering import html_to_text

#: A quote longer than this many words is linked by its first and last words
#: (`text=start,end`), which also spans paragraphs; a shorter one by its whole text.
EXACT_WORDS = 10
EDGE_WORDS = 4


def encode_fragment_text(text: str) -> str:
    """Percent-encode a text directive's term: everything but letters, digits and `_.~`;
    `-`, `,` and `&` are the directive's own syntax, so they are encoded too."""
    return quote(text, safe="").replace("-", "%2D")


def text_directive(text: str) -> str:
    """The `text=…` directive for a passage (whitespace collapsed as browsers match it)."""
    words = text.split()
    if len(words) <= EXACT_WORDS:
        return "text=" + encode_fragment_text(" ".join(words))
    start = encode_fragment_text(" ".join(words[:EDGE_WORDS]))
    end = encode_fragment_text(" ".join(words[-EDGE_WORDS:]))
    return f"text={start},{end}"


def passage_url(section, text: str) -> str:
    """The section's address with a text fragment for `text`."""
    return f"{section.get_absolute_url()}:~:{text_directive(text)}"


def quote_linker(section):
    """For a comment about `section`: a function that gives a quote's passage link when the
    quote is words of that section as it reads now, else None. None without a section."""
    if section is None:
        return None
    words = " ".join((section.title + " " + html_to_text(section.body_html)).split())

    def link(quoted: str) -> str | None:
        passage = " ".join(quoted.split())
        if len(passage) < 3 or passage not in words:
            return None
        return passage_url(section, passage)

    return link
