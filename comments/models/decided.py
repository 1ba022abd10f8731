"""What a moderator's decision records, on a reader's notice and on an author's objection."""

from django.conf import settings
from django.db import models


class Decided(models.Model):
    """Who decided and when; each subclass has its own `decision` choices and reason."""

    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Entschieden von",
    )
    decided_at = models.DateTimeField("Entschieden am", null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_open(self) -> bool:
        return not self.decision
