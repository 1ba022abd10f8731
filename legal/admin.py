from django import forms
from django.contrib import admin
from django.db import models
from django.utils.html import format_html

from .models import LegalPage


@admin.register(LegalPage)
class LegalPageAdmin(admin.ModelAdmin):
    """The two pages exist from the start; administrators only edit them."""

    list_display = ("title", "filled_in", "updated_at", "view_on_site_link")
    fields = ("title", "body", "updated_at")
    readonly_fields = ("updated_at",)
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 30})}}

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Ausgefüllt", boolean=True)
    def filled_in(self, page):
        return not page.is_unfinished

    @admin.display(description="Auf der Website")
    def view_on_site_link(self, page):
        return format_html('<a href="{}">ansehen</a>', page.get_absolute_url())
