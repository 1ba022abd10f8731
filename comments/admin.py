"""Moderators' desk, modelled on WordPress's comments screen.

Each row shows who wrote, a two-line excerpt, a status badge and row actions. Row actions are
small POST forms (the buttons point at one form outside the change list with `form=`), so they
work without JavaScript; static/js/admin-comments.js makes them act in place and adds
WordPress's keyboard shortcuts. Every status change goes through moderation.change_status and
is logged in comments/audit.py.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import ngettext

from reports.models import Report

from . import audit, moderation
from .models import (
    BannedSender,
    Comment,
    DiscussionSettings,
    ModerationLogEntry,
    Notice,
    Subscription,
)

Status = Comment.Status
HIDDEN_BY_DEFAULT = (Status.SPAM, Status.TRASH)

#: What each status change tells the moderator (singular, plural).
STATUS_MESSAGES = {
    Status.APPROVED: ("%(count)d Kommentar freigegeben.", "%(count)d Kommentare freigegeben."),
    Status.PENDING: (
        "%(count)d Kommentar wartet (wieder) auf Freischaltung.",
        "%(count)d Kommentare warten (wieder) auf Freischaltung.",
    ),
    Status.SPAM: (
        "%(count)d Kommentar als Spam markiert.",
        "%(count)d Kommentare als Spam markiert.",
    ),
    Status.TRASH: (
        "%(count)d Kommentar in den Papierkorb gelegt.",
        "%(count)d Kommentare in den Papierkorb gelegt.",
    ),
}
DELETED_MESSAGES = (
    "%(count)d Kommentar endgültig gelöscht.",
    "%(count)d Kommentare endgültig gelöscht.",
)


def counted(count, messages_):
    return ngettext(*messages_, count) % {"count": count}


class StatusFilter(admin.SimpleListFilter):
    """WordPress's views: "Alle" hides spam and trash; every view shows its count."""

    title = "Status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        counts = dict(
            Comment.objects.values_list("status").annotate(n=models.Count("pk")).order_by()
        )
        self.all_count = sum(n for status, n in counts.items() if status not in HIDDEN_BY_DEFAULT)
        return [(status.value, f"{status.label} ({counts.get(status, 0)})") for status in Status]

    def choices(self, changelist):
        for choice in super().choices(changelist):
            if choice["display"] == "Alle":
                choice["display"] = f"Alle ({self.all_count})"
            yield choice

    def queryset(self, request, queryset):
        if self.value() in Status.values:
            return queryset.filter(status=self.value())
        return queryset.exclude(status__in=HIDDEN_BY_DEFAULT)


class NoticeFilter(admin.SimpleListFilter):
    title = "Gemeldet"
    parameter_name = "gemeldet"

    def lookups(self, request, model_admin):
        return [("offen", "Offene Meldungen"), ("alle", "Irgendwann gemeldet")]

    def queryset(self, request, queryset):
        if self.value() == "offen":
            return queryset.filter(open_notices__gt=0)
        if self.value() == "alle":
            return queryset.filter(notices__isnull=False).distinct()
        return queryset


class SectionFilter(admin.SimpleListFilter):
    """The section a comment is about, deleted sections included (by the title it had)."""

    title = "Abschnitt"
    parameter_name = "abschnitt"
    WHOLE_REPORT = "-"

    def lookups(self, request, model_admin):
        rows = (
            Comment.objects.exclude(section_anchor="")
            .values_list("section_anchor", "section_title", "section")
            .order_by("section__order", "section_anchor")
            .distinct()
        )
        named = {}
        for anchor, title, section_id in rows:
            named.setdefault(anchor, title if section_id else f"{title} (entfernt)")
        return [(self.WHOLE_REPORT, "Ganzer Bericht"), *named.items()]

    def queryset(self, request, queryset):
        if self.value() == self.WHOLE_REPORT:
            return queryset.filter(section_anchor="")
        if self.value():
            return queryset.filter(section_anchor=self.value())
        return queryset


class NoticeInline(admin.TabularInline):
    """Readers' reports with their texts; deciding one emails the reporter."""

    model = Notice
    extra = 0
    can_delete = False
    fields = ("created_at", "reason", "explanation", "has_email", "decision", "decision_reason")
    readonly_fields = ("created_at", "reason", "explanation", "has_email")
    verbose_name_plural = "Meldungen von Leserinnen und Lesern"

    @admin.display(description="Antwort erwünscht", boolean=True)
    def has_email(self, notice):
        return bool(notice.reporter_email)

    def has_add_permission(self, request, obj=None):
        return False


