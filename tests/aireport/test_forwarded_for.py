"""X-Forwarded-For is believed only from the proxies in FORWARDED_ALLOW_IPS.

Behind nginx (PROXY_COUNT=1) the app takes the client's address from the header. A client that
reaches the app server directly (gunicorn listening beyond localhost) must not choose its
address that way, for comment flood control or for the login lockout.
"""

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.urls import reverse

from aireport.proxies import client_ip, ipware_settings, trusted_networks
from comments.models import Comment
from tests.comments.conftest import form_data
from tests.factories import ReportFactory, UserFactory

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"
STRANGER = "203.0.113.9"  # reaches gunicorn directly
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def behind_one_proxy(settings):
    """As production computes it with PROXY_COUNT=1 and the default FORWARDED_ALLOW_IPS."""
    for name, value in ipware_settings(1).items():
        setattr(settings, name, value)
    settings.FORWARDED_ALLOW_IPS = ["127.0.0.1", "::1"]


@pytest.fixture
def post_url():
    return reverse("comments:post", args=[ReportFactory().slug])


def post(client, url, *, peer, forwarded, email, text):
    return client.post(
        url,
        form_data(author_email=email, text=text),
        REMOTE_ADDR=peer,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_flood_control_ignores_a_forged_header_from_an_untrusted_peer(client, post_url):
    first = post(
        client, post_url, peer=STRANGER, forwarded="198.51.100.1", email="a@example.org", text="A"
    )
    again = post(
        client, post_url, peer=STRANGER, forwarded="198.51.100.2", email="b@example.org", text="B"
    )

    assert first.status_code == 302
    assert again.status_code == 429  # the same sender, whatever it claims
    assert Comment.objects.get().ip_address == "203.0.113.0"  # its own address, shortened


def test_flood_control_believes_the_header_from_the_proxy(client, post_url):
    first = post(
        client, post_url, peer=PROXY, forwarded="198.51.100.1", email="a@example.org", text="A"
    )
    other = post(
        client, post_url, peer=PROXY, forwarded="198.51.100.2", email="b@example.org", text="B"
    )

    assert first.status_code == other.status_code == 302  # two readers behind one proxy
    assert sorted(Comment.objects.values_list("ip_address", flat=True)) == ["198.51.100.0"] * 2


def log_in(client, *, peer, forwarded):
    return client.post(
        f"/{settings.ADMIN_URL}login/",
        {"username": "redakteurin", "password": "falsch"},
        REMOTE_ADDR=peer,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def right_password(client, *, peer, forwarded):
    return client.post(
        f"/{settings.ADMIN_URL}login/",
        {"username": "redakteurin", "password": PASSWORD},
        REMOTE_ADDR=peer,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_the_login_lockout_ignores_a_forged_header_from_an_untrusted_peer(client):
    UserFactory(username="redakteurin", password=PASSWORD, is_staff=True)
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, peer=STRANGER, forwarded=f"198.51.100.{attempt + 1}")

    response = right_password(client, peer=STRANGER, forwarded="198.51.100.200")

    assert response.status_code == 429  # locked: a new header is not a new client


def test_the_login_lockout_believes_the_header_from_the_proxy(client):
    UserFactory(username="redakteurin", password=PASSWORD, is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, peer=PROXY, forwarded="198.51.100.7")

    locked = right_password(client, peer=PROXY, forwarded="198.51.100.7")
    colleague = right_password(client, peer=PROXY, forwarded="198.51.100.200")

    assert locked.status_code == 429
    assert colleague.status_code == 302


@pytest.mark.parametrize(
    ("allowed", "peer", "expected"),
    [
        (["127.0.0.1", "::1"], "127.0.0.1", "198.51.100.7"),
        (["127.0.0.1", "::1"], "::1", "198.51.100.7"),
        (["127.0.0.1", "::1"], "10.0.0.5", "10.0.0.5"),
        (["10.0.0.0/8"], "10.0.0.5", "198.51.100.7"),
        (["10.0.0.0/8"], "::ffff:10.0.0.5", "198.51.100.7"),
        (["10.0.0.0/8"], "127.0.0.1", "127.0.0.1"),
        (["*"], "192.0.2.1", "198.51.100.7"),
        (["127.0.0.1"], "", "198.51.100.7"),  # a UNIX socket, as gunicorn treats it
    ],
)
def test_the_peer_decides_whether_the_header_counts(settings, allowed, peer, expected):
    settings.FORWARDED_ALLOW_IPS = allowed
    request = RequestFactory().get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR="198.51.100.7")

    assert client_ip(request) == expected


def test_a_mistyped_entry_is_refused_at_start():
    with pytest.raises(ImproperlyConfigured, match="FORWARDED_ALLOW_IPS"):
        trusted_networks(("127.0.0.1", "10.0.0.0/33"))
