"""The article page graded by the Mozilla HTTP Observatory's published scoring rules.

Rules applied, from "HTTP Observatory Scoring Methodology" (mozilla/http-observatory,
httpobs/docs/scoring.md) and its successor on MDN, "HTTP Observatory: Tests and scoring"
(developer.mozilla.org/en-US/observatory/docs/tests_and_scoring). A page starts at 100;
penalties are deducted first, bonuses are added only if the result is still 90 or more;
100 and above is grade A+. Checked here, each with the modifier the page must earn:

- Content Security Policy: ``csp-implemented-with-no-unsafe-default-src-none`` (+10) —
  ``default-src 'none'``; no ``'unsafe-inline'``, ``data:`` or broad sources in ``script-src``
  (csp-implemented-with-unsafe-inline, -20), no ``'unsafe-eval'`` (-10), no ``http:`` sources
  (csp-implemented-with-insecure-scheme, -20), ``object-src``/``script-src`` restricted.
- Cookies: ``cookies-secure-with-httponly-sessions-and-samesite`` (+5) — every cookie
  ``Secure`` and ``SameSite=Strict|Lax``, the session cookie ``HttpOnly`` (penalties -20 to -40).
- Cross-origin Resource Sharing: ``cross-origin-resource-sharing-not-implemented`` (0) — no
  ``Access-Control-Allow-Origin``, no crossdomain.xml / clientaccesspolicy.xml
  (universal access would be -50).
- Redirection: ``redirection-to-https`` (0) — http is answered with a redirect to https on the
  same host (redirection-missing, -20; off-host, -5).
- Referrer Policy: ``referrer-policy-private`` (+5) — ``no-referrer``, ``same-origin``,
  ``strict-origin`` or ``strict-origin-when-cross-origin`` (unsafe values -5).
- HTTP Strict Transport Security: ``hsts-implemented-max-age-at-least-six-months`` (0) —
  max-age of at least 15768000 (shorter -10, missing -20). The +5 for the preload list is
  granted by the browsers' list, not by the header, so it is not counted here.
- Subresource Integrity: ``sri-not-implemented-but-all-scripts-loaded-from-secure-origin`` (0) —
  every script comes from the site itself, so SRI does not apply (external scripts without it
  would be -5 or -50).
- X-Content-Type-Options: ``x-content-type-options-nosniff`` (0; missing -5).
- X-Frame-Options: ``x-frame-options-implemented-via-csp`` (+5) — CSP ``frame-ancestors``
  (missing -20).

Not checked: Cross-Origin-Resource-Policy (the site does not send it), and the X-XSS-Protection
and HPKP tests of the older methodology, which the MDN version no longer scores.
"""

import re

import pytest
from django.conf import settings

from tests.factories import UserFactory

SIX_MONTHS = 15768000
PRIVATE_REFERRER_POLICIES = {"no-referrer", "same-origin", "strict-origin"}
PRIVATE_REFERRER_POLICIES.add("strict-origin-when-cross-origin")


def grade(score: int) -> str:
    for minimum, letter in ((100, "A+"), (90, "A"), (85, "A-"), (80, "B+"), (70, "B")):
        if score >= minimum:
            return letter
    return "below B"


def csp_modifier(response) -> tuple[str, int]:
    header = response.get("Content-Security-Policy")
    if not header:
        return "csp-not-implemented", -25
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = set(sources)
    default = directives.get("default-src", {"*"})
    script = directives.get("script-src", default)
    style = directives.get("style-src", default)
    objects = directives.get("object-src", default)
    everything = set().union(*directives.values())
    if script & {"'unsafe-inline'", "data:", "*", "https:", "http:"} or objects & {"*", "https:"}:
        return "csp-implemented-with-unsafe-inline", -20
    if any(source.startswith("http:") for source in everything):
        return "csp-implemented-with-insecure-scheme", -20
    if "'unsafe-eval'" in script | style:
        return "csp-implemented-with-unsafe-eval", -10
    if style & {"'unsafe-inline'", "data:", "*", "https:"}:
        return "csp-implemented-with-unsafe-inline-in-style-src-only", 0
    if default == {"'none'"}:
        return "csp-implemented-with-no-unsafe-default-src-none", 10
    return "csp-implemented-with-no-unsafe", 5


def cookies_modifier(responses) -> tuple[str, int]:
    morsels = [morsel for response in responses for morsel in response.cookies.values()]
    if not morsels:
        return "cookies-not-found", 0
    for morsel in morsels:
        session = morsel.key == settings.SESSION_COOKIE_NAME
        if not morsel["secure"] and session:
            return "cookies-session-without-secure-flag", -40
        if not morsel["secure"]:
            return "cookies-without-secure-flag", -20
        if session and not morsel["httponly"]:
            return "cookies-session-without-httponly-flag", -30
        if morsel["samesite"] and morsel["samesite"].lower() not in ("strict", "lax"):
            return "cookies-samesite-flag-invalid", -20
        if "csrf" in morsel.key.lower() and not morsel["samesite"]:
            return "cookies-anticsrf-without-samesite-flag", -20
    if all(morsel["samesite"] for morsel in morsels):
        return "cookies-secure-with-httponly-sessions-and-samesite", 5
    return "cookies-secure-with-httponly-sessions", 0


def cors_modifier(page, cross_domain_files) -> tuple[str, int]:
    if page.get("Access-Control-Allow-Origin") == "*":
        return "cross-origin-resource-sharing-implemented-with-universal-access", -50
    if any(response.status_code == 200 for response in cross_domain_files):
        return "cross-origin-resource-sharing-implemented-with-restricted-access", 0
    return "cross-origin-resource-sharing-not-implemented", 0


