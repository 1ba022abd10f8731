"""What a reader's browser carries for the comments.

Two cookies, both signed so that nobody can forge them:

- `comments_own`: the ids of the reader's own comments that are not approved yet, so that only
  they see them (with "Dein Kommentar wartet auf Freischaltung."). Needed for the service the
  reader asked for; kept 30 days.
- `comment_author`: name, email and website, only when the reader ticked "speichern"; kept a
  year, removed when they send a comment without the tick.
"""

import json
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare

OWN_SALT = "comments.own"
OWN_MAX_AGE = 60 * 60 * 24 * 30
OWN_MAX_IDS = 20
#: Query parameters of the signed link to one's own pending comment (WordPress's names).
OWN_ID_PARAMETER = "unapproved"
OWN_HASH_PARAMETER = "moderation-hash"

AUTHOR_SALT = "comments.author"
AUTHOR_MAX_AGE = 60 * 60 * 24 * 365


def _set_cookie(response, name, data, *, salt, max_age):
    response.set_signed_cookie(
        name,
        json.dumps(data, separators=(",", ":")),
        salt=salt,
        max_age=max_age,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _load(request, name, *, salt, max_age):
    value = request.get_signed_cookie(name, default=None, salt=salt, max_age=max_age)
    try:
        return None if value is None else json.loads(value)
    except ValueError:
        return None


def own_comment_ids(request) -> list[int]:
    """The reader's own pending comments: from the cookie, and from a signed preview link."""
    ids = _load(request, settings.COMMENTS_OWN_COOKIE, salt=OWN_SALT, max_age=OWN_MAX_AGE)
    ids = [i for i in ids if isinstance(i, int)] if isinstance(ids, list) else []
    linked = request.GET.get(OWN_ID_PARAMETER, "")
    signature = request.GET.get(OWN_HASH_PARAMETER, "")
    if linked.isascii() and linked.isdigit() and len(linked) <= 18:
        expected = signing.Signer(salt=OWN_SALT).signature(linked)
        if constant_time_compare(signature, expected):
            ids.append(int(linked))
    return ids


def own_comment_url(comment) -> str:
    """Where the author lands after sending a comment that waits for moderation.

    A signed query string, as WordPress's ?unapproved=…&moderation-hash=…: it shows the author
    their comment on a fresh page, and shared caches pass such URLs through untouched."""
    query = urlencode(
        {
            OWN_ID_PARAMETER: comment.pk,
            OWN_HASH_PARAMETER: signing.Signer(salt=OWN_SALT).signature(str(comment.pk)),
        }
    )
    return f"{comment.report.get_absolute_url()}?{query}#{comment.anchor}"


def remember_own_comment(request, response, comment) -> None:
    ids = [*own_comment_ids(request), comment.pk][-OWN_MAX_IDS:]
    _set_cookie(
        response,
        settings.COMMENTS_OWN_COOKIE,
        sorted(set(ids)),
        salt=OWN_SALT,
        max_age=OWN_MAX_AGE,
    )


def remembered_author(request) -> dict:
    data = _load(request, settings.COMMENTS_AUTHOR_COOKIE, salt=AUTHOR_SALT, max_age=AUTHOR_MAX_AGE)
    if not isinstance(data, dict):
        return {}
    return {
        key: data[key]
        for key in ("author_name", "author_email", "author_url")
        if isinstance(data.get(key), str)
    }


def remember_author(response, *, author_name, author_email, author_url) -> None:
    _set_cookie(
        response,
        settings.COMMENTS_AUTHOR_COOKIE,
        {"author_name": author_name, "author_email": author_email, "author_url": author_url},
        salt=AUTHOR_SALT,
        max_age=AUTHOR_MAX_AGE,
    )


def forget_author(response) -> None:
    response.delete_cookie(settings.COMMENTS_AUTHOR_COOKIE, samesite="Lax")
