from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers

from aireport.page_cache import shared_page

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
        **(extra_context or {}),
    }
    return render(request, "reports/report_detail.html", context, status=status)