def redirection_modifier(http_response, host: str) -> tuple[str, int]:
    if http_response.status_code not in (301, 302, 307, 308):
        return "redirection-missing", -20
    location = http_response["Location"]
    if not location.startswith("https://"):
        return "redirection-not-to-https-on-initial-redirection", -10
    if not location.startswith(f"https://{host}/"):
        return "redirection-off-host-from-http", -5
    return "redirection-to-https", 0


def referrer_modifier(response) -> tuple[str, int]:
    policy = response.get("Referrer-Policy")
    if policy is None:
        return "referrer-policy-not-implemented", 0
    values = {value.strip() for value in policy.split(",")}
    if values <= PRIVATE_REFERRER_POLICIES:
        return "referrer-policy-private", 5
    if values == {"no-referrer-when-downgrade"}:
        return "referrer-policy-no-referrer-when-downgrade", 0
    return "referrer-policy-unsafe", -5


def hsts_modifier(response) -> tuple[str, int]:
    header = response.get("Strict-Transport-Security")
    if header is None:
        return "hsts-not-implemented", -20
    match = re.search(r"max-age=(\d+)", header)
    if not match:
        return "hsts-header-invalid", -20
    if int(match.group(1)) < SIX_MONTHS:
        return "hsts-implemented-max-age-less-than-six-months", -10
    return "hsts-implemented-max-age-at-least-six-months", 0


def sri_modifier(response) -> tuple[str, int]:
    sources = re.findall(r"<script[^>]*\ssrc=\"([^\"]+)\"", response.content.decode())
    if not sources:
        return "sri-not-implemented-but-no-scripts-loaded", 0
    if all(src.startswith("/") and not src.startswith("//") for src in sources):
        return "sri-not-implemented-but-all-scripts-loaded-from-secure-origin", 0
    return "sri-not-implemented-but-external-scripts-loaded-securely", -5


def nosniff_modifier(response) -> tuple[str, int]:
    if response.get("X-Content-Type-Options", "").lower() == "nosniff":
        return "x-content-type-options-nosniff", 0
    return "x-content-type-options-not-implemented", -5


def framing_modifier(response) -> tuple[str, int]:
    if "frame-ancestors" in response.get("Content-Security-Policy", ""):
        return "x-frame-options-implemented-via-csp", 5
    if response.get("X-Frame-Options", "").upper() in ("DENY", "SAMEORIGIN"):
        return "x-frame-options-sameorigin-or-deny", 0
    return "x-frame-options-not-implemented", -20


def observatory_results(client, path: str, *, extra_cookie_responses=()) -> dict[str, int]:
    page = client.get(path, secure=True)
    assert page.status_code == 200
    cross_domain_files = [
        client.get("/crossdomain.xml", secure=True),
        client.get("/clientaccesspolicy.xml", secure=True),
    ]
    tests = dict(
        [
            csp_modifier(page),
            cookies_modifier([page, *extra_cookie_responses]),
            cors_modifier(page, cross_domain_files),
            redirection_modifier(client.get(path), "testserver"),
            referrer_modifier(page),
            hsts_modifier(page),
            sri_modifier(page),
            nosniff_modifier(page),
            framing_modifier(page),
        ]
    )
    return tests


def score(results: dict[str, int]) -> int:
    """Penalties first; bonuses only count when the score is still 90 (A) or more."""
    total = 100 + sum(value for value in results.values() if value < 0)
    if total >= 90:
        total += sum(value for value in results.values() if value > 0)
    return total


@pytest.fixture
def staff_login_responses(client, https_on):
    """The admin's login form and a successful login: where the session cookie is set."""
    UserFactory(username="redakteurin", is_staff=True, is_superuser=True)
    login_url = f"/{settings.ADMIN_URL}login/"
    form = client.get(login_url, secure=True)
    login = client.post(
        login_url,
        {"username": "redakteurin", "password": "correct horse battery staple"},
        secure=True,
    )
    assert login.status_code == 302
    client.logout()
    return [form, login]


def test_the_article_page_loses_no_points_and_grades_a_plus(
    client, seeded_report, https_on, staff_login_responses
):
    results = observatory_results(
        client,
        seeded_report.get_absolute_url(),
        extra_cookie_responses=staff_login_responses,
    )

    penalties = {test: value for test, value in results.items() if value < 0}
    assert penalties == {}
    assert results["csp-implemented-with-no-unsafe-default-src-none"] == 10
    assert results["cookies-secure-with-httponly-sessions-and-samesite"] == 5
    assert results["referrer-policy-private"] == 5
    assert results["x-frame-options-implemented-via-csp"] == 5
    assert results["redirection-to-https"] == 0
    assert results["hsts-implemented-max-age-at-least-six-months"] == 0
    assert score(results) == 125
    assert grade(score(results)) == "A+"


def test_the_grader_takes_points_for_an_inline_script_policy(client, seeded_report, https_on):
    """The grading above can fail: allowing inline scripts costs 20 points and the A+."""
    https_on.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {
            **settings.CONTENT_SECURITY_POLICY["DIRECTIVES"],
            "script-src": ["'self'", "'unsafe-inline'"],
        }
    }
    results = observatory_results(client, seeded_report.get_absolute_url())

    assert results["csp-implemented-with-unsafe-inline"] == -20
    assert grade(score(results)) != "A+"
