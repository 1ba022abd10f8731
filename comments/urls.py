from django.urls import path

from . import views

app_name = "comments"
urlpatterns = [
    path("berichte/<slug:slug>/kommentieren/", views.post_comment, name="post"),
    path("kommentare/zeitstempel/", views.form_timestamp, name="timestamp"),
    path("kommentare/<int:pk>/melden/", views.report_comment, name="report"),
    path("kommentare/<int:pk>/gemeldet/", views.comment_reported, name="reported"),
]
