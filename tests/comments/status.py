"""A status change as a script that fixes comments makes it: through the one path
(comments.actions.change_status), with its after-commit reactions (page version,
notifications) run at once, as they run after a real commit."""

from comments import actions
from comments.audit import Via
from tests.clients import committed


def set_status(comments, status) -> int:
    with committed():
        return actions.change_status(comments, status, user=None, via=Via.IMPORT)
