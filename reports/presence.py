"""Who has a report's change form open, for the notice "Erika Muster bearbeitet diesen Bericht
seit 10:02 Uhr" (as Wagtail's concurrent editing notifications).

Opening the form and its heartbeat (static/js/editing-presence.js, every 30 seconds) record
the person in the shared cache; someone not seen for HEARTBEAT_TIMEOUT is gone. Without
JavaScript, opening or saving the form still counts for that long.
"""

from django.core.cache import cache
from django.utils import timezone

#: Seconds after the last sign of life that a person no longer counts as editing.
HEARTBEAT_TIMEOUT = 90


def _key(report_pk) -> str:
    return f"reports:editing:{report_pk}"


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def seen(report_pk, user) -> None:
    now = timezone.now()
    editing = {
        pk: entry
        for pk, entry in (cache.get(_key(report_pk)) or {}).items()
        if (now - entry["last"]).total_seconds() < HEARTBEAT_TIMEOUT
    }
    entry = editing.get(user.pk) or {"since": now}
    editing[user.pk] = {"name": _name(user), "since": entry["since"], "last": now}
    cache.set(_key(report_pk), editing, HEARTBEAT_TIMEOUT * 4)


def others(report_pk, user) -> list[dict]:
    """Everyone else with the form open, longest first; records `user` as having it open."""
    seen(report_pk, user)
    now = timezone.now()
    return sorted(
        (
            {"name": entry["name"], "since": entry["since"]}
            for pk, entry in (cache.get(_key(report_pk)) or {}).items()
            if pk != user.pk and (now - entry["last"]).total_seconds() < HEARTBEAT_TIMEOUT
        ),
        key=lambda entry: entry["since"],
    )
