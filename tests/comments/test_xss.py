"""Nothing a reader types can run in another reader's browser.

Each payload goes through the sanitiser directly, and through the whole cycle a real comment
takes: posted as text, name and website, approved by a moderator, shown on the page. The
rendered HTML is parsed and checked for anything executable.
"""

import json
from html.parser import HTMLParser

import pytest

from aireport.sanitizer import render_comment_text
from comments.models import Comment
from tests.clients import BrowserClient
from tests.comments.status import set_status

from .conftest import form_data
from .xss_payloads import XSS_PAYLOADS

#: What rendered comment text may contain, and nothing else.
ALLOWED_TAGS = {"p", "br", "a"}
DANGEROUS_TAGS = {
    "script", "iframe", "object", "embed", "svg", "math", "style", "link", "meta", "base",
    "form", "input", "img", "video", "source", "details", "marquee", "body", "template",
    "noscript", "isindex",
}  # fmt: skip


class ElementCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def elements(html):
    collector = ElementCollector()
    collector.feed(html)
    collector.close()
    return collector.elements


def executable_markup(html, *, allowed_scripts=(), forbidden_tags=DANGEROUS_TAGS):
    """Every piece of HTML that could run code: a problem list, empty when safe."""
    problems = []
    for tag, attrs in elements(html):
        if tag == "script" and attrs.get("src") in allowed_scripts:
            continue
        if tag == "script" and attrs.get("type") == "application/ld+json" and not attrs.get("src"):
            continue  # data, never run; its content is checked by json_ld_is_closed_data
        if tag in forbidden_tags or tag == "script":
            problems.append(f"<{tag}>")
        for name, value in attrs.items():
            if name.startswith("on"):
                problems.append(f"{name}= on <{tag}>")
            if name in {"href", "src", "action", "formaction", "data", "style"} and value:
                compact = "".join(value.split()).lower()
                if compact.startswith(("javascript:", "data:", "vbscript:")) or (name == "style"):
                    problems.append(f'{name}="{value}" on <{tag}>')
    return problems


def test_corpus_is_large_enough():
    assert len(set(XSS_PAYLOADS)) >= 30


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_sanitiser_output_has_nothing_executable(payload):
    html = render_comment_text(payload)
    assert executable_markup(html) == []
    assert {tag for tag, _ in elements(html)} <= ALLOWED_TAGS
    for tag, attrs in elements(html):
        if tag == "a":
            assert attrs["href"].startswith(("http://", "https://"))
            assert attrs["rel"] == "nofollow ugc"
            assert set(attrs) == {"href", "rel"}


def test_the_checker_catches_executable_markup():
    """Guards the guard: raw payloads are reported, so a passing test means something."""
    assert executable_markup('<img src=x onerror="alert(1)">') == ["<img>", "onerror= on <img>"]
    assert executable_markup('<a href=" JavaScript:alert(1)">x</a>')
    assert executable_markup("<script>alert(1)</script>")
    assert executable_markup("<p>Harmlos</p>") == []


@pytest.mark.django_db(transaction=True)
def test_post_approve_render_cycle_has_nothing_executable(report, post_url, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    client = BrowserClient()
    for number, payload in enumerate(XSS_PAYLOADS):
        response = client.post(
            post_url,
            form_data(
                text=f"{payload}\n\nKommentar {number}",
                author_name=payload[:245],
                author_email=f"x{number}@example.org",
                author_url="https://example.org/" if number % 2 else "",
            ),
            REMOTE_ADDR=f"192.0.2.{number}",
        )
        assert response.status_code == 302, payload
    # Payloads in the website field never get that far.
    for payload in XSS_PAYLOADS:
        if payload.lower().lstrip().startswith(("javascript", "data:")):
            response = client.post(
                post_url, form_data(author_url=payload, author_email="url@example.org")
            )
            assert response.status_code == 400, payload

    assert Comment.objects.count() == len(XSS_PAYLOADS)
    set_status(Comment.objects, Comment.Status.APPROVED)  # the moderator lets them all in

    page = BrowserClient().get(report.get_absolute_url()).content.decode()
    for number in range(len(XSS_PAYLOADS)):
        assert f"Kommentar {number}" in page
    # The comments themselves: only paragraphs, line breaks and safe links.
    comments = page[page.index('<ol class="comment-list">') : page.index('id="kommentarformular"')]
    assert executable_markup(comments) == []
    # The whole page: no handlers, no javascript: links, no scripts but our static files.
    page_scripts = {"/static/js/report.js", "/static/js/quote.js", "/static/js/comments.js"}
    assert executable_markup(page, allowed_scripts=page_scripts, forbidden_tags=()) == []
    assert "<script>alert" not in page
    # The structured data counts the comments without copying them, as JSON with every "<"
    # escaped, so nothing can end the element early or open an HTML comment.
    opening = '<script type="application/ld+json">'
    assert page.count(opening) == 1
    start = page.index(opening) + len(opening)
    json_ld = page[start : page.index("</script>", start)]
    assert "<" not in json_ld and ">" not in json_ld
    assert json.loads(json_ld)["commentCount"] == len(XSS_PAYLOADS)
