"""The threading rule, in one place: a reply whose parent the reader cannot see (not
approved, or deleted) starts a thread of its own. The paging code (comments/paging.py) and the
thread builder of the template tag (comments/templatetags/comments.py) both ask here."""


def starts_thread(parent_id, visible_ids) -> bool:
    """Whether a comment with this parent begins a thread among the visible comments."""
    return parent_id is None or parent_id not in visible_ids
