"""A request Django could not even build (a query string with a charset that is no text
encoding) gets a 400 from the WSGI application gunicorn serves, not a 500."""

import io
import sys

import pytest

from aireport.wsgi import application


def call(content_type: str, query: str = "a=1"):
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/static/css/site.css",
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "CONTENT_TYPE": content_type,
        "wsgi.input": io.BytesIO(b""),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
    }
    statuses = []
    body = b"".join(application(environ, lambda status, headers, exc=None: statuses.append(status)))
    return statuses[0], body


@pytest.mark.parametrize("charset", ["base64", "rot13", "zlib", "idna", "hex"])
def test_a_charset_that_is_no_text_encoding_is_a_bad_request(charset):
    status, body = call(f"text/plain; charset={charset}")
    assert status.startswith("400")
    assert "Zeichensatz" in body.decode()


def test_ordinary_requests_pass_through():
    status, body = call("text/plain; charset=utf-8")
    assert status.startswith("200")
    assert b".toc" in body
