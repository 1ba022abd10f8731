from django.urls import path

from . import views

app_name = "comments"
urlpatterns = [
    path("berichte/<slug:slug>/kommentieren/", views.post_comment, name="post"),
    path("kommentare/zeitstempel/", views.form_timestamp, name="timestamp"),
]
