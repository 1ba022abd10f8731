from django.core import checks
from django.db import DatabaseError


@checks.register(checks.Tags.security, deploy=True)
def legal_pages_filled_in(app_configs=None, **kwargs):
    """A German site must not go live with an unfinished Impressum or Datenschutzerklärung."""
    from .models import PLACEHOLDER, LegalPage

    try:
        unfinished = list(LegalPage.objects.unfinished().values_list("title", flat=True))
    except DatabaseError:  # not migrated yet: `migrate` creates the pages with placeholders
        return []
    return [
        checks.Warning(
            f"Die Seite „{title}“ enthält noch „{PLACEHOLDER}“.",
            hint="Im Admin unter „Rechtliche Seiten“ die echten Angaben eintragen.",
            id="legal.W001",
        )
        for title in unfinished
    ]
