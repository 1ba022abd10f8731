from django.urls import path

from . import views

app_name = "legal"
urlpatterns = [
    path("impressum/", views.legal_page, {"slug": "impressum"}, name="impressum"),
    path("datenschutz/", views.legal_page, {"slug": "datenschutz"}, name="datenschutz"),
    path(
        "diskussionsregeln/",
        views.legal_page,
        {"slug": "diskussionsregeln"},
        name="diskussionsregeln",
    ),
]
