from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html

from reports.rendering import render_markdown

from .forms import LegalPageForm
from .models import LegalPage


@admin.register(LegalPage)
class LegalPageAdmin(admin.ModelAdmin):
    """The pages exist from the start; administrators only edit them. Saving is publishing,
    so the form refuses a page with a placeholder left, and "Vorschau" shows the text first."""

    form = LegalPageForm

    class Media:
        css = {"all": ("css/admin.css",)}

    list_display = ("title", "filled_in", "updated_at", "view_on_site_link")
    fields = ("title", "body", "updated_at")
    readonly_fields = ("updated_at",)

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

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST" and "_preview" in request.POST:
            return self.preview(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def preview(self, request, object_id):
        """The text in the form as readers would see it, unsaved, placeholders and all: the
        operator checks the layout before the page can be saved. Never cached."""
        page = self.get_object(request, unquote(object_id))
        if page is None:
            raise Http404
        if not self.has_change_permission(request, page):
            raise PermissionDenied
        page.title = request.POST.get("title", "").strip() or page.title
        page.body = request.POST.get("body", "")
        page.body_html = render_markdown(page.body)
        response = TemplateResponse(request, "legal/page.html", {"page": page, "is_preview": True})
        add_never_cache_headers(response)
        return response
