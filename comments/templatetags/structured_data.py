"""`{% report_structured_data report card_url %}`: JSON-LD for search engines.

schema.org `Report` (an `Article`) with the number of approved comments (`commentCount`) and
where the discussion is (`discussionUrl`). The comments themselves are not repeated here:
Google's Article structured data reads no comments (its discussion-forum markup is for forums),
and a copy of every comment's text would double a long discussion's page (docs/performance.md).
It goes into `<script type="application/ld+json">`, which browsers treat as data, so the CSP
allows it; `<`, `>` and `&` are written as JSON escapes, as Django's `json_script` does, so no
title or comment can close the element (`</script>`) or open an HTML comment (`<!--`).
"""

import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from comments.templatetags.comments import approved_comment_count
from reports.cards import HEIGHT, WIDTH

register = template.Library()

_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def report_data(report, *, card_url: str) -> dict:
    """At most one query: the number of approved comments, which the page shows too."""
    site_url = settings.SITE_URL.rstrip("/")
    article_url = site_url + report.get_absolute_url()
    publisher = {"@type": "Organization", "name": settings.SITE_PUBLISHER, "url": site_url}
    published = report.published_on or timezone.localdate(report.created_at)
    return {
        "@context": "https://schema.org",
        "@type": "Report",
        "headline": report.title,
        "description": report.meta_description,
        "url": article_url,
        "mainEntityOfPage": article_url,
        "inLanguage": "en",
        "datePublished": published.isoformat(),
        "dateModified": report.content_changed_at.isoformat(),
        "image": {"@type": "ImageObject", "url": card_url, "width": WIDTH, "height": HEIGHT},
        "author": publisher,
        "publisher": publisher,
        "commentCount": approved_comment_count(report),
        "discussionUrl": f"{article_url}#kommentare",
    }


@register.simple_tag
def report_structured_data(report, card_url):
    data = json.dumps(
        report_data(report, card_url=card_url),
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
    ).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(data))  # noqa: S308
