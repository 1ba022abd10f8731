from django.conf import settings
from django.core.files.storage import default_storage
from django.core.paginator import EmptyPage, Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.http import require_safe

from aireport.page_cache import shared_page

from .cards import NAME_PATTERN, card_name, card_url, ensure_card
from .citation import FORMATS, Citation, citation_url, cite, current_version, to_cff, to_text
from .history import compare
from .models import Report
from .versions import render_version, version_sections, versions_page_version
from .workflow import preview_state

#: "?drucken=kommentare" prints the page with its approved comments.
PRINT_PARAMETER = "drucken"
PRINT_WITH_COMMENTS = "kommentare"
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
    report = preview_state(report, user=request.user).as_report()
    response = render_report(request, report, is_preview=True)
    add_never_cache_headers(response)
    return response


def render_report(request, report, *, is_preview=False, status=200, extra_context=None):
    """Render the article page; the comments app reuses it to show a form with errors."""
    citation = None if is_preview else cite(report)
    context = {
        "report": report,
        "is_preview": is_preview,
        "canonical_url": settings.SITE_URL.rstrip("/") + report.get_absolute_url(),
        "card_url": card_url(report),
        "citation": citation,
        "citation_text": to_text(citation) if citation else "",
        # Each section's "Zitiervorschlag" link: relative on the article's own address (bytes of the
        # page weight budget), from the report's address where the comments app renders it.
        "cite_base": "" if request.path == report.get_absolute_url() else report.get_absolute_url(),
        # "Drucken mit Kommentaren": a query parameter the page cache renders fresh
        # (settings.PAGE_CACHE_QUERY_PARAMETERS), so it works without scripting.
        "print_comments": request.GET.get(PRINT_PARAMETER) == PRINT_WITH_COMMENTS,
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


def _citable_report(slug):
    return get_object_or_404(Report.objects.published().prefetch_related("sections"), slug=slug)


def _section_of(sections, anchor):
    for section in sections:
        if section.anchor == anchor:
            return section
    raise Http404


def _cited(report, publication_id, anchor):
    """What a citation page cites, and the sections it offers: without a version, the current
    one and the live sections; with one, that version (one readers have had) and its sections
    as it had them, so a section removed since can still be cited there."""
    if publication_id is None:
        sections = report.sections.all()
        section = _section_of(sections, anchor) if anchor else None
        return cite(report, section), sections, None
    publication = get_object_or_404(report.publications.seen_by_readers(), pk=publication_id)
    sections = version_sections(publication)
    section = _section_of(sections, anchor) if anchor else None
    return Citation(report, section, publication), sections, publication


@shared_page(version=versions_page_version)
def cite_report(request, slug, anchor=None, publication_id=None):
    """ "Zitiervorschlag": the report's (or a section's) citation in every format, to copy or
    download, and the list of sections to cite one of them; of the current version, or of
    the version whose page the reader came from."""
    report = _citable_report(slug)
    citation, sections, publication = _cited(report, publication_id, anchor)
    section = citation.section
    formats = [
        {
            "extension": extension,
            "label": label,
            "text": to_format(citation),
            "url": citation_url(report, section, publication, extension),
            "filename": citation.filename(extension),
        }
        for extension, (label, _, to_format) in FORMATS.items()
    ]
    context = {
        "report": report,
        "section": section,
        "citation": citation,
        "publication": publication,
        "sections": sections,
        "cite_base": citation_url(report, None, publication),
        "plain_text": to_text(citation),
        "formats": formats,
        "canonical_url": settings.SITE_URL.rstrip("/") + request.path,
    }
    if publication is not None:
        current = current_version(report)
        context["is_current"] = current is not None and current.pk == publication.pk
        # The current version's citation page: of the same section while the report has it.
        live = section is not None and any(
            item.anchor == section.anchor for item in report.sections.all()
        )
        context["section_is_live"] = live
        context["current_cite_url"] = citation_url(report, section if live else None)
    return render(request, "reports/citation.html", context)


@shared_page(version=versions_page_version)
def cite_file(request, slug, extension, anchor=None, publication_id=None):
    """One citation format as a file to download (reference managers import these)."""
    report = _citable_report(slug)
    citation, _, _ = _cited(report, publication_id, anchor)
    _, media_type, to_format = FORMATS[extension]
    response = HttpResponse(to_format(citation), content_type=f"{media_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{citation.filename(extension)}"'
    return response


@shared_page(version=versions_page_version)
def citation_cff(request, slug):
    """The report's CITATION.cff (Citation File Format), shown as text in the browser."""
    report = _citable_report(slug)
    return HttpResponse(to_cff(cite(report)), content_type="text/plain; charset=utf-8")


@shared_page(version=versions_page_version)
def report_version(request, slug, publication_id):
    """A version's permanent, read-only page ("Fassung vom …"). Only versions readers had:
    a publication whose moment has not come is "not found", as is another report's."""
    report = _citable_report(slug)
    publication = get_object_or_404(report.publications.seen_by_readers(), pk=publication_id)
    current = current_version(report)
    citation = Citation(report, None, publication)
    context = {
        "report": report,
        "publication": publication,
        "version": render_version(publication),
        "is_current": current is not None and current.pk == publication.pk,
        # "Zitiervorschlag" cites this version; each section links its citation in it.
        "citation_text": to_text(citation),
        "cite_base": citation_url(report, None, publication),
        "canonical_url": settings.SITE_URL.rstrip("/") + request.path,
    }
    return render(request, "reports/report_version.html", context)
