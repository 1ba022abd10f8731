from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.functional import lazy

from . import views
from .sitemaps import sitemap_xml

# Read when shown, so that the site name always comes from the settings.
admin.site.site_header = lazy(lambda: f"{settings.SITE_NAME} – Verwaltung", str)()
admin.site.site_title = lazy(lambda: settings.SITE_NAME, str)()
admin.site.index_title = "Redaktion und Moderation"

# Django's password reset views under the admin's address, before the admin's own patterns
# (which end in a catch-all); the admin's sign-in page links "admin_password_reset".
password_reset_patterns = [
    path("passwort/", views.PasswordResetView.as_view(), name="admin_password_reset"),
    path("passwort/gesendet/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "passwort/neu/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "passwort/fertig/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path(settings.ADMIN_URL, include(password_reset_patterns)),
    path(settings.ADMIN_URL, admin.site.urls),
    path("health/", views.health, name="health"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", sitemap_xml, name="sitemap"),
    path("", include("legal.urls")),
    path("", include("comments.urls")),
    path("", include("reports.urls")),
]

handler400 = "aireport.views.bad_request"
handler403 = "aireport.views.permission_denied"
handler404 = "aireport.views.page_not_found"
handler500 = "aireport.views.server_error"
