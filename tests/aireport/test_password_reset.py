"""A member of staff who forgot the password sets a new one from the sign-in page, by email."""

import re
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from aireport import views
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "ein ganz neues Passwort 2026"


@pytest.fixture
def editor():
    return UserFactory(username="redakteurin", email="redakteurin@example.org", is_staff=True)


def reset_link(message) -> str:
    match = re.search(r"^(http\S+/passwort/neu/\S+/)$", message.body, re.MULTILINE)
    assert match, message.body
    return match.group(1)


def test_the_sign_in_page_offers_a_password_reset(client):
    """The link says what the page it leads to says (not Django's "Zugangsdaten vergessen?")."""
    page = client.get(reverse("admin:login")).content.decode()

    assert f'<a href="{reverse("admin_password_reset")}">Passwort vergessen?</a>' in page
    assert "Zugangsdaten" not in page
    assert "Passwort vergessen?" in client.get(reverse("admin_password_reset")).content.decode()


def test_the_form_looks_like_the_admin_and_speaks_german(client):
    page = client.get(reverse("admin_password_reset")).content.decode()

    assert 'id="site-name"' in page and settings.SITE_NAME in page
    assert "E-Mail-Adresse" in page
    assert 'name="email"' in page


def test_a_reset_from_the_email_to_the_new_password(client, editor):
    response = client.post(reverse("admin_password_reset"), {"email": "Redakteurin@Example.org"})

    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    [message] = mail.outbox
    assert message.to == ["redakteurin@example.org"]
    assert message.subject == f"Neues Passwort für {settings.SITE_NAME}"
    assert settings.SITE_NAME in message.from_email
    assert "Ihr Benutzername: redakteurin" in message.body
    assert "Wenn Sie kein neues Passwort angefordert haben" in message.body
    assert " du " not in message.body
    link = reset_link(message)
    assert link.startswith(settings.SITE_URL.rstrip("/") + "/")

    form_page = client.get(link.removeprefix(settings.SITE_URL.rstrip("/")), follow=True)
    assert "Neues Passwort" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("password_reset_complete")
    assert client.get(done["Location"]).status_code == 200

    editor.refresh_from_db()
    assert editor.check_password(NEW_PASSWORD)
    # The link works once.
    used = client.get(link.removeprefix(settings.SITE_URL.rstrip("/")), follow=True)
    assert "ungültig" in used.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, editor):
    known = client.post(reverse("admin_password_reset"), {"email": "redakteurin@example.org"})
    unknown = client.post(reverse("admin_password_reset"), {"email": "niemand@example.org"})

    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert [message.to for message in mail.outbox] == [["redakteurin@example.org"]]
    assert "E-Mail" in client.get(unknown["Location"]).content.decode()


def test_repeated_requests_do_not_flood_the_inbox(client, editor):
    for _ in range(3):
        response = client.post(
            reverse("admin_password_reset"), {"email": "redakteurin@example.org"}
        )
        assert response["Location"] == reverse("password_reset_done")

    assert len(mail.outbox) == 1


def test_an_invalid_address_is_answered_beside_the_field(client):
    response = client.post(reverse("admin_password_reset"), {"email": "keine adresse"})

    assert response.status_code == 200
    assert "gültige E-Mail-Adresse" in response.content.decode()
    assert 'value="keine adresse"' in response.content.decode()


def test_the_email_is_a_task_that_carries_only_the_account(client, editor, monkeypatch):
    """Like every email of the site it goes through the task queue (retried when the mail
    server fails), and the queue's table holds neither the address nor the reset link."""
    queued = []
    fake_task = SimpleNamespace(enqueue=lambda *args, **kwargs: queued.append(args))
    monkeypatch.setattr(views, "email_password_reset", fake_task)
    client.post(reverse("admin_password_reset"), {"email": editor.email})

    assert queued == [(editor.pk,)]
    assert mail.outbox == []
