from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Kommentare"

    def ready(self):
        from reports.signals import sections_written

        from .sections import reattach_comments

        sections_written.connect(reattach_comments, dispatch_uid="comments-reattach")
