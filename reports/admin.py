import datetime

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html
from reversion.admin import VersionAdmin
from reversion.models import Revision, Version

from . import presence, workflow
from .drafts import ReportState, prepare, state_of_revision, store_revision
from .forms import ReportForm, SectionForm
from .history import compare, outline_of_revision
from .markdown_warnings import warnings_for_state, warnings_for_text
from .models import Publication, Report, Section
from .rendering import render_markdown
from .views import render_report


def local(moment) -> str:
    return f"{timezone.localtime(moment):%d.%m.%Y, %H:%M} Uhr"


class DraftSectionFormSet(BaseInlineFormSet):
    """The sections of the version the form shows, as unsaved objects: sections with a row
    are edited by their id; a draft's sections that have no row yet come as filled extra
    forms (`initial`), which count as changed so that they are kept."""

    #: The version's sections that have a row, set per request by SectionInline.get_formset.
    draft_sections = None

    def get_queryset(self):
        if self.draft_sections is None:
            return super().get_queryset()
        return self.draft_sections

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        extra_index = i - self.initial_form_count()
        if 0 <= extra_index < len(self.initial_extra or ()):
            form.from_draft = True
        return form


class SectionInline(admin.StackedInline):
    model = Section
    form = SectionForm
    formset = DraftSectionFormSet
    extra = 0
    fields = (("order", "level"), "title", "anchor", "body")
    ordering = ("order", "id")
    classes = ("section-editor",)
    template = "admin/reports/report/sections_inline.html"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        state = getattr(request, "report_state", None)
        if state is None:
            return formset
        rows = [s for s in state.sections if s.pk]
        return type("ReportDraftSectionFormSet", (formset,), {"draft_sections": rows})

    def get_extra(self, request, obj=None, **kwargs):
        return len(_new_sections(request))

    def has_delete_permission(self, request, obj=None):
        # Removing a section from a draft is an edit of the draft, not a deletion of a row.
        return self.has_change_permission(request, obj)


def _new_sections(request) -> list[Section]:
    state = getattr(request, "report_state", None)
    return [s for s in state.sections if not s.pk] if state is not None else []


def _moment(value):
    try:
        moment = datetime.datetime.fromisoformat(value or "")
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else None


def state_from_form(form, formsets) -> ReportState:
    """The version the editor submitted, as unsaved objects (what the form's validation
    already put on its instances); nothing is saved."""
    report = form.instance
    sections = []
    for formset in formsets:
        for section_form in formset.forms:
            if formset.can_delete and formset._should_delete_form(section_form):
                continue
            if section_form in formset.extra_forms and not section_form.has_changed():
                continue
            section = section_form.instance
            section.report = report
            sections.append(section)
    return prepare(ReportState(report, sections))


def error_summary(adminform, inline_formsets) -> list[dict]:
    """Every error of the form as (label, message, the field's id), for the summary at the
    top that links to each field (the admin marks the fields themselves)."""
    if adminform is None:
        return []
    form = adminform.form
    summary = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else "Formular"
        target = form[name].id_for_label if name in form.fields else "report_form"
        summary += [{"label": label, "message": e, "target": target} for e in errors]
    for inline in inline_formsets:
        formset = inline.formset
        summary += [
            {"label": "Abschnitte", "message": e, "target": f"{formset.prefix}-group"}
            for e in formset.non_form_errors()
        ]
        for section_form in formset.forms:
            heading = section_form["title"].value() or "neuer Abschnitt"
            for name, errors in section_form.errors.items():
                field = section_form.fields.get(name)
                summary += [
                    {
                        "label": f"Abschnitt „{heading}“, {field.label if field else name}",
                        "message": e,
                        "target": section_form[name].id_for_label if field else formset.prefix,
                    }
                    for e in errors
                ]
    return summary


