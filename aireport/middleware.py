"""Requests that declare a charset no text can be decoded with are a client error (400).

Django takes any name `codecs.lookup()` knows from the Content-Type header, including codecs
that are not text encodings (base64, rot13, zlib) or that refuse errors="replace" (idna).
Reading such a form fails with LookupError or UnicodeError, which would be a 500. With a query
string Django fails even earlier, while building the request, before any middleware runs: the
WSGI guard below answers those.
"""

import codecs

from django.core.exceptions import BadRequest
from django.utils.http import parse_header_parameters


def can_decode_text(encoding: str) -> bool:
    try:
        b"\xff".decode(encoding, "replace")
    except (LookupError, UnicodeError):
        return False
    return True


class UndecodableCharsetMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.encoding and not can_decode_text(request.encoding):
            raise BadRequest(f"The request declares a charset that is not text: {request.encoding}")
        return self.get_response(request)


def refused_form_charset(content_type: str, charset: str) -> bool:
    """Django reads a form (application/x-www-form-urlencoded) only as UTF-8 and answers any
    other known charset with BadRequest. With DEBUG on, its error page then reads the form
    again, fails the same way, and the dev server answers 500; so the guard answers first."""
    if content_type != "application/x-www-form-urlencoded":
        return False
    try:
        codecs.lookup(charset)
    except LookupError:
        return False  # Django ignores charsets it does not know
    return charset.lower() != "utf-8"


def reject_undecodable_charset(wsgi_application):
    """Wrap the WSGI application: a charset Django cannot build a request with gets a 400.

    settings.WSGI_APPLICATION names the wrapped application, so gunicorn and runserver (which
    loads WSGI_APPLICATION) both answer through it.
    """

    def guarded(environ, start_response):
        content_type, params = parse_header_parameters(environ.get("CONTENT_TYPE", ""))
        charset = params.get("charset")
        if charset and (
            not can_decode_text(charset) or refused_form_charset(content_type, charset)
        ):
            body = "Ungültige Anfrage: unbekannter Zeichensatz.".encode()
            start_response(
                "400 Bad Request",
                [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))],
            )
            return [body]
        return wsgi_application(environ, start_response)

    return guarded
