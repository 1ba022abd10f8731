import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from aireport.feeds import SiteFeed

from .models import Report


class ReportFeed(SiteFeed):
    """/feed/: every published report with its summary and full text (two queries)."""

    def title(self):
        return f"{settings.SITE_NAME}: Berichte"

    def subtitle(self):
        return "Berichte über KI-Sicherheit und ihre Diskussion."

    def link(self):
        return "/"

    def items(self):
        return Report.objects.published().prefetch_related("sections")

    def item_title(self, report):
        return report.title

    def item_description(self, report):
        return report.meta_description

    def item_pubdate(self, report):
        day = report.published_on or timezone.localdate(report.created_at)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))

    def item_updateddate(self, report):
        return max(report.content_changed_at, self.item_pubdate(report))

    def item_extra_kwargs(self, report):
        # The *_html fields were rendered and sanitised when the editor saved them.
        sections = format_html_join(
            "",
            "<h{}>{}</h{}>{}",
            (
                (section.level, section.title, section.level, mark_safe(section.body_html))  # noqa: S308
                for section in report.sections.all()
            ),
        )
        content = format_html(
            "{}{}{}",
            mark_safe(report.lead_html),  # noqa: S308
            sections,
            mark_safe(report.closing_note_html),  # noqa: S308
        )
        return {"content": content}
