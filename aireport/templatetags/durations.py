"""Template filters for lengths of time."""

from datetime import timedelta

from django import template
from django.utils import timezone
from django.utils.timesince import timeuntil

register = template.Library()


@register.filter
def duration(value: timedelta) -> str:
    """A timedelta in words of the active language, e.g. "1 Stunde" (Django's timeuntil)."""
    now = timezone.now()
    return timeuntil(now + value, now)
