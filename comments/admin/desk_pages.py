"""The desk's own pages and row actions: change a status, delete for good, reply, ban the
sender, empty spam or trash, and confirm an action from the moderators' email.

Row actions are small POST forms (the buttons point at one form outside the change list with
`form=`), so they work without JavaScript; static/js/admin-comments.js makes them act in
place. Every status change goes through comments.actions.change_status.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme

from comments import actions, audit, email_links
from comments.admin.filters import HIDDEN_BY_DEFAULT
from comments.admin.forms import NETWORK_LOOKBACK_DAYS, BanForm, ReplyForm, network_label
from comments.admin.undo import UndoPage, keep_offer, make_offer
from comments.admin.wording import DELETED_MESSAGES, STATUS_DONE, STATUS_MESSAGES, counted
from comments.grounds import GroundForm
from comments.models import Comment, Objection
from comments.objections import decide_objection
from comments.statements import REMOVED_FROM

Status = Comment.Status


class DeskPages(UndoPage):
    """Mixed into CommentAdmin (comments/admin/desk.py); "Rückgängig" in comments/admin/undo.py."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/status/", view(self.status_view), name="comments_comment_status"),
            path("<int:pk>/rueckgaengig/", view(self.undo_view), name="comments_comment_undo"),
            path(
                "<int:pk>/endgueltig-loeschen/",
                view(self.delete_forever_view),
                name="comments_comment_delete_forever",
            ),
            path("<int:pk>/antworten/", view(self.reply_view), name="comments_comment_reply"),
            path("<int:pk>/papierkorb/", view(self.trash_view), name="comments_comment_trash"),
            path(
                "<int:pk>/widerspruch/<int:objection_pk>/",
                view(self.objection_view),
                name="comments_comment_objection",
            ),
            path("<int:pk>/sperren/", view(self.ban_view), name="comments_comment_ban"),
            path("leeren/<str:status>/", view(self.empty_view), name="comments_comment_empty"),
            path(
                "email/<str:token>/",
                view(self.email_action_view),
                name="comments_comment_email_action",
            ),
            *super().get_urls(),
        ]

    def _back(self, request):
        target = request.POST.get("next", "")
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return HttpResponseRedirect(target)
        return redirect("admin:comments_comment_changelist")

    def _done(self, request, message, undo=None, status=200):
        """Answer a row action: JSON for the script (with what "Rückgängig" sends back), a
        redirect back to the list without it (the list then offers "Rückgängig")."""
        if request.headers.get("X-Requested-With") == "fetch":
            return JsonResponse({"message": message, "undo": undo}, status=status)
        self.message_user(request, message, messages.SUCCESS)
        if undo is not None:
            keep_offer(request, undo)
        return self._back(request)

    def _comment_or_deny(self, request, pk, permission="change"):
        comment = get_object_or_404(Comment, pk=pk)
        allowed = getattr(self, f"has_{permission}_permission")(request, comment)
        if not allowed:
            raise PermissionDenied
        return comment

    def _page(self, request, template, title, status=200, **context):
        return TemplateResponse(
            request,
            f"admin/comments/comment/{template}",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": title,
                **context,
            },
            status=status,
        )

    def status_view(self, request, pk):
        comment = self._comment_or_deny(request, pk)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        status = request.POST.get("status")
        if status not in Status.values:
            return JsonResponse({"message": "Unbekannte Aktion."}, status=400)
        if status == Status.TRASH and comment.status in REMOVED_FROM:
            # A removal needs its ground (DSA Art. 17): asked on the trash page.
            url = reverse("admin:comments_comment_trash", args=[comment.pk])
            if request.headers.get("X-Requested-With") == "fetch":
                return JsonResponse({"message": "Bitte einen Grund angeben.", "url": url}, 400)
            next_url = request.POST.get("next", "")
            return redirect(f"{url}?{urlencode({'next': next_url})}" if next_url else url)
        via = audit.Via.SHORTCUT if request.POST.get("via") == "shortcut" else audit.Via.ROW
        before = comment.status
        count = actions.change_status(
            Comment.objects.filter(pk=comment.pk, status=before), status, user=request.user, via=via
        )
        if not count:
            return self._done(request, "Keine Änderung.")
        undo = make_offer(comment, before, status)
        return self._done(request, counted(count, STATUS_MESSAGES[status]), undo)

    def delete_forever_view(self, request, pk):
        comment = get_object_or_404(Comment, pk=pk)
        if not super().has_delete_permission(request, comment):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        count = actions.delete_trashed(
            Comment.objects.filter(pk=comment.pk), user=request.user, via=audit.Via.ROW
        )
        return self._done(request, counted(count, DELETED_MESSAGES))

    def reply_view(self, request, pk):
        parent = self._comment_or_deny(request, pk)
        form = ReplyForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            reply, approved_now = actions.reply_as_moderator(
                parent=parent, user=request.user, text=form.cleaned_data["text"]
            )
            message = "Ihre Antwort ist veröffentlicht."
            if approved_now:
                message = "Der Kommentar wurde freigegeben und Ihre Antwort veröffentlicht."
            return self._done(request, message)
        return self._page(
            request,
            "reply.html",
            f"Antwort auf den Kommentar von {parent.author_name}",
            comment=parent,
            form=form,
            next=request.GET.get("next", ""),
        )

    def trash_view(self, request, pk):
        """ "Papierkorb" for one comment: asks for the ground, which the author is told."""
        comment = self._comment_or_deny(request, pk)
        if comment.status not in REMOVED_FROM:
            self.message_user(request, "Der Kommentar ist nicht (mehr) sichtbar oder wartend.")
            return self._back(request)
        ground_form = GroundForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and ground_form.is_valid():
            before = comment.status
            count = actions.change_status(
                Comment.objects.filter(pk=comment.pk, status=before),
                Status.TRASH,
                user=request.user,
                via=audit.Via.ROW,
                ground=ground_form.ground_value(),
            )
            if not count:
                return self._done(request, "Keine Änderung.")
            undo = make_offer(comment, before, Status.TRASH)
            return self._done(request, counted(count, STATUS_MESSAGES[Status.TRASH]), undo)
        next_url = request.POST.get("next") or request.GET.get("next", "")
        return self._page(
            request,
            "trash.html",
            "In den Papierkorb legen: Grund angeben",
            status=400 if request.method == "POST" else 200,
            comment=comment,
            ground_form=ground_form,
            next=next_url,
            back_url=next_url
            if next_url.startswith("/") and not next_url.startswith("//")
            else reverse("admin:comments_comment_changelist"),
        )

    def trash_with_ground(self, request, queryset):
        """The bulk action "In den Papierkorb legen": an intermediate page asks for one ground
        for all (like Django's delete confirmation), then moves them."""
        removable = queryset.filter(status__in=REMOVED_FROM)
        ground_form = GroundForm(request.POST if request.POST.get("post") == "yes" else None)
        if not removable.exists() or ground_form.is_valid():
            count = actions.change_status(
                queryset,
                Status.TRASH,
                user=request.user,
                via=audit.Via.BULK,
                ground=ground_form.ground_value() if ground_form.is_bound else None,
            )
            self.message_user(
                request, counted(count, STATUS_MESSAGES[Status.TRASH]), messages.SUCCESS
            )
            return None
        comments = list(queryset.order_by("-created_at"))
        return self._page(
            request,
            "trash.html",
            "In den Papierkorb legen: Grund angeben",
            count=len(comments),
            with_address=sum(1 for c in comments if c.author_email and c.status in REMOVED_FROM),
            comments=comments,
            selected=[c.pk for c in comments],
            action="move_to_trash",
            ground_form=ground_form,
            back_url=request.get_full_path(),
        )

    def objection_view(self, request, pk, objection_pk):
        """Decide an author's objection from the comment's page; the author is emailed."""
        comment = self._comment_or_deny(request, pk)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        objection = get_object_or_404(
            Objection.objects.select_related("statement"),
            pk=objection_pk,
            statement__comment=comment,
        )
        decision = request.POST.get("decision")
        if objection.decision or decision not in (
            Objection.Decision.UPHELD,
            Objection.Decision.REVERSED,
        ):
            self.message_user(request, "Dieser Widerspruch ist schon entschieden.", messages.ERROR)
        else:
            decide_objection(
                objection=objection,
                decision=decision,
                reason=" ".join(request.POST.get("reason", "").split())[:1000],
                user=request.user,
            )
            self.message_user(
                request,
                "Widerspruch entschieden; die Verfasserin bzw. der Verfasser bekommt eine E-Mail.",
                messages.SUCCESS,
            )
        return redirect("admin:comments_comment_change", comment.pk)

    def ban_view(self, request, pk):
        comment = self._comment_or_deny(request, pk)
        if not request.user.has_perm("comments.add_bannedsender"):
            raise PermissionDenied
        form = BanForm(request.POST or None, comment=comment)
        if request.method == "POST" and form.is_valid():
            actions.ban_sender(
                comment=comment,
                user=request.user,
                reason=form.cleaned_data["reason"],
                include_network=form.includes_network,
            )
            banned = (
                f"dieser E-Mail-Adresse und aus dem Netz {network_label(comment.ip_address)}"
                if form.includes_network
                else "dieser E-Mail-Adresse"
            )
            self.message_user(
                request,
                f"Absender gesperrt: Neue Kommentare {banned} landen im Spam. "
                "Der Kommentar ist jetzt Spam.",
                messages.SUCCESS,
            )
            return redirect("admin:comments_comment_change", comment.pk)
        others = Comment.objects.none()
        if comment.ip_address:
            others = Comment.objects.from_network_of_others(comment, days=NETWORK_LOOKBACK_DAYS)
        return self._page(
            request,
            "ban.html",
            "Absender sperren",
            comment=comment,
            form=form,
            network=network_label(comment.ip_address) if comment.ip_address else "",
            lookback_days=NETWORK_LOOKBACK_DAYS,
            others_count=others.count(),
            other_addresses=others.values("author_email_normalised").distinct().count(),
        )

    def empty_view(self, request, status):
        if status not in HIDDEN_BY_DEFAULT:
            raise PermissionDenied
        if not super().has_delete_permission(request):
            raise PermissionDenied
        comments = Comment.objects.filter(status=status)
        label = "Spam leeren" if status == Status.SPAM else "Papierkorb leeren"
        if request.method == "POST":
            count = actions.delete_trashed(comments, user=request.user, via=audit.Via.EMPTY)
            self.message_user(request, counted(count, DELETED_MESSAGES), messages.SUCCESS)
            return redirect(reverse("admin:comments_comment_changelist") + f"?status={status}")
        return self._page(
            request, "empty.html", label, count=comments.count(), status_label=Status(status).label
        )

    def email_action_view(self, request, token):
        """Confirm a link's action. When the comment's status changed since the email was
        written, say what happened and ask for a second, explicit confirmation."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        link = email_links.read_moderation_link(token)
        if link is None:
            return self._page(request, "email_link_invalid.html", "Link ungültig", status=400)
        comment = self._comment_or_deny(request, link.comment_id)
        status = email_links.EMAIL_ACTION_STATUS[link.action]
        changed_since = comment.status != link.made_for
        confirmed_again = request.POST.get("trotzdem") == "1"
        needs_ground = status == Status.TRASH and comment.status in REMOVED_FROM
        ground_form = None
        if needs_ground:
            ground_form = GroundForm(request.POST if request.method == "POST" else None)
        ground_ok = ground_form is None or ground_form.is_valid()
        if request.method == "POST" and (not changed_since or confirmed_again) and ground_ok:
            count = actions.change_status(
                Comment.objects.filter(pk=comment.pk),
                status,
                user=request.user,
                via=audit.Via.EMAIL,
                ground=ground_form.ground_value() if ground_form is not None else None,
            )
            self.message_user(
                request,
                counted(count, STATUS_MESSAGES[status])
                if count
                else "Der Kommentar hatte diesen Status schon.",
                messages.SUCCESS,
            )
            return redirect("admin:comments_comment_change", comment.pk)
        return self._page(
            request,
            "email_action.html",
            f"{email_links.EMAIL_ACTIONS[link.action]}: bitte bestätigen",
            comment=comment,
            action_label=email_links.EMAIL_ACTIONS[link.action],
            changed_since=changed_since,
            since=what_happened(comment) if changed_since else "",
            ground_form=ground_form,
        )


def what_happened(comment) -> str:
    """ "Moritz hat diesen Kommentar am 3. Dezember 2026 um 14:05 Uhr in den Papierkorb gelegt." """
    from_log = audit.last_status_change(comment.pk)
    done = STATUS_DONE[comment.status]
    if from_log is not None:
        who = from_log.user.get_full_name() or from_log.user.get_username()
        return f"{who} hat diesen Kommentar {_on(from_log.time)} {done}."
    when = comment.status_changed_at or comment.created_at
    return f"Dieser Kommentar wurde {_on(when)} {done}."


def _on(moment) -> str:
    local = timezone.localtime(moment)
    return f"am {formats.date_format(local, 'j. F Y')} um {formats.date_format(local, 'H:i')} Uhr"
