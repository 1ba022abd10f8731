"""What is stored about a reader is cut short, and the email never reaches the page."""

import pytest

from aireport.proxies import shorten_ip
from comments.models import Comment
from tests.clients import BrowserClient

from .conftest import CommentFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("address", "stored"),
    [
        ("203.0.113.77", "203.0.113.0"),
        ("2001:db8:abcd:12:1:2:3:4", "2001:db8:abcd::"),
        ("::ffff:198.51.100.23", "198.51.100.0"),
        ("not an address", None),
        ("", None),
    ],
)
def test_ip_is_shortened(address, stored):
    assert shorten_ip(address) == stored


def test_posted_comment_stores_the_shortened_ip(post_comment):
    post_comment(ip="203.0.113.77")
    assert Comment.objects.get().ip_address == "203.0.113.0"


def test_ipv6_post_is_shortened_to_48(post_comment):
    post_comment(ip="2001:db8:abcd:12::99")
    assert Comment.objects.get().ip_address == "2001:db8:abcd::"


def test_behind_a_proxy_the_forwarded_address_counts(client, post_url, settings):
    from aireport.proxies import ipware_settings

    from .conftest import form_data

    for name, value in ipware_settings(1).items():
        setattr(settings, name, value)
    settings.FORWARDED_ALLOW_IPS = ["10.0.0.0/8"]  # the proxy on the private network
    client.post(
        post_url,
        form_data(),
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.23",
    )
    assert Comment.objects.get().ip_address == "198.51.100.0"


def test_user_agent_is_cut_to_254_characters(client, post_url):
    from .conftest import form_data

    client.post(post_url, form_data(), HTTP_USER_AGENT="Mozilla/5.0 " + "x" * 400)
    user_agent = Comment.objects.get().user_agent
    assert len(user_agent) == 254 and user_agent.startswith("Mozilla/5.0 x")


def test_email_is_never_in_the_page_source(post_comment, client, report):
    CommentFactory(report=report, author_email="approved.secret@example.org")
    response = post_comment(author_email="pending.secret@example.org", follow=True)
    # The author's own page (pending comment shown) and a stranger's page.
    for page in (response.content, BrowserClient().get(report.get_absolute_url()).content):
        assert b"secret@example.org" not in page
        assert b"secret%40example.org" not in page


def test_remembered_email_only_fills_the_authors_own_form(post_comment, client, report):
    post_comment(author_email="mine@example.org", remember="on")
    assert b"mine@example.org" in client.get(report.get_absolute_url()).content
    assert b"mine@example.org" not in BrowserClient().get(report.get_absolute_url()).content
