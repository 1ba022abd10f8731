"""Who gets notifications, with the proof of consent."""

from django.contrib import admin

from comments.admin.filters import ConfirmedFilter
from comments.models import Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """Read-only; deleting one ends it."""

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
