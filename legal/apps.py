from django.apps import AppConfig


class LegalConfig(AppConfig):
    name = "legal"
    verbose_name = "Rechtliches"

    def ready(self):
        from . import checks  # noqa: F401 - registers the deploy check
