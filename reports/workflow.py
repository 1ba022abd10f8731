"""Every way a report's version changes, with who may do it: the one publishing state machine.

A report has the rows readers see (with `live_revision`, the revision they hold), at most one
`Draft` (a stored revision, the editors' working copy) and at most one `Schedule` (a revision
that goes live at a moment). The transitions:

- save_draft / restore_as_draft: a new revision becomes the draft; no row readers reach is
  written (the change permission; editors);
- discard_draft: the draft is forgotten (one's own draft, or "Berichte veröffentlichen");
- preview_state: what a draft or any revision looks like, in memory;
- schedule: revision R goes live at T, exactly R ("Berichte veröffentlichen");
- publish_now / restore_and_publish: the rows become the revision, in one transaction, and
  any schedule ends ("Berichte veröffentlichen");
- cancel_schedule ("Berichte veröffentlichen");
- publish_due: the task queue publishes what is due, oldest first (publish_due_schedules);
- delete_report ("Berichte veröffentlichen" and the delete permission).

The admin (and any other caller) goes through these functions; they check the permission
themselves. Saving or publishing names the revision the form was opened on (`base_id`): when
someone else saved since, the parts only one side changed are merged, and parts both changed
raise `Conflict` (the admin shows the conflict page). The report's row is locked while the
head is compared and moved, so of two publishes at the same moment one wins.
"""

import logging
from dataclasses import dataclass, field

import reversion
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django_tasks import task
from reversion.models import Revision, Version

from .drafts import ReportState, live_state, prepare, state_of_revision, store_revision, write_rows
from .history import FIELD_LABELS, compare, sections_touched
from .models import Draft, Publication, Report, Schedule

logger = logging.getLogger(__name__)

#: The comment of a publication that has no note of its own.
FIRST_PUBLICATION_NOTE = "Erstveröffentlichung."
PUBLISH = "reports.publish_report"
CHANGE = "reports.change_report"
VIEW = "reports.view_report"
DELETE = "reports.delete_report"
#: The report's fields a merge takes one by one.
MERGED_FIELDS = (*FIELD_LABELS, "slug", "lead", "closing_note")
PART_LABELS = {**FIELD_LABELS, "slug": "Kurzname in der URL", "lead": "Vorspann"}
PART_LABELS["closing_note"] = "Schlussnotiz"


# Who may do what.


def may_publish(user) -> bool:
    return user.has_perm(PUBLISH)


def may_edit(user) -> bool:
    return user.has_perm(CHANGE)


def may_view(user) -> bool:
    return user.has_perm(VIEW) or user.has_perm(CHANGE)


def may_delete(user) -> bool:
    return user.has_perm(PUBLISH) and user.has_perm(DELETE)


def may_discard(user, draft: Draft | None) -> bool:
    """Editors discard their own drafts; someone else's needs "Berichte veröffentlichen"."""
    if draft is None or not may_edit(user):
        return False
    return may_publish(user) or draft.revision.user_id == user.pk


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# Where a report stands.


def draft_of(report: Report) -> Draft | None:
    return Draft.objects.select_related("revision__user").filter(report=report).first()


def schedule_of(report: Report) -> Schedule | None:
    return Schedule.objects.select_related("revision__user", "author").filter(report=report).first()


def head_id(report: Report) -> int | None:
    """The newest version anyone saved: the draft, or else what is live."""
    draft = Draft.objects.filter(report_id=report.pk).values_list("revision_id", flat=True).first()
    if draft is not None:
        return draft
    return Report.objects.filter(pk=report.pk).values_list("live_revision_id", flat=True).get()


def ensure_live_revision(report: Report, *, user=None) -> Revision | None:
    """The revision that holds what readers see, stored if it is not yet (rows written by the
    seed import or before drafts existed). A report never published has none."""
    if report.status != Report.Status.PUBLISHED:
        return report.live_revision
    rows = live_state(report).outline()
    candidates = [report.live_revision] if report.live_revision_id else []
    latest = Version.objects.get_for_object(report).select_related("revision").first()
    candidates += [latest.revision] if latest is not None else []
    for revision in candidates:
        if state_of_revision(report, revision).outline() == rows:
            if revision.pk != report.live_revision_id:
                Report.objects.filter(pk=report.pk).update(live_revision=revision)
                report.live_revision = revision
            return revision
    with reversion.create_revision():
        reversion.add_to_revision(report)
        reversion.set_user(user)
        reversion.set_comment("Veröffentlichte Fassung.")
    revision = Version.objects.get_for_object(report).first().revision
    Report.objects.filter(pk=report.pk).update(live_revision=revision)
    report.live_revision = revision
    return revision


