from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html
from reversion.admin import VersionAdmin
from reversion.models import Revision, Version

from .forms import ReportForm, SectionForm
from .history import compare, outline_of_revision
from .models import Publication, Report, Section
from .publishing import (
    bookkeeping,
    discard_draft,
    go_live_if_due,
    keep_as_draft,
    publish,
    record_live_revision,
    revert_rows,
    rolled_back,
)
from .rendering import render_markdown


def local(moment) -> str:
    return f"{timezone.localtime(moment):%d.%m.%Y, %H:%M} Uhr"


class _Undo(Exception):
    """Leave a transaction without keeping anything, but keep the response it produced."""

    def __init__(self, response):
        self.response = response


class SectionInline(admin.StackedInline):
    model = Section
    form = SectionForm
    extra = 0
    fields = (("order", "level"), "title", "anchor", "body")
    ordering = ("order", "id")
    classes = ("section-editor",)


@admin.register(Report)
class ReportAdmin(VersionAdmin):
    """Editors change the report here. On a live report a save is a draft that readers do not
    see until someone with "Berichte veröffentlichen" publishes it (reports.publishing)."""

    form = ReportForm
    inlines = [SectionInline]
    list_display = (
        "title",
        "publishing_state",
        "published_on",
        "content_changed_at",
        "view_on_site_link",
    )
    list_filter = ("status",)
    search_fields = ("title", "lead")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("content_changed_at", "word_count", "publishing_state")
    fieldsets = (
        (None, {"fields": ("title", "slug", "comments_open")}),
        (
            "Kopfzeile",
            {"fields": ("reviewed_on", "published_on", "reading_time_minutes", "word_count")},
        ),
        ("Text", {"fields": ("lead", "closing_note", "description", "content_changed_at")}),
        (
            "Veröffentlichung",
            {"fields": ("publishing_state", "change_note", "minor_change", "publish_at")},
        ),
    )
    history_latest_first = True
    change_form_template = "admin/reports/report/change_form.html"
    # VersionAdmin names its own template outright; ours adds picking two versions to compare.
    object_history_template = "reversion/reports/report/object_history.html"

    class Media:
        css = {"all": ("css/admin.css",)}
        js = ("js/section-editor.js",)

    # What the lists and the form show.

    @admin.display(description="Stand")
    def publishing_state(self, report):
        if report.pk is None:
            return "Neu – noch nicht gespeichert"
        parts = []
        if report.status == Report.Status.PUBLISHED:
            parts.append("Veröffentlicht")
            if report.draft_since:
                parts.append(f"unveröffentlichte Änderungen seit {local(report.draft_since)}")
        else:
            parts.append("Entwurf, noch nie veröffentlicht")
        if report.go_live_at:
            parts.append(f"geplant für {local(report.go_live_at)}")
        return "; ".join(parts)

    @admin.display(description="Seite")
    def view_on_site_link(self, report):
        if report.has_unpublished_changes:
            url = reverse("admin:reports_report_preview", args=[report.pk])
            return format_html('<a href="{}">Vorschau</a>', url)
        return format_html('<a href="{}">Ansehen</a>', report.get_absolute_url())

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm("reports.publish_report")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.publishing = "_publish" in request.POST
        return form

    def _context(self, request, report, extra_context=None):
        return {
            "can_publish": self.has_publish_permission(request),
            "is_live": report is not None and report.status == Report.Status.PUBLISHED,
            "has_draft": report is not None and report.has_unpublished_changes,
            **(extra_context or {}),
        }

    # Saving: a draft, a preview, or a publication.

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        request.saved_report = obj
        request.publishing_data = {
            "note": form.cleaned_data.get("change_note", "").strip(),
            "minor": form.cleaned_data.get("minor_change", False),
            "at": form.cleaned_data.get("publish_at"),
        }

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.record_content_change()

    def response_add(self, request, obj, post_url_continue=None):
        return self._after_save(request, obj)

    def response_change(self, request, obj):
        return self._after_save(request, obj)

    def _after_save(self, request, obj):
        if "_preview" in request.POST:
            return self._preview_response(request, obj.pk)
        return HttpResponseRedirect(reverse("admin:reports_report_change", args=[obj.pk]))

    def _preview_response(self, request, report_pk):
        from .views import render_report

        report = Report.objects.prefetch_related("sections").get(pk=report_pk)
        response = render_report(request, report, is_preview=True)
        add_never_cache_headers(response)
        return response

    def _saving(self, request, report, run, *, base=None, restored_from=None):
        """Run the admin's own save in a transaction, then keep the result as the draft or
        publish it; a preview or a form with errors keeps nothing."""
        publishing = "_publish" in request.POST
        if publishing and not self.has_publish_permission(request):
            raise PermissionDenied
        try:
            with transaction.atomic():
                before = None
                if report is not None:
                    if report.status == Report.Status.PUBLISHED:
                        record_live_revision(report, user=request.user)
                    before = bookkeeping(report.pk)
                    if base is not None:
                        revert_rows(report.pk, base)
                response = run()
                if response.status_code != 302 or "_preview" in request.POST:
                    if hasattr(response, "render"):
                        response.render()
                    raise _Undo(response)
                saved = Report.objects.get(pk=request.saved_report.pk)
                revision = Version.objects.get_for_object(saved).first().revision
                data = request.publishing_data
                comment = [revision.comment] if revision.comment else []
                if restored_from is not None:
                    comment.insert(0, self._restored_text(restored_from) + ".")
                if data["note"]:
                    comment.append(f"Änderungsnotiz: {data['note']}")
                Revision.objects.filter(pk=revision.pk).update(comment=" ".join(comment))
                if publishing:
                    publish(saved, revision, user=request.user, before=before, **data)
                else:
                    keep_as_draft(
                        saved, revision, note=data["note"], minor=data["minor"], before=before
                    )
        except _Undo as undo:
            return undo.response
        self._report_outcome(request, saved, publishing, data, restored_from)
        return response

    def _restored_text(self, version) -> str:
        return (
            f"Fassung vom {local(version.revision.date_created)} "
            f"(Revision {version.revision_id}) wiederhergestellt"
        )

    def _report_outcome(self, request, report, publishing, data, restored_from):
        report.refresh_from_db()
        message = f"„{report}“: "
        if restored_from is not None:
            message += self._restored_text(restored_from) + ", "
        if publishing and data["at"] and report.go_live_at:
            message += f"wird am {local(report.go_live_at)} veröffentlicht."
        elif publishing:
            message += "veröffentlicht. Leser sehen jetzt diese Fassung."
        elif report.status == Report.Status.PUBLISHED:
            message += (
                "als Entwurf gespeichert. Leser sehen weiter die veröffentlichte Fassung, "
                "bis jemand mit der Berechtigung „Berichte veröffentlichen“ veröffentlicht."
            )
        else:
            message += "als Entwurf gespeichert. Er ist erst nach dem Veröffentlichen sichtbar."
        messages.success(request, message[0].upper() + message[1:])

    def add_view(self, request, form_url="", extra_context=None):
        context = self._context(request, None, extra_context)
        run = lambda: super(ReportAdmin, self).add_view(request, form_url, context)  # noqa: E731
        return self._saving(request, None, run) if request.method == "POST" else run()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        report = self.get_object(request, unquote(object_id))
        if report is None:
            return super().change_view(request, object_id, form_url, extra_context)
        report = go_live_if_due(report)
        context = self._context(request, report, extra_context)
        run = lambda: super(ReportAdmin, self).change_view(request, object_id, form_url, context)  # noqa: E731
        if request.method == "POST":
            return self._saving(request, report, run, base=report.draft_revision)
        if report.draft_revision_id:
            return self._shown_at(report, report.draft_revision, run)
        return run()

    def _shown_at(self, report, revision, run):
        """The change form filled from a stored revision, without changing anything."""
        with rolled_back():
            revert_rows(report.pk, revision)
            response = run()
            if hasattr(response, "render"):
                response.render()
        return response

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """A former version in the change form; saving takes it as the draft (or publishes it)."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        report = get_object_or_404(Report, pk=unquote(object_id))
        version = get_object_or_404(
            Version.objects.get_for_object(report).select_related("revision"), pk=version_id
        )
        context = self._context(
            request,
            report,
            {
                **(extra_context or {}),
                "title": f"Fassung vom {local(version.revision.date_created)} wiederherstellen",
                "restoring": version,
            },
        )

        def run():
            with self.create_revision(request):
                return self.changeform_view(request, quote(str(report.pk)), request.path, context)

        if request.method == "POST":
            return self._saving(request, report, run, base=version.revision, restored_from=version)
        return self._shown_at(report, version.revision, run)

    # Further pages: preview, discard, compare, section preview.

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/vorschau/", view(self.preview_view), name="reports_report_preview"
            ),
            path(
                "<path:object_id>/entwurf-verwerfen/",
                view(self.discard_view),
                name="reports_report_discard",
            ),
            path(
                "<path:object_id>/history/vergleich/",
                view(self.compare_view),
                name="reports_report_compare",
            ),
            path(
                "<path:object_id>/history/<int:version_id>/changes/",
                view(self.changes_view),
                name="reports_report_changes",
            ),
            path(
                "abschnitt-vorschau/",
                view(self.section_preview_view),
                name="reports_report_section_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, object_id):
        """The saved draft exactly as readers will see it, marked as a preview, never cached."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        report = get_object_or_404(Report, pk=unquote(object_id))
        with rolled_back():
            if report.draft_revision_id:
                revert_rows(report.pk, report.draft_revision)
            response = self._preview_response(request, report.pk)
        return response

    def discard_view(self, request, object_id):
        if not self.has_change_permission(request):
            raise PermissionDenied
        report = get_object_or_404(Report, pk=unquote(object_id))
        change_url = reverse("admin:reports_report_change", args=[report.pk])
        if request.method == "POST":
            discard_draft(report)
            messages.success(
                request,
                f"Der Entwurf von „{report}“ wurde verworfen. Es gilt die veröffentlichte Fassung.",
            )
            return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": report,
            "title": "Entwurf verwerfen?",
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/reports/report/discard.html", context)

    def history_view(self, request, object_id, extra_context=None):
        report = get_object_or_404(Report, pk=unquote(object_id))
        published = dict(
            Publication.objects.filter(report=report).values_list("revision_id", "published_at")
        )
        action_list = [
            {
                "revision": version.revision,
                "version_id": version.pk,
                "published_at": published.get(version.revision_id),
                "is_live": version.revision_id == report.live_revision_id,
                "is_draft": version.revision_id == report.draft_revision_id,
                "url": reverse("admin:reports_report_revision", args=[report.pk, version.pk]),
            }
            for version in self._versions(report)
        ]
        return super().history_view(
            request, object_id, {"action_list": action_list, **(extra_context or {})}
        )

    def _versions(self, report):
        return Version.objects.get_for_object(report).select_related("revision__user")

    def compare_view(self, request, object_id):
        """Any two versions side by side as one diff, section by section, word by word."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        report = get_object_or_404(Report, pk=unquote(object_id))
        versions = self._versions(report)
        try:
            older = versions.get(pk=int(request.GET.get("von", "")))
            newer = versions.get(pk=int(request.GET.get("bis", "")))
        except (ValueError, Version.DoesNotExist):
            messages.error(request, "Bitte zwei Fassungen aus der Liste wählen.")
            return HttpResponseRedirect(reverse("admin:reports_report_history", args=[report.pk]))
        if older.revision.date_created > newer.revision.date_created:
            older, newer = newer, older
        return self._comparison_page(request, report, older, newer)

    def changes_view(self, request, object_id, version_id):
        """What one save changed: the comparison with the version before it."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        report = get_object_or_404(Report, pk=unquote(object_id))
        versions = self._versions(report)
        newer = get_object_or_404(versions, pk=version_id)
        older = versions.filter(revision__date_created__lt=newer.revision.date_created).first()
        return self._comparison_page(request, report, older, newer)

    def _comparison_page(self, request, report, older, newer):
        before = outline_of_revision(older.revision) if older else {}
        after = outline_of_revision(newer.revision)
        when = local(newer.revision.date_created)
        title = (
            f"Vergleich: Fassung vom {local(older.revision.date_created)} mit der vom {when}"
            if older
            else f"Erste Fassung vom {when}"
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": report,
            "title": title,
            "older": older,
            "newer": newer,
            "comparison": compare(before, after),
            "publications": {p.revision_id: p for p in Publication.objects.filter(report=report)},
        }
        return TemplateResponse(request, "admin/reports/report/changes.html", context)

    def section_preview_view(self, request):
        """One section's Markdown through the site's renderer and sanitiser (staff only)."""
        if request.method != "POST" or not self.has_change_permission(request):
            raise PermissionDenied
        html = render_markdown(request.POST.get("body", ""), footnote_prefix="vorschau")
        response = TemplateResponse(
            request, "admin/reports/report/section_preview.html", {"html": html}
        )
        add_never_cache_headers(response)
        return response
