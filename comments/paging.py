"""Long discussions in pages of top-level threads, as WordPress pages them.

A page holds "Kommentare pro Seite" top-level comments (the Diskussion settings; by default
COMMENTS_PER_PAGE), each with all its replies, so a thread is never cut in two. Which comment
belongs to which page is worked out from one narrow query (id, parent, status of every comment
the reader may see); only the page's own comments are then loaded whole. The cost per page is
two queries, with 50 comments or 5,000.

A page that would hold more than COMMENTS_FOLD_ABOVE comments shows each thread's first
comment with "3 Antworten anzeigen", a link to the thread's own page (`thread_url`), so that
a long discussion's page stays light (docs/performance.md). Threads the reader is working in
(the comment answered, their own waiting comment) stay open.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.urls import reverse

from comments.models import Comment
from comments.rules import discussion_rules
from comments.threads import starts_thread


def newest_first() -> bool:
    return discussion_rules().order == "newest"


@dataclass
class Discussion:
    """What a reader may see of one report's discussion, before a page is chosen."""

    report: object
    #: Top-level comment ids in reading order (the rule `order`).
    roots: list[int]
    #: Every visible comment id → the id of the top-level comment its thread starts with.
    root_of: dict[int, int]
    approved_count: int
    #: Only the threads about one section (comments/sections.py), and its title.
    section_anchor: str = ""
    subject: str = ""
    #: Only one thread, shown whole (its "Antworten anzeigen" page).
    thread_root: int | None = None
    #: The reader's own waiting comments: their threads never fold.
    own_ids: tuple = ()
    paginator: Paginator = field(init=False)
    #: Top-level comment id → how many visible comments its thread holds.
    thread_sizes: Counter = field(init=False)

    def __post_init__(self):
        per_page = discussion_rules().comments_per_page or max(len(self.roots), 1)
        self.paginator = Paginator(self.roots, per_page, allow_empty_first_page=True)
        self.thread_sizes = Counter(self.root_of.values())

    @classmethod
    def for_reader(
        cls,
        report,
        own_ids=(),
        *,
        section_anchor="",
        section_id=None,
        subject="",
        thread_root=None,
    ) -> "Discussion":
        """The reader's discussion of the report, or with `section_anchor` only the threads
        whose top-level comment is about that section: the section `section_id`, or one
        deleted since that had this anchor; or with `thread_root` only that thread."""
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
            chain = [pk]
            while not starts_thread(parent_of[chain[-1]], parent_of) and chain[-1] not in root_of:
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
        if thread_root is not None:
            roots = [root for root in roots if root == thread_root]
        if section_anchor or thread_root is not None:
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
            thread_root=thread_root,
            own_ids=tuple(own_ids),
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

    def folded_on(self, page: Page, keep_open=()) -> set[int]:
        """The threads of `page` that show only their first comment: all with replies, when
        the page would hold more than COMMENTS_FOLD_ABOVE comments, except the threads of
        the comments in `keep_open` and of the reader's own waiting comments. A thread's own
        page never folds."""
        limit = discussion_rules().fold_above
        roots = page.object_list
        if not limit or self.thread_root is not None:
            return set()
        if sum(self.thread_sizes[root] for root in roots) <= limit:
            return set()
        open_roots = {self.root_of.get(pk) for pk in (*keep_open, *self.own_ids)}
        return {root for root in roots if self.thread_sizes[root] > 1} - open_roots

    def is_folded(self, comment_id: int) -> bool:
        """Whether `comment_id` is a reply hidden in a folded thread on its page."""
        root = self.root_of.get(comment_id)
        if root is None or root == comment_id:
            return False
        return root in self.folded_on(self.page(self.page_number_of(comment_id)))

    def comments_on(self, page: Page, folded=frozenset()):
        """The comments of `page` (top-level comments and their replies, but only the first
        comment of a thread in `folded`), oldest first."""
        roots = set(page.object_list)
        ids = [
            pk
            for pk, root in self.root_of.items()
            if root in roots and (pk == root or root not in folded)
        ]
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


def thread_url(report, root_id: int) -> str:
    """A thread's own page, with all its replies: where "3 Antworten anzeigen" leads."""
    return reverse("comments:thread", kwargs={"slug": report.slug, "pk": root_id})


def section_page_url(report, anchor: str, number: int) -> str:
    """One section's discussion (comments/sections.py), paged as the whole one is."""
    kwargs = {"slug": report.slug, "anchor": anchor}
    if number <= 1:
        return reverse("comments:section", kwargs=kwargs)
    return reverse("comments:section_page", kwargs={**kwargs, "page": number})
