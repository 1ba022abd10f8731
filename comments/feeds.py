from django.conf import settings
from django.shortcuts import get_object_or_404

from aireport.feeds import SiteFeed
from reports.models import Report

from .models import Comment

#: Comments a report's feed holds, newest first.
FEED_COMMENTS = 50


class ReportCommentsFeed(SiteFeed):
    """/berichte/<slug>/kommentare/feed/: a report's newest approved comments (two queries)."""

    def get_object(self, request, slug):
        return get_object_or_404(Report.objects.published(), slug=slug)

    def title(self, report):
        return f"Kommentare zu „{report.title}“ – {settings.SITE_NAME}"

    def link(self, report):
        return f"{report.get_absolute_url()}#kommentare"

    def subtitle(self, report):
        return f"Die neuesten freigegebenen Kommentare zu „{report.title}“."

    def items(self, report):
        comments = list(
            Comment.objects.for_report(report)
            .approved()
            .defer("author_email", "ip_address", "user_agent")
            .order_by("-created_at", "-id")[:FEED_COMMENTS]
        )
        for comment in comments:
            comment.report = report  # get_absolute_url needs it; no query per comment
        return comments

    def item_title(self, comment):
        if comment.section_anchor:
            # The title the section had when the comment was written: no query per item.
            return f"{comment.author_name} zu „{comment.section_title}“: {comment.excerpt}"
        return f"{comment.author_name}: {comment.excerpt}"

    def item_description(self, comment):
        return comment.text_html  # rendered and sanitised when the comment was saved

    def item_author_name(self, comment):
        return comment.author_name

    def item_pubdate(self, comment):
        return comment.created_at

    def item_updateddate(self, comment):
        return comment.created_at

    def item_link(self, comment):
        return comment.get_absolute_url()
