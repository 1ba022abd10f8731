import logging
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.paginator import InvalidPage
from django.db import DatabaseError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from aireport.fetch_metadata import cross_origin_protected
from aireport.page_cache import shared_page
from aireport.proxies import client_ip
from aireport.views import keeps_text
from comments import notifications, paging, readers
from comments.flood import claim_posting_slot
from comments.forms import CommentForm, NoticeForm, signed_timestamp
from comments.models import Comment
from comments.notices import submit_notice
from comments.posting import DuplicateComment, post_once
from comments.rules import accepts_comments
from reports.models import Report
from reports.views import render_report

logger = logging.getLogger(__name__)


def flood_message(claim, what: str = "deine Kommentare") -> str:
    """How long the reader must wait; the form keeps what they typed."""
    return ngettext(
        "Du schickst %(what)s zu schnell ab. Bitte warte noch %(seconds)d Sekunde, dann "
        "kannst du noch einmal absenden.",
        "Du schickst %(what)s zu schnell ab. Bitte warte noch %(seconds)d Sekunden, dann "
        "kannst du noch einmal absenden.",
        claim.seconds_left,
    ) % {"what": what, "seconds": claim.seconds_left}


CONFIRM_DAYS = notifications.CONFIRM_MAX_AGE.days
DUPLICATE_MESSAGE = "Doppelter Kommentar entdeckt; sieht aus, als hättest du das schon gesagt!"
UNAVAILABLE_MESSAGE = (
    "Dein Kommentar konnte gerade nicht gespeichert werden. Dein Text ist noch da: "
    "bitte später noch einmal versuchen."
)


#: The page of the discussion the form was sent from (`?seite=2` in the form's action), so a
#: form with errors comes back on that page, and a reload of its address leads there too.
PAGE_PARAMETER = "seite"


def _page_sent_from(request, discussion) -> int | None:
    """The page named in the form's address, if the discussion still has it."""
    number = request.GET.get(PAGE_PARAMETER, "")
    if not (number.isascii() and number.isdigit() and len(number) <= 6):
        return None
    try:
        return discussion.page(int(number)).number
    except InvalidPage:
        return None


def _show_report_again(request, report, form, status):
    """The page the reader was on, with the form as they filled it in, errors beside the
    fields. A reply comes back on the page of the comment it answers."""
    if form is not None:
        form.refresh_timestamp()
    discussion = paging.Discussion.for_reader(report, readers.own_comment_ids(request))
    context = {"comment_form": form, "discussion": discussion}
    number = _page_sent_from(request, discussion)
    replying = form is not None and form["parent"].value()
    if number and number > 1 and not replying:
        context.update(
            comment_page=number,
            canonical_url=settings.SITE_URL.rstrip("/") + paging.page_url(report, number),
        )
    response = render_report(request, report, status=status, extra_context=context)
    add_never_cache_headers(response)
    return response


@keeps_text("text")
@require_http_methods(["GET", "HEAD", "POST"])
@cross_origin_protected
def post_comment(request, slug):
    report = get_object_or_404(Report.objects.published(), slug=slug)
    if request.method != "POST":
        # A reloaded or shared address of a form with errors: back to the form on the page
        # it was sent from (no 405).
        discussion = paging.Discussion.for_reader(report, readers.own_comment_ids(request))
        number = _page_sent_from(request, discussion) or 1
        return HttpResponseRedirect(
            f"{paging.page_url(report, number)}#kommentarformular", status=303
        )
    form = CommentForm(request.POST, report=report)
    if not accepts_comments(report):
        return _show_report_again(request, report, None, status=403)
    if not form.is_valid():
        return _show_report_again(request, report, form, status=400)

    fields = form.comment_fields()
    ip_address = client_ip(request)
    claim = claim_posting_slot(ip_address=ip_address, email=fields["author_email"])
    if not claim:
        form.add_error(None, flood_message(claim))
        return _show_report_again(request, report, form, status=429)
    try:
        comment = post_once(
            own_ids=readers.own_comment_ids(request),
            report=report,
            **fields,
            ip_address=ip_address,
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            signals=form.spam_signals(),
        )
    except DuplicateComment:
        form.add_error(None, DUPLICATE_MESSAGE)
        return _show_report_again(request, report, form, status=409)
    except DatabaseError:
        logger.exception("Could not store a comment on report %s", report.pk)
        form.add_error(None, UNAVAILABLE_MESSAGE)
        return _show_report_again(request, report, form, status=503)

    if comment.is_approved:
        response = redirect(comment.get_absolute_url())
    else:
        response = redirect(readers.own_comment_url(comment))
    # Approved ones too: the duplicate rule speaks only to the browser that sent the first copy.
    readers.remember_own_comment(request, response, comment)
    if form.cleaned_data["remember"]:
        readers.remember_author(
            response,
            author_name=fields["author_name"],
            author_email=fields["author_email"],
            author_url=fields["author_url"],
        )
    else:
        readers.forget_author(response)
    notifications.request_subscriptions(
        comment=comment,
        replies=form.cleaned_data["notify_replies"],
        new_comments=form.cleaned_data["notify_report"],
        ip_address=ip_address,
    )
    return response


