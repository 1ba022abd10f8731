from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html
from reversion.admin import VersionAdmin
from reversion.models import Version

from .forms import SectionForm
from .history import diff_lines
from .models import Report, Section


class SectionInline(admin.StackedInline):
    model = Section
    form = SectionForm
    extra = 0
    fields = (("order", "level"), "title", "anchor", "body")
    ordering = ("order", "id")


@admin.register(Report)
class ReportAdmin(VersionAdmin):
    """Editors change the report here; every save is a revision they can compare and restore."""

    inlines = [SectionInline]
    list_display = ("title", "status", "published_on", "content_changed_at", "view_on_site_link")
    list_filter = ("status",)
    search_fields = ("title", "lead")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("content_changed_at", "word_count")
    fieldsets = (
        (None, {"fields": ("title", "slug", "status", "comments_open")}),
        (
            "Kopfzeile",
            {"fields": ("reviewed_on", "published_on", "reading_time_minutes", "word_count")},
        ),
        ("Text", {"fields": ("lead", "closing_note", "description", "content_changed_at")}),
    )
    history_latest_first = True
    # VersionAdmin names its own template outright; ours adds the "Änderungen" (diff) links.
    object_history_template = "reversion/reports/report/object_history.html"

    @admin.display(description="Seite")
    def view_on_site_link(self, report):
        label = "Ansehen" if report.is_published else "Vorschau"
        return format_html('<a href="{}">{}</a>', report.get_absolute_url(), label)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.record_content_change()

    def get_urls(self):
        return [
            path(
                "<path:object_id>/history/<int:version_id>/changes/",
                self.admin_site.admin_view(self.changes_view),
                name="reports_report_changes",
            ),
            *super().get_urls(),
        ]

    def changes_view(self, request, object_id, version_id):
        """What one save changed, as a diff against the revision before it."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        report = get_object_or_404(Report, pk=object_id)
        version = get_object_or_404(Version.objects.get_for_object(report), pk=version_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": report,
            "title": f"Änderungen vom {version.revision.date_created:%d.%m.%Y %H:%M}",
            "version": version,
            "lines": diff_lines(version),
        }
        return TemplateResponse(request, "admin/reports/report/changes.html", context)
