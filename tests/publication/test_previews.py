"""Shared links get a preview (Open Graph, Twitter card); search engines get JSON-LD."""

import datetime
import json

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone
from PIL import Image

from comments.models import Comment
from reports.cards import card_name
from tests.comments.conftest import CommentFactory
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

EVIL_TITLE = "Alignment </script><script>alert(1)</script> <!-- & more"


def head_of(client, report) -> BeautifulSoup:
    response = client.get(report.get_absolute_url())
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").head


def meta(head, key) -> str:
    tag = head.select_one(f'meta[property="{key}"]') or head.select_one(f'meta[name="{key}"]')
    assert tag is not None, key
    return tag["content"]


def json_ld(head) -> dict:
    scripts = head.select('script[type="application/ld+json"]')
    assert len(scripts) == 1
    return json.loads(scripts[0].string)


def test_open_graph_and_twitter_card_describe_the_article(client):
    report = ReportFactory(
        slug="alignment", title="Alignment progress", description="What changed."
    )
    report.published_on = timezone.localdate(report.created_at)
    report.save()

    head = head_of(client, report)

    card = f"http://testserver/media/{card_name(report)}"
    assert meta(head, "og:type") == "article"
    assert meta(head, "og:locale") == "de_DE"
    assert meta(head, "og:title") == "Alignment progress"
    assert meta(head, "og:description") == "What changed."
    assert meta(head, "og:url") == "http://testserver/berichte/alignment/"
    assert meta(head, "og:site_name") == settings.SITE_NAME
    assert meta(head, "article:published_time") == report.published_on.isoformat()
    modified = datetime.datetime.fromisoformat(meta(head, "article:modified_time"))
    assert modified == report.content_changed_at
    assert meta(head, "og:image") == card
    assert meta(head, "og:image:width") == "1200"
    assert meta(head, "og:image:height") == "630"
    assert meta(head, "og:image:alt") == f"Alignment progress – {settings.SITE_NAME}"
    assert meta(head, "twitter:card") == "summary_large_image"
    assert meta(head, "twitter:image") == card


def test_json_ld_describes_the_report_and_counts_its_approved_comments(client):
    report = ReportFactory(slug="alignment", title="Alignment progress")
    CommentFactory(report=report, author_name="Erika", text="Sehr gut.")
    CommentFactory(report=report, author_name="Max", text="Stimmt.")
    CommentFactory(report=report, status=Comment.Status.PENDING, text="Wartet noch")
    CommentFactory(report=report, status=Comment.Status.SPAM, text="Spam")

    data = json_ld(head_of(client, report))

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Report"
    assert data["headline"] == "Alignment progress"
    assert data["inLanguage"] == "en"
    assert data["datePublished"] == timezone.localdate(report.created_at).isoformat()
    assert data["dateModified"] == report.content_changed_at.isoformat()
    assert data["author"]["name"] == settings.SITE_PUBLISHER
    assert data["publisher"] == {
        "@type": "Organization",
        "name": settings.SITE_PUBLISHER,
        "url": settings.SITE_URL,
    }
    assert data["image"]["width"] == 1200 and data["image"]["height"] == 630
    assert data["commentCount"] == 2
    assert data["discussionUrl"] == "http://testserver/berichte/alignment/#kommentare"
    # The comments are on the page once, not copied into the data (docs/performance.md).
    assert "comment" not in data
    assert "Sehr gut." not in json.dumps(data)


def test_json_ld_cannot_be_broken_out_of_by_a_title(client):
    report = ReportFactory(slug="alignment", title=EVIL_TITLE)

    html = client.get(report.get_absolute_url()).content.decode()

    start = html.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    body = html[start : html.index("</script>", start)]
    assert "<" not in body and ">" not in body
    data = json.loads(body)
    assert data["headline"] == EVIL_TITLE
    assert "<script>alert(1)" not in html


def test_a_card_image_of_1200_by_630_is_drawn_when_a_report_is_saved():
    report = ReportFactory(title="A rather long report title that has to wrap over several lines")

    name = card_name(report)
    assert default_storage.exists(name)
    with default_storage.open(name) as file, Image.open(file) as image:
        assert image.format == "PNG"
        assert image.size == (1200, 630)


def test_a_new_title_gets_a_new_card_under_a_new_name():
    report = ReportFactory(title="First title")
    old = card_name(report)

    report.title = "Second title"
    report.save()

    assert card_name(report) != old
    assert default_storage.exists(card_name(report))


def test_the_app_serves_the_card_itself_with_long_caching(client):
    report = ReportFactory(slug="alignment")
    default_storage.delete(card_name(report))  # a lost file is drawn again on request

    response = client.get(f"/media/{card_name(report)}")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "immutable" in response["Cache-Control"]
    assert "max-age=31536000" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


@pytest.mark.parametrize("kind", ["stale", "draft", "bogus"])
def test_only_the_current_card_of_a_published_report_is_served(kind):
    report = ReportFactory(slug="alignment", title="Now")
    draft = ReportFactory(slug="entwurf", status="draft")
    name = {
        "stale": "cards/alignment-0000000000000000.png",
        "draft": card_name(draft),
        "bogus": "cards/../../settings.png",
    }[kind]
    assert card_name(report) != name

    assert Client().get(f"/media/{name}").status_code == 404
