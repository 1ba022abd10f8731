from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Kommentare"

    def ready(self):
        from django.db.models.signals import post_save

        from reports.models import Section

        from .sections import reattach_comments

        post_save.connect(reattach_comments, sender=Section, dispatch_uid="comments-reattach")
