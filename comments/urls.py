from django.urls import path

from aireport.page_cache import shared_page
from reports.models import Report

from . import live, objection_views, own_views, views
from .feeds import ReportCommentsFeed

app_name = "comments"
urlpatterns = [
    path("berichte/<slug:slug>/kommentieren/", views.post_comment, name="post"),
    path(
        "benachrichtigungen/bestaetigen/<str:token>/",
        views.confirm_subscription,
        name="confirm",
    ),
    path("benachrichtigungen/abbestellen/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path(
        "berichte/<slug:slug>/kommentare/feed/",
        # The report's page version changes whenever an approved comment comes or goes.
        shared_page(version=Report.objects.page_version)(ReportCommentsFeed()),
        name="feed",
    ),
    path("berichte/<slug:slug>/kommentare/stand/", live.discussion_counter, name="counter"),
    path(
        "berichte/<slug:slug>/kommentare/neu/<int:count>/",
        live.recent_comments,
        name="recent",
    ),
    path(
        "berichte/<slug:slug>/kommentare/seite-<int:page>/",
        views.discussion_page,
        name="page",
    ),
    path(
        "berichte/<slug:slug>/kommentare/abschnitt/<slug:anchor>/",
        views.section_discussion,
        name="section",
    ),
    path(
        "berichte/<slug:slug>/kommentare/abschnitt/<slug:anchor>/seite-<int:page>/",
        views.section_discussion,
        name="section_page",
    ),
    path(
        "berichte/<slug:slug>/kommentare/antworten/<int:pk>/",
        views.thread_discussion,
        name="thread",
    ),
    path("kommentar/<int:pk>/", views.comment_permalink, name="permalink"),
    path("kommentare/meine/", own_views.own_comments, name="mine"),
    path("kommentare/meine/<str:token>/", own_views.own_comments_by_link, name="mine_link"),
    path("kommentare/zeitstempel/", views.form_timestamp, name="timestamp"),
    path("kommentare/<int:pk>/melden/", views.report_comment, name="report"),
    path("kommentare/<int:pk>/gemeldet/", views.comment_reported, name="reported"),
    path(
        "kommentare/widerspruch/<str:token>/",
        objection_views.object_to_statement,
        name="objection",
    ),
]
