"""Moderators' desk, modelled on WordPress's comments screen.

Each row shows who wrote, a two-line excerpt, a status badge and row actions, rendered from
templates/admin/comments/comment/_row_*.html. The row actions and the desk's own pages are in
desk_pages.py; static/js/admin-comments.js adds WordPress's keyboard shortcuts. Every status
change, the change form's included, goes through comments.actions.change_status; every other
write is logged in comments/audit.py.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.db import models
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import ngettext

from comments import actions, audit, notices
from comments.admin.desk_pages import DeskPages
from comments.admin.filters import HIDDEN_BY_DEFAULT, NoticeFilter, SectionFilter, StatusFilter
from comments.admin.forms import CommentAdminForm, NoticeInline
from comments.admin.undo import open_offers
from comments.admin.wording import DELETED_MESSAGES, STATUS_MESSAGES, counted
from comments.models import Comment, Notice, StatementOfReasons
from reports.models import Report

Status = Comment.Status


def render_row_part(template: str, context: dict):
    """A piece of a row, from templates/admin/comments/comment/ (escaped by the engine)."""
    html = render_to_string(f"admin/comments/comment/{template}", context)
    return mark_safe(html.strip())  # noqa: S308 - rendered by the template engine, escaped


def excerpt_parts(text: str) -> tuple[str, str]:
    """(what the comment quotes, what it says itself), each on one line: the quoted lines
    ("> …") are set off in the desk's excerpt instead of running into the reply."""
    quoted, own = [], []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith(">"):
            quoted.append(stripped.lstrip("> "))
        else:
            own.append(stripped)
    return " ".join(" ".join(quoted).split()), " ".join(" ".join(own).split())


