from django.urls import path

from . import views

app_name = "comments"
urlpatterns = [
    path("berichte/<slug:slug>/kommentieren/", views.post_comment, name="post"),
    path(
        "berichte/<slug:slug>/kommentare/seite-<int:page>/",
        views.discussion_page,
        name="page",
    ),
    path("kommentar/<int:pk>/", views.comment_permalink, name="permalink"),
    path("kommentare/zeitstempel/", views.form_timestamp, name="timestamp"),
]
