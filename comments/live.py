"""New comments without reloading, without websockets: a tiny answer per discussion.

`discussion_counter` tells the discussion's version (the moment an approved comment last came
or went) and how many approved comments it has. It is the same for every reader, whatever
cookies they bring, so it goes out `public` with the article's `s-maxage`: nginx keeps one copy
per discussion (deploy/nginx/server.conf serves it from the cache to readers with cookies too),
and 1,000 readers polling every 30 s cost the app about one request per `s-maxage`
(docs/performance.md). static/js/live.js asks it while the tab is visible.
"""

import hashlib
import json

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, quote_etag
from django.views.decorators.http import require_GET

from comments.models import Comment
from reports.models import Report


def counter_body(report) -> bytes:
    count = Comment.objects.for_report(report).approved().count()
    version = report.discussion_changed_at.isoformat() if report.discussion_changed_at else ""
    return json.dumps({"version": version, "count": count}, separators=(",", ":")).encode()


@require_GET
def discussion_counter(request, slug):
    report = (
        Report.objects.published().only("pk", "discussion_changed_at").filter(slug=slug).first()
    )
    if report is None:
        raise Http404
    body = counter_body(report)
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