def _subscription_page(request, template, context, status=200):
    response = render(request, template, {"confirm_days": CONFIRM_DAYS, **context}, status=status)
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@csrf_protect
def confirm_subscription(request, token):
    """The link in the confirmation email. GET asks (mail scanners open links, and a click
    must be the reader's own); POST confirms and says what was subscribed."""
    if request.method == "POST":
        subscriptions = notifications.confirm(token, ip_address=client_ip(request))
        if subscriptions is None:
            return _subscription_page(request, "comments/subscription_invalid.html", {}, 400)
        return _subscription_page(
            request, "comments/subscription_confirmed.html", {"subscriptions": subscriptions}
        )
    subscriptions = notifications.subscriptions_to_confirm(token)
    if subscriptions is None:
        return _subscription_page(request, "comments/subscription_invalid.html", {}, 400)
    return _subscription_page(
        request, "comments/subscription_confirm.html", {"subscriptions": subscriptions}
    )


@csrf_exempt  # RFC 8058 one-click: mail providers POST without a token; the signed link is it
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    subscription = notifications.subscription_for_unsubscribe(token)
    if subscription is False:
        return _subscription_page(request, "comments/subscription_invalid.html", {}, 400)
    if request.method == "POST":
        if subscription is not None:
            subscription.delete()
        return _subscription_page(
            request, "comments/unsubscribed.html", {"subscription": subscription}
        )
    return _subscription_page(request, "comments/unsubscribe.html", {"subscription": subscription})


@shared_page(version=Report.objects.page_version)
def discussion_page(request, slug, page):
    """Page 2 and later of a long discussion, under the whole article as WordPress shows it."""
    report = get_object_or_404(Report.objects.published().prefetch_related("sections"), slug=slug)
    if page == 1:
        return redirect(report, permanent=True)
    discussion = paging.Discussion.for_reader(report, readers.own_comment_ids(request))
    try:
        discussion.page(page)
    except InvalidPage:
        raise Http404 from None
    url = paging.page_url(report, page)
    context = {
        "discussion": discussion,
        "comment_page": page,
        "canonical_url": settings.SITE_URL.rstrip("/") + url,
    }
    return render_report(request, report, extra_context=context)


@shared_page(version=Report.objects.page_version)
def section_discussion(request, slug, anchor, page=1):
    """One section's discussion: the threads whose first comment is about it, with the form
    set to that section. A deleted section's address works while comments still name it."""
    report = get_object_or_404(Report.objects.published().prefetch_related("sections"), slug=slug)
    if page == 1 and "page" in request.resolver_match.kwargs:
        return redirect(paging.section_page_url(report, anchor, 1), permanent=True)
    section = next((s for s in report.sections.all() if s.anchor == anchor), None)
    if section is not None:
        title = section.title
    else:
        title = (
            Comment.objects.for_report(report)
            .approved()
            .filter(section=None, section_anchor=anchor)
            .values_list("section_title", flat=True)
            .first()
        )
        if title is None:
            raise Http404
    discussion = paging.Discussion.for_reader(
        report,
        readers.own_comment_ids(request),
        section_anchor=anchor,
        section_id=section.pk if section is not None else None,
        subject=title,
    )
    try:
        discussion.page(page)
    except InvalidPage:
        raise Http404 from None
    context = {
        "report": report,
        "section": section,
        "title": title,
        "discussion": discussion,
        "comment_page": page,
        "canonical_url": settings.SITE_URL.rstrip("/") + discussion.page_url(page),
    }
    return render(request, "comments/section_discussion.html", context)


