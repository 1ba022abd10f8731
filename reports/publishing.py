"""Drafts, publishing and scheduling of a report (modelled on Wagtail's page revisions).

The report's rows are what readers see. While a report is live, an editor's save is stored as a
django-reversion revision (the draft) and the rows are put back to the live revision, so the
reader's page and its cache stay exactly as they were. Publishing reverts the rows to the draft;
discarding forgets it. A scheduled publication goes live on the first request after its moment
(`go_live_if_due`); the page version includes "is it due", so no cached page outlives it.
"""

from contextlib import contextmanager

import reversion
from django.db import transaction
from django.utils import timezone
from reversion.models import Revision, Version

from .history import outline_of_revision, sections_touched
from .models import BOOKKEEPING_FIELDS, Publication, Report

#: The comment of a publication that has no note of its own.
FIRST_PUBLICATION_NOTE = "Erstveröffentlichung."


class _RollBack(Exception):
    pass


@contextmanager
def rolled_back():
    """Run a block in a transaction that is always undone (previews, showing a draft)."""
    try:
        with transaction.atomic():
            yield
            raise _RollBack
    except _RollBack:
        pass


def _bookkeeping(report_pk) -> dict:
    names = [
        f if f not in ("live_revision", "draft_revision") else f"{f}_id" for f in BOOKKEEPING_FIELDS
    ]
    return Report.objects.filter(pk=report_pk).values(*names).get()


def bookkeeping(report_pk) -> dict:
    names = [
        f"{name}_id" if name in ("live_revision", "draft_revision") else name
        for name in BOOKKEEPING_FIELDS
    ]
    return Report.objects.filter(pk=report_pk).values(*names).get()


def revert_rows(report_pk, revision: Revision, *, keep: dict | None = None) -> None:
    """Put the report and its sections back to `revision`, keeping where the report stands.

    django-reversion writes every stored field back; the bookkeeping fields are not stored in
    revisions, so they are read before (or given as `keep`) and written again after."""
    kept = keep if keep is not None else bookkeeping(report_pk)
    revision.revert(delete=True)
    Report.objects.filter(pk=report_pk).update(**kept)


def live_outline(report: Report) -> dict:
    """What readers see of the report's rows, in the form outline_of_revision() gives."""
    return {
        **report.content_outline(),
        "description": report.description,
        "comments_open": report.comments_open,
    }


def record_live_revision(report: Report, *, user=None) -> Revision:
    """The revision that holds what readers see now, stored if it is not yet.

    The rows can change outside the admin (the seed import with --overwrite), so a stored
    pointer is trusted only while its content still matches the rows."""
    rows = live_outline(report)
    candidates = [report.live_revision] if report.live_revision_id else []
    if report.draft_revision_id is None:
        # Before drafts existed every save went live, so the latest revision may be live.
        latest = Version.objects.get_for_object(report).select_related("revision").first()
        candidates += [latest.revision] if latest is not None else []
    for revision in candidates:
        if outline_of_revision(revision) == rows:
            if revision.pk != report.live_revision_id:
                Report.objects.filter(pk=report.pk).update(live_revision=revision)
                report.live_revision = revision
            return revision
    with reversion.create_revision():
        reversion.add_to_revision(report)
        for section in report.sections.all():
            reversion.add_to_revision(section)
        reversion.set_user(user)
        reversion.set_comment("Veröffentlichte Fassung.")
    revision = Revision.objects.latest("pk")
    Report.objects.filter(pk=report.pk).update(live_revision=revision)
    report.live_revision = revision
    return revision


def keep_as_draft(
    report: Report, revision: Revision, *, note="", minor=False, before: dict | None = None
) -> None:
    """After the admin saved the form into the rows: keep that state as the draft and, if the
    report is live, give the rows back to readers' version exactly as it was (`before`: the
    bookkeeping read before the form was saved)."""
    now = timezone.now()
    fields = {"draft_revision": revision, "draft_note": note, "draft_minor": minor}
    if report.draft_since is None:
        fields["draft_since"] = now
    if report.status == Report.Status.PUBLISHED and report.live_revision_id:
        revert_rows(report.pk, report.live_revision, keep=before)
    Report.objects.filter(pk=report.pk).update(**fields)


