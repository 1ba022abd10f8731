from django.urls import path

from aireport.page_cache import shared_page

from . import views
from .feeds import ReportFeed
from .models import Report

app_name = "reports"
urlpatterns = [
    path("", views.report_index, name="index"),
    path("berichte/<slug:slug>/", views.report_detail, name="detail"),
    path("feed/", shared_page(version=Report.objects.feed_version)(ReportFeed()), name="feed"),
]
