"""A request Django could not even build (a query string with a charset that is no text
encoding) gets a 400 from the WSGI application gunicorn serves, not a 500."""

import io
import sys

import pytest

from aireport.wsgi import application


def call(content_type: str, query: str = "a=1", method="GET", path="/static/css/site.css"):
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
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


@pytest.mark.parametrize("charset", ["latin-1", "iso-8859-15", "utf-16", "UTF8"])
def test_a_form_in_another_charset_than_utf8_is_a_bad_request_also_with_debug_on(charset, settings):
    """With DEBUG on, Django's error page used to read the form again: a 500 instead of 400."""
    settings.DEBUG = True

    status, body = call(
        f"application/x-www-form-urlencoded; charset={charset}",
        query="",
        method="POST",
        path="/berichte/ein-bericht/kommentieren/",
    )

    assert status.startswith("400")
    assert "Zeichensatz" in body.decode()


def test_a_form_declared_as_utf8_reaches_the_site():
    status, _ = call("application/x-www-form-urlencoded; charset=UTF-8", query="")
    assert status.startswith("200")


def test_the_development_server_serves_the_guarded_application():
    """runserver loads settings.WSGI_APPLICATION: the guard covers it too."""
    from django.core.servers.basehttp import get_internal_wsgi_application

    assert get_internal_wsgi_application() is application
