"""What the task queue does for the site itself: the staff's password reset email.

Like every email of the site it is a task that carries an id only and renders the message when
it runs (aireport.mail), so a failing mail server retries it and no address or reset link waits
in the queue's table: the link is made by the worker, from the account as it is then.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from aireport.mail import build_email, send_or_retry


@task()
def email_password_reset(user_id: int, attempt: int = 1) -> None:
    """A staff member asked for a new password on the admin's sign-in page."""
    user = get_user_model()._default_manager.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email or not user.has_usable_password():
        return
    context = {
        "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "valid_days": settings.PASSWORD_RESET_TIMEOUT // (60 * 60 * 24),
    }
    message = build_email("registration/password_reset", context, to=[user.email])
    send_or_retry(message, task=email_password_reset, args=(user_id,), attempt=attempt)
