from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.report_index, name="index"),
    path("berichte/<slug:slug>/", views.report_detail, name="detail"),
    path("berichte/<slug:slug>/aenderungen/", views.report_changes, name="changes"),
    path(
        "berichte/<slug:slug>/aenderungen/seite/<int:page>/",
        views.report_changes,
        name="changes_page",
    ),
    path(
        "berichte/<slug:slug>/aenderungen/<int:publication_id>/",
        views.report_change,
        name="change",
    ),
]
