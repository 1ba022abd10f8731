"""`{% render_discussion report %}`: the comments under an article, and the form.

One query fetches every comment the reader may see; the thread is built here in Python, so
the page costs the same number of queries with 5 comments or 500.
"""

from collections import defaultdict
from dataclasses import dataclass

from django import template

from comments import readers
from comments.forms import CommentForm
from comments.models import Comment
from comments.rules import discussion_rules

register = template.Library()


@dataclass
class ThreadItem:
    """One comment in reading order. The template opens a nested list after it when
    `opens_replies`, and otherwise closes `closes` levels of replies."""

    comment: Comment
    depth: int
    opens_replies: bool = False
    closes: range = range(0)


def build_thread(comments: list[Comment], max_depth: int) -> list[ThreadItem]:
    """Comments oldest first with their replies under them, nested at most `max_depth` deep.

    A reply whose parent is not visible (not approved, or removed) starts its own thread;
    replies deeper than `max_depth` line up at the deepest level.
    """
    visible = {comment.pk for comment in comments}
    replies = defaultdict(list)
    roots = []
    for comment in comments:
        if comment.parent_id in visible:
            replies[comment.parent_id].append(comment)
        else:
            roots.append(comment)

    items: list[ThreadItem] = []
    stack = [(comment, 1) for comment in reversed(roots)]
    while stack:
        comment, depth = stack.pop()
        items.append(ThreadItem(comment, min(depth, max_depth)))
        stack.extend((reply, depth + 1) for reply in reversed(replies[comment.pk]))

    for index, item in enumerate(items):
        next_depth = items[index + 1].depth if index + 1 < len(items) else 1
        item.opens_replies = next_depth > item.depth
        item.closes = range(max(0, item.depth - next_depth))
    return items


def comment_id(value) -> int | None:
    """The id in ?replytocom= or the form's parent field; None for anything but plain ASCII
    digits of sane length ("²".isdigit() is true, and int() refuses 5 000 digits)."""
    value = str(value or "")
    if value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


@register.inclusion_tag("comments/discussion.html", takes_context=True)
def render_discussion(context, report):
    request = context["request"]
    comments = list(
        Comment.objects.for_report(report)
        .visible_to(readers.own_comment_ids(request))
        .defer("text", "author_email", "ip_address", "user_agent")
    )
    max_depth = discussion_rules().max_depth
    by_id = {comment.pk: comment for comment in comments}

    form = context.get("comment_form")
    if form is None:
        initial = {**readers.remembered_author(request)}
        initial["remember"] = bool(initial)
        reply_to_id = comment_id(request.GET.get("replytocom"))
        if reply_to_id is not None:
            initial["parent"] = reply_to_id
        form = CommentForm(report=report, initial=initial)
        parent_id = initial.get("parent")
    else:
        parent_id = form["parent"].value()

    reply_to = by_id.get(comment_id(parent_id))
    if reply_to is not None and not reply_to.can_have_replies:
        reply_to = None
    if reply_to is None and not form.is_bound:
        form.initial.pop("parent", None)

    return {
        "report": report,
        "accepting": report.comments_open and report.is_published,
        "thread": build_thread(comments, max_depth),
        "approved_count": sum(comment.is_approved for comment in comments),
        "form": form,
        "reply_to": reply_to,
    }


@register.simple_tag
def pending_comment_count() -> int:
    return Comment.objects.pending().count()
