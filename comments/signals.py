"""What the comments app announces, after the change is committed (as django-contrib-comments'
`comment_was_posted`). comments/receivers.py holds every reaction of the app itself; other apps
may connect their own.
"""

from dataclasses import dataclass

from django.dispatch import Signal

#: A comment was stored: by a reader's form (comments.posting.submit_comment) or as a reply
#: from the desk (comments.actions.reply_as_moderator). Arguments: `comment`.
comment_was_posted = Signal()

#: Comments changed their status, all through comments.actions.change_status. Arguments:
#: `changes` (a list of StatusChange), `user` (None for a change no person made, such as a
#: comment held again after readers' reports) and `via` (comments.audit.Via).
comment_status_changed = Signal()


@dataclass(frozen=True)
class StatusChange:
    comment_id: int
    report_id: int
    old_status: str
    new_status: str

    @property
    def published(self) -> bool:
        """The comment became visible to readers."""
        return self.new_status == "approved"

    @property
    def seen_by_readers(self) -> bool:
        """Readers see the difference: the comment was, or now is, on the page."""
        return "approved" in (self.old_status, self.new_status)
