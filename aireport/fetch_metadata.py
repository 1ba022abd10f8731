"""Cross-origin protection for the public forms without a token: Fetch Metadata, then Origin.

The reader's forms (the comment form) sit on a page that every reader shares, so it cannot hold
a per-reader CSRF token. Browsers tell the server where a request comes from instead. The
algorithm is the one of Go 1.25's `net/http.CrossOriginProtection` (described by Filippo
Valsorda in "Cross-Site Request Forgery", 2025), made stricter where a header is missing, as
proposed for Django in django/new-features#98:

1. `Sec-Fetch-Site: same-origin` or `none` (typed or bookmarked by the user): allowed;
   any other value (`cross-site`, `same-site`): refused. Every current browser sends it.
2. Without that header, `Origin` must be this site's origin (settings.SITE_URL, the
   request's own scheme and host, or settings.CSRF_TRUSTED_ORIGINS).
3. Without `Origin` too, `Referer` must start with such an origin.
4. A POST with none of the three headers is refused: no browser of the last years sends a form
   without them, and a script outside a browser gains nothing a cross-site attacker could use.

Refusals get the German 403 page. The admin and everything behind a session keep Django's
CSRF tokens; only views wrapped with `@cross_origin_protected` use this.
"""

import contextlib
import functools
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
ALLOWED_FETCH_SITES = {"same-origin", "none"}


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


def trusted_origins(request) -> set[str]:
    origins = {_origin(settings.SITE_URL)}
    origins.update(_origin(origin) for origin in settings.CSRF_TRUSTED_ORIGINS)
    with contextlib.suppress(DisallowedHost):
        origins.add(f"{request.scheme}://{request.get_host()}".lower())
    origins.discard(None)
    return origins


def is_same_origin(request) -> bool:
    if request.method in SAFE_METHODS:
        return True
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site.strip().lower() in ALLOWED_FETCH_SITES
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin.strip().lower() in trusted_origins(request)
    referer = request.headers.get("Referer")
    if referer is not None:
        return _origin(referer.strip()) in trusted_origins(request)
    return False


def cross_origin_protected(view):
    """Refuse cross-origin POSTs to `view` (German 403); exempt it from token checks."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_same_origin(request):
            return render(request, "403_cross_origin.html", status=403)
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapped)
