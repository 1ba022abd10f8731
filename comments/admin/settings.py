"""The "Diskussion" settings and the ban list ("Absender sperren")."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect

from comments.models import BannedSender, DiscussionSettings
from comments.text import MAX_EMAIL_LENGTH


class BannedSenderForm(forms.ModelForm):
    """An email address and/or IP address typed in; only their keyed hashes are stored."""

    email = forms.EmailField(label="E-Mail-Adresse", required=False, max_length=MAX_EMAIL_LENGTH)
    ip_address = forms.GenericIPAddressField(
        label="IP-Adresse", required=False, help_text="Gesperrt wird ihr Netz (IPv4 /24, IPv6 /48)."
    )

    class Meta:
        model = BannedSender
        fields = ("email", "ip_address", "reason")

    def clean(self):
        data = super().clean()
        email, ip_address = data.get("email", ""), data.get("ip_address") or None
        if email or ip_address or not self.instance.pk:
            if not (email or ip_address):
                raise forms.ValidationError("Bitte eine E-Mail-Adresse oder IP-Adresse angeben.")
            self.instance.set_sender(email=email, ip_address=ip_address)
        return data


@admin.register(BannedSender)
class BannedSenderAdmin(admin.ModelAdmin):
    """The list shows no address: it holds only keyed hashes. Searching for an address (or IP)
    finds its ban by the same hash."""

    form = BannedSenderForm
    list_display = ("__str__", "bans_email", "bans_network", "reason", "created_by", "created_at")
    search_fields = ("reason",)
    list_filter = ("created_at",)
    readonly_fields = ("created_by", "created_at")

    @admin.display(description="E-Mail gesperrt", boolean=True)
    def bans_email(self, ban):
        return bool(ban.email_hash)

    @admin.display(description="Netz gesperrt", boolean=True)
    def bans_network(self, ban):
        return bool(ban.network_hash)

    def get_search_results(self, request, queryset, search_term):
        results, duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if term:
            email = term if "@" in term else ""
            results |= queryset & BannedSender.matching(email=email, ip_address=term)
        return results, duplicates

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
