from django.conf import settings
from django.core.files.storage import default_storage
from django.core.paginator import EmptyPage, Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.http import require_safe

from aireport.page_cache import shared_page

from .cards import NAME_PATTERN, card_name, card_url, ensure_card
from .history import compare
from .models import Report

#: Entries per page of the public changelog.
CHANGES_PER_PAGE = 20


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
    # Never published: staff see its draft (reports.workflow), as the admin's preview does.
    from .workflow import preview_state

    report = preview_state(report, user=request.user).as_report()
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


@shared_page(version=Report.objects.page_version)
def report_changes(request, slug, page=1):
    """The public changelog: every published change but small corrections, newest first."""
    report = get_object_or_404(Report.objects.published(), slug=slug)
    paginator = Paginator(report.publications.in_changelog(), CHANGES_PER_PAGE)
    try:
        entries = paginator.page(page)
    except EmptyPage:
        raise Http404 from None
    context = {
        "report": report,
        "entries": entries,
        "canonical_url": settings.SITE_URL.rstrip("/") + request.path,
    }
    return render(request, "reports/report_changes.html", context)


@shared_page(version=Report.objects.page_version)
def report_change(request, slug, publication_id):
    """One entry of the changelog: what changed, section by section, word by word."""
    report = get_object_or_404(Report.objects.published(), slug=slug)
    entry = get_object_or_404(report.publications.in_changelog(), pk=publication_id)
    previous = entry.previous()
    context = {
        "report": report,
        "entry": entry,
        "comparison": compare(previous.content if previous else {}, entry.content, rendered=True),
        "canonical_url": settings.SITE_URL.rstrip("/") + request.path,
    }
    return render(request, "reports/report_change.html", context)


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
