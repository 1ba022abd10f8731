"""Statements of reasons (DSA Art. 17) for removed comments, and the authors' objections."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from comments.grounds import GROUND_CHOICES, Ground
from comments.models.comment import Comment
from comments.models.decided import Decided


class StatementOfReasons(models.Model):
    """Why a moderator rejected a waiting comment or moved a published one to the trash.

    Written by comments.actions.change_status with the ground the moderator gave; the author
    gets it by email when they left an address (comments/statements.py)."""

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="statements", verbose_name="Kommentar"
    )
    old_status = models.CharField("Status vorher", max_length=10, choices=Comment.Status.choices)
    new_status = models.CharField("Status nachher", max_length=10, choices=Comment.Status.choices)
    ground = models.CharField("Grund", max_length=20, choices=GROUND_CHOICES)
    note = models.TextField("Erläuterung", blank=True)
    after_notice = models.BooleanField("Nach einer Meldung", default=False)
    automated = models.BooleanField("Automatisch erkannt", default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="Entschieden von",
    )
    created_at = models.DateTimeField("Entschieden am", default=timezone.now)
    sent_at = models.DateTimeField("Begründung verschickt am", null=True, blank=True)
    #: Set when the removal was undone before the email went out (comments/statements.py).
    withdrawn_at = models.DateTimeField("Zurückgenommen am", null=True, blank=True)

    class Meta:
        verbose_name = "Begründung"
        verbose_name_plural = "Begründungen"
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ground__in=[choice for choice, _ in GROUND_CHOICES]),
                name="statement_ground_valid",
            ),
        ]

    def __str__(self):
        return f"Begründung #{self.pk} zu Kommentar #{self.comment_id}"

    @property
    def ground_text(self) -> str:
        return Ground(self.ground, self.note).text

    @property
    def was_published(self) -> bool:
        return self.old_status == Comment.Status.APPROVED


class ObjectionDecision(models.TextChoices):
    OPEN = "", "Offen"
    UPHELD = "upheld", "Entscheidung bleibt"
    REVERSED = "reversed", "Entscheidung aufgehoben, Kommentar freigegeben"


class Objection(Decided):
    """An author's objection to a statement of reasons, sent through its signed link."""

    Decision = ObjectionDecision

    statement = models.ForeignKey(
        StatementOfReasons,
        on_delete=models.CASCADE,
        related_name="objections",
        verbose_name="Begründung",
    )
    text = models.TextField("Widerspruch", max_length=5000)
    created_at = models.DateTimeField("Eingegangen am", default=timezone.now)
    decision = models.CharField(
        "Entscheidung", max_length=10, choices=Decision.choices, blank=True, default=""
    )
    decision_reason = models.CharField("Antwort an die Verfasserin", max_length=1000, blank=True)

    class Meta:
        verbose_name = "Widerspruch"
        verbose_name_plural = "Widersprüche"
        ordering = ("created_at", "id")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decision__in=ObjectionDecision.values),
                name="objection_decision_valid",
            ),
        ]

    def __str__(self):
        return f"Widerspruch #{self.pk}"

    @property
    def comment_id(self):
        return self.statement.comment_id