def current_state(report: Report) -> tuple[ReportState, int | None]:
    """What an editor opening the form works on (the draft, else the live version), and the
    revision it is (the form's base)."""
    draft = draft_of(report)
    if draft is not None:
        return state_of_revision(report, draft.revision), draft.revision_id
    if report.status == Report.Status.PUBLISHED:
        live = ensure_live_revision(report)
        return live_state(report), live.pk if live else None
    return live_state(report), None


def preview_state(report: Report, *, user, revision: Revision | None = None) -> ReportState:
    """The draft (or `revision`) as readers would see it; nothing is written."""
    _require(may_view(user))
    if revision is not None:
        return state_of_revision(report, revision)
    return current_state(report)[0]


# Merging what two people saved.


@dataclass
class Merge:
    """A three-way comparison of the form (`mine`) with what was saved since (`theirs`),
    both against the version the form was opened on (`base`)."""

    merged: ReportState
    mine_changed: list[str]
    theirs_changed: list[str]
    conflicts: list[str]
    #: Each conflicting part: (label, mine, theirs) as plain text, for the side-by-side view.
    both: list[tuple[str, str, str]] = field(default_factory=list)


class Conflict(Exception):
    def __init__(self, merge: Merge, theirs: Revision):
        super().__init__("Someone else saved this report since the form was opened.")
        self.merge = merge
        self.theirs = theirs


def _pieces(state: ReportState) -> dict[tuple, tuple]:
    pieces = {("field", name): (getattr(state.report, name),) for name in MERGED_FIELDS}
    for section in state.sections:
        pieces[("section", section.anchor)] = (
            section.level,
            section.title,
            section.body,
            section.order,
        )
    return pieces


def _label(key, *states) -> str:
    kind, name = key
    if kind == "field":
        return PART_LABELS.get(name, name)
    for state in states:
        for section in state.sections:
            if section.anchor == name:
                return section.title
    return name


def _text(value) -> str:
    if value is None:
        return "(entfernt)"
    if len(value) == 1:
        return "" if value[0] is None else str(value[0])
    return f"{value[1]}\n\n{value[2]}"


def merge(base: ReportState, theirs: ReportState, mine: ReportState, *, prefer="") -> Merge:
    """Parts only one side changed are taken from that side; parts both changed differently
    are conflicts, taken from `prefer` ("mine" or "theirs") when it is given."""
    b, t, m = _pieces(base), _pieces(theirs), _pieces(mine)
    mine_sections = {s.anchor: s for s in mine.sections}
    theirs_sections = {s.anchor: s for s in theirs.sections}
    report = mine.report
    sections, conflicts, both = [], [], []
    mine_changed = [_label(k, mine, base) for k in m.keys() | b.keys() if m.get(k) != b.get(k)]
    theirs_changed = [_label(k, theirs, base) for k in t.keys() | b.keys() if t.get(k) != b.get(k)]
    keys = sorted(b.keys() | t.keys() | m.keys(), key=lambda k: (k[0], str(k[1])))
    for key in keys:
        before, other, own = b.get(key), t.get(key), m.get(key)
        if own in (other, before):
            side = "theirs"
        elif other == before:
            side = "mine"
        else:
            conflicts.append(_label(key, mine, theirs, base))
            both.append((_label(key, mine, theirs, base), _text(own), _text(other)))
            side = prefer or "mine"
        kind, name = key
        value = own if side == "mine" else other
        if kind == "field":
            setattr(report, name, value[0])
        elif value is not None:
            pool = mine_sections if side == "mine" else theirs_sections
            sections.append(pool[name])
    for section in sections:
        section.report = report
    merged = prepare(ReportState(report, sections))
    return Merge(merged, sorted(mine_changed), sorted(theirs_changed), conflicts, both)


