"""The "Diskussion" settings and the ban list ("Absender sperren")."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect

from comments.models import BannedSender, DiscussionSettings


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
    """One record; the list opens it straight away (filled from the environment at first).
    Its form shows every rule field of the model, in the model's order."""

    class Media:
        css = {"all": ("css/admin.css",)}

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
