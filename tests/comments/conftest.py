import json
import time

import factory
import pytest
from django.conf import settings
from django.core import signing

from comments.forms import TIMESTAMP_SALT
from comments.models import Comment
from comments.readers import OWN_SALT
from tests.factories import ReportFactory


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    report = factory.SubFactory(ReportFactory)
    status = Comment.Status.APPROVED
    author_name = factory.Sequence(lambda n: f"Leserin {n}")
    author_email = factory.Sequence(lambda n: f"leserin{n}@example.org")
    text = factory.Sequence(lambda n: f"Ein durchdachter Kommentar Nummer {n}.")


def remember_as_own(client, *comments) -> None:
    """The client's browser sent these comments: the signed own-comments cookie names them
    (the proof a known author needs for auto-approval, comments/posting.py)."""
    name = settings.COMMENTS_OWN_COOKIE
    value = json.dumps(sorted(c.pk for c in comments), separators=(",", ":"))
    client.cookies[name] = signing.get_cookie_signer(salt=name + OWN_SALT).sign(value)


def timestamp(seconds_ago: float = 60) -> str:
    """A signed form timestamp as the page would have served it `seconds_ago`."""
    return signing.dumps(round(time.time() - seconds_ago, 1), salt=TIMESTAMP_SALT)


def form_data(**overrides) -> dict:
    data = {
        "text": "Ein sehr guter Bericht.\n\nZweiter Absatz.",
        "author_name": "Erika Mustermann",
        "author_email": "erika@example.org",
        "author_url": "",
        "timestamp": timestamp(),
        "honeypot": "",
        "parent": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def report(db):
    return ReportFactory(title="AI Safety Progress", slug="ai-safety")


@pytest.fixture
def post_url(report):
    from django.urls import reverse

    return reverse("comments:post", kwargs={"slug": report.slug})


@pytest.fixture
def post_comment(client, post_url):
    """Send the form as a browser would; each call may name its own IP address."""

    def post(ip="203.0.113.7", follow=False, client_=None, **fields):
        return (client_ or client).post(
            post_url, form_data(**fields), REMOTE_ADDR=ip, follow=follow
        )

    return post


@pytest.fixture
def moderator(db):
    from tests.factories import staff_in_group

    return staff_in_group(
        "Moderators", username="moderatorin", first_name="Mara", last_name="Moder"
    )


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client
