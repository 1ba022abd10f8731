from django.conf import settings
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers

from .models import Report


def report_index(request):
    reports = list(Report.objects.published())
    if len(reports) == 1:
        return redirect(reports[0])
    return render(request, "reports/report_list.html", {"reports": reports})


def report_detail(request, slug):
    """The article. Staff may preview an unpublished report; that page is never cached."""
    report = get_object_or_404(Report.objects.prefetch_related("sections"), slug=slug)
    is_preview = not report.is_published
    if is_preview and not request.user.has_perm("reports.view_report"):
        return render(request, "404.html", status=404)
    response = render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "is_preview": is_preview,
            "canonical_url": settings.SITE_URL.rstrip("/") + report.get_absolute_url(),
        },
    )
    if is_preview:
        add_never_cache_headers(response)
    return response
