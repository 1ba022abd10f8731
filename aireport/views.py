"""Site-wide views: the load balancer's health check, German error pages and the staff's
password reset."""

import hashlib
import logging
from pathlib import Path

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache, caches
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, Min
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

from .mail import sender

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
        result["tasks"] = task_queue_status()
    return JsonResponse(result, status=200 if database == "ok" else 503)


def task_queue_status() -> dict:
    """How many tasks (emails) wait for the worker, and for how long the oldest has waited:
    a growing age means the worker (`manage.py db_worker`) is not running."""
    from django_tasks_db.models import DBTaskResult

    try:
        waiting = DBTaskResult.objects.ready().aggregate(
            count=Count("pk"), oldest=Min("enqueued_at")
        )
    except DatabaseError:  # not migrated yet
        return {"waiting": None, "oldest_waiting_seconds": None}
    oldest = waiting["oldest"]
    return {
        "waiting": waiting["count"],
        "oldest_waiting_seconds": round((timezone.now() - oldest).total_seconds()) if oldest else 0,
    }


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
    return render(request, "500.html", status=500)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


class AdminPageMixin:
    """Django's admin ships the password reset pages (registration/password_reset_*.html); they
    extend the admin's base template and need the admin's context (site name, theme toggle)."""

    def get_context_data(self, **kwargs):
        from django.contrib import admin

        return {**admin.site.each_context(self.request), **super().get_context_data(**kwargs)}


class PasswordResetView(AdminPageMixin, auth_views.PasswordResetView):
    """ "Benutzername oder Passwort vergessen?" on the admin's sign-in page.

    Every address gets the same answer (Django's form sends only to an active account with a
    usable password). The link in the email is built from SITE_URL, not from the request's
    Host header, and one address gets at most one email in `email_interval` seconds, so that
    nobody can flood a colleague's inbox through this form."""

    email_interval = 5 * 60
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        address = form.cleaned_data["email"].strip().lower()
        key = "password-reset:" + hashlib.sha256(address.encode()).hexdigest()
        if not caches["shared"].add(key, True, timeout=self.email_interval):
            return HttpResponseRedirect(self.get_success_url())
        self.from_email = sender()
        self.extra_email_context = {
            "SITE_NAME": settings.SITE_NAME,
            "SITE_URL": settings.SITE_URL.rstrip("/"),
            "valid_days": settings.PASSWORD_RESET_TIMEOUT // (60 * 60 * 24),
        }
        return super().form_valid(form)


class PasswordResetDoneView(AdminPageMixin, auth_views.PasswordResetDoneView):
    pass


class PasswordResetConfirmView(AdminPageMixin, auth_views.PasswordResetConfirmView):
    pass


class PasswordResetCompleteView(AdminPageMixin, auth_views.PasswordResetCompleteView):
    pass
