"""`{% render_discussion report %}`: the comments under an article, and the form.

The discussion comes in pages of top-level threads (comments/paging.py): one narrow query
tells which comments a page holds, one more loads them, and the thread is built here in
Python, so a page costs the same number of queries with 5 comments or 5,000.
"""

from collections import defaultdict
from dataclasses import dataclass

from django import template
from django.core.paginator import InvalidPage

from comments import paging, readers, sections, waiting
from comments.forms import CommentForm
from comments.models import Comment
from comments.rules import accepts_comments, discussion_rules
from comments.threads import starts_thread

register = template.Library()


@dataclass
class ThreadItem:
    """One comment in reading order. The template opens a nested list after it when
    `opens_replies`, and otherwise closes `closes` levels of replies."""

    comment: Comment
    depth: int
    opens_replies: bool = False
    closes: range = range(0)
    #: A folded thread's replies, shown as "3 Antworten anzeigen" (comments/paging.py).
    folded_replies: int = 0
    thread_url: str = ""


def build_thread(
    comments: list[Comment], max_depth: int, *, newest_first: bool = False
) -> list[ThreadItem]:
    """Comments oldest first with their replies under them, nested at most `max_depth` deep.

    A reply whose parent is not visible (not approved, or removed) starts its own thread;
    replies deeper than `max_depth` line up at the deepest level. With `newest_first` the
    threads come newest first; replies within a thread stay oldest first.
    """
    visible = {comment.pk for comment in comments}
    replies = defaultdict(list)
    roots = []
    for comment in comments:
        if starts_thread(comment.parent_id, visible):
            roots.append(comment)
        else:
            replies[comment.parent_id].append(comment)

    items: list[ThreadItem] = []
    stack = [(comment, 1) for comment in (roots if newest_first else reversed(roots))]
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


@dataclass
class PageLink:
    """One entry of the page navigation: a page number, or None for the "…" gap."""

    number: int | None
    url: str = ""
    current: bool = False


def page_navigation(discussion: paging.Discussion, page) -> dict | None:
    """WordPress's comment navigation: older and newer page, and the page numbers."""
    if discussion.paginator.num_pages < 2:
        return None
    links = [
        PageLink(None)
        if number == discussion.paginator.ELLIPSIS
        else PageLink(number, discussion.page_url(number), number == page.number)
        for number in discussion.paginator.get_elided_page_range(
            page.number, on_each_side=2, on_ends=1
        )
    ]
    before = discussion.page_url(page.number - 1) if page.has_previous() else None
    after = discussion.page_url(page.number + 1) if page.has_next() else None
    older, newer = (after, before) if paging.newest_first() else (before, after)
    return {"older": older, "newer": newer, "links": links}


@register.inclusion_tag("comments/discussion.html", takes_context=True)
def render_discussion(context, report):
    """The page of the discussion named by the view (`comment_page`), else the one holding
    the comment being answered, else page 1."""
    request = context["request"]
    discussion = context.get("discussion") or paging.Discussion.for_reader(
        report, readers.own_comment_ids(request)
    )
    max_depth = discussion_rules().max_depth

    form = context.get("comment_form")
    if form is None:
        initial = {**readers.remembered_author(request)}
        initial["remember"] = bool(initial)
        reply_to_id = comment_id(request.GET.get("replytocom"))
        if reply_to_id is not None:
            initial["parent"] = reply_to_id
        # "Diskutieren" without JavaScript (?abschnitt=), or one section's own discussion.
        initial["section"] = discussion.section_anchor or request.GET.get("abschnitt", "")
        form = CommentForm(report=report, initial=initial)
        if initial["section"] not in form.sections:
            form.initial.pop("section")
        parent_id = initial.get("parent")
    else:
        parent_id = form["parent"].value()

    number = context.get("comment_page")
    # The comment answered, or the own waiting comment of a signed preview link.
    shown = comment_id(parent_id) or comment_id(request.GET.get(readers.OWN_ID_PARAMETER))
    if number is None and shown is not None:
        number = discussion.page_number_of(shown)
    try:
        page = discussion.page(number or 1)
    except InvalidPage:  # the discussion shrank since the reader's page was shown
        page = discussion.page(1)
    folded = discussion.folded_on(page, keep_open=[shown])
    comments = list(discussion.comments_on(page, folded))
    sections.describe(report, comments, within=discussion.section_anchor)
    by_id = {comment.pk: comment for comment in comments}

    reply_to = by_id.get(comment_id(parent_id))
    if reply_to is not None and not reply_to.can_have_replies:
        reply_to = None
    if reply_to is None and not form.is_bound:
        form.initial.pop("parent", None)

    thread = build_thread(comments, max_depth, newest_first=paging.newest_first())
    for item in thread:
        if item.comment.pk in folded:
            item.folded_replies = discussion.thread_sizes[item.comment.pk] - 1
            item.thread_url = paging.thread_url(report, item.comment.pk)

    return {
        "report": report,
        "accepting": accepts_comments(report) and report.is_published,
        "closed": not accepts_comments(report),
        "thread": thread,
        "approved_count": discussion.approved_count,
        # A thread's own page says what it holds in its own heading.
        "counted": discussion.thread_root is None,
        # New comments without reloading (comments/live.py): the report's counter counts the
        # whole discussion, so only the report's own pages ask it.
        "live": report.is_published
        and discussion.thread_root is None
        and not discussion.section_anchor,
        "navigation": page_navigation(discussion, page),
        "page_url": discussion.page_url(page.number),
        # The form names the page it was sent from (a form with errors comes back there).
        "page_number": 1 if discussion.section_anchor else page.number,
        "subject": discussion.subject or report.title,
        "form": form,
        "reply_to": reply_to,
    }


@register.simple_tag
def approved_comment_count(report) -> int:
    """For the article's structured data, header and contents, above the discussion itself:
    counted once per page, on the report object the page renders."""
    if not hasattr(report, "_approved_comment_count"):
        report._approved_comment_count = Comment.objects.for_report(report).approved().count()
    return report._approved_comment_count


@register.simple_tag
def section_comment_counts(report) -> dict[int, int]:
    """Approved comments per section id, for the headings and the contents (one query)."""
    return sections.comment_counts(report)


@register.filter(name="accepts_comments")
def accepts_comments_filter(report) -> bool:
    """`report|accepts_comments`: open for comments and not closed by age (comments.rules)."""
    return accepts_comments(report)


@register.filter
def comments_about(counts: dict, section) -> int:
    return counts.get(section.pk, 0)


@register.simple_tag
def pending_comment_count() -> int:
    return Comment.objects.pending().count()


@register.simple_tag
def usual_wait() -> str:
    """ "Meist innerhalb von 40 Minuten" under the author's own waiting comment, or nothing
    (comments/waiting.py; one cache lookup)."""
    return waiting.describe_wait(waiting.usual_wait())


@register.simple_tag
def reported_comment_count() -> int:
    """Comments with readers' reports still to decide (the desk's view "Gemeldet")."""
    return Comment.objects.with_open_notices().count()
