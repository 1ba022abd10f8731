"""The link limit counts exactly what the page links: the same linker does both.

COMMENTS_MAX_LINKS (2) or more links send even a known author's comment to moderation.
"""

import pytest
from bs4 import BeautifulSoup

from aireport.sanitizer import count_comment_links, render_comment_text
from comments.models import Comment

from .conftest import CommentFactory, remember_as_own

pytestmark = pytest.mark.django_db

#: Text, and the addresses the page links in it.
CORPUS = [
    ("Kauft bei cheap-pills.com/x und pills.example.net!", 2),
    ("Schreib mir: mailto:spam@example.org", 1),
    ("https://bit.ly/3xYz und t.co/abc", 2),
    ("Siehe transformer-circuits.pub/2024 und distill.pub", 2),
    ("web.dev, example.app, huggingface.io und heise.de", 4),
    ("Deutsch: bücher.de/angebot, russisch: пример.рф", 2),
    ("Punycode: https://xn--e1afmkfd.xn--p1ai/", 1),
    ("www.example.org und https://www.example.org/x", 2),
    ("Nur Text, z. B. Version 1.2.3 am Ende.", 0),
    ("ftp://example.org/datei und javascript:alert(1)", 1),  # only the bare domain
]


@pytest.mark.parametrize(("text", "links"), CORPUS)
def test_the_count_is_what_the_page_links(text, links):
    page = BeautifulSoup(render_comment_text(text), "html.parser")
    assert len(page.find_all("a")) == count_comment_links(text) == links


@pytest.mark.parametrize(
    "domain", ["transformer-circuits.pub", "distill.pub", "web.dev", "example.app", "x.io"]
)
def test_every_real_top_level_domain_is_linked(domain):
    link = BeautifulSoup(render_comment_text(f"Siehe {domain}/x."), "html.parser").a
    assert link["href"] == f"http://{domain}/x"
    assert link["rel"] == ["nofollow", "ugc"]


@pytest.fixture
def known_author(report, client):
    """Erika already has an approved comment, sent from this browser."""
    comment = CommentFactory(
        report=report, author_name="Erika Mustermann", author_email="erika@example.org"
    )
    remember_as_own(client, comment)
    return comment


@pytest.mark.parametrize(
    "text",
    [
        "Billig: cheap-pills.com/x und cheap-pills.net/y",
        "mailto:a@example.org oder mailto:b@example.org",
        "bit.ly/abc t.co/xyz",
        "Mehr auf bücher.de und distill.pub",
    ],
)
def test_links_without_http_still_wait_for_moderation(post_comment, known_author, text):
    assert post_comment(text=text).status_code == 302
    assert Comment.objects.latest("id").status == Comment.Status.PENDING


def test_one_bare_domain_from_a_known_author_is_approved(post_comment, known_author):
    assert post_comment(text="Siehe distill.pub").status_code == 302
    assert Comment.objects.latest("id").status == Comment.Status.APPROVED
