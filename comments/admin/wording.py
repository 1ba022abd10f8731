"""What the desk says after each action, in German with "Sie" (singular and plural)."""

from django.utils.translation import ngettext

from comments.models import Comment

Status = Comment.Status

#: What each status change tells the moderator (singular, plural).
STATUS_MESSAGES = {
    Status.APPROVED: ("%(count)d Kommentar freigegeben.", "%(count)d Kommentare freigegeben."),
    Status.PENDING: (
        "%(count)d Kommentar wartet (wieder) auf Freischaltung.",
        "%(count)d Kommentare warten (wieder) auf Freischaltung.",
    ),
    Status.SPAM: (
        "%(count)d Kommentar als Spam markiert.",
        "%(count)d Kommentare als Spam markiert.",
    ),
    Status.TRASH: (
        "%(count)d Kommentar in den Papierkorb gelegt.",
        "%(count)d Kommentare in den Papierkorb gelegt.",
    ),
}
DELETED_MESSAGES = (
    "%(count)d Kommentar endgültig gelöscht.",
    "%(count)d Kommentare endgültig gelöscht.",
)
#: "Moritz hat diesen Kommentar am 3. Dezember … " — what a status change did, as a verb.
STATUS_DONE = {
    Status.APPROVED: "freigegeben",
    Status.PENDING: "wieder auf „Ausstehend“ gesetzt",
    Status.SPAM: "als Spam markiert",
    Status.TRASH: "in den Papierkorb gelegt",
}


def counted(count, messages_):
    return ngettext(*messages_, count) % {"count": count}
