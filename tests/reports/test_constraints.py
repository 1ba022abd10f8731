"""The database holds the rules it can: a value outside a field's choices is refused."""

import pytest
from django.db import IntegrityError, transaction

from comments.models import Comment
from reports.models import Report, Section
from tests.comments.conftest import CommentFactory
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("queryset", "field", "value"),
    [
        (lambda: Comment.objects.all(), "status", "published"),
        (lambda: Report.objects.all(), "status", "approved"),
        (lambda: Section.objects.all(), "level", 4),
    ],
)
def test_a_value_outside_the_choices_is_refused(queryset, field, value):
    report = ReportFactory()
    CommentFactory(report=report)
    Section.objects.create(report=report, title="Einleitung")
    with pytest.raises(IntegrityError), transaction.atomic():
        queryset().update(**{field: value})


def test_every_choice_is_allowed():
    report = ReportFactory()
    for status in Report.Status.values:
        Report.objects.filter(pk=report.pk).update(status=status)
    for level in Section.Level.values:
        Section.objects.create(report=report, title=f"Ebene {level}", level=level)
    for status in Comment.Status.values:
        CommentFactory(report=report, status=status)
    assert Comment.objects.count() == len(Comment.Status.values)
