"""Site-wide views: the load balancer's health check, German error pages and the staff's
password reset."""

import hashlib
import logging
import sys
from pathlib import Path

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.core.cache import cache, caches
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

from aireport.tasks import email_password_reset
from aireport.worker import queue_status

logger = logging.getLogger(__name__)


def database_state() -> str:
    """ "ok", or what is wrong: "missing", "unreachable", "incomplete" or "read-only"."""
    if (
        connection.vendor == "sqlite"
        and not connection.is_in_memory_db()
        and not Path(connection.settings_dict["NAME"]).is_file()
    ):
        # A connection opened before the file was moved still works on the old file; close
        # it, so that this worker does not go on writing where nobody looks.
        connection.close()
        return "missing"
    try:
        existing = set(connection.introspection.table_names())
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
        return "unreachable"
    # Every model's table, so a database that was never (or only partly) migrated is not "ok".
    if not set(connection.introspection.django_table_names()) <= existing:
        return "incomplete"
    try:
        # A write that changes nothing, rolled back: refused by a read-only database (file
        # permissions, PRAGMA query_only, a PostgreSQL standby or transaction_read_only).
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("UPDATE django_migrations SET app = app WHERE id = -1")
            transaction.set_rollback(True)
    except DatabaseError:
        logger.exception("Health check: the database refuses writes")
        return "read-only"
    return "ok"


def cache_state() -> str:
    try:
        cache.set("health-check", "ok", timeout=10)
        if cache.get("health-check") != "ok":
            return "unavailable"
    except Exception:  # noqa: BLE001 - any cache failure means "degraded", never an error
        logger.warning("Health check: the cache is unavailable", exc_info=True)
        return "unavailable"
    return "ok"


@never_cache
def health(request):
    """200 while the site can serve readers; 503 only when the database cannot.

    Stuck or failed tasks (emails) make the answer "degraded", still with a 200.

    Without the cache the site is slower but works (pages are rendered uncached), so a load
    balancer must keep the server: "cache": "unavailable" comes with a 200 (docs/deployment.md).
    """
    database = database_state()
    result = {
        "status": "ok" if database == "ok" else "error",
        "database": database,
        "cache": cache_state(),
    }
    if database == "ok":
        result["tasks"] = tasks = task_queue_status()
        if tasks.get("stuck") or tasks.get("failed_last_hour"):
            # The site serves readers; emails are late or lost: an operator must look.
            result["status"] = "degraded"
    return JsonResponse(result, status=200 if database == "ok" else 503)


def task_queue_status() -> dict:
    """The task queue (emails) as aireport.worker.queue_status counts it: waiting, running,
    stuck, failed in the last hour, and for how long the oldest has waited. A growing age means
    no worker (`manage.py task_worker`) is running."""
    try:
        return queue_status()
    except DatabaseError:  # not migrated yet
        return {"waiting": None, "oldest_waiting_seconds": None}


@require_safe
@cache_control(public=True, max_age=60 * 60 * 24)
def robots_txt(request):
    """Everything public may be crawled. The admin path is a secret, so it is not named here:
    the admin's own pages say `noindex` and need a login anyway."""
    sitemap = settings.SITE_URL.rstrip("/") + reverse("sitemap")
    lines = ["User-agent: *", "Allow: /", "", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    """500, or 503 while the database is out of reach (a restart, a failover, a network cut).

    Django calls this for an exception anywhere in a request, also in a middleware. During an
    outage a reader's form must not be lost: what they sent comes back in a form they can send
    again (and copy), and the 503 with Retry-After tells proxies and browsers it will pass.
    """
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        return database_unavailable(request)
    return render(request, "500.html", status=500)


def database_unavailable(request):
    sent = []
    if request.method == "POST":
        try:
            sent = [(name, value) for name, values in request.POST.lists() for value in values]
        except Exception:  # noqa: BLE001 - an unreadable body: the page without the form
            logger.warning("Could not read the form sent during a database outage")
    # What the reader wrote (the comment, the draft) is shown to edit and copy: the field the
    # view names with @keeps_text, or else the longest value with words in it. Everything else
    # goes back as it came; what a person typed (name, email: words or an @, unlike the form's
    # tokens) is shown too.
    named = getattr(getattr(request.resolver_match, "func", None), "kept_text_field", None)
    longest = max(
        range(len(sent)),
        key=lambda i: (sent[i][0] == named, _typed(sent[i][1]), len(sent[i][1])),
        default=None,
    )
    context = {
        "text": sent[longest] if longest is not None and sent[longest][1].strip() else None,
        "hidden": [field for i, field in enumerate(sent) if i != longest],
        "typed": [value for i, (_, value) in enumerate(sent) if i != longest and _typed(value)],
        "action": request.get_full_path(),
    }
    response = render(request, "503_database.html", context, status=503)
    response["Retry-After"] = "10"
    add_never_cache_headers(response)
    return response


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


def _typed(value: str) -> bool:
    return any(character.isspace() or character == "@" for character in value.strip())


def keeps_text(field: str):
    """Names the field of a view's form that holds what a person wrote, so that the 503 page
    of a database outage shows it first, to copy or send again (database_unavailable)."""

    def decorate(view):
        view.kept_text_field = field
        return view

    return decorate


class AdminPageMixin:
    """Django's admin ships the password reset pages (registration/password_reset_*.html); they
    extend the admin's base template and need the admin's context (site name, theme toggle)."""

    def get_context_data(self, **kwargs):
        return {**admin.site.each_context(self.request), **super().get_context_data(**kwargs)}


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form, with its email handed to the task queue like every email of the site
    (aireport.tasks): the worker makes the link and retries when the mail server fails."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        email_password_reset.enqueue(context["user"].pk)


class PasswordResetView(AdminPageMixin, auth_views.PasswordResetView):
    """ "Benutzername oder Passwort vergessen?" on the admin's sign-in page.

    Every address gets the same answer (Django's form sends only to an active account with a
    usable password). The link in the email is built from SITE_URL, not from the request's
    Host header, and one address gets at most one email in `email_interval` seconds, so that
    nobody can flood a colleague's inbox through this form."""

    email_interval = 5 * 60
    form_class = PasswordResetForm

    def form_valid(self, form):
        address = form.cleaned_data["email"].strip().lower()
        key = "password-reset:" + hashlib.sha256(address.encode()).hexdigest()
        if not caches["shared"].add(key, True, timeout=self.email_interval):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetDoneView(AdminPageMixin, auth_views.PasswordResetDoneView):
    pass


class PasswordResetConfirmView(AdminPageMixin, auth_views.PasswordResetConfirmView):
    pass


class PasswordResetCompleteView(AdminPageMixin, auth_views.PasswordResetCompleteView):
    pass
