from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import views

admin.site.site_header = "aireport – Verwaltung"
admin.site.site_title = "aireport"
admin.site.index_title = "Redaktion und Moderation"

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("health/", views.health, name="health"),
    path("", include("comments.urls")),
    path("", include("reports.urls")),
]

handler400 = "aireport.views.bad_request"
handler403 = "aireport.views.permission_denied"
handler404 = "aireport.views.page_not_found"
handler500 = "aireport.views.server_error"
