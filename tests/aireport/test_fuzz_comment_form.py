"""Random input in every field of the comment form never makes the server fail (no 500), and a
comment that gets stored never breaks the article page once a moderator approves it.

The body is built by hand, as raw bytes, so that what a browser would never send reaches the
server too: lone surrogates as their invalid UTF-8 bytes, Latin-1 and UTF-16 bytes, NUL, values
of up to 200 000 characters, missing and repeated fields, junk parent ids, multipart bodies and
odd charsets in the Content-Type header.
"""

import re
from urllib.parse import quote, quote_from_bytes

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from comments.models import Comment
from tests.clients import BrowserClient
from tests.comments.conftest import CommentFactory, timestamp
from tests.comments.status import set_status
from tests.factories import ReportFactory, SectionFactory

FIELDS = (
    "text",
    "author_name",
    "author_email",
    "author_url",
    "remember",
    "timestamp",
    "honeypot",
    "parent",
)

#: Any code point: letters of every script, control characters, NUL, lone surrogates, markup.
ANY_CHARACTER = st.one_of(
    st.characters(exclude_categories=()),
    st.integers(0xD800, 0xDFFF).map(chr),
    st.sampled_from("\x00<>&\"'\r\n\t\u2028\ufeff\uffff"),
)
ANY_TEXT = st.text(ANY_CHARACTER, max_size=60)
#: Just under, at and far over the longest comment (65 525 characters).
HUGE_TEXT = st.builds(
    lambda character, length: character * length,
    ANY_CHARACTER,
    st.sampled_from([65_525, 65_526, 200_000]),
)

#: Values that pass each field's validation often enough for comments to get stored.
PLAUSIBLE = {
    "text": st.one_of(
        st.text(ANY_CHARACTER, min_size=1, max_size=200),
        st.sampled_from(
            [
                "<script>alert(1)</script>",
                "<b>fett</b> & <i>kursiv</i> &lt;",
                "Siehe https://example.org/<x>?a=1&b=2 und www.example.org",
                "Zeile eins\r\nZeile zwei\n\n\nAbsatz",
                '"><img src=x onerror=alert(1)>',
                "__fresh_timestamp__ <fresh csrfmiddlewaretoken>",  # the page cache's marks
            ]
        ),
    ),
    "author_name": st.one_of(
        st.text(ANY_CHARACTER, min_size=1, max_size=40), st.just("Erika <b>Mustermann</b>")
    ),
    "author_email": st.one_of(
        st.emails(), st.sampled_from(["erika@example.org", "ä@beispiel.de", " x@example.org "])
    ),
    "author_url": st.sampled_from(
        [
            "",
            "https://example.org/",
            "example.org",
            'https://example.org/"><script>',
            "javascript:alert(1)",
            "http://[::1",
            "https://" + "a" * 300 + ".org",
        ]
    ),
    "remember": st.sampled_from(["", "on", "1", "false"]),
    "timestamp": st.builds(timestamp, st.sampled_from([60, -3600, 10**6])),
    "honeypot": st.just(""),
    "parent": st.sampled_from(
        ["", "{parent}", "0", "-1", "1.0", " 7 ", "९", "²", str(2**63), "9" * 5_000, "1e3"]
    ),
}


def _encode(value: str, encoding: str) -> bytes:
    if encoding == "utf-8":
        return value.encode("utf-8", "surrogatepass")
    return value.encode(encoding, "replace")


#: A field's value as bytes: text in one of several encodings, or any bytes at all.
def field_value(field: str):
    text = st.one_of(PLAUSIBLE[field], ANY_TEXT, HUGE_TEXT)
    encoded = st.builds(_encode, text, st.sampled_from(["utf-8", "latin-1", "cp1252", "utf-16"]))
    return st.one_of(encoded, st.binary(max_size=80))


#: Either what a browser sends (each field once, as UTF-8, with odd characters in it), or
#: anything: each field missing (empty list), sent once or repeated, in any encoding.
FORM = st.one_of(
    st.fixed_dictionaries(
        {field: st.builds(lambda v: [_encode(v, "utf-8")], PLAUSIBLE[field]) for field in FIELDS}
    ),
    st.fixed_dictionaries({field: st.lists(field_value(field), max_size=3) for field in FIELDS}),
)
ENVELOPE = st.sampled_from(["urlencoded", "raw", "multipart"])
CHARSET = st.sampled_from(
    ["", "; charset=utf-8", "; charset=UTF-8", "; charset=latin-1", "; charset=utf-16"]
    + ["; charset=no-such-charset", "; charset=base64", "; charset=rot13", "; charset=idna"]
)

BOUNDARY = b"fuzz-boundary-7d3a"
#: Tags the sanitiser may put into a comment; everything else the reader typed is escaped.
#: What the sanitiser may write itself: paragraphs, line breaks, links and the quotes of lines
#: that begin with "> " (aireport/sanitizer.py).
SANITISER_TAGS = re.compile(r'</?p>|<br>|<a href="[^"<>]*" rel="nofollow ugc">|</a>|</?blockquote>')


def visible_text(text: str) -> str:
    """The text without white space and without the quote markers the sanitiser turns into
    blockquotes."""
    return "".join(text.split()).replace(">", "")


