from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.html import format_html
from django.utils.translation import ngettext

from .models import Comment, Subscription

Status = Comment.Status


def _report(modeladmin, request, count, singular, plural):
    modeladmin.message_user(
        request, ngettext(singular, plural, count) % {"count": count}, messages.SUCCESS
    )


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
    list_display = (
        "status_label",
        "excerpt_column",
        "author_name",
        "author_email",
        "report",
        "created_at",
    )
    list_display_links = ("excerpt_column",)
    list_filter = ("status", "report")
    search_fields = ("author_name", "author_email", "author_url", "text")
    list_select_related = ("report",)
    ordering = ("-created_at", "-id")
    date_hierarchy = "created_at"
    list_per_page = 50
    fields = (
        "report",
        "parent",
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
    actions = ["approve", "unapprove", "mark_spam", "move_to_trash", "restore", "delete_forever"]

    def get_search_results(self, request, queryset, search_term):
        """An address finds its comments however it is written (`X@BÜCHER.DE`, `x@bücher.de`):
        the database's own case-insensitive search knows ASCII letters only."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if "@" in search_term:
            results |= queryset.by_author_email(search_term)
        return results, may_have_duplicates

    @admin.display(description="Status", ordering="status")
    def status_label(self, comment):
        return format_html(
            '<span class="comment-status comment-status-{}">{}</span>',
            comment.status,
            comment.get_status_display(),
        )

    @admin.display(description="Kommentar")
    def excerpt_column(self, comment):
        return comment.excerpt

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

    def _change_status(self, request, queryset, status, messages_, *, only_from=None):
        """Set the status of the selected comments; tell the moderator how many changed."""
        if only_from is not None:
            queryset = queryset.filter(status__in=only_from)
        _report(self, request, queryset.set_status(status), *messages_)

    @admin.action(description="Freigeben", permissions=["change"])
    def approve(self, request, queryset):
        self._change_status(
            request,
            queryset,
            Status.APPROVED,
            ("%(count)d Kommentar freigegeben.", "%(count)d Kommentare freigegeben."),
        )

    @admin.action(description="Freigabe zurücknehmen", permissions=["change"])
    def unapprove(self, request, queryset):
        self._change_status(
            request,
            queryset,
            Status.PENDING,
            (
                "%(count)d Kommentar wartet wieder auf Freischaltung.",
                "%(count)d Kommentare warten wieder auf Freischaltung.",
            ),
            only_from=[Status.APPROVED],
        )

    @admin.action(description="Als Spam markieren", permissions=["change"])
    def mark_spam(self, request, queryset):
        self._change_status(
            request,
            queryset,
            Status.SPAM,
            ("%(count)d Kommentar als Spam markiert.", "%(count)d Kommentare als Spam markiert."),
        )

    @admin.action(description="In den Papierkorb legen", permissions=["change"])
    def move_to_trash(self, request, queryset):
        self._change_status(
            request,
            queryset,
            Status.TRASH,
            (
                "%(count)d Kommentar in den Papierkorb gelegt.",
                "%(count)d Kommentare in den Papierkorb gelegt.",
            ),
        )

    @admin.action(description="Wiederherstellen (aus Papierkorb oder Spam)", permissions=["change"])
    def restore(self, request, queryset):
        self._change_status(
            request,
            queryset,
            Status.PENDING,
            (
                "%(count)d Kommentar wiederhergestellt; er wartet auf Freischaltung.",
                "%(count)d Kommentare wiederhergestellt; sie warten auf Freischaltung.",
            ),
            only_from=[Status.TRASH, Status.SPAM],
        )

    @admin.action(description="Endgültig löschen (nur aus dem Papierkorb)", permissions=["delete"])
    def delete_forever(self, request, queryset):
        skipped = queryset.exclude(status=Status.TRASH).count()
        _, deleted = queryset.filter(status=Status.TRASH).delete()
        count = deleted.get(Comment._meta.label, 0)
        _report(
            self,
            request,
            count,
            "%(count)d Kommentar endgültig gelöscht.",
            "%(count)d Kommentare endgültig gelöscht.",
        )
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
