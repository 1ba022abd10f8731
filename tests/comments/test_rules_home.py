"""Each rule has one home: the "Diskussion" settings' fields make the rules object, the admin's
form and the environment's defaults; every flood interval reads the rule an administrator set.
"""

import pytest
from django.urls import reverse

from comments.models import DiscussionSettings
from comments.notifications import request_subscriptions
from comments.rules import discussion_rules

from .conftest import CommentFactory

pytestmark = pytest.mark.django_db


def rule_names() -> list[str]:
    return [field.name for field in DiscussionSettings.rule_fields()]


def test_the_rules_object_has_one_attribute_per_settings_field():
    assert len(rule_names()) == 13  # 9, then fold/order/close and confirmation mails a day
    assert sorted(vars(discussion_rules())) == sorted(rule_names())


def test_the_admin_form_shows_every_rule_in_the_models_order(admin_client):
    DiscussionSettings.from_environment().save()
    page = admin_client.get(reverse("admin:comments_discussionsettings_change", args=[1]))
    assert list(page.context["adminform"].form.fields) == rule_names()


def test_a_new_record_starts_from_the_environment(settings):
    settings.COMMENTS_PER_PAGE = 17
    settings.COMMENTS_BLOCKLIST_WORDS = ["Casino", "Bonus"]
    record = DiscussionSettings.from_environment()
    assert (record.comments_per_page, record.blocklist_words) == (17, "Casino\nBonus")
    assert discussion_rules().blocklist_words == ("Casino", "Bonus")


def test_confirmation_emails_follow_the_administrators_flood_interval(
    report, settings, mailoutbox, django_capture_on_commit_callbacks
):
    """The environment says 60 seconds; the administrator set 0: both requests are asked."""
    settings.COMMENTS_FLOOD_SECONDS = 60
    DiscussionSettings.from_environment().save()
    DiscussionSettings.objects.update(flood_seconds=0)
    DiscussionSettings.objects.get().save()  # as the admin's form saves it
    first, second = CommentFactory.create_batch(2, report=report, author_email="erika@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        request_subscriptions(comment=first, replies=True, new_comments=False, ip_address=None)
        request_subscriptions(comment=second, replies=True, new_comments=False, ip_address=None)
    assert len(mailoutbox) == 2
