"""Shared helpers for the moderation desk's tests."""

import pytest
from django.contrib.admin.models import LogEntry

from tests.factories import staff_in_group


@pytest.fixture
def moderator(db):
    return staff_in_group(
        "Moderators", username="moderatorin", first_name="Mara", last_name="Moder"
    )


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def log_messages(comment) -> list[str]:
    return list(
        LogEntry.objects.filter(object_id=str(comment.pk))
        .order_by("id")
        .values_list("change_message", flat=True)
    )
