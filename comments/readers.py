"""What a reader's browser carries for the comments, and where a request comes from.

Two cookies, both signed so that nobody can forge them:

- `comments_own`: the ids of the reader's own comments that are not approved yet, so that only
  they see them (with "Dein Kommentar wartet auf Freischaltung."). Needed for the service the
  reader asked for; kept 30 days.
- `comment_author`: name, email and website, only when the reader ticked "speichern"; kept a
  year, removed when they send a comment without the tick.
"""

from django.conf import settings
from django.core import signing
from ipware import get_client_ip

OWN_COOKIE = "comments_own"
OWN_SALT = "comments.own"
OWN_MAX_AGE = 60 * 60 * 24 * 30
OWN_MAX_IDS = 20

AUTHOR_COOKIE = "comment_author"
AUTHOR_SALT = "comments.author"
AUTHOR_MAX_AGE = 60 * 60 * 24 * 365


def _set_cookie(response, name, value, max_age):
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _load(request, name, salt, max_age):
    value = request.COOKIES.get(name)
    if not value:
        return None
    try:
        return signing.loads(value, salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None


def own_comment_ids(request) -> list[int]:
    ids = _load(request, OWN_COOKIE, OWN_SALT, OWN_MAX_AGE)
    if not isinstance(ids, list):
        return []
    return [i for i in ids if isinstance(i, int)]


def remember_own_comment(request, response, comment) -> None:
    ids = [*own_comment_ids(request), comment.pk][-OWN_MAX_IDS:]
    _set_cookie(response, OWN_COOKIE, signing.dumps(ids, salt=OWN_SALT), OWN_MAX_AGE)


def remembered_author(request) -> dict:
    data = _load(request, AUTHOR_COOKIE, AUTHOR_SALT, AUTHOR_MAX_AGE)
    if not isinstance(data, dict):
        return {}
    return {
        key: data[key]
        for key in ("author_name", "author_email", "author_url")
        if isinstance(data.get(key), str)
    }


def remember_author(response, *, author_name, author_email, author_url) -> None:
    value = signing.dumps(
        {"author_name": author_name, "author_email": author_email, "author_url": author_url},
        salt=AUTHOR_SALT,
        compress=True,
    )
    _set_cookie(response, AUTHOR_COOKIE, value, AUTHOR_MAX_AGE)


def forget_author(response) -> None:
    response.delete_cookie(AUTHOR_COOKIE, samesite="Lax")


def client_ip(request) -> str | None:
    """The reader's address; behind PROXY_COUNT trusted proxies, the one they saw.

    Found by django-ipware with the same settings django-axes uses (aireport/proxies.py).
    """
    address, _routable = get_client_ip(
        request,
        proxy_order=settings.AXES_IPWARE_PROXY_ORDER,
        proxy_count=settings.AXES_IPWARE_PROXY_COUNT,
        request_header_order=settings.AXES_IPWARE_META_PRECEDENCE_ORDER,
    )
    return address
