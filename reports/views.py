from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.http import require_safe

from aireport.page_cache import shared_page

from .cards import NAME_PATTERN, card_name, card_url, ensure_card
from .models import Report


def report_index(request):
    reports = list(Report.objects.published())
    if len(reports) == 1:
        return redirect(reports[0])
    return render(request, "reports/report_list.html", {"reports": reports})


@shared_page(version=Report.objects.page_version)
def report_detail(request, slug):
    """The article with its discussion.

    Anonymous readers share one cached copy per version of the report and its discussion
    (aireport.page_cache); staff may preview an unpublished report, never cached.
    """
    report = get_object_or_404(Report.objects.prefetch_related("sections"), slug=slug)
    if report.is_published:
        return render_report(request, report)
    if not request.user.has_perm("reports.view_report"):
        raise Http404
    response = render_report(request, report, is_preview=True)
    add_never_cache_headers(response)
    return response


def render_report(request, report, *, is_preview=False, status=200, extra_context=None):
    """Render the article page; the comments app reuses it to show a form with errors."""
    context = {
        "report": report,
        "is_preview": is_preview,
        "canonical_url": settings.SITE_URL.rstrip("/") + report.get_absolute_url(),
        "card_url": card_url(report),
        **(extra_context or {}),
    }
    return render(request, "reports/report_detail.html", context, status=status)


@require_safe
def card_image(request, name):
    """A published report's preview card; its name changes with what it shows, so browsers
    and proxies may keep it for a year. Drawn here if the file went missing."""
    match = NAME_PATTERN.match(name)
    if match is None:
        raise Http404
    report = get_object_or_404(Report.objects.published(), slug=match["slug"])
    if card_name(report) != name:
        raise Http404
    ensure_card(report)
    response = FileResponse(default_storage.open(name), content_type="image/png")
    patch_cache_control(response, public=True, max_age=60 * 60 * 24 * 365, immutable=True)
    return response