def encode_body(form: dict[str, list[bytes]], envelope: str, parent_id: int):
    pairs = [
        (name.encode(), value.replace(b"{parent}", str(parent_id).encode()))
        for name, values in form.items()
        for value in values
    ]
    if envelope == "urlencoded":
        body = "&".join(f"{quote_from_bytes(k)}={quote_from_bytes(v)}" for k, v in pairs)
        return body.encode(), "application/x-www-form-urlencoded"
    if envelope == "raw":
        return b"&".join(k + b"=" + v for k, v in pairs), "application/x-www-form-urlencoded"
    parts = [
        b"--" + BOUNDARY + b'\r\nContent-Disposition: form-data; name="' + k + b'"\r\n\r\n' + v
        for k, v in pairs
    ]
    body = b"\r\n".join([*parts, b"--" + BOUNDARY + b"--\r\n"])
    return body, f"multipart/form-data; boundary={BOUNDARY.decode()}"


@pytest.fixture
def discussion(db, settings):
    """A published report with one approved comment to answer; no waiting between posts."""
    settings.COMMENTS_FLOOD_SECONDS = 0
    settings.COMMENTS_MIN_SECONDS = 0
    report = ReportFactory(title="AI Safety Progress", slug="ai-safety")
    SectionFactory(report=report, title="Alignment research")
    parent = CommentFactory(report=report, author_name="Max Mustermann")
    return report, parent


def shown_as_typed(comment: Comment, page: BeautifulSoup) -> None:
    """The approved comment is on the page with its text escaped, exactly as stored."""
    item = page.select_one(f"li#c{comment.pk}")
    assert item is not None
    assert re.search("<", SANITISER_TAGS.sub("", comment.text_html)) is None
    content = item.select_one(".comment-content")
    assert visible_text(content.get_text()) == visible_text(comment.text)
    author = item.select_one(".comment-author")
    assert author.get_text() == comment.author_name
    assert [tag.name for tag in author.find_all(True)] in (["bdi"], ["bdi", "a"])


@pytest.mark.django_db
@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(form=FORM, envelope=ENVELOPE, charset=CHARSET)
@example(
    form={
        "text": [b"__fresh_csrfmiddlewaretoken__ <fresh csrfmiddlewaretoken> <fresh timestamp>"],
        "author_name": [b"Erika"],
        "author_email": [b"erika@example.org"],
    },
    envelope="urlencoded",
    charset="",
)
@example(
    form={
        "text": [b"<" * 65_525, b"zweimal"],
        "author_name": ["\ud800 Lone \udfff".encode("utf-8", "surrogatepass")],
        "author_email": [b"surrogate@example.org"],
        "parent": [b"{parent}"],
    },
    envelope="urlencoded",
    charset="",
)
@example(
    form={
        "text": ["Grüße aus Köln".encode("latin-1")],
        "author_name": ["Jürgen".encode("latin-1")],
        "author_email": [b"latin@example.org"],
        "parent": [str(10**30).encode()],
    },
    envelope="raw",
    charset="; charset=latin-1",
)
@example(
    form={"text": [b"Hallo"], "author_name": [b"N"], "parent": ["²".encode(), b"9" * 5_000]},
    envelope="urlencoded",
    charset="",
)
@example(
    form={"text": [b"x\x00y"], "author_name": [b"N"], "author_email": [b"nul@example.org"]},
    envelope="multipart",
    charset="; charset=base64",
)
def test_any_form_input_gives_no_error_and_a_page_that_still_works(
    discussion, form, envelope, charset
):
    report, parent = discussion
    body, content_type = encode_body(form, envelope, parent.pk)
    before = set(Comment.objects.values_list("pk", flat=True))

    response = BrowserClient().generic(
        "POST",
        reverse("comments:post", kwargs={"slug": report.slug}),
        data=body,
        content_type=content_type + charset,
        REMOTE_ADDR="203.0.113.7",
    )

    assert response.status_code in (302, 400, 409)
    stored = Comment.objects.exclude(pk__in=before)
    assert stored.count() == (1 if response.status_code == 302 else 0)
    if not stored:
        return
    set_status(stored, Comment.Status.APPROVED)  # what a moderator's "Freigeben" does
    comment = stored.get()
    page = BrowserClient().get(report.get_absolute_url())
    assert page.status_code == 200
    soup = BeautifulSoup(page.content.decode(), "html.parser")
    shown_as_typed(comment, soup)
    assert (
        f'<div class="comment-content" dir="auto">{comment.text_html}</div>'
        in page.content.decode()
    )
    assert len(soup.select("li.comment")) == Comment.objects.approved().count()
    assert soup.select_one(".discussion #kommentarformular form") is not None


REPLY_TITLE = re.compile(r"Schreibe einen Kommentar|Antworte auf den Kommentar von Max Mustermann")


@pytest.mark.django_db
@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    reply_to=st.one_of(
        ANY_TEXT,
        st.sampled_from(["{parent}", "²", "९", "0", "-1", "9" * 5_000, str(2**64)]),
    )
)
@example(reply_to="²")
@example(reply_to="9" * 5_000)
def test_any_reply_target_in_the_address_still_shows_the_form(discussion, reply_to):
    """The "Antworten" links without JavaScript: ?replytocom=ID, which anyone can change."""
    report, parent = discussion
    value = reply_to.replace("{parent}", str(parent.pk)).encode("utf-8", "surrogatepass")

    response = BrowserClient().get(
        f"{report.get_absolute_url()}?replytocom={quote(value, safe='')}"
    )

    assert response.status_code == 200
    title = BeautifulSoup(response.content.decode(), "html.parser").select_one(".reply-title-text")
    assert REPLY_TITLE.fullmatch(title.get_text())
