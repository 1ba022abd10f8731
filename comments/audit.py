"""The moderation audit trail: every LogEntry about comments is written here, and only here.

Django's admin shows these entries as a comment's "Geschichte"; the "Moderationsprotokoll"
lists them all. `object_repr` never holds personal data ("Kommentar #12 zu „Bericht“"). A
text edit's before/after does, so erasing an author's data must rewrite their entries: every
entry of a comment is found by content type and object id (`entries_for`).
"""

from dataclasses import dataclass

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils.text import Truncator

from .models import Comment


class Via:
    """How a change was made; named at the end of each message."""

    ROW = "Zeilenaktion"
    BULK = "Sammelaktion"
    EMAIL = "E-Mail-Link"
    SHORTCUT = "Tastenkürzel"
    FORM = "Kommentarseite"
    REPLY = "Antwort der Redaktion"
    NOTICE = "Meldung"
    #: Without a moderator: readers' reports held an approved comment again (no log entry).
    NOTICE_HOLD = "Meldungen von Leserinnen und Lesern"
    #: Scripts that import or fix comments.
    IMPORT = "Import"
    EMPTY = "Spam/Papierkorb geleert"
    #: "Rückgängig" in the desk's row, right after an action.
    UNDO = "Rückgängig"
    OBJECTION = "Widerspruch"


#: Phrases that start each kind of message; the Moderationsprotokoll filters by them.
STATUS_PREFIX = "Status: "
TEXT_PREFIX = "Text bearbeitet"
REPLY_PREFIX = "Antwort der Redaktion"
BAN_PREFIX = "Absender gesperrt"
NOTICE_PREFIX = "Meldung entschieden"
DELETE_PREFIX = "Endgültig gelöscht"
SECTION_PREFIX = "Abschnitt geändert"
STATEMENT_PREFIX = "Begründung verschickt"
OBJECTION_PREFIX = "Widerspruch"

EXCERPT_CHARS = 300


def comment_repr(comment_id) -> str:
    return f"Kommentar #{comment_id}"


def comment_type_id() -> int:
    return ContentType.objects.get_for_model(Comment, for_concrete_model=False).pk


def _write(user, entries: list[tuple[int, int, str]]) -> None:
    """entries: (comment id, action flag, message)."""
    if not entries:
        return
    content_type_id = comment_type_id()
    # "Neueste Aktionen" shows this: the report and section, no personal data (Comment.__str__).
    # A comment deleted for good is only its number.
    named = Comment.objects.filter(pk__in=[pk for pk, *_ in entries]).select_related("report")
    reprs = {comment.pk: str(comment)[:200] for comment in named}
    LogEntry.objects.bulk_create(
        LogEntry(
            user_id=user.pk,
            content_type_id=content_type_id,
            object_id=str(comment_id),
            object_repr=reprs.get(comment_id, comment_repr(comment_id)),
            action_flag=flag,
            change_message=message,
        )
        for comment_id, flag, message in entries
    )


def status_label(status) -> str:
    return Comment.Status(status).label


def log_status_changes(*, user, changes, status, via, ground=None) -> None:
    """changes: [(comment id, old status)] of the comments that just got `status`; `ground`
    (comments.grounds.Ground) is the reason the moderator gave for a removal."""
    new = status_label(status)
    why = f" – Grund: {ground.text}" if ground is not None else ""
    _write(
        user,
        [
            (pk, CHANGE, f"{STATUS_PREFIX}{status_label(old)} → {new} ({via}){why}")
            for pk, old in changes
        ],
    )


def log_statement_sent(*, user, statement) -> None:
    """DSA Art. 17: every statement of reasons sent is in the moderation log."""
    _write(
        user,
        [
            (
                statement.comment_id,
                CHANGE,
                f"{STATEMENT_PREFIX} (Begründung #{statement.pk}): {statement.ground_text}",
            )
        ],
    )


def log_objection_decision(*, user, objection) -> None:
    message = f"{OBJECTION_PREFIX} #{objection.pk} entschieden: {objection.get_decision_display()}"
    if objection.decision_reason:
        message += f" – {objection.decision_reason}"
    _write(user, [(objection.statement.comment_id, CHANGE, message)])


def log_text_edit(*, user, comment, before: str, after: str) -> None:
    def cut(text):
        return Truncator(text).chars(EXCERPT_CHARS)

    _write(
        user,
        [(comment.pk, CHANGE, f"{TEXT_PREFIX}.\nVorher: „{cut(before)}“\nNachher: „{cut(after)}“")],
    )


def log_section_change(*, user, comment, before: str, after: str) -> None:
    """A moderator said which section a comment is about (titles; "" for the whole report)."""
    _write(
        user,
        [
            (
                comment.pk,
                CHANGE,
                f"{SECTION_PREFIX}: {before or 'ganzer Bericht'} → {after or 'ganzer Bericht'}",
            )
        ],
    )


def log_reply(*, user, parent, reply) -> None:
    _write(
        user,
        [
            (reply.pk, ADDITION, f"{REPLY_PREFIX} auf {comment_repr(parent.pk)} veröffentlicht"),
            (parent.pk, CHANGE, f"{REPLY_PREFIX}: {comment_repr(reply.pk)}"),
        ],
    )


def log_ban(*, user, comment, include_network: bool) -> None:
    banned = "E-Mail-Adresse und IP-Netz" if include_network else "E-Mail-Adresse"
    _write(user, [(comment.pk, CHANGE, f"{BAN_PREFIX} ({banned})")])


def log_notice_decision(*, user, notice) -> None:
    message = f"{NOTICE_PREFIX}: {notice.get_decision_display()}"
    if notice.decision_reason:
        message += f" – {notice.decision_reason}"
    _write(user, [(notice.comment_id, CHANGE, message)])


def log_deletions(*, user, changes, via) -> None:
    """changes: [(comment id, status before deletion)]."""
    _write(
        user,
        [
            (pk, DELETION, f"{DELETE_PREFIX} (war {status_label(old)}; {via})")
            for pk, old in changes
        ],
    )


def entries_for(comment_ids):
    """All audit entries of these comments (for export and erasure of personal data)."""
    return LogEntry.objects.filter(
        content_type_id=comment_type_id(), object_id__in=[str(pk) for pk in comment_ids]
    )


@dataclass(frozen=True)
class StatusEntry:
    """The last status change of a comment, as the log tells it."""

    user: object
    time: object
    message: str


def last_status_change(comment_id) -> StatusEntry | None:
    entry = (
        entries_for([comment_id])
        .filter(change_message__startswith=STATUS_PREFIX)
        .select_related("user")
        .order_by("-action_time", "-pk")
        .first()
    )
    return entry and StatusEntry(entry.user, entry.action_time, entry.change_message)


def forget_personal_data(comments) -> None:
    """After an erasure: the admin's "Neueste Aktionen" kept str(comment) from older versions,
    with the author's name and words; a moderator's text edit keeps the text before and after,
    which may hold what the moderator removed for privacy."""
    for comment in comments:
        entries = entries_for([comment.pk])
        entries.update(object_repr=str(comment)[:200])
        entries.filter(change_message__startswith=TEXT_PREFIX).update(
            change_message=f"{TEXT_PREFIX} (Wortlaut nach Löschung der Personendaten entfernt)."
        )