def publish(
    report: Report, revision: Revision, *, user, note="", minor=False, at=None, before=None
) -> Publication:
    """Make `revision` live now, or at `at` (then it stays the draft until that moment)."""
    now = timezone.now()
    if at is not None and at > now:
        keep_as_draft(report, revision, note=note, minor=minor, before=before)
        Publication.objects.filter(report=report, published_at__gt=now).delete()
        Report.objects.filter(pk=report.pk).update(go_live_at=at)
        return _record_publication(report, revision, user=user, note=note, minor=minor, at=at)
    revert_rows(report.pk, revision, keep=before)
    publication = _record_publication(report, revision, user=user, note=note, minor=minor, at=now)
    _mark_live(report.pk, revision, at=now, minor=minor)
    return publication


def _record_publication(report, revision, *, user, note, minor, at) -> Publication:
    previous = Publication.objects.filter(report=report, published_at__lte=at).first()
    if previous is None and report.live_revision_id and report.status == Report.Status.PUBLISHED:
        # Live since before publications were recorded: the version readers had until now
        # (stored before the change was saved) is the baseline.
        live = report.live_revision
        previous = Publication.objects.create(
            report=report,
            revision=live,
            published_at=min(report.content_changed_at, at),
            note=FIRST_PUBLICATION_NOTE,
            initial=True,
            content=outline_of_revision(live),
        )
    content = outline_of_revision(revision)
    if previous is None:
        return Publication.objects.create(
            report=report,
            revision=revision,
            published_at=at,
            note=note or FIRST_PUBLICATION_NOTE,
            initial=True,
            author=user,
            content=content,
        )
    return Publication.objects.create(
        report=report,
        revision=revision,
        published_at=at,
        note=note,
        minor=minor,
        author=user,
        content=content,
        sections_touched=sections_touched(previous.content, content),
    )


def _mark_live(report_pk, revision, *, at, minor: bool) -> None:
    """The rows now hold `revision`: bookkeeping says so, and the "Updated" date moves unless
    this was a small correction. A restore is a change like any other: stamped now."""
    report = Report.objects.get(pk=report_pk)
    report.record_content_change(stamp=not minor, at=at)
    Report.objects.filter(pk=report_pk).update(
        status=Report.Status.PUBLISHED,
        live_revision=revision,
        draft_revision=None,
        draft_since=None,
        draft_note="",
        draft_minor=False,
        go_live_at=None,
    )


def discard_draft(report: Report) -> None:
    """Forget the working draft (and any schedule); readers' version stays as it is."""
    with transaction.atomic():
        Publication.objects.filter(report=report, published_at__gt=timezone.now()).delete()
        Report.objects.filter(pk=report.pk).update(
            draft_revision=None, draft_since=None, draft_note="", draft_minor=False, go_live_at=None
        )


def go_live_if_due(report: Report) -> Report:
    """Publish a scheduled draft on the first request after its moment; returns the report as
    readers should now see it. Only one request wins the claim; the others see the rows as
    they are at that moment."""
    if not report.go_live_is_due:
        return report
    at = report.go_live_at
    with transaction.atomic():
        claimed = Report.objects.filter(pk=report.pk, go_live_at=at).update(go_live_at=None)
        if not claimed:
            return report
        publication = Publication.objects.filter(report=report, published_at=at).first()
        revision = report.draft_revision
        if revision is not None and report.status == Report.Status.PUBLISHED:
            revert_rows(report.pk, revision)
        elif revision is None:
            revision = report.live_revision
        if publication is not None and revision is not None:
            # Later drafts saved before the moment go live with it: the entry shows them.
            previous = publication.previous()
            publication.revision = revision
            publication.content = outline_of_revision(revision)
            if previous is not None:
                publication.sections_touched = sections_touched(
                    previous.content, publication.content
                )
            publication.save()
        _mark_live(report.pk, revision, at=at, minor=bool(publication and publication.minor))
    return Report.objects.prefetch_related("sections").get(pk=report.pk)
