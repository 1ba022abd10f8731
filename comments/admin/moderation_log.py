"""The "Moderationsprotokoll": every moderation step, read-only, filterable."""

from django.contrib import admin
from django.contrib.admin.models import DELETION
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from comments import audit
from comments.admin.filters import ActionFilter, ModeratorFilter
from comments.models import ModerationLogEntry


@admin.register(ModerationLogEntry)
class ModerationLogAdmin(admin.ModelAdmin):
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
        return _render(
            "_comment_link.html", {"entry": entry, "deleted": entry.action_flag == DELETION}
        )

    @admin.display(description="Änderung")
    def message(self, entry):
        return _render("_message.html", {"entry": entry})

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _render(template: str, context: dict):
    html = render_to_string(f"admin/comments/moderationlogentry/{template}", context)
    return mark_safe(html.strip())  # noqa: S308 - rendered by the template engine, escaped
