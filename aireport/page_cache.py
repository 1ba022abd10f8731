"""One copy of each shared page for every anonymous reader, cacheable by any HTTP cache or CDN.

A view marked with @shared_page renders the same bytes for every reader who brings none of the
app's own cookies (settings.PAGE_CACHE_PRIVATE_COOKIES): the page holds no CSRF token and no
per-reader value (the comment form is protected by Fetch Metadata, aireport/fetch_metadata.py,
and asks for its signed timestamp when a reader starts typing). So the response goes out
`public`, with one strong ETag, and without Set-Cookie: a proxy or CDN in front may keep it.

This middleware is the fast path inside the app. It runs before sessions, authentication and the
view, and keeps one entry per page: the page's version (a string the view's `version` function
reads from the database in one small query) with the body, plain and gzip-compressed. A request
whose version matches the entry is a plain lookup. When the version has moved on, one request
renders the new page while everyone else gets the previous one (stale) instead of waiting or
rendering too. A cache that is down only makes pages uncached.

Requests with the app's cookies, or with a query string the app uses (settings
PAGE_CACHE_QUERY_PARAMETERS: reply-to, a section's "Diskutieren", the signed own-comment
preview), are rendered fresh and marked private. Other query parameters (utm_source, …) do
not change the page and are ignored.
"""

import gzip
import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    quote_etag,
)

logger = logging.getLogger(__name__)

#: Headers that belong to one response, not to the stored page.
_UNSTORED_HEADERS = {"content-length", "etag", "cache-control", "expires", "set-cookie", "vary"}
#: Seconds one request may hold the right to render a new version before another may try.
RENDER_LOCK_SECONDS = 10


def shared_page(version):
    """Mark a view whose page every anonymous reader shares.

    `version(**view_kwargs)` returns a string that changes whenever the page would change,
    or None when the page must not be shared (not found, not published).
    """

    def decorate(view):
        view.shared_page_version = version
        return view

    return decorate


def is_shared_request(request) -> bool:
    """GET or HEAD, none of the app's own cookies, no query parameter that the app reads."""
    if request.method not in ("GET", "HEAD"):
        return False
    if set(request.GET) & set(settings.PAGE_CACHE_QUERY_PARAMETERS):
        return False
    return not set(request.COOKIES) & set(settings.PAGE_CACHE_PRIVATE_COOKIES)


def accepts_gzip(request) -> bool:
    """Whether Accept-Encoding allows gzip, q-values and letter case included (RFC 9110 12.5.3)."""
    accepted = {}
    for item in request.META.get("HTTP_ACCEPT_ENCODING", "").split(","):
        coding, *params = (part.strip() for part in item.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        accepted[coding.lower()] = quality
    return accepted.get("gzip", accepted.get("*", 0.0)) > 0


@dataclass(frozen=True)
class StoredPage:
    """A rendered page as every anonymous reader gets it, compressed once when stored."""

    version: str
    body: bytes
    gzipped: bytes
    headers: dict

    @classmethod
    def from_response(cls, version, response) -> "StoredPage":
        headers = {
            name: value for name, value in response.items() if name.lower() not in _UNSTORED_HEADERS
        }
        body = response.content
        return cls(version, body, gzip.compress(body, mtime=0), headers)

    def etag(self, *, gzipped: bool) -> str:
        digest = hashlib.sha256(self.body).hexdigest()[:32]
        return quote_etag(f"{digest}-gzip" if gzipped else digest)

    def response_for(self, request) -> HttpResponse:
        compressed = accepts_gzip(request)
        etag = self.etag(gzipped=compressed)
        response = get_conditional_response(request, etag=etag)
        if response is None:
            response = HttpResponse(self.gzipped if compressed else self.body, headers=self.headers)
            if compressed:
                response["Content-Encoding"] = "gzip"
        response["ETag"] = etag
        mark_public(response)
        return response


def mark_public(response) -> None:
    """Shared caches (a proxy, a CDN) may keep the page for a few seconds and then serve it stale
    while they ask again (settings, docs/performance.md). Browsers ask every time (answered with
    304 while nothing changed): a reader's own cookies may change what the page shows them."""
    patch_cache_control(
        response,
        public=True,
        max_age=0,
        s_maxage=settings.PAGE_CACHE_MAX_AGE,
        stale_while_revalidate=settings.PAGE_CACHE_STALE_SECONDS,
    )
    patch_vary_headers(response, ("Accept-Encoding",))


def _cache_key(path: str) -> str:
    return "page:" + hashlib.sha256(path.encode()).hexdigest()


class _CacheDown(Exception):
    pass


def _cache_call(method, *args, quiet=False):
    """A cache that does not answer makes the page uncached, never an error page."""
    try:
        return method(*args)
    except Exception as error:
        logger.warning("Page cache unavailable: %s", error)
        if not quiet:
            raise _CacheDown from error
        return None


class SharedPageCacheMiddleware:
    """Serves views marked with @shared_page from the cache for anonymous readers.

    Place it after the middleware that adds headers to every response (security, CSP,
    Permissions-Policy) and before sessions, CSRF and authentication.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        version_of = self._shared_page_version(request)
        if version_of is None:
            return self.get_response(request)
        if not is_shared_request(request):
            response = self.get_response(request)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        request.get_host()  # a host outside ALLOWED_HOSTS is refused (400) before any lookup
        version, kwargs = version_of
        page_version = version(**kwargs)
        if page_version is None:
            return self.get_response(request)
        page_version = f"{settings.RELEASE}|{page_version}"
        try:
            return self._serve(request, page_version)
        except _CacheDown:
            return self._render(request, page_version)

    def _serve(self, request, page_version):
        key = _cache_key(request.path)
        stored = _cache_call(cache.get, key)
        if stored is not None and stored.version == page_version:
            return stored.response_for(request)
        lock = f"{key}:rendering"
        if _cache_call(cache.add, lock, page_version, RENDER_LOCK_SECONDS):
            try:
                return self._render(request, page_version, store_as=key)
            finally:
                _cache_call(cache.delete, lock, quiet=True)
        if stored is not None:
            return stored.response_for(request)  # the previous version while one request renders
        return self._render(request, page_version)

    def _render(self, request, page_version, *, store_as=None):
        response = self.get_response(request)
        if response.status_code != 200 or response.streaming or response.cookies:
            return response
        stored = StoredPage.from_response(page_version, response)
        if store_as is not None:
            _cache_call(cache.set, store_as, stored, settings.PAGE_CACHE_TIMEOUT, quiet=True)
        return stored.response_for(request)

    @staticmethod
    def _shared_page_version(request):
        if request.method not in ("GET", "HEAD"):
            return None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        version = getattr(match.func, "shared_page_version", None)
        return None if version is None else (version, match.kwargs)
