from contextlib import contextmanager

from django.db import connection
from django.test import Client, TestCase


@contextmanager
def committed():
    """Run what waits for the commit at the end of the block, as a real commit would, then
    drop it, so that a test's own capture around the block does not run it twice."""
    start = len(connection.run_on_commit)
    try:
        with TestCase.captureOnCommitCallbacks(execute=True):
            yield
    finally:
        del connection.run_on_commit[start:]


class CommittingClient(Client):
    """A request ends as it ends in production, where each request commits: what waits for
    the commit (comment_was_posted, comment_status_changed and their receivers: the page
    version, queued emails) happens before the response returns to the test."""

    def request(self, **request):
        with committed():
            return super().request(**request)


class BrowserClient(CommittingClient):
    """The test client as a current browser sends a form from this site: with Fetch Metadata
    (`Sec-Fetch-Site: same-origin`), which the reader's forms require (fetch_metadata.py)."""

    def __init__(self, *args, headers=None, **kwargs):
        headers = {"Sec-Fetch-Site": "same-origin", **(headers or {})}
        super().__init__(*args, headers=headers, **kwargs)
