"""Long discussions in pages of top-level threads, as WordPress pages them.

A page holds "Kommentare pro Seite" top-level comments (the Diskussion settings; by default
COMMENTS_PER_PAGE), each with all its replies, so a thread is never cut in two. Which comment
belongs to which page is worked out from one narrow query (id, parent, status of every comment
the reader may see); only the page's own comments are then loaded whole. The cost per page is
two queries, with 50 comments or 5,000.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.urls import reverse

from .models import Comment
from .rules import discussion_rules


def newest_first() -> bool:
    return settings.COMMENTS_ORDER == "newest"


@dataclass
class Discussion:
    """What a reader may see of one report's discussion, before a page is chosen."""

    report: object
    #: Top-level comment ids in reading order (setting COMMENTS_ORDER).
    roots: list[int]
    #: Every visible comment id → the id of the top-level comment its thread starts with.
    root_of: dict[int, int]
    approved_count: int
    #: Only the threads about one section (comments/sections.py), and its title.
    section_anchor: str = ""
    subject: str = ""
    paginator: Paginator = field(init=False)

    def __post_init__(self):
        per_page = discussion_rules().comments_per_page or max(len(self.roots), 1)
        self.paginator = Paginator(self.roots, per_page, allow_empty_first_page=True)

    @classmethod
    def for_reader(
        cls, report, own_ids=(), *, section_anchor="", section_id=None, subject=""
    ) -> "Discussion":
        """The reader's discussion of the report, or with `section_anchor` only the threads
        whose top-level comment is about that section: the section `section_id`, or one
        deleted since that had this anchor."""
        rows = list(
            Comment.objects.for_report(report)
            .visible_to(own_ids)
            .order_by("created_at", "id")
            .values_list("pk", "parent_id", "status", "section_id", "section_anchor")
        )
        parent_of = {pk: parent_id for pk, parent_id, *_ in rows}
        root_of: dict[int, int] = {}
        roots = []
        for pk, *_ in rows:
            # A reply whose parent is not visible starts its own thread (as build_thread).
            chain = [pk]
            while parent_of[chain[-1]] in parent_of and chain[-1] not in root_of:
                chain.append(parent_of[chain[-1]])
            root = root_of.get(chain[-1], chain[-1])
            for member in chain:
                root_of[member] = root
            if root == pk:
                roots.append(pk)
        if section_anchor:
            about = {pk: (section, anchor) for pk, _, _, section, anchor in rows}
            roots = [
                root
                for root in roots
                if (section_id is not None and about[root][0] == section_id)
                or about[root] == (None, section_anchor)
            ]
            kept = set(roots)
            root_of = {pk: root for pk, root in root_of.items() if root in kept}
        if newest_first():
            roots.reverse()
        approved = sum(
            status == Comment.Status.APPROVED for pk, _, status, *_ in rows if pk in root_of
        )
        return cls(
            report=report,
            roots=roots,
            root_of=root_of,
            approved_count=approved,
            section_anchor=section_anchor,
            subject=subject,
        )

    def page_url(self, number: int) -> str:
        if self.section_anchor:
            return section_page_url(self.report, self.section_anchor, number)
        return page_url(self.report, number)

    def page_number_of(self, comment_id: int) -> int | None:
        """The page that shows `comment_id`, or None when the reader may not see it."""
        root = self.root_of.get(comment_id)
        if root is None:
            return None
        return self.roots.index(root) // self.paginator.per_page + 1

    def page(self, number: int) -> Page:
        """Raises django.core.paginator.InvalidPage for a page that does not exist."""
        return self.paginator.page(number)

    def comments_on(self, page: Page):
        """The comments of `page` (top-level comments and all their replies), oldest first."""
        roots = set(page.object_list)
        ids = [pk for pk, root in self.root_of.items() if root in roots]
        return (
            Comment.objects.filter(pk__in=ids)
            .order_by("created_at", "id")
            .defer("text", "author_email", "ip_address", "user_agent")
        )


def page_url(report, number: int) -> str:
    """Page 1 is the article itself; further pages have their own address."""
    if number <= 1:
        return report.get_absolute_url()
    return reverse("comments:page", kwargs={"slug": report.slug, "page": number})


def section_page_url(report, anchor: str, number: int) -> str:
    """One section's discussion (comments/sections.py), paged as the whole one is."""
    kwargs = {"slug": report.slug, "anchor": anchor}
    if number <= 1:
        return reverse("comments:section", kwargs=kwargs)
    return reverse("comments:section_page", kwargs={**kwargs, "page": number})
