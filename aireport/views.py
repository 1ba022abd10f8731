"""Site-wide views: the load balancer's health check and German error pages."""

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Count, Min
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe


@never_cache
def health(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any database failure means "unhealthy"
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "tasks": task_queue_status()})


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
