"""A second comment from the same IP address or email within 15 seconds is refused, kindly."""

import pytest
from bs4 import BeautifulSoup

from comments.models import Comment

pytestmark = pytest.mark.django_db

FLOOD = (
    "Du schickst deine Kommentare zu schnell ab. Bitte warte noch 15 Sekunden, dann kannst du "
    "noch einmal absenden."
)


def test_same_ip_within_the_window_gets_429_and_keeps_the_text(post_comment):
    assert post_comment(ip="198.51.100.1", author_email="a@example.org").status_code == 302
    response = post_comment(
        ip="198.51.100.1", author_email="b@example.org", text="Noch ein Gedanke, sorgfältig."
    )
    assert response.status_code == 429
    page = BeautifulSoup(response.content, "html.parser")
    assert FLOOD in page.select_one(".form-errors").get_text()
    assert page.select_one("#id_text").get_text().strip() == "Noch ein Gedanke, sorgfältig."
    assert page.select_one("#id_author_email")["value"] == "b@example.org"
    assert Comment.objects.count() == 1


def test_same_email_from_another_ip_gets_429(post_comment):
    assert post_comment(ip="198.51.100.1").status_code == 302
    assert post_comment(ip="192.0.2.9", text="Anderer Text").status_code == 429


def test_other_reader_is_not_slowed_down(post_comment):
    assert post_comment(ip="198.51.100.1", author_email="a@example.org").status_code == 302
    response = post_comment(ip="192.0.2.9", author_email="b@example.org", text="Anderer Text")
    assert response.status_code == 302


def test_after_the_window_the_reader_may_post_again(post_comment, settings):
    settings.COMMENTS_FLOOD_SECONDS = 1
    assert post_comment().status_code == 302
    import time

    time.sleep(1.1)
    assert post_comment(text="Später noch etwas.").status_code == 302


def test_form_errors_do_not_start_the_window(post_comment):
    assert post_comment(text="").status_code == 400
    assert post_comment().status_code == 302


def test_an_ipv6_client_cannot_rotate_within_its_own_64(post_comment):
    assert post_comment(ip="2001:db8:1:2::1", author_email="a@example.org").status_code == 302
    response = post_comment(
        ip="2001:db8:1:2:ffff:1234:5678:9abc", author_email="b@example.org", text="Anderer Text"
    )
    assert response.status_code == 429


def test_the_next_ipv6_64_is_someone_else(post_comment):
    assert post_comment(ip="2001:db8:1:2::1", author_email="a@example.org").status_code == 302
    response = post_comment(ip="2001:db8:1:3::1", author_email="b@example.org", text="Anderes")
    assert response.status_code == 302


def test_an_ipv4_neighbour_is_someone_else(post_comment):
    assert post_comment(ip="198.51.100.1", author_email="a@example.org").status_code == 302
    response = post_comment(ip="198.51.100.2", author_email="b@example.org", text="Anderes")
    assert response.status_code == 302


def test_by_default_every_worker_process_shares_the_flood_store(tmp_path):
    """Without Redis, flood control lives in the database, not in each gunicorn worker's memory:
    a second process refuses what the first one let through."""
    from tests.aireport.conftest import production_env, run_django

    env = production_env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    env.pop("CACHE_URL", None)
    migrate = run_django(
        "from django.core.management import call_command\ncall_command('migrate', verbosity=0)", env
    )
    assert migrate.returncode == 0, migrate.stderr
    claim = (
        "from comments.flood import claim_posting_slot\n"
        "print(bool(claim_posting_slot(ip_address='203.0.113.7', email='erika@example.org')))"
    )
    first, second = run_django(claim, env), run_django(claim, env)
    assert first.stdout.splitlines()[-1] == "True", first.stderr
    assert second.stdout.splitlines()[-1] == "False", second.stderr