@admin.register(Comment)
class CommentAdmin(DeskPages, admin.ModelAdmin):
    """Moderators' room: sort, approve, mark spam, trash; delete for good only from the trash."""

    form = CommentAdminForm
    list_display_links = None
    list_filter = (StatusFilter, NoticeFilter, "report", SectionFilter)
    search_fields = ("author_name", "author_email", "author_url", "text")
    list_select_related = ("report", "parent", "section")
    ordering = ("-created_at", "-id")
    list_per_page = 20
    show_full_result_count = False
    fields = (
        "report",
        "parent",
        "section",
        "status",
        "author_name",
        "author_email",
        "author_url",
        "text",
        "created_at",
        "ip_address",
        "user_agent",
        "removal_ground",
        "removal_note",
    )
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = ("report", "parent", "created_at", "ip_address", "user_agent")
    inlines = [NoticeInline]
    actions = ["approve", "unapprove", "mark_spam", "move_to_trash", "restore", "delete_forever"]

    class Media:
        css = {"all": ("css/admin.css",)}
        js = ("js/admin-comments.js",)

    def get_readonly_fields(self, request, obj=None):
        """A reply is about its parent's section: only a top-level comment's can be changed
        (its replies follow, Comment.replies_follow_section)."""
        fields = super().get_readonly_fields(request, obj)
        return (*fields, "section") if obj is not None and obj.parent_id else fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None and "section" in form.base_fields:
            field = form.base_fields["section"]
            field.queryset = obj.report.sections.all()
            field.empty_label = "Ganzer Bericht"
        return form

    # --- The list -----------------------------------------------------------------------

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                open_notices=models.Count(
                    "notices", filter=models.Q(notices__decision=Notice.Decision.OPEN)
                )
            )
        )

    def get_list_display(self, request):
        """WordPress's columns; the date column names the report only when there are several."""
        if getattr(request, "_several_reports", None) is None:
            request._several_reports = Report.objects.count() > 1
        date = "date_report_column" if request._several_reports else "date_column"
        return ["author_column", "comment_column", "notices_column", date]

    def changelist_view(self, request, extra_context=None):
        status = request.GET.get("status")
        extra_context = {
            "title": "Kommentare",
            **(extra_context or {}),
            "current_status": status,
            "empty_url": reverse("admin:comments_comment_empty", args=[status])
            if status in HIDDEN_BY_DEFAULT
            else None,
            "can_delete": self.has_delete_permission(request),
            "undo_offers": open_offers(request),
            "undo_seconds": settings.COMMENTS_UNDO_SECONDS,
        }
        return super().changelist_view(request, extra_context)

    @admin.display(description="Autor")
    def author_column(self, comment):
        url_label = Truncator(comment.author_url.split("://", 1)[-1]).chars(32)
        return render_row_part("_row_author.html", {"comment": comment, "url_label": url_label})

    @admin.display(description="Kommentar")
    def comment_column(self, comment):
        quote, own = excerpt_parts(comment.text)
        return render_row_part(
            "_row_comment.html",
            {
                "comment": comment,
                "quote": Truncator(quote).chars(100) if quote else "",
                "excerpt": Truncator(own).chars(280 - min(len(quote), 100)),
                "hidden": comment.status in HIDDEN_BY_DEFAULT,
            },
        )

    @admin.display(description="Datum · Bericht", ordering="created_at")
    def date_report_column(self, comment):
        return self._date(comment, report=comment.report)

    @admin.display(description="Meldungen", ordering="open_notices")
    def notices_column(self, comment):
        return render_row_part("_row_notices.html", {"count": comment.open_notices})

    @admin.display(description="Datum", ordering="created_at")
    def date_column(self, comment):
        return self._date(comment)

    def _date(self, comment, report=None):
        local = timezone.localtime(comment.created_at)
        return render_row_part("_row_date.html", {"local": local, "report": report})

    def get_search_results(self, request, queryset, search_term):
        """An address finds its comments however it is written (`X@BÜCHER.DE`, `x@bücher.de`):
        the database's own case-insensitive search knows ASCII letters only."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if "@" in search_term:
            results |= queryset.by_author_email(search_term)
        return results, may_have_duplicates

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The comment's statements of reasons and its author's objections, below the form."""
        statements = (
            StatementOfReasons.objects.filter(comment_id=int(object_id))
            .select_related("decided_by")
            .prefetch_related("objections__decided_by")
            if str(object_id).isdigit()
            else []
        )
        extra_context = {**(extra_context or {}), "statements": list(statements)}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_inlines(self, request, obj):
        """The readers' reports only where there are some (no empty box, no empty formset)."""
        if obj is None or not obj.notices.exists():
            return []
        return super().get_inlines(request, obj)

    # --- Permissions --------------------------------------------------------------------

    def has_add_permission(self, request):
        """Comments come from readers through the site's form, never from the admin."""
        return False

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status != Status.TRASH:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions_ = super().get_actions(request)
        actions_.pop("delete_selected", None)
        return actions_

    # --- The change form: its status through change_status, the rest logged here ----------

    def save_model(self, request, obj, form, change):
        old_status = form.initial.get("status")
        new_status = obj.status
        old_text = form.initial.get("text", "")
        old_section = ""
        if change and "section" in form.changed_data:
            # The form's clean() already took the new section's title: the stored one.
            old_section = Comment.objects.filter(pk=obj.pk).values_list("section_title", flat=True)[
                0
            ]
        if change:
            # The form saves everything but the status; the status takes the one path.
            obj.status = old_status
        super().save_model(request, obj, form, change)
        if change and new_status != old_status:
            actions.change_status(
                Comment.objects.filter(pk=obj.pk),
                new_status,
                user=request.user,
                via=audit.Via.FORM,
                ground=getattr(form, "removal", None),
            )
            obj.refresh_from_db(fields=["status", "status_changed_at"])
        if "text" in form.changed_data:
            audit.log_text_edit(user=request.user, comment=obj, before=old_text, after=obj.text)
        if "section" in form.changed_data:
            audit.log_section_change(
                user=request.user, comment=obj, before=old_section, after=obj.section_title
            )

    def save_formset(self, request, form, formset, change):
        if formset.model is not Notice:
            return super().save_formset(request, form, formset, change)
        for notice_form in formset.forms:
            decision = notice_form.cleaned_data.get("decision")
            if notice_form.has_changed() and decision:
                notices.decide_notice(
                    notice=notice_form.instance,
                    decision=decision,
                    reason=notice_form.cleaned_data.get("decision_reason", ""),
                    user=request.user,
                )

    def response_change(self, request, obj):
        request._saved_comment = obj
        return super().response_change(request, obj)

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        """The save message without Django's quotes around a name that has its own
        („Kommentar #11 zu „…““ becomes „Kommentar #11 zu „…“ wurde gespeichert.“)."""
        saved = getattr(request, "_saved_comment", None)
        if saved is not None and level == messages.SUCCESS:
            request._saved_comment = None
            message = f"{saved} wurde gespeichert."
            if "_continue" in request.POST:
                message += " Sie können ihn unten weiter bearbeiten."
        super().message_user(request, message, level, *args, **kwargs)

    def construct_change_message(self, request, form, formsets, add=False):
        return ""

    def log_change(self, request, obj, message):
        """save_model() already logged what changed, in words a moderator reads."""

    def log_deletions(self, request, queryset):
        audit.log_deletions(
            user=request.user,
            changes=[(comment.pk, comment.status) for comment in queryset],
            via=audit.Via.FORM,
        )

    # --- Bulk actions -------------------------------------------------------------------

    def response_action(self, request, queryset):
        """An action works on the ticked comments, whatever view they were ticked in; only
        "select all" means the comments of the current view."""
        if request.POST.get("select_across") != "1":
            queryset = self.get_queryset(request)
        return super().response_action(request, queryset)

    def _change_status(self, request, queryset, status, *, only_from=None, messages_=None):
        if only_from is not None:
            queryset = queryset.filter(status__in=only_from)
        count = actions.change_status(queryset, status, user=request.user, via=audit.Via.BULK)
        self.message_user(
            request, counted(count, messages_ or STATUS_MESSAGES[status]), messages.SUCCESS
        )

    @admin.action(description="Freigeben", permissions=["change"])
    def approve(self, request, queryset):
        self._change_status(request, queryset, Status.APPROVED)

    @admin.action(description="Freigabe zurücknehmen", permissions=["change"])
    def unapprove(self, request, queryset):
        self._change_status(
            request,
            queryset,
            Status.PENDING,
            only_from=[Status.APPROVED],
            messages_=(
                "%(count)d Kommentar wartet wieder auf Freischaltung.",
                "%(count)d Kommentare warten wieder auf Freischaltung.",
            ),
        )

    @admin.action(description="Als Spam markieren", permissions=["change"])
    def mark_spam(self, request, queryset):
        self._change_status(request, queryset, Status.SPAM)

    @admin.action(description="In den Papierkorb legen", permissions=["change"])
    def move_to_trash(self, request, queryset):
        return self.trash_with_ground(request, queryset)

    @admin.action(description="Wiederherstellen (aus Papierkorb oder Spam)", permissions=["change"])
    def restore(self, request, queryset):
        self._change_status(
            request,
            queryset,
            Status.PENDING,
            only_from=[Status.TRASH, Status.SPAM],
            messages_=(
                "%(count)d Kommentar wiederhergestellt; er wartet auf Freischaltung.",
                "%(count)d Kommentare wiederhergestellt; sie warten auf Freischaltung.",
            ),
        )

    @admin.action(description="Endgültig löschen (nur aus dem Papierkorb)", permissions=["delete"])
    def delete_forever(self, request, queryset):
        skipped = queryset.exclude(status=Status.TRASH).count()
        count = actions.delete_trashed(
            queryset.filter(status=Status.TRASH), user=request.user, via=audit.Via.BULK
        )
        self.message_user(request, counted(count, DELETED_MESSAGES), messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d Kommentar ist nicht im Papierkorb und wurde nicht gelöscht.",
                    "%(count)d Kommentare sind nicht im Papierkorb und wurden nicht gelöscht.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )
