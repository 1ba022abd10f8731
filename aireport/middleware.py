"""Requests that declare a charset no text can be decoded with are a client error (400).

Django takes any name `codecs.lookup()` knows from the Content-Type header, including codecs
that are not text encodings (base64, rot13, zlib) or that refuse errors="replace" (idna).
Reading such a form fails with LookupError or UnicodeError, which would be a 500. With a query
string Django fails even earlier, while building the request, before any middleware runs: the
WSGI guard below answers those.
"""

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


def reject_undecodable_charset(wsgi_application):
    """Wrap the WSGI application: a charset Django cannot build a request with gets a 400."""

    def guarded(environ, start_response):
        _, params = parse_header_parameters(environ.get("CONTENT_TYPE", ""))
        charset = params.get("charset")
        if charset and not can_decode_text(charset):
            body = "Ungültige Anfrage: unbekannter Zeichensatz.".encode()
            start_response(
                "400 Bad Request",
                [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))],
            )
            return [body]
        return wsgi_application(environ, start_response)

    return guarded
