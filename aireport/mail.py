"""Emails: rendered from German plain-text templates, sent by the site's name, retried.

Tasks that send mail carry only ids and render the message when they run, so no email address
or comment text sits in the task queue's table.
"""

import logging
import smtplib
from datetime import timedelta
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone

logger = logging.getLogger(__name__)


def sender() -> str:
    """DEFAULT_FROM_EMAIL's address with the site's name as the name people see."""
    return formataddr((settings.SITE_NAME, parseaddr(settings.DEFAULT_FROM_EMAIL)[1]))


def build_email(template: str, context: dict, *, to: list[str], headers=None) -> EmailMessage:
    """`<template>_subject.txt` gives the subject (one line), `<template>.txt` the text."""
    context = {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL.rstrip("/"),
        "SITE_PUBLISHER": settings.SITE_PUBLISHER,
        **context,
    }
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}.txt", context)
    return EmailMessage(subject, body, sender(), to, headers=headers or {})


class RecipientRefused(Exception):
    """The mail server refused the recipient. Raised instead of smtplib's
    SMTPRecipientsRefused, whose message is the address itself: the queue's table keeps a
    failed task's error and traceback, and the worker logs them, so neither may name a person
    (docs/privacy.md)."""


def _scrubbed(error: Exception) -> Exception | None:
    """An error that names no recipient in place of one that does; None to keep `error`."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = sorted({code for code, _ in error.recipients.values()})
        return RecipientRefused(f"Empfänger abgelehnt (SMTP {', '.join(map(str, codes))})")
    return None


def retry_delay(attempt: int) -> timedelta:
    """1, 4, 16, 64, 256 … minutes after the first, second, third … failed attempt."""
    return timedelta(minutes=4 ** (attempt - 1))


def send_or_retry(message: EmailMessage, *, task, args: tuple, attempt: int) -> None:
    """Send `message`; if the mail server fails, queue `task(*args)` again for later
    (up to EMAIL_MAX_ATTEMPTS tries) and re-raise, so the queue records the failure.

    Log lines name the task, never the subject or a recipient; a refused recipient is
    re-raised as RecipientRefused, without the address."""
    try:
        message.send()
    except Exception as error:
        if attempt < settings.EMAIL_MAX_ATTEMPTS and task.get_backend().supports_defer:
            delay = retry_delay(attempt)
            task.using(run_after=timezone.now() + delay).enqueue(*args, attempt=attempt + 1)
            logger.warning(
                "Could not send the email of %s (attempt %d of %d); trying again in %d minutes",
                task.name,
                attempt,
                settings.EMAIL_MAX_ATTEMPTS,
                delay.total_seconds() // 60,
            )
        else:
            logger.error(
                "Could not send the email of %s (attempt %d of %d); giving up",
                task.name,
                attempt,
                settings.EMAIL_MAX_ATTEMPTS,
            )
        scrubbed = _scrubbed(error)
        if scrubbed is not None:
            raise scrubbed from None
        raise
