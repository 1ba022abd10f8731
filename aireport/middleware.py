"""Requests that declare a charset no text can be decoded with are a client error (400).

Django takes any name `codecs.lookup()` knows from the Content-Type header, including codecs
that are not text encodings (base64, rot13, zlib) or that refuse errors="replace" (idna).
Reading such a form fails with LookupError or UnicodeError, which would be a 500.
"""

from django.core.exceptions import BadRequest


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
