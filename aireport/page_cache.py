"""A whole-page cache for what every anonymous reader sees, with their own CSRF token.

`cache_page` cannot be used on pages with a form: it would serve one reader's CSRF token (and
no CSRF cookie) to everyone. Here the page is stored cut where per-reader values go (see
StoredPage), and each response gets the reader's own values put back in: the CSRF token
(with the cookie it belongs to, set by Django's own CsrfViewMiddleware) and the hidden
inputs named in settings.PAGE_CACHE_FRESH_INPUTS (name → dotted path of a function of the
request), such as the comment form's signed timestamp, which must tell when this reader got
the form. Readers whose browser accepts gzip get the page compressed, at no extra cost.

Requests that may carry something personal (a session, a comment author's cookies, a query
string, a POST) are always rendered fresh and marked private.

The cache key holds a version that the view's `version` function reads from the database in
one small query, so every app server sees a change at once, whichever cache backend it has.
The middleware answers a cached page before sessions, authentication and the view run, which
is what makes a cached page nearly as cheap as a static file.
"""

import functools
import hashlib
import re
import struct
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.urls import Resolver404, resolve
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    quote_etag,
)
from django.utils.module_loading import import_string

_HIDDEN_INPUT = re.compile(rb'(<input type="hidden" name="([\w-]+)" value=")[^"]*(")')
#: Seconds a cached page may live; every change makes a new key anyway.
PAGE_TIMEOUT = 60 * 60 * 24
#: Headers that belong to one response, not to the stored page.
_UNSTORED_HEADERS = {"content-length", "etag", "cache-control", "expires", "set-cookie"}


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
    """True for requests every anonymous reader makes alike: GET, no query, no own cookies."""
    if request.method not in ("GET", "HEAD") or request.META.get("QUERY_STRING"):
        return False
    return set(request.COOKIES) <= {settings.CSRF_COOKIE_NAME}


def etag_for(request, version: str, *, gzip: bool = False) -> str:
    """The page's tag for this reader. It includes the reader's CSRF secret, which the page's
    token is tied to, so a 304 never leaves a reader with a token that no longer fits.
    CsrfViewMiddleware keeps the secret in META, and get_token() puts a new reader's there
    before the cookie is sent, so even the first response gets the right tag."""
    secret = request.META.get("CSRF_COOKIE", "")
    digest = hashlib.sha256(f"{version}|{secret}".encode()).hexdigest()[:32]
    return quote_etag(f"{digest}-gzip" if gzip else digest)


@functools.cache
def _fresh_input_values() -> dict:
    values = {"csrfmiddlewaretoken": get_token}
    for name, path in getattr(settings, "PAGE_CACHE_FRESH_INPUTS", {}).items():
        values[name] = import_string(path)
    return values


_ACCEPTS_GZIP = re.compile(r"\bgzip\b")
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
_FINAL_DEFLATE_BLOCK = zlib.compressobj(wbits=-zlib.MAX_WBITS).flush()


def accepts_gzip(request) -> bool:
    return bool(_ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def _stored_deflate_blocks(data: bytes) -> bytes:
    """`data` as uncompressed deflate blocks: a reader's own values are never compressed
    together with page text, which also keeps them out of reach of BREACH-style attacks."""
    blocks = []
    for start in range(0, len(data), 0xFFFF):
        chunk = data[start : start + 0xFFFF]
        blocks.append(b"\x00" + struct.pack("<HH", len(chunk), len(chunk) ^ 0xFFFF) + chunk)
    return b"".join(blocks)


@dataclass(frozen=True)
class StoredPage:
    """A page cut where per-reader values go, kept both as it is and gzip-compressed.

    Each literal chunk is compressed on its own and ends on a byte boundary (sync flush), so
    a reader's gzip response is put together from stored blocks without compressing the
    page again: what costs 1.4 ms per request with GZipMiddleware costs a CRC here.
    """

    literals: tuple[bytes, ...]
    fresh_names: tuple[str, ...]
    deflated: tuple[bytes, ...]
    headers: dict

    @classmethod
    def from_response(cls, response) -> "StoredPage":
        fresh = {name.encode() for name in _fresh_input_values()}
        content, literals, names, start = response.content, [], [], 0
        for match in _HIDDEN_INPUT.finditer(content):
            if match[2] in fresh:
                literals.append(content[start : match.end(1)])
                names.append(match[2].decode())
                start = match.start(3)
        literals.append(content[start:])
        deflated = []
        for literal in literals:
            compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
            deflated.append(compressor.compress(literal) + compressor.flush(zlib.Z_SYNC_FLUSH))
        headers = {
            name: value for name, value in response.items() if name.lower() not in _UNSTORED_HEADERS
        }
        return cls(tuple(literals), tuple(names), tuple(deflated), headers)

    def response_for(self, request, *, gzip: bool) -> HttpResponse:
        fresh = _fresh_input_values()
        values = [fresh[name](request).encode() for name in self.fresh_names] + [b""]
        if not gzip:
            content = b"".join(
                literal + value for literal, value in zip(self.literals, values, strict=True)
            )
            return HttpResponse(content, headers=self.headers)

        body, crc, size = [_GZIP_HEADER], 0, 0
        for literal, deflated, value in zip(self.literals, self.deflated, values, strict=True):
            body += [deflated, _stored_deflate_blocks(value) if value else b""]
            crc = zlib.crc32(value, zlib.crc32(literal, crc))
            size += len(literal) + len(value)
        body += [_FINAL_DEFLATE_BLOCK, struct.pack("<II", crc, size & 0xFFFFFFFF)]
        response = HttpResponse(b"".join(body), headers=self.headers)
        response["Content-Encoding"] = "gzip"
        return response


def _cache_key(path: str, version: str) -> str:
    return "page:" + hashlib.sha256(f"{path}|{version}".encode()).hexdigest()


class SharedPageCacheMiddleware:
    """Serves views marked with @shared_page from the cache for anonymous readers.

    Place it after the middleware that adds headers to every response (security, CSP,
    Permissions-Policy) and before sessions, CSRF and authentication.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request):
        version_of = self._shared_page_version(request)
        if version_of is None:
            return self.get_response(request)
        if not is_shared_request(request):
            response = self.get_response(request)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        version, kwargs = version_of
        page_version = version(**kwargs)
        if page_version is None:
            return self.get_response(request)
        page_version = f"{settings.RELEASE}|{page_version}"

        self.csrf.process_request(request)
        if "CSRF_COOKIE" in request.META:
            etag = etag_for(request, page_version, gzip=accepts_gzip(request))
            if not_modified := get_conditional_response(request, etag=etag):
                not_modified["ETag"] = etag
                return not_modified

        gzip = accepts_gzip(request)
        key = _cache_key(request.path, page_version)
        stored = cache.get(key)
        if stored is None:
            rendered = self.get_response(request)
            if rendered.status_code != 200 or rendered.streaming:
                return rendered
            stored = StoredPage.from_response(rendered)
            cache.set(key, stored, PAGE_TIMEOUT)
            response = stored.response_for(request, gzip=gzip)
            response.cookies = rendered.cookies
        else:
            response = stored.response_for(request, gzip=gzip)
            response = self.csrf.process_response(request, response)
        # Browsers and proxies must ask again each time (answered with 304 when unchanged).
        patch_cache_control(response, no_cache=True)
        patch_vary_headers(response, ("Cookie", "Accept-Encoding"))
        response["ETag"] = etag_for(request, page_version, gzip=gzip)
        return response

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