@admin.register(Report)
class ReportAdmin(VersionAdmin):
    """Editors change the report here. Every change goes through reports.workflow: a save
    is a draft (a revision; no row readers see is written), publishing and scheduling need
    "Berichte veröffentlichen"."""

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
        (None, {"fields": ("title", "slug", "comments_open", "base_revision")}),
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
    # VersionAdmin names its list template outright too; ours names "Berichte" once.
    change_list_template = "admin/reports/report/change_list.html"
    # VersionAdmin names its own template outright; ours adds picking two versions to compare.
    object_history_template = "reversion/reports/report/object_history.html"

    class Media:
        css = {"all": ("css/admin.css", "css/report-workflow.css")}
        js = ("js/section-editor.js", "js/editing-presence.js")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("draft__revision__user", "schedule__author", "live_revision")
        )

    # What the lists and the form show.

    @admin.display(description="Stand")
    def publishing_state(self, report):
        if report.pk is None:
            return "Neu – noch nicht gespeichert"
        parts = []
        draft = getattr(report, "draft", None)
        planned = getattr(report, "schedule", None)
        if report.status == Report.Status.PUBLISHED:
            parts.append("Veröffentlicht")
            if draft is not None:
                parts.append(f"unveröffentlichte Änderungen seit {local(draft.since)}")
        else:
            parts.append("Entwurf, noch nie veröffentlicht")
        if planned is not None:
            parts.append(f"geplant für {local(planned.go_live_at)}")
        return "; ".join(parts)

    @admin.display(description="Seite")
    def view_on_site_link(self, report):
        if getattr(report, "draft", None) is not None or not report.is_published:
            url = reverse("admin:reports_report_preview", args=[report.pk])
            return format_html('<a href="{}">Vorschau</a>', url)
        return format_html('<a href="{}">Ansehen</a>', report.get_absolute_url())

    def has_delete_permission(self, request, obj=None):
        return workflow.may_delete(request.user)

    def get_object(self, request, object_id, from_field=None):
        state = getattr(request, "report_state", None)
        if state is not None and str(state.report.pk) == str(object_id):
            return state.report
        return super().get_object(request, object_id, from_field)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.publishing = "_publish" in request.POST
        form.base_revision_id = getattr(request, "report_base", None)
        form.stored_draft = getattr(request, "report_draft", None)
        return form

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        new = _new_sections(request)
        if new:
            kwargs["initial"] = [
                {name: getattr(s, name) for name in ("order", "level", "title", "anchor", "body")}
                for s in new
            ]
        return kwargs

    def _context(self, request, report, extra_context=None):
        user = request.user
        draft = workflow.draft_of(report) if report is not None else None
        planned = workflow.schedule_of(report) if report is not None else None
        context = {
            "can_publish": workflow.may_publish(user),
            "can_discard": workflow.may_discard(user, draft),
            "is_live": report is not None and report.status == Report.Status.PUBLISHED,
            "draft": draft,
            "draft_author": workflow.person(draft.revision.user) if draft else "",
            "schedule": planned,
            "schedule_author": workflow.person(planned.author) if planned else "",
            "newer_draft_than_schedule": bool(
                draft and planned and draft.revision_id != planned.revision_id
            ),
            **(extra_context or {}),
        }
        if report is not None:
            context["others_editing"] = presence.others(report.pk, user)
            context["presence_url"] = reverse("admin:reports_report_presence", args=[report.pk])
        return context

    # Opening and saving the form: everything goes through reports.workflow.

    def _refuse_publishing(self, request):
        """The publish button without the permission: refused before the form is even read
        (the workflow refuses it too)."""
        if "_publish" in request.POST and not workflow.may_publish(request.user):
            raise PermissionDenied

    def add_view(self, request, form_url="", extra_context=None):
        self._refuse_publishing(request)
        # Not VersionAdmin's: its create_revision() would record the rows the publish step
        # writes a second time. Revisions are stored by reports.workflow.
        context = self._context(request, None, extra_context)
        return admin.ModelAdmin.add_view(self, request, form_url, context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        report = Report.objects.filter(pk=unquote(object_id)).first() if object_id else None
        if report is None or not self.has_view_or_change_permission(request, report):
            return admin.ModelAdmin.change_view(self, request, object_id, form_url, extra_context)
        self._refuse_publishing(request)
        self._open(request, report, *workflow.current_state(report))
        context = self._context(request, report, extra_context)
        return admin.ModelAdmin.change_view(self, request, object_id, form_url, context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """A former version in the change form; saving takes it as the draft (or publishes it)."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        report = get_object_or_404(Report, pk=unquote(object_id))
        version = get_object_or_404(
            Version.objects.get_for_object(report).select_related("revision"), pk=version_id
        )
        self._refuse_publishing(request)
        request.restoring = version.revision
        self._open(
            request, report, state_of_revision(report, version.revision), workflow.head_id(report)
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
        return admin.ModelAdmin.changeform_view(
            self, request, str(report.pk), request.path, context
        )

    def render_change_form(self, request, context, *args, **kwargs):
        context["error_summary"] = error_summary(
            context.get("adminform"), context.get("inline_admin_formsets", [])
        )
        return super().render_change_form(request, context, *args, **kwargs)

    def _open(self, request, report, state, base_id):
        request.report_state = state
        request.report_base = base_id
        request.report_draft = workflow.draft_of(report)

    def save_model(self, request, obj, form, change):
        # A new report gets its row (status "Entwurf": no reader reaches it) so that its
        # revisions have something to belong to; its sections stay in the revision. A change
        # is never written here: reports.workflow decides in save_related.
        if not change:
            obj.status = Report.Status.DRAFT
            obj.save()

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        state = state_from_form(form, formsets)
        request.report_response = self._transition(request, form, state)

    def log_change(self, request, obj, message):
        if getattr(request, "report_logged", True):
            return super().log_change(request, obj, message)
        return None

    def response_add(self, request, obj, post_url_continue=None):
        return self._after_save(request, obj)

    def response_change(self, request, obj):
        return self._after_save(request, obj)

    def _after_save(self, request, obj):
        response = getattr(request, "report_response", None)
        if response is not None:
            return response
        return HttpResponseRedirect(reverse("admin:reports_report_change", args=[obj.pk]))

    def _transition(self, request, form, state, *, prefer="", base_id=None, restored_from=None):
        """The button that was pressed, as a transition of reports.workflow. Returns a
        response for a preview or a conflict; None to go back to the form."""
        data = form.cleaned_data if form is not None else {}
        report = state.report
        user = request.user
        if "_preview" in request.POST:
            request.report_logged = False
            response = self._preview_response(request, state)
            if not Report.objects.filter(pk=report.pk, status=Report.Status.PUBLISHED).exists():
                transaction.set_rollback(True)  # a new report's row: only for this preview
            return response
        if form is not None:
            note, minor = data.get("change_note", "").strip(), data.get("minor_change", False)
            at = data.get("publish_at")
        else:  # the conflict page's choice carries what the form said
            note, minor = request.POST.get("note", ""), "minor" in request.POST
            at = _moment(request.POST.get("at"))
            if at is not None and at <= timezone.now():
                messages.error(
                    request,
                    f"Der geplante Zeitpunkt ({local(at)}) ist inzwischen vorbei. Bitte im "
                    "Formular einen neuen wählen oder sofort veröffentlichen.",
                )
                return HttpResponseRedirect(
                    reverse("admin:reports_report_change", args=[report.pk])
                )
        base_id = base_id if form is None else data.get("base_revision")
        restored_from = restored_from or getattr(request, "restoring", None)
        publishing = "_publish" in request.POST or request.POST.get("action") == "publish"
        kwargs = {"user": user, "base_id": base_id, "note": note, "minor": minor}
        try:
            if publishing and at:
                planned = workflow.schedule(report, state, at=at, prefer=prefer, **kwargs)
                text = f"wird am {local(planned.go_live_at)} veröffentlicht."
            elif publishing and restored_from is not None:
                workflow.restore_and_publish(
                    report, state, restored_from=restored_from, prefer=prefer, **kwargs
                )
                text = "wiederhergestellt und veröffentlicht. Leser sehen jetzt diese Fassung."
            elif publishing:
                workflow.publish_now(report, state, prefer=prefer, **kwargs)
                text = "veröffentlicht. Leser sehen jetzt diese Fassung."
            elif restored_from is not None:
                workflow.restore_as_draft(
                    report, state, restored_from=restored_from, prefer=prefer, **kwargs
                )
                text = (
                    "als Entwurf wiederhergestellt. Leser sehen weiter die veröffentlichte Fassung."
                )
            else:
                workflow.save_draft(report, state, prefer=prefer, **kwargs)
                if Report.objects.filter(pk=report.pk, status=Report.Status.PUBLISHED).exists():
                    text = (
                        "als Entwurf gespeichert. Leser sehen weiter die veröffentlichte Fassung, "
                        "bis jemand mit der Berechtigung „Berichte veröffentlichen“ veröffentlicht."
                    )
                else:
                    text = "als Entwurf gespeichert. Er ist erst nach dem Veröffentlichen sichtbar."
        except workflow.Conflict as conflict:
            request.report_logged = False
            return self._conflict_page(
                request, report, state, conflict, base_id, publishing, note, minor, at
            )
        if restored_from is not None and "wiederhergestellt" not in text:
            text = "wiederhergestellt, " + text
        messages.success(request, f"„{report}“ {text}")
        warnings = warnings_for_state(state) if publishing else []
        for warning in warnings:
            messages.warning(request, warning)
        return None

    def _conflict_page(
        self, request, report, state, conflict, base_id, publishing, note, minor, at
    ):
        """Someone saved since the form was opened. Nothing is overwritten: what this
        editor sent is kept as a revision of its own, and they choose."""
        mine = store_revision(
            state,
            user=request.user,
            comment=f"Nicht übernommen (Konflikt mit der Fassung von "
            f"{workflow.person(conflict.theirs.user)}).",
        )
        theirs = conflict.theirs
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": report,
            "title": "Jemand anderes hat diesen Bericht inzwischen gespeichert",
            "merge": conflict.merge,
            "theirs": theirs,
            "theirs_author": workflow.person(theirs.user),
            "theirs_published": Publication.objects.filter(revision=theirs).exists(),
            "mine": mine,
            "base_id": base_id or "",
            "publishing": publishing,
            "can_publish": workflow.may_publish(request.user),
            "note": note,
            "minor": minor,
            "at": at.isoformat() if at else "",
            "scheduled_for": at,
            "resolve_url": reverse("admin:reports_report_resolve", args=[report.pk]),
            "change_url": reverse("admin:reports_report_change", args=[report.pk]),
        }
        response = TemplateResponse(
            request, "admin/reports/report/conflict.html", context, status=409
        )
        add_never_cache_headers(response)
        return response.render()

    def _preview_response(self, request, state):
        report = state.as_report()
        response = render_report(
            request,
            report,
            is_preview=True,
            extra_context={"markdown_warnings": warnings_for_state(state)},
        )
        add_never_cache_headers(response)
        return response

    # Further pages: preview, discard, schedule, conflicts, compare, section preview.

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
                "<path:object_id>/planung-aufheben/",
                view(self.cancel_schedule_view),
                name="reports_report_cancel_schedule",
            ),
            path(
                "<path:object_id>/konflikt/",
                view(self.resolve_view),
                name="reports_report_resolve",
            ),
            path(
                "<path:object_id>/anwesenheit/",
                view(self.presence_view),
                name="reports_report_presence",
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
        report = get_object_or_404(Report, pk=unquote(object_id))
        return self._preview_response(request, workflow.preview_state(report, user=request.user))

    def _page(self, request, report, title, template, **context):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": report,
            "title": title,
            "change_url": reverse("admin:reports_report_change", args=[report.pk]),
            **context,
        }
        return TemplateResponse(request, template, context)

    def discard_view(self, request, object_id):
        report = get_object_or_404(Report, pk=unquote(object_id))
        draft = workflow.draft_of(report)
        if draft is None:
            messages.info(request, "Es gibt keinen Entwurf zu verwerfen.")
            return HttpResponseRedirect(reverse("admin:reports_report_change", args=[report.pk]))
        if not workflow.may_discard(request.user, draft):
            raise PermissionDenied
        if request.method == "POST":
            workflow.discard_draft(report, user=request.user)
            messages.success(
                request,
                f"Der Entwurf von „{report}“ wurde verworfen. Es gilt die veröffentlichte Fassung.",
            )
            return HttpResponseRedirect(reverse("admin:reports_report_change", args=[report.pk]))
        return self._page(
            request,
            report,
            "Entwurf verwerfen?",
            "admin/reports/report/discard.html",
            action="Entwurf verwerfen",
            draft=draft,
            draft_author=workflow.person(draft.revision.user),
            schedule=workflow.schedule_of(report),
        )

    def cancel_schedule_view(self, request, object_id):
        report = get_object_or_404(Report, pk=unquote(object_id))
        if not workflow.may_publish(request.user):
            raise PermissionDenied
        planned = workflow.schedule_of(report)
        change_url = reverse("admin:reports_report_change", args=[report.pk])
        if planned is None:
            messages.info(request, "Es ist keine Veröffentlichung geplant.")
            return HttpResponseRedirect(change_url)
        if request.method == "POST":
            workflow.cancel_schedule(report, user=request.user)
            messages.success(
                request,
                f"Die für {local(planned.go_live_at)} geplante Veröffentlichung von „{report}“ "
                "ist aufgehoben. Der Entwurf bleibt.",
            )
            return HttpResponseRedirect(change_url)
        return self._page(
            request,
            report,
            "Geplante Veröffentlichung aufheben?",
            "admin/reports/report/cancel_schedule.html",
            action="Planung aufheben",
            schedule=planned,
        )

    @staticmethod
    def _revision_of(report, value):
        try:
            revision = Revision.objects.get(pk=int(value))
        except (TypeError, ValueError, Revision.DoesNotExist):
            return None
        if not revision.version_set.filter(
            content_type__model="report", object_id=str(report.pk)
        ).exists():
            return None
        return revision

    def resolve_view(self, request, object_id):
        """The conflict page's choice: this editor's version or the other one for the parts
        both changed; the rest is merged. Goes through reports.workflow like the form."""
        if request.method != "POST":
            raise PermissionDenied
        report = get_object_or_404(Report, pk=unquote(object_id))
        if not workflow.may_edit(request.user):
            raise PermissionDenied
        mine = self._revision_of(report, request.POST.get("mine"))
        theirs = self._revision_of(report, request.POST.get("theirs"))
        choice = request.POST.get("choice")
        change_url = reverse("admin:reports_report_change", args=[report.pk])
        if mine is None or theirs is None or choice not in {"mine", "theirs"}:
            messages.error(
                request, "Dieser Konflikt lässt sich so nicht auflösen. Bitte neu laden."
            )
            return HttpResponseRedirect(change_url)
        base = self._revision_of(report, request.POST.get("base"))
        # Saved once more in the meantime: compare again, from the same base.
        prefer = choice if workflow.head_id(report) == theirs.pk else ""
        state = state_of_revision(report, mine)
        with transaction.atomic():
            response = self._transition(
                request,
                None,
                state,
                prefer=prefer,
                base_id=base.pk if base else None,
            )
        return response or HttpResponseRedirect(change_url)

    def presence_view(self, request, object_id):
        """The open form's heartbeat (static/js/editing-presence.js): who has it open."""
        report = get_object_or_404(Report, pk=unquote(object_id))
        if request.method != "POST" or not self.has_change_permission(request, report):
            raise PermissionDenied
        presence.seen(report.pk, request.user)
        response = TemplateResponse(
            request,
            "admin/reports/report/presence.html",
            {"others_editing": presence.others(report.pk, request.user)},
        )
        add_never_cache_headers(response)
        return response

    def history_view(self, request, object_id, extra_context=None):
        report = get_object_or_404(Report, pk=unquote(object_id))
        published = dict(
            Publication.objects.filter(report=report).values_list("revision_id", "published_at")
        )
        draft = workflow.draft_of(report)
        planned = workflow.schedule_of(report)
        action_list = [
            {
                "revision": version.revision,
                "author": workflow.person(version.revision.user) if version.revision.user else "",
                "version_id": version.pk,
                "published_at": published.get(version.revision_id),
                "is_live": version.revision_id == report.live_revision_id,
                "is_draft": draft is not None and version.revision_id == draft.revision_id,
                "scheduled_at": planned.go_live_at
                if planned is not None and version.revision_id == planned.revision_id
                else None,
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
            "older_author": workflow.person(older.revision.user) if older else "",
            "newer": newer,
            "newer_author": workflow.person(newer.revision.user),
            "comparison": compare(before, after),
            "publications": {p.revision_id: p for p in Publication.objects.filter(report=report)},
        }
        return TemplateResponse(request, "admin/reports/report/changes.html", context)

    def section_preview_view(self, request):
        """One section's Markdown through the site's renderer and sanitiser (staff only),
        with warnings about Markdown that will not render as meant."""
        if request.method != "POST" or not self.has_change_permission(request):
            raise PermissionDenied
        body = request.POST.get("body", "")
        html = render_markdown(body, footnote_prefix="vorschau")
        response = TemplateResponse(
            request,
            "admin/reports/report/section_preview.html",
            {"html": html, "warnings": warnings_for_text(body)},
        )
        add_never_cache_headers(response)
        return response

    # Deleting a report: "Berichte veröffentlichen" and the delete permission (workflow).

    def delete_model(self, request, obj):
        workflow.delete_report(obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for report in queryset:
            workflow.delete_report(report, user=request.user)
