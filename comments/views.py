from django.shortcuts import get_object_or_404, redirect
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from reports.models import Report
from reports.views import render_report

from . import readers
from .forms import CommentForm
from .models import Comment
from .moderation import DuplicateComment, claim_posting_slot, submit_comment

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

    try:
        comment = submit_comment(
            report=report,
            **fields,
            ip_address=ip_address,
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            signals=form.spam_signals(),
        )
    except DuplicateComment:
        form.add_error(None, DUPLICATE_MESSAGE)
        return _show_report_again(request, report, form, status=409)

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