class CommentAdminForm(forms.ModelForm):
    def _post_clean(self):
        """Also the rules on columns the form does not show (the duplicate key): an edit that
        makes a comment the twin of another gets a message instead of an error page."""
        super()._post_clean()
        try:
            self.instance.validate_constraints()
        except ValidationError as error:
            self._update_errors(error)


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
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
            **(extra_context or {}),
            "current_status": status,
            "empty_url": reverse("admin:comments_comment_empty", args=[status])
            if status in HIDDEN_BY_DEFAULT
            else None,
            "can_delete": self.has_delete_permission(request),
        }
        return super().changelist_view(request, extra_context)

    @admin.display(description="Autor")
    def author_column(self, comment):
        parts = [format_html('<strong class="comment-author">{}</strong>', comment.author_name)]
        if comment.moderator_id:
            parts.append(mark_safe('<span class="comment-badge-staff">Redaktion</span>'))  # noqa: S308
        if comment.author_url:
            parts.append(
                format_html(
                    '<a class="comment-author-url" href="{}" rel="nofollow noreferrer">{}</a>',
                    comment.author_url,
                    Truncator(comment.author_url.split("://", 1)[-1]).chars(32),
                )
            )
        if comment.author_email:
            parts.append(
                format_html(
                    '<a class="comment-author-email" href="mailto:{}">{}</a>',
                    comment.author_email,
                    comment.author_email,
                )
            )
        if comment.ip_address:
            parts.append(format_html('<span class="comment-ip">{}</span>', comment.ip_address))
        return format_html(
            '<div class="comment-author-block">{}</div>',
            format_html_join("", "{}", ((p,) for p in parts)),
        )

    @admin.display(description="Kommentar")
    def comment_column(self, comment):
        reply_to = ""
        if comment.parent_id and comment.parent is not None:
            reply_to = format_html(
                '<p class="comment-reply-to">Antwort auf <a href="{}">{}</a></p>',
                reverse("admin:comments_comment_change", args=[comment.parent_id]),
                comment.parent.author_name,
            )
        if comment.section_anchor:
            reply_to = format_html(
                '{}<p class="comment-section-of">{} <span lang="en">{}</span></p>',
                reply_to,
                "Abschnitt:" if comment.section_id else "Entfernter Abschnitt:",
                comment.section.title if comment.section_id else comment.section_title,
            )
        return format_html(
            '<div class="comment-row" data-comment="{}">{}<p class="comment-line">{} '
            '<span class="comment-excerpt">{}</span></p>{}</div>',
            comment.pk,
            reply_to,
            status_badge(comment),
            Truncator(" ".join(comment.text.split())).chars(280),
            self.row_actions(comment),
        )

    @admin.display(description="Datum · Bericht", ordering="created_at")
    def date_report_column(self, comment):
        return format_html(
            '{}<span class="comment-report" title="{}">{}</span>',
            self.date_column(comment),
            comment.report.title,
            Truncator(comment.report.title).chars(40),
        )

    @admin.display(description="Meldungen", ordering="open_notices")
    def notices_column(self, comment):
        if not comment.open_notices:
            return mark_safe('<span class="comment-notices-none">–</span>')  # noqa: S308
        return format_html(
            '<span class="comment-notices" title="offene Meldungen">{}</span>',
            comment.open_notices,
        )

    @admin.display(description="Datum", ordering="created_at")
    def date_column(self, comment):
        from django.utils import timezone
        from django.utils.formats import date_format

        local = timezone.localtime(comment.created_at)
        return format_html(
            '<time datetime="{}">{}<br>{} Uhr</time>',
            local.isoformat(),
            date_format(local, "d.m.Y"),
            date_format(local, "H:i"),
        )

    def row_actions(self, comment):
        """Buttons for the shared POST form #comment-row-actions (see change_list.html)."""
        status_url = reverse("admin:comments_comment_status", args=[comment.pk])
        buttons = []

        def button(label, status, shortcut, css=""):
            buttons.append(
                format_html(
                    '<button type="submit" form="comment-row-actions" formaction="{}" '
                    'name="status" value="{}" class="row-action {}" data-shortcut="{}">{}</button>',
                    status_url,
                    status,
                    css,
                    shortcut,
                    label,
                )
            )

        def link(label, url, shortcut, css=""):
            buttons.append(
                format_html(
                    '<a class="row-action {}" href="{}" data-shortcut="{}">{}</a>',
                    css,
                    url,
                    shortcut,
                    label,
                )
            )

        if comment.status in HIDDEN_BY_DEFAULT:
            button("Wiederherstellen", Status.PENDING, "z", "row-action-restore")
            buttons.append(
                format_html(
                    '<button type="submit" form="comment-row-actions" formaction="{}" '
                    'class="row-action row-action-delete">Endgültig löschen</button>',
                    reverse("admin:comments_comment_delete_forever", args=[comment.pk]),
                )
            )
            return format_html(
                '<div class="row-actions">{}</div>',
                format_html_join("", "{}", ((b,) for b in buttons)),
            )
        if comment.is_approved:
            button("Freigabe zurücknehmen", Status.PENDING, "u", "row-action-unapprove")
        else:
            button("Freigeben", Status.APPROVED, "a", "row-action-approve")
        link("Antworten", reverse("admin:comments_comment_reply", args=[comment.pk]), "r")
        link("Bearbeiten", reverse("admin:comments_comment_change", args=[comment.pk]), "e")
        button("Spam", Status.SPAM, "s", "row-action-spam")
        button("Papierkorb", Status.TRASH, "d", "row-action-trash")
        return format_html(
            '<div class="row-actions">{}</div>', format_html_join("", "{}", ((b,) for b in buttons))
        )

    def get_search_results(self, request, queryset, search_term):
        """An address finds its comments however it is written (`X@BÜCHER.DE`, `x@bücher.de`):
        the database's own case-insensitive search knows ASCII letters only."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if "@" in search_term:
            results |= queryset.by_author_email(search_term)
        return results, may_have_duplicates

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
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    # --- Audit trail: every write goes through comments/audit.py ---------------------------

    def save_model(self, request, obj, form, change):
        old_status = form.initial.get("status")
        old_text = form.initial.get("text", "")
        old_section = ""
        if change and "section" in form.changed_data:
            # The form's clean() already took the new section's title: the stored one.
            old_section = Comment.objects.filter(pk=obj.pk).values_list("section_title", flat=True)[
                0
            ]
        if old_status and old_status != obj.status:
            obj.status_changed_at = timezone.now()
        super().save_model(request, obj, form, change)
        if old_status and old_status != obj.status:
            audit.log_status_changes(
                user=request.user,
                changes=[(obj.pk, old_status)],
                status=obj.status,
                via=audit.Via.FORM,
            )
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
                moderation.decide_notice(
                    notice=notice_form.instance,
                    decision=decision,
                    reason=notice_form.cleaned_data.get("decision_reason", ""),
                    user=request.user,
                )

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
        count = moderation.change_status(queryset, status, user=request.user, via=audit.Via.BULK)
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
        self._change_status(request, queryset, Status.TRASH)

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
        count = moderation.delete_trashed(
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

    # --- Pages and row actions of the desk ---------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/status/", view(self.status_view), name="comments_comment_status"),
            path(
                "<int:pk>/endgueltig-loeschen/",
                view(self.delete_forever_view),
                name="comments_comment_delete_forever",
            ),
            path("<int:pk>/antworten/", view(self.reply_view), name="comments_comment_reply"),
            path("<int:pk>/sperren/", view(self.ban_view), name="comments_comment_ban"),
            path("leeren/<str:status>/", view(self.empty_view), name="comments_comment_empty"),
            path(
                "email/<str:token>/",
                view(self.email_action_view),
                name="comments_comment_email_action",
            ),
            *super().get_urls(),
        ]

    def _back(self, request):
        target = request.POST.get("next", "")
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return HttpResponseRedirect(target)
        return redirect("admin:comments_comment_changelist")

    def _done(self, request, message):
        """Answer a row action: JSON for the script, a redirect back to the list without it."""
        if request.headers.get("X-Requested-With") == "fetch":
            return JsonResponse({"message": message})
        self.message_user(request, message, messages.SUCCESS)
        return self._back(request)

    def _comment_or_deny(self, request, pk, permission="change"):
        comment = get_object_or_404(Comment, pk=pk)
        allowed = getattr(self, f"has_{permission}_permission")(request, comment)
        if not allowed:
            raise PermissionDenied
        return comment

    def status_view(self, request, pk):
        comment = self._comment_or_deny(request, pk)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        status = request.POST.get("status")
        if status not in Status.values:
            return JsonResponse({"message": "Unbekannte Aktion."}, status=400)
        via = audit.Via.SHORTCUT if request.POST.get("via") == "shortcut" else audit.Via.ROW
        count = moderation.change_status(
            Comment.objects.filter(pk=comment.pk), status, user=request.user, via=via
        )
        return self._done(
            request, counted(count, STATUS_MESSAGES[status]) if count else "Keine Änderung."
        )

    def delete_forever_view(self, request, pk):
        comment = get_object_or_404(Comment, pk=pk)
        if not super().has_delete_permission(request, comment):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        count = moderation.delete_trashed(
            Comment.objects.filter(pk=comment.pk), user=request.user, via=audit.Via.ROW
        )
        return self._done(request, counted(count, DELETED_MESSAGES))

    def _page(self, request, template, title, status=200, **context):
        return TemplateResponse(
            request,
            f"admin/comments/comment/{template}",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": title,
                **context,
            },
            status=status,
        )

    def reply_view(self, request, pk):
        parent = self._comment_or_deny(request, pk)
        form = ReplyForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            reply, approved_now = moderation.reply_as_moderator(
                parent=parent, user=request.user, text=form.cleaned_data["text"]
            )
            message = "Deine Antwort ist veröffentlicht."
            if approved_now:
                message = "Der Kommentar wurde freigegeben und deine Antwort veröffentlicht."
            return self._done(request, message)
        return self._page(
            request,
            "reply.html",
            f"Antwort auf den Kommentar von {parent.author_name}",
            comment=parent,
            form=form,
            next=request.GET.get("next", ""),
        )

    def ban_view(self, request, pk):
        comment = self._comment_or_deny(request, pk)
        if not request.user.has_perm("comments.add_bannedsender"):
            raise PermissionDenied
        form = BanForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            moderation.ban_sender(
                comment=comment, user=request.user, reason=form.cleaned_data["reason"]
            )
            self.message_user(
                request,
                "Absender gesperrt: Neue Kommentare dieser E-Mail-Adresse und dieses IP-Netzes "
                "landen im Spam. Der Kommentar ist jetzt Spam.",
                messages.SUCCESS,
            )
            return redirect("admin:comments_comment_change", comment.pk)
        return self._page(request, "ban.html", "Absender sperren", comment=comment, form=form)

    def empty_view(self, request, status):
        if status not in HIDDEN_BY_DEFAULT:
            raise PermissionDenied
        if not super().has_delete_permission(request):
            raise PermissionDenied
        comments = Comment.objects.filter(status=status)
        label = "Spam leeren" if status == Status.SPAM else "Papierkorb leeren"
        if request.method == "POST":
            count = moderation.delete_trashed(comments, user=request.user, via=audit.Via.EMPTY)
            self.message_user(request, counted(count, DELETED_MESSAGES), messages.SUCCESS)
            return redirect(reverse("admin:comments_comment_changelist") + f"?status={status}")
        return self._page(
            request, "empty.html", label, count=comments.count(), status_label=Status(status).label
        )

    def email_action_view(self, request, token):
        if not self.has_change_permission(request):
            raise PermissionDenied
        link = moderation.read_moderation_link(token)
        if link is None:
            return self._page(request, "email_link_invalid.html", "Link ungültig", status=400)
        comment_id, action = link
        comment = self._comment_or_deny(request, comment_id)
        status = moderation.EMAIL_ACTION_STATUS[action]
        if request.method == "POST":
            count = moderation.change_status(
                Comment.objects.filter(pk=comment.pk),
                status,
                user=request.user,
                via=audit.Via.EMAIL,
            )
            self.message_user(
                request,
                counted(count, STATUS_MESSAGES[status])
                if count
                else "Der Kommentar hatte diesen Status schon.",
                messages.SUCCESS,
            )
            return redirect("admin:comments_comment_change", comment.pk)
        return self._page(
            request,
            "email_action.html",
            f"{moderation.EMAIL_ACTIONS[action]}: bitte bestätigen",
            comment=comment,
            action_label=moderation.EMAIL_ACTIONS[action],
            status_badge=status_badge(comment),
        )


def status_badge(comment):
    return format_html(
        '<span class="comment-status comment-status-{}">{}</span>',
        comment.status,
        comment.get_status_display(),
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label="Deine Antwort",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Bitte gib deinen Antworttext ein."},
    )


class BanForm(forms.Form):
    reason = forms.CharField(
        label="Grund", max_length=500, required=False, widget=forms.TextInput(attrs={"size": 60})
    )


@admin.register(BannedSender)
class BannedSenderAdmin(admin.ModelAdmin):
    list_display = ("email", "ip_address", "reason", "created_by", "created_at")
    search_fields = ("email", "ip_address", "reason")
    list_filter = ("created_at",)
    readonly_fields = ("created_by", "created_at")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(DiscussionSettings)
class DiscussionSettingsAdmin(admin.ModelAdmin):
    """One record; the list opens it straight away (filled from the environment at first)."""

    fields = (
        "moderation_words",
        "blocklist_words",
        "max_links",
        "auto_approve_known_authors",
        "flood_seconds",
        "max_depth",
        "ip_retention_days",
        "hold_after_notices",
        "comments_per_page",
    )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        with transaction.atomic():
            if not DiscussionSettings.objects.filter(pk=1).exists():
                DiscussionSettings.from_environment().save()
        return redirect("admin:comments_discussionsettings_change", 1)


class ActionFilter(admin.SimpleListFilter):
    title = "Aktion"
    parameter_name = "aktion"
    PREFIXES = {
        "status": ("Statusänderung", audit.STATUS_PREFIX),
        "text": ("Text bearbeitet", audit.TEXT_PREFIX),
        "antwort": ("Antwort der Redaktion", audit.REPLY_PREFIX),
        "meldung": ("Meldung entschieden", audit.NOTICE_PREFIX),
        "sperre": ("Absender gesperrt", audit.BAN_PREFIX),
        "geloescht": ("Endgültig gelöscht", audit.DELETE_PREFIX),
        "abschnitt": ("Abschnitt geändert", audit.SECTION_PREFIX),
    }

    def lookups(self, request, model_admin):
        return [(key, label) for key, (label, _) in self.PREFIXES.items()]

    def queryset(self, request, queryset):
        if self.value() in self.PREFIXES:
            return queryset.filter(change_message__startswith=self.PREFIXES[self.value()][1])
        return queryset


class ModeratorFilter(admin.SimpleListFilter):
    title = "Moderator/in"
    parameter_name = "moderator"

    def lookups(self, request, model_admin):
        ids = model_admin.get_queryset(request).values("user_id").distinct()
        return [(u.pk, u.get_username()) for u in get_user_model().objects.filter(pk__in=ids)]

    def queryset(self, request, queryset):
        return queryset.filter(user_id=self.value()) if self.value() else queryset


@admin.register(ModerationLogEntry)
class ModerationLogAdmin(admin.ModelAdmin):
    """The "Moderationsprotokoll": every moderation step, read-only, filterable."""

    list_display = ("action_time", "user", "comment_link", "message")
    list_filter = (ModeratorFilter, ActionFilter, ("action_time", admin.DateFieldListFilter))
    list_select_related = ("user",)
    date_hierarchy = "action_time"
    search_fields = ("change_message",)
    list_display_links = None

    def get_queryset(self, request):
        return super().get_queryset(request).filter(content_type_id=audit.comment_type_id())

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(
            request, {**(extra_context or {}), "title": "Moderationsprotokoll"}
        )

    @admin.display(description="Kommentar")
    def comment_link(self, entry):
        if entry.action_flag == 3:
            return entry.object_repr
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:comments_comment_change", args=[entry.object_id]),
            entry.object_repr,
        )

    @admin.display(description="Änderung")
    def message(self, entry):
        return format_html('<span class="log-message">{}</span>', entry.change_message)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ConfirmedFilter(admin.SimpleListFilter):
    title = "Bestätigt"
    parameter_name = "bestaetigt"

    def lookups(self, request, model_admin):
        return (("ja", "Ja"), ("nein", "Nein, wartet auf Bestätigung"))

    def queryset(self, request, queryset):
        if self.value() == "ja":
            return queryset.confirmed()
        if self.value() == "nein":
            return queryset.filter(confirmed_at=None)
        return queryset


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """Who gets notifications, with the proof of consent; read-only, deleting ends one."""

    list_display = ("email", "subscription_target", "report", "requested_at", "confirmed_at")
    list_filter = (ConfirmedFilter, "report")
    search_fields = ("email",)
    list_select_related = ("report",)
    ordering = ("-requested_at",)
    readonly_fields = (
        "email",
        "report",
        "comment",
        "requested_at",
        "request_ip",
        "confirmed_at",
        "confirm_ip",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Worüber")
    def subscription_target(self, subscription):
        return "Antworten auf einen Kommentar" if subscription.comment_id else "Neue Kommentare"
