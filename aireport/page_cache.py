"""A whole-page cache for what every anonymous reader sees, with their own CSRF token.

`cache_page` cannot be used on pages with a form: it would serve one reader's CSRF token (and
no CSRF cookie) to everyone. Here the page is stored with a placeholder where the token goes,
and each response gets the reader's own token put back in. Requests that may carry something
personal (a session, a comment author's cookies, a query string) are always rendered fresh.

Besides the CSRF token, hidden inputs named in settings.PAGE_CACHE_FRESH_INPUTS (name →
dotted path of a function of the request) are filled in fresh for every response, such as
the comment form's signed timestamp, which must tell when this reader got the form.

The cache key holds a version the caller reads from the database in one small query, so every
app server sees a change at once, whichever cache backend it has.
"""

import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.module_loading import import_string

_HIDDEN_INPUT = re.compile(rb'(<input type="hidden" name="([\w-]+)" value=")[^"]*(")')
#: Seconds a cached page may live; every change makes a new key anyway.
PAGE_TIMEOUT = 60 * 60 * 24


def is_shared_request(request) -> bool:
    """True for requests every anonymous reader makes alike: GET, no query, no own cookies."""
    if request.method not in ("GET", "HEAD") or request.META.get("QUERY_STRING"):
        return False
    return set(request.COOKIES) <= {settings.CSRF_COOKIE_NAME}


def etag_for(request, version: str) -> str | None:
    """An ETag for shared pages; it includes the reader's CSRF cookie, which the page's
    token is tied to, so a 304 never leaves a reader with a token that no longer fits."""
    if not is_shared_request(request):
        return None
    # CsrfViewMiddleware keeps the reader's secret here, and get_token() puts a new
    # reader's one here before the cookie is sent, so the first response gets the right tag.
    csrf_cookie = request.META.get("CSRF_COOKIE", "")
    return hashlib.sha256(f"{version}|{csrf_cookie}".encode()).hexdigest()[:32]


def _fresh_input_values() -> dict:
    values = {"csrfmiddlewaretoken": get_token}
    for name, path in getattr(settings, "PAGE_CACHE_FRESH_INPUTS", {}).items():
        values[name] = import_string(path)
    return values


def _placeholder(name: bytes) -> bytes:
    return b"__fresh_" + name + b"__"


def _punch_holes(content: bytes, fresh_names: set[bytes]) -> bytes:
    def replace(match):
        if match[2] not in fresh_names:
            return match[0]
        return match[1] + _placeholder(match[2]) + match[3]

    return _HIDDEN_INPUT.sub(replace, content)


def _cache_key(path: str, version: str) -> str:
    return "page:" + hashlib.sha256(f"{path}|{version}".encode()).hexdigest()


def serve_shared_page(request, version: str, render) -> HttpResponse:
    """Return the cached page for `version`, or call `render()` and store its result."""
    if not is_shared_request(request):
        response = render()
        patch_cache_control(response, private=True, no_cache=True)
        return response

    key = _cache_key(request.path, version)
    stored = cache.get(key)
    fresh_values = _fresh_input_values()
    if stored is None:
        response = render()
        if response.status_code != 200:
            return response
        content = _punch_holes(response.content, {name.encode() for name in fresh_values})
        stored = (content, response["Content-Type"])
        cache.set(key, stored, PAGE_TIMEOUT)
    content, content_type = stored
    for name, value in fresh_values.items():
        placeholder = _placeholder(name.encode())
        if placeholder in content:
            content = content.replace(placeholder, value(request).encode())
    response = HttpResponse(content, content_type=content_type)
    # Browsers and proxies must ask again each time (answered with 304 when nothing changed).
    patch_cache_control(response, no_cache=True)
    patch_vary_headers(response, ("Cookie",))
    return response