def _resolve(
    report: Report, state: ReportState, base_id, *, prefer="", publishing=False
) -> tuple[ReportState, str]:
    """`state` brought up to date with what was saved after `base_id`. A draft takes the parts
    only one side changed without asking; when both changed a part, or when the form is to
    be published (the publisher must see what else would go live), it raises Conflict until
    someone says whose version to keep (`prefer`). Runs under the report's lock."""
    head = head_id(report)
    if head == base_id or head is None:
        return state, ""
    theirs_revision = Revision.objects.select_related("user").get(pk=head)
    theirs = state_of_revision(report, theirs_revision)
    base = (
        state_of_revision(report, Revision.objects.get(pk=base_id))
        if base_id and Revision.objects.filter(pk=base_id).exists()
        else ReportState(Report.objects.get(pk=report.pk), [])
    )
    result = merge(base, theirs, state, prefer=prefer)
    if (result.conflicts or publishing) and not prefer:
        raise Conflict(result, theirs_revision)
    who = person(theirs_revision.user)
    return result.merged, f"Zusammengeführt mit der Fassung von {who}."


def person(user) -> str:
    """A staff member as colleagues know them: the full name, else the user name."""
    if user is None:
        return "unbekannt"
    return user.get_full_name() or user.get_username()


# The transitions.


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update().get(pk=report.pk)


def save_draft(
    report: Report,
    state: ReportState,
    *,
    user,
    base_id,
    note="",
    minor=False,
    comment="",
    prefer="",
) -> Revision:
    """Keep `state` as the draft. Writes a revision and the Draft row, nothing readers see."""
    _require(may_edit(user))
    with transaction.atomic():
        _locked(report)
        state, merged = _resolve(report, prepare(state), base_id, prefer=prefer)
        comment = _comment(comment or describe_change(report, state), merged, note)
        revision = store_revision(state, user=user, comment=comment)
        draft = Draft.objects.filter(report=report).first()
        if draft is None:
            Draft.objects.create(
                report=report, revision=revision, note=note, minor=minor, since=timezone.now()
            )
        else:
            draft.revision, draft.note, draft.minor = revision, note, minor
            draft.save(update_fields=["revision", "note", "minor"])
    return revision


def restore_as_draft(report, state, *, user, base_id, restored_from: Revision, **kwargs):
    """An older version (as the form shows it) becomes the draft: a new revision naming it."""
    return save_draft(
        report, state, user=user, base_id=base_id, comment=restored_text(restored_from), **kwargs
    )


def discard_draft(report: Report, *, user) -> None:
    """Forget the draft; a schedule stays (only "Berichte veröffentlichen" cancels it)."""
    draft = draft_of(report)
    _require(may_discard(user, draft))
    Draft.objects.filter(pk=draft.pk).delete()


def publish_now(
    report: Report,
    state: ReportState,
    *,
    user,
    base_id,
    note="",
    minor=False,
    comment="",
    prefer="",
) -> Publication:
    """Readers get `state` now: a revision, the rows, a publication, in one transaction.
    The draft and any schedule end here."""
    _require(may_publish(user))
    with transaction.atomic():
        locked = _locked(report)
        state, merged = _resolve(locked, prepare(state), base_id, prefer=prefer, publishing=True)
        comment = _comment(comment or describe_change(report, state), merged, note)
        revision = store_revision(state, user=user, comment=comment)
        publication = _go_live(locked, revision, user=user, note=note, minor=minor)
        Draft.objects.filter(report=report).delete()
        Schedule.objects.filter(report=report).delete()
    return publication


def restore_and_publish(report, state, *, user, base_id, restored_from: Revision, **kwargs):
    return publish_now(
        report, state, user=user, base_id=base_id, comment=restored_text(restored_from), **kwargs
    )


def schedule(
    report: Report,
    state: ReportState,
    *,
    user,
    base_id,
    at,
    note="",
    minor=False,
    prefer="",
) -> Schedule:
    """`state` goes live at `at`, exactly as it is now; it is also the draft until then, and
    a draft saved later stays a draft. A new schedule replaces the old one."""
    _require(may_publish(user))
    if at <= timezone.now():
        raise ValueError("A schedule needs a moment in the future.")
    with transaction.atomic():
        _locked(report)
        state, merged = _resolve(report, prepare(state), base_id, prefer=prefer, publishing=True)
        comment = _comment(describe_change(report, state), merged, note)
        revision = store_revision(state, user=user, comment=comment)
        Draft.objects.update_or_create(
            report=report,
            defaults={"revision": revision, "note": note, "minor": minor},
            create_defaults={
                "revision": revision,
                "note": note,
                "minor": minor,
                "since": timezone.now(),
            },
        )
        planned, _ = Schedule.objects.update_or_create(
            report=report,
            defaults={
                "revision": revision,
                "go_live_at": at,
                "note": note,
                "minor": minor,
                "author": user,
            },
        )
        transaction.on_commit(lambda: _enqueue(at))
    return planned


