from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers, get_conditional_response, quote_etag

from aireport.page_cache import etag_for, serve_shared_page

from .models import Report


def report_index(request):
    reports = list(Report.objects.published())
    if len(reports) == 1:
        return redirect(reports[0])
    return render(request, "reports/report_list.html", {"reports": reports})


def report_detail(request, slug):
    """The article with its discussion.

    Anonymous readers share one cached copy per version of the report and its discussion;
    staff may preview an unpublished report, and that page is never cached.
    """
    state = (
        Report.objects.filter(slug=slug)
        .values("status", "updated_at", "content_fingerprint", "discussion_changed_at")
        .first()
    )
    if state is None:
        raise Http404
    if state["status"] != Report.Status.PUBLISHED:
        if not request.user.has_perm("reports.view_report"):
            raise Http404
        response = render_report(request, slug, is_preview=True)
        add_never_cache_headers(response)
        return response

    version = "|".join(
        (
            settings.RELEASE,
            state["updated_at"].isoformat(),
            state["content_fingerprint"],
            state["discussion_changed_at"].isoformat(),
        )
    )
    etag = etag_for(request, version)
    if etag and (not_modified := get_conditional_response(request, etag=quote_etag(etag))):
        not_modified["ETag"] = quote_etag(etag)
        return not_modified
    response = serve_shared_page(request, version, lambda: render_report(request, slug))
    if etag and response.status_code == 200:
        response["ETag"] = quote_etag(etag_for(request, version))
    return response


def render_report(request, slug, *, is_preview=False, status=200, extra_context=None):
    """Render the article page; the comments app reuses it to show a form with errors."""
    report = get_object_or_404(Report.objects.prefetch_related("sections"), slug=slug)
    context = {
        "report": report,
        "is_preview": is_preview,
        "canonical_url": settings.SITE_URL.rstrip("/") + report.get_absolute_url(),
        **(extra_context or {}),
    }
    return render(request, "reports/report_detail.html", context, status=status)
