from django.urls import path, re_path

from aireport.page_cache import shared_page

from . import views
from .feeds import ReportFeed
from .models import Report

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
    re_path(r"^media/(?P<name>cards/[^/]+\.png)$", views.card_image, name="card"),
    path("feed/", shared_page(version=Report.objects.feed_version)(ReportFeed()), name="feed"),
]
