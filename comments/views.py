from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reports.models import Report
from reports.views import render_report

from . import readers
from .forms import CommentForm, NoticeForm
from .models import Comment
from .moderation import claim_posting_slot, submit_comment, submit_notice

FLOOD_MESSAGE = "Du schickst deine Kommentare zu schnell ab. Bitte etwas langsamer."
DUPLICATE_MESSAGE = "Doppelter Kommentar entdeckt; sieht aus, als hättest du das schon gesagt!"


def _show_report_again(request, report, form, status):
    """The article page with the form as the reader filled it in, errors beside the fields."""
    response = render_report(request, report, status=status, extra_context={"comment_form": form})
    add_never_cache_headers(response)
    return response


@require_POST
@csrf_protect
def post_comment(request, slug):
    report = get_object_or_404(Report.objects.published(), slug=slug)
    form = CommentForm(request.POST, report=report)
    if not report.comments_open:
        return _show_report_again(request, report, None, status=403)
    if not form.is_valid():
        return _show_report_again(request, report, form, status=400)

    fields = form.comment_fields()
    ip_address = readers.client_ip(request)
    if not claim_posting_slot(ip_address=ip_address, email=fields["author_email"]):
        form.add_error(None, FLOOD_MESSAGE)
        return _show_report_again(request, report, form, status=429)
    if Comment.objects.is_duplicate(
        report=report, author_email=fields["author_email"], text=fields["text"]
    ):
        form.add_error(None, DUPLICATE_MESSAGE)
        return _show_report_again(request, report, form, status=409)

    comment = submit_comment(
        report=report,
        **fields,
        ip_address=ip_address,
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        signals=form.spam_signals(),
    )

    response = redirect(comment.get_absolute_url())
    if form.cleaned_data["remember"]:
        readers.remember_author(
            response,
            author_name=fields["author_name"],
            author_email=fields["author_email"],
            author_url=fields["author_url"],
        )
    else:
        readers.forget_author(response)
    if not comment.is_approved:
        readers.remember_own_comment(request, response, comment)
    return response


def _reportable(pk):
    return get_object_or_404(
        Comment.objects.approved()
        .select_related("report")
        .filter(report__in=Report.objects.published()),
        pk=pk,
    )


# Same protection as post_comment: when that view moves to Fetch-Metadata/Origin checks
# (aireport/page_cache.py), this one must move with it.
@never_cache
@require_http_methods(["GET", "POST"])
@csrf_protect
def report_comment(request, pk):
    """ "Melden": a reader reports an approved comment (notice and action, DSA Art. 16)."""
    comment = _reportable(pk)
    form = NoticeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            if form.spam_signals().honeypot_filled:
                # A robot: thank it as if it had worked, store nothing.
                return redirect("comments:reported", pk=comment.pk)
            if claim_posting_slot(
                ip_address=readers.client_ip(request),
                email=data["reporter_email"],
                scope="notice",
            ):
                submit_notice(
                    comment=comment,
                    reason=data["reason"],
                    explanation=data["explanation"],
                    reporter_email=data["reporter_email"],
                )
                return redirect("comments:reported", pk=comment.pk)
            form.add_error(None, NOTICE_FLOOD_MESSAGE)
            status = 429
        else:
            status = 400
    return render(
        request, "comments/report_form.html", {"comment": comment, "form": form}, status=status
    )


@never_cache
@require_GET
def comment_reported(request, pk):
    comment = _reportable_or_any(pk)
    return render(request, "comments/report_thanks.html", {"comment": comment})


def _reportable_or_any(pk):
    """After a report the comment may already be held again; the thank-you page still shows."""
    return get_object_or_404(Comment.objects.select_related("report"), pk=pk)


NOTICE_FLOOD_MESSAGE = "Du schickst Meldungen zu schnell ab. Bitte warte einen Moment."