def cancel_schedule(report: Report, *, user) -> None:
    _require(may_publish(user))
    Schedule.objects.filter(report=report).delete()


def delete_report(report: Report, *, user) -> None:
    _require(may_delete(user))
    report.delete()


def publish_due(now=None) -> list[Publication]:
    """Publish every schedule whose moment has come, oldest first (the task queue runs this;
    after a worker was down it catches up in order). Each goes live with its own revision."""
    now = now or timezone.now()
    published = []
    for planned in Schedule.objects.filter(go_live_at__lte=now).order_by("go_live_at", "id"):
        with transaction.atomic():
            locked = _locked(planned.report)
            # Re-read under the lock: publishing now or cancelling may have ended it.
            current = Schedule.objects.filter(pk=planned.pk, go_live_at__lte=now).first()
            if current is None:
                continue
            publication = _go_live(
                locked,
                current.revision,
                user=current.author,
                note=current.note,
                minor=current.minor,
            )
            Draft.objects.filter(report=locked, revision_id=current.revision_id).delete()
            current.delete()
            published.append(publication)
    return published


@task()
def publish_due_schedules() -> int:
    """The task queue's side of a schedule: `schedule` queues it to run after the schedule's
    moment; it publishes everything that is due, oldest first, so a worker that was down
    catches up in order when it starts again. Nothing publishes on a request."""
    return len(publish_due())


def _enqueue(at) -> None:
    if not publish_due_schedules.get_backend().supports_defer:
        # The tests' immediate backend: nothing can wait, so it is queued for nobody.
        logger.warning("The task backend cannot wait; a schedule needs the database queue.")
        return
    publish_due_schedules.using(run_after=at).enqueue()


# The publish step: the only place that writes the rows readers see.


def _go_live(report: Report, revision: Revision, *, user, note, minor) -> Publication:
    now = timezone.now()
    was_live = report.status == Report.Status.PUBLISHED
    before = live_state(report).outline() if was_live else None
    state = state_of_revision(report, revision)
    write_rows(report, state)
    row = Report.objects.get(pk=report.pk)
    row.record_content_change(stamp=not minor, at=now)
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.PUBLISHED, live_revision=revision
    )
    content = live_state(row).outline()
    previous = Publication.objects.filter(report=report).first()
    if previous is None and was_live:
        # Live since before publications were recorded: the version readers had until now.
        previous = Publication.objects.create(
            report=report,
            revision=report.live_revision,
            published_at=min(report.content_changed_at, now),
            note=FIRST_PUBLICATION_NOTE,
            initial=True,
            content=before,
        )
    if previous is None:
        return Publication.objects.create(
            report=report,
            revision=revision,
            published_at=now,
            note=note or FIRST_PUBLICATION_NOTE,
            initial=True,
            author=user,
            content=content,
        )
    return Publication.objects.create(
        report=report,
        revision=revision,
        published_at=now,
        note=note,
        minor=minor,
        author=user,
        content=content,
        sections_touched=sections_touched(previous.content, content),
    )


def describe_change(report: Report, state: ReportState) -> str:
    """What `state` changes against the newest saved version, for the history's line:
    the fields and the sections by title, or "Keine Felder geändert."."""
    head = head_id(report)
    if head is None:
        return "Angelegt."
    before = state_of_revision(report, Revision.objects.get(pk=head)).outline()
    comparison = compare(before, state.outline())
    parts = [label for label, _diff in comparison.fields]
    parts += [
        f"„{strip_tags(change.title)}“ ({change.label})"
        if not change.anchor.startswith("__")
        else strip_tags(change.title)
        for change in comparison.sections
    ]
    if not parts:
        return "Keine Felder geändert."
    return "Geändert: " + ", ".join(parts) + "."


def restored_text(revision: Revision) -> str:
    moment = timezone.localtime(revision.date_created)
    return f"Fassung vom {moment:%d.%m.%Y, %H:%M} Uhr (Revision {revision.pk}) wiederhergestellt."


def _comment(comment: str, merged: str, note: str) -> str:
    parts = [comment, merged, f"Änderungsnotiz: {note}" if note else ""]
    return " ".join(part for part in parts if part)
