"""The report page's version moves when readers would see a change, whatever changes it.

A status change moves it in answer to `comment_status_changed` (comments/receivers.py), which
the one path of every status change sends (comments.actions.change_status); saving a visible
comment moves it in answer to post_save; deleting and creating many at once through the
queryset's delete() and bulk_create(). A plain update() of other columns carries no rule.
"""

import datetime

import pytest
from django.utils import timezone

from comments.models import Comment
from reports.models import Report
from tests.factories import ReportFactory

from .conftest import CommentFactory
from .status import set_status

pytestmark = pytest.mark.django_db

Status = Comment.Status
LONG_AGO = timezone.now() - datetime.timedelta(days=30)


@pytest.fixture
def other_report(db):
    return ReportFactory(title="Another", slug="another")


@pytest.fixture
def moved(report, other_report):
    """Call to learn whether the report's stamp moved since the test started (or last call)."""
    Report.objects.update(discussion_changed_at=LONG_AGO)

    def check():
        stamps = dict(Report.objects.values_list("slug", "discussion_changed_at"))
        Report.objects.update(discussion_changed_at=LONG_AGO)
        assert stamps["another"] == LONG_AGO, "only the comment's own report changes"
        return stamps["ai-safety"] != LONG_AGO

    return check


@pytest.fixture
def approved(report):
    return CommentFactory(report=report, status=Status.APPROVED)


@pytest.fixture
def pending(report):
    return CommentFactory(report=report, status=Status.PENDING)


@pytest.mark.parametrize("status", [Status.PENDING, Status.SPAM, Status.TRASH])
def test_an_approved_comment_leaving_the_page_moves_it(approved, moved, status):
    set_status(Comment.objects.filter(pk=approved.pk), status)
    assert moved()


def test_a_comment_becoming_approved_moves_it(pending, moved):
    set_status(Comment.objects.filter(pk=pending.pk), Status.APPROVED)
    assert moved()


@pytest.mark.parametrize("status", [Status.SPAM, Status.TRASH])
def test_changes_among_unseen_comments_leave_it(pending, moved, status):
    set_status(Comment.objects.filter(pk=pending.pk), status)
    assert not moved()


def test_approving_an_approved_comment_again_leaves_it(approved, moved):
    assert set_status(Comment.objects.filter(pk=approved.pk), Status.APPROVED) == 0
    assert not moved()


def test_editing_what_readers_see_moves_it(approved, moved):
    approved.author_name = "Neuer Name"
    approved.save()
    assert moved()


def test_purging_what_readers_never_see_leaves_it(approved, moved):
    Comment.objects.filter(pk=approved.pk).update(ip_address=None, user_agent="")
    assert not moved()


def test_deleting_an_approved_comment_moves_it(approved, moved):
    Comment.objects.filter(pk=approved.pk).delete()
    assert moved()


def test_deleting_one_instance_moves_it_too(approved, moved):
    approved.delete()
    assert moved()
    assert not Comment.objects.exists()


def test_deleting_a_trashed_comment_leaves_it(report, moved):
    trashed = CommentFactory(report=report, status=Status.TRASH)
    moved()
    Comment.objects.filter(pk=trashed.pk).delete()
    assert not moved()


def test_deleting_the_parent_of_an_approved_reply_moves_it(report, approved, moved):
    reply = CommentFactory(report=report, parent=approved, status=Status.APPROVED)
    set_status(Comment.objects.filter(pk=approved.pk), Status.TRASH)
    moved()
    Comment.objects.filter(pk=approved.pk).delete()
    assert moved()  # the reply now stands on its own
    reply.refresh_from_db()
    assert reply.parent_id is None


def test_saving_follows_the_same_rule(pending, approved, moved):
    pending.text = "Geändert, aber noch nicht sichtbar."
    pending.save()
    assert not moved()
    approved.text = "Geändert und sichtbar."
    approved.save()
    assert moved()


def test_bulk_create_follows_the_same_rule(report, moved):
    fields = {"report": report, "author_name": "Erika", "author_email": "ERIKA@example.org"}
    Comment.objects.bulk_create([Comment(**fields, text="Wartet.", status=Status.PENDING)])
    assert not moved()
    Comment.objects.bulk_create([Comment(**fields, text="Sichtbar.", status=Status.APPROVED)])
    assert moved()
    assert set(Comment.objects.values_list("author_email_normalised", flat=True)) == {
        "erika@example.org"
    }
