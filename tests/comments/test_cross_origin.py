"""The comment form has no token: Fetch Metadata and Origin tell a forged POST from a real one."""

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from reports.models import Report
from tests.factories import UserFactory

from .conftest import form_data

pytestmark = pytest.mark.django_db


def post(post_url, **headers):
    return Client().post(post_url, form_data(), REMOTE_ADDR="203.0.113.7", headers=headers)


@pytest.mark.parametrize("fetch_site", ["same-origin", "none", "Same-Origin"])
def test_a_post_from_this_site_is_accepted(post_url, fetch_site):
    assert post(post_url, **{"Sec-Fetch-Site": fetch_site}).status_code == 302
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("fetch_site", ["cross-site", "same-site", "anything"])
def test_a_post_from_another_site_is_refused_in_german(post_url, fetch_site):
    # A matching Origin does not help: Sec-Fetch-Site is the browser's own word.
    response = post(post_url, **{"Sec-Fetch-Site": fetch_site, "Origin": "http://testserver"})
    assert response.status_code == 403
    assert "Das Formular kam nicht von dieser Website" in response.content.decode()
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"Origin": "http://testserver"}, 302),  # this site (the request's own origin)
        ({"Origin": "http://TESTSERVER"}, 302),
        ({"Origin": "https://evil.example"}, 403),
        ({"Origin": "null"}, 403),  # sandboxed frames, data: URLs
        ({"Referer": "http://testserver/berichte/ai-safety/"}, 302),
        ({"Referer": "https://evil.example/berichte/ai-safety/"}, 403),
        ({"Referer": "http://testserver.evil.example/"}, 403),
    ],
)
def test_without_fetch_metadata_origin_then_referer_decide(post_url, headers, status):
    assert post(post_url, **headers).status_code == status
    assert Comment.objects.count() == (1 if status == 302 else 0)


def test_site_url_and_trusted_origins_count_as_this_site(post_url, settings):
    settings.SITE_URL = "https://www.example.org"
    settings.CSRF_TRUSTED_ORIGINS = ["https://example.org"]
    settings.COMMENTS_FLOOD_SECONDS = 0
    first = Client().post(
        post_url,
        form_data(),
        REMOTE_ADDR="203.0.113.7",
        headers={"Origin": "https://www.example.org"},
    )
    second = Client().post(
        post_url,
        form_data(text="Noch einer."),
        REMOTE_ADDR="203.0.113.8",
        headers={"Origin": "https://example.org"},
    )
    assert (first.status_code, second.status_code) == (302, 302)


def test_a_post_with_none_of_the_headers_is_refused(post_url):
    """Documented in docs/moderation.md: every browser sends at least one of them."""
    assert post(post_url).status_code == 403
    assert Comment.objects.count() == 0


def test_the_admin_still_requires_its_csrf_token(report):
    staff = Client(enforce_csrf_checks=True)
    staff.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = staff.post(
        reverse("admin:reports_report_change", args=[report.pk]),
        {"title": "Gekapert"},
        headers={"Sec-Fetch-Site": "same-origin"},
    )
    assert response.status_code == 403
    assert Report.objects.get().title != "Gekapert"


def test_the_login_form_still_requires_its_csrf_token(db):
    response = Client(enforce_csrf_checks=True).post(
        reverse("admin:login"),
        {"username": "x", "password": "y"},
        headers={"Sec-Fetch-Site": "same-origin"},
    )
    assert response.status_code == 403
