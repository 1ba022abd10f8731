from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Kommentare"

    def ready(self):
        # Imported here, the one place Django allows it: the receivers need the models.
        from comments import receivers

        receivers.connect()
