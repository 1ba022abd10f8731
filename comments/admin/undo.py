"""The desk's "Rückgängig", as WordPress offers it after each row action.

An action that can be undone answers with an offer: what `undo_view` needs to put the comment
back (the status before and the one the action gave it). With JavaScript the answer is JSON and
static/js/admin-comments.js shows the offer in the row. An action answered by a redirect — the
ground page of "Papierkorb", or any row action without JavaScript — keeps the offer in the
session instead; the list shows it as a small form (and the script moves it into the row) until
COMMENTS_UNDO_SECONDS have passed, it was used, or the comment's status changed since.
"""

import math
import time

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseNotAllowed, JsonResponse
from django.urls import reverse

from comments import actions, audit
from comments.admin.wording import STATUS_DONE
from comments.models import Comment

Status = Comment.Status
SESSION_KEY = "comments_desk_undo"


def make_offer(comment, before, after) -> dict:
    """What "Rückgängig" sends back to undo the change of `comment` from `before` to `after`."""
    return {
        "id": comment.pk,
        "url": reverse("admin:comments_comment_undo", args=[comment.pk]),
        "status": before,
        "expected": after,
        "text": f"Kommentar von {comment.author_name} {STATUS_DONE[after]}.",
    }


def keep_offer(request, offer) -> None:
    """Remember the offer for the list the redirect leads to (ids and statuses only)."""
    others = [kept for kept in request.session.get(SESSION_KEY, []) if kept["id"] != offer["id"]]
    kept = {key: offer[key] for key in ("id", "status", "expected")}
    kept["until"] = time.time() + settings.COMMENTS_UNDO_SECONDS
    request.session[SESSION_KEY] = [*others, kept]


def forget_offer(request, pk) -> None:
    stored = request.session.get(SESSION_KEY, [])
    if any(kept["id"] == pk for kept in stored):
        request.session[SESSION_KEY] = [kept for kept in stored if kept["id"] != pk]


def open_offers(request) -> list[dict]:
    """The session's offers that still work, oldest first, each with its `seconds` left; the
    expired ones and those whose comment changed since are dropped."""
    stored = request.session.get(SESSION_KEY, [])
    if not stored:
        return []
    now = time.time()
    alive = [kept for kept in stored if kept["until"] > now]
    comments = Comment.objects.in_bulk([kept["id"] for kept in alive])
    alive = [
        kept
        for kept in alive
        if kept["id"] in comments and comments[kept["id"]].status == kept["expected"]
    ]
    if alive != stored:
        request.session[SESSION_KEY] = alive
    return [
        {
            **make_offer(comments[kept["id"]], kept["status"], kept["expected"]),
            "seconds": math.ceil(kept["until"] - now),
        }
        for kept in alive
    ]


class UndoPage:
    """Mixed into CommentAdmin with DeskPages (comments/admin/desk_pages.py)."""

    def undo_view(self, request, pk):
        """ "Rückgängig" after a row action: back to the status before it, but only while the
        comment still has the status that action gave it (another moderator may have acted)."""
        comment = self._comment_or_deny(request, pk)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        previous, expected = request.POST.get("status"), request.POST.get("expected")
        if previous not in Status.values or expected not in Status.values:
            return JsonResponse({"message": "Unbekannte Aktion."}, status=400)
        forget_offer(request, comment.pk)
        with transaction.atomic():
            # Locked: a second moderator's action between the check and the change waits.
            still = Comment.objects.select_for_update().filter(pk=comment.pk, status=expected)
            count = still.exists() and actions.change_status(
                Comment.objects.filter(pk=comment.pk),
                previous,
                user=request.user,
                via=audit.Via.UNDO,
            )
        if not count:
            comment.refresh_from_db(fields=["status"])
            message = (
                "Nicht mehr rückgängig zu machen: Der Kommentar hat inzwischen den Status "
                f"„{comment.get_status_display()}“."
            )
            if request.headers.get("X-Requested-With") == "fetch":
                return self._done(request, message, status=409)
            self.message_user(request, message, messages.WARNING)
            return self._back(request)
        return self._done(
            request, f"Rückgängig gemacht: Der Kommentar ist wieder „{Status(previous).label}“."
        )
