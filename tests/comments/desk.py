"""Shared helper for the moderation desk's tests (fixtures live in conftest.py)."""

from django.contrib.admin.models import LogEntry


def log_messages(comment) -> list[str]:
    """The audit trail of one comment, oldest first."""
    return list(
        LogEntry.objects.filter(object_id=str(comment.pk))
        .order_by("id")
        .values_list("change_message", flat=True)
    )
