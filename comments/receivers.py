"""Every reaction of the comments app to what happens to its data, connected in
CommentsConfig.ready(). The models and services announce; this module answers:

- a comment posted (`comment_was_posted`): the moderators' email when it waits, the
  subscribers' notifications when it is visible at once;
- statuses changed (`comment_status_changed`, sent by comments.actions.change_status only):
  the report page's version when readers see the difference, the subscribers'
  notifications for each comment that became visible;
- a comment saved (post_save): the page's version when it is on the page;
- the "Diskussion" settings saved: the cached rules dropped, every page rendered again
  (the reply depth shapes every discussion);
- a report's sections written (publishing, the seed import) or a section created: comments of
  a deleted section with its anchor come back to it (comments/sections.py);
- time: a report's pages change the day its discussion closes by age
  (reports.models.PAGE_VERSION_PARTS, comments.rules.page_version_part).
"""

from django.conf import settings
from django.db.models.signals import post_save

from comments import notifications, tasks
from comments.models import Comment, DiscussionSettings, mark_pages_changed
from comments.rules import forget_discussion_rules, page_version_part
from comments.sections import reattach_comments
from comments.signals import comment_status_changed, comment_was_posted
from reports import signals as reports_signals
from reports.models import PAGE_VERSION_PARTS, Report, Section


def comment_posted(sender, comment, **kwargs) -> None:
    if comment.status == Comment.Status.PENDING and settings.COMMENTS_MODERATOR_EMAILS:
        tasks.email_moderators.enqueue(comment.pk)
    if comment.is_approved:
        notifications.comments_published([comment.pk])


def statuses_changed(sender, changes, **kwargs) -> None:
    mark_pages_changed({change.report_id for change in changes if change.seen_by_readers})
    notifications.comments_published([change.comment_id for change in changes if change.published])


def comment_saved(sender, instance, raw=False, **kwargs) -> None:
    if instance.is_approved and not raw:
        mark_pages_changed([instance.report_id])


def discussion_settings_saved(sender, **kwargs) -> None:
    forget_discussion_rules()
    Report.objects.all().mark_page_changed()


def sections_written(sender, report, **kwargs) -> None:
    reattach_comments(report.pk)


def section_created(sender, instance, created, raw=False, **kwargs) -> None:
    """A section row made outside publishing (a script, the shell) is looked at too."""
    if created and not raw:
        reattach_comments(instance.report_id)
        # Comments that came back show under their section again.
        mark_pages_changed([instance.report_id])


def connect() -> None:
    comment_was_posted.connect(comment_posted, sender=Comment, dispatch_uid="comments-posted")
    comment_status_changed.connect(
        statuses_changed, sender=Comment, dispatch_uid="comments-status-changed"
    )
    post_save.connect(comment_saved, sender=Comment, dispatch_uid="comments-saved")
    post_save.connect(
        discussion_settings_saved, sender=DiscussionSettings, dispatch_uid="comments-rules-saved"
    )
    reports_signals.sections_written.connect(
        sections_written, sender=Report, dispatch_uid="comments-reattach"
    )
    post_save.connect(section_created, sender=Section, dispatch_uid="comments-reattach-new")
    if page_version_part not in PAGE_VERSION_PARTS:
        PAGE_VERSION_PARTS.append(page_version_part)
