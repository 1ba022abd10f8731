from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Kommentare"

    def ready(self):
        from django.db.models.signals import post_save

        from reports.models import Section
        from reports.signals import sections_written

        from .sections import reattach_comments, reattach_to_new_section

        sections_written.connect(reattach_comments, dispatch_uid="comments-reattach")
        post_save.connect(
            reattach_to_new_section, sender=Section, dispatch_uid="comments-reattach-new-section"
        )
