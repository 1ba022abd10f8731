from django.urls import path, re_path

from aireport.page_cache import shared_page

from . import views
from .feeds import ReportFeed
from .models import Report

app_name = "reports"
urlpatterns = [
    path("", views.report_index, name="index"),
    path("berichte/<slug:slug>/", views.report_detail, name="detail"),
    re_path(r"^media/(?P<name>cards/[^/]+\.png)$", views.card_image, name="card"),
    path("feed/", shared_page(version=Report.objects.feed_version)(ReportFeed()), name="feed"),
]