@shared_page(version=Report.objects.page_version)
def thread_discussion(request, slug, pk):
    """One thread with all its replies: where "3 Antworten anzeigen" leads from a page of a
    long discussion that folds them (comments/paging.py)."""
    report = get_object_or_404(Report.objects.published().prefetch_related("sections"), slug=slug)
    discussion = paging.Discussion.for_reader(
        report, readers.own_comment_ids(request), thread_root=pk
    )
    if not discussion.roots:
        raise Http404
    first = Comment.objects.only("author_name").get(pk=pk)
    context = {
        "report": report,
        "first": first,
        "discussion": discussion,
        "comment_page": 1,
        "canonical_url": settings.SITE_URL.rstrip("/") + paging.thread_url(report, pk),
    }
    return render(request, "comments/thread_discussion.html", context)


def comment_permalink(request, pk):
    """A comment's lasting address (in emails and feeds): the page of the discussion that
    shows it now, at its anchor, or its thread's own page when that page folds the thread.
    Readers see their own comments awaiting moderation too."""
    comment = get_object_or_404(
        Comment.objects.select_related("report").filter(report__in=Report.objects.published()),
        pk=pk,
    )
    discussion = paging.Discussion.for_reader(comment.report, readers.own_comment_ids(request))
    number = discussion.page_number_of(comment.pk)
    if number is None:
        raise Http404
    if discussion.is_folded(comment.pk):
        url = paging.thread_url(comment.report, discussion.root_of[comment.pk])
    else:
        url = paging.page_url(comment.report, number)
    response = redirect(f"{url}#{comment.anchor}")
    add_never_cache_headers(response)
    return response


def _reportable(pk):
    return get_object_or_404(
        Comment.objects.approved()
        .select_related("report")
        .filter(report__in=Report.objects.published()),
        pk=pk,
    )


# The same protection as post_comment (Fetch Metadata / Origin, no token).
@never_cache
@require_http_methods(["GET", "POST"])
@cross_origin_protected
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
                return _thanks_for_reporting(comment)
            ip_address = client_ip(request)
            claim = claim_posting_slot(
                ip_address=ip_address, email=data["reporter_email"], scope="notice"
            )
            if claim:
                submit_notice(
                    comment=comment,
                    reason=data["reason"],
                    explanation=data["explanation"],
                    reporter_email=data["reporter_email"],
                    ip_address=ip_address,
                )
                return _thanks_for_reporting(comment)
            form.add_error(None, flood_message(claim, "Meldungen"))
            status = 429
        else:
            status = 400
    return render(
        request, "comments/report_form.html", {"comment": comment, "form": form}, status=status
    )


@never_cache
@require_GET
def comment_reported(request, pk):
    """404 for a comment that is not public, so the page confirms no hidden comment; the
    reporter's own signed link still shows it after their report held the comment."""
    try:
        own = signing.loads(request.GET.get("t", ""), salt=REPORTED_SALT, max_age=3600) == pk
    except signing.BadSignature:
        own = False
    if own:
        comment = get_object_or_404(Comment.objects.select_related("report"), pk=pk)
    else:
        comment = _reportable(pk)
    return render(request, "comments/report_thanks.html", {"comment": comment})


REPORTED_SALT = "comments.reported"


def _thanks_for_reporting(comment):
    token = signing.dumps(comment.pk, salt=REPORTED_SALT)
    return redirect(f"{reverse('comments:reported', args=[comment.pk])}?{urlencode({'t': token})}")


@require_GET
@never_cache
def form_timestamp(request):
    """A signed "now" for the comment form, fetched by its script when a reader starts typing:
    the shared page cannot carry one, and the spam rule needs to know when the form was filled."""
    return HttpResponse(signed_timestamp(), content_type="text/plain; charset=utf-8")
