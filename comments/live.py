"""New comments without reloading, without websockets: a tiny answer per discussion.

`discussion_counter` tells the discussion's version (the moment an approved comment last came
or went) and how many approved comments it has. It is the same for every reader, whatever
cookies they bring, so it goes out `public` with the article's `s-maxage`: nginx keeps one copy
per discussion (deploy/nginx/server.conf serves it from the cache to readers with cookies too),
and 1,000 readers polling every 30 s cost the app about one request per `s-maxage`
(docs/performance.md). static/js/live.js asks it while the tab is visible.

`recent_comments` answers the click on "3 neue Kommentare anzeigen": which comments were
approved last, and on which page of the discussion each one is. A new thread of a paged
discussion lands on another page than the reader's (the last one, oldest first; the first,
newest first); live.js fetches that page and shows the new threads in place. Only the
comments approved last count as new: that page's older threads are not the reader's news.
"""

import hashlib
import json

from django.conf import settings
from django.db.models import F
from django.http import Http404, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, quote_etag
from django.views.decorators.http import require_GET

from comments.models import Comment
from comments.paging import Discussion
from reports.models import Report


def counter_body(report) -> bytes:
    count = Comment.objects.for_report(report).approved().count()
    version = report.discussion_changed_at.isoformat() if report.discussion_changed_at else ""
    return json.dumps({"version": version, "count": count}, separators=(",", ":")).encode()


#: The most comments one click asks about ("50 neue Kommentare" is plenty to show in place).
MOST_RECENT = 50


def recent_body(report, count: int) -> bytes:
    """The `count` comments approved last, newest first, each with the number and address of
    the page that shows it to every reader (a reply: its thread's page)."""
    ids = (
        Comment.objects.for_report(report)
        .approved()
        .order_by(F("status_changed_at").desc(nulls_last=True), "-pk")
        .values_list("pk", flat=True)[:count]
    )
    discussion = Discussion.for_reader(report)
    comments = []
    for pk in ids:
        number = discussion.page_number_of(pk)
        if number is not None:
            comments.append({"id": pk, "page": number, "url": discussion.page_url(number)})
    return json.dumps({"comments": comments}, separators=(",", ":")).encode()


def _report(slug):
    report = (
        Report.objects.published().only("pk", "slug", "discussion_changed_at").filter(slug=slug)
    ).first()
    if report is None:
        raise Http404
    return report


@require_GET
def discussion_counter(request, slug):
    return _shared_json(request, counter_body(_report(slug)))


@require_GET
def recent_comments(request, slug, count):
    """Asked once per click, not polled; shared like the counter (one copy per count, so
    only 1 to MOST_RECENT: other numbers would each be a cache entry and a trip to the app)."""
    if not 1 <= count <= MOST_RECENT:
        raise Http404
    return _shared_json(request, recent_body(_report(slug), count))


def _shared_json(request, body):
    etag = quote_etag(hashlib.sha256(body).hexdigest()[:16])
    response = get_conditional_response(request, etag=etag) or HttpResponse(
        body, content_type="application/json"
    )
    response["ETag"] = etag
    # Like the article (aireport/page_cache.py mark_public), but never private: no reader's
    # cookie changes this answer, so it has no Vary either.
    patch_cache_control(
        response,
        public=True,
        max_age=0,
        s_maxage=settings.PAGE_CACHE_MAX_AGE,
        stale_while_revalidate=settings.PAGE_CACHE_STALE_SECONDS,
    )
    return response
