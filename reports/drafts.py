"""A version of a report held in memory: what a form, a revision or the live rows say.

Drafts never touch the rows readers see (Wagtail's `revision.as_object()`): a `Version` of the
report is built from the change form's objects without saving them, stored as a
django-reversion revision, and read back into unsaved objects for the form, the preview and
compare. Only `write_rows()`, called by the publish step in reports/workflow.py, writes rows.
"""

from dataclasses import dataclass, field

from django.core import serializers
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from reversion.models import Revision, Version
from reversion.revisions import _get_content_type, _get_options

from .models import BOOKKEEPING_FIELDS, Report, Section, content_outline
from .signals import sections_written

#: Fields a stored version never overwrites in memory: where the report stands, not what it says.
_KEPT_FIELDS = {"id", "created_at", "updated_at"}


@dataclass
class ReportState:
    """One version of a report: the report and its sections, in order, none of them saved."""

    report: Report
    sections: list[Section] = field(default_factory=list)

    def outline(self) -> dict:
        """The reader-visible content as plain data, as history.outline_of_revision() gives."""
        return {
            **content_outline(self.report, self.sections),
            "description": self.report.description,
            "comments_open": self.report.comments_open,
        }

    def as_report(self) -> Report:
        """The report with these sections in place of its rows, for a template (preview):
        `report.sections.all()` answers from memory."""
        queryset = Section.objects.none()
        queryset._result_cache = list(self.sections)
        queryset._prefetch_done = True
        self.report._prefetched_objects_cache = {"sections": queryset}
        return self.report


def _ordered(sections) -> list[Section]:
    return sorted(sections, key=lambda s: (s.order, s.pk or 0))


def prepare(state: ReportState) -> ReportState:
    """What Report.save() and Section.save() do, without saving: Markdown normalised and
    rendered, a blank anchor derived from the title and free within this version."""
    state.report.render()
    taken = {s.anchor for s in state.sections if s.anchor}
    for section in state.sections:
        if not section.anchor:
            base = (slugify(section.title) or "abschnitt")[:90]
            anchor, number = base, 2
            while anchor in taken:
                anchor, number = f"{base}-{number}", number + 1
            section.anchor = anchor
            taken.add(anchor)
        section.render()
    state.sections = _ordered(state.sections)
    return state


def live_state(report: Report) -> ReportState:
    """The rows as readers see them."""
    return ReportState(report, list(report.sections.all()))


def state_of_revision(report: Report, revision: Revision) -> ReportState:
    """A stored revision as unsaved objects on top of the report's row (its bookkeeping)."""
    draft = Report.objects.get(pk=report.pk)
    existing = set(Section.objects.filter(report_id=report.pk).values_list("pk", flat=True))
    sections = []
    for version in revision.version_set.select_related("content_type"):
        model = version.content_type.model_class()
        values = version.field_dict
        if model is Report:
            for name, value in values.items():
                if name not in _KEPT_FIELDS:
                    setattr(draft, name, value)
        elif model is Section:
            section = Section(**{k: v for k, v in values.items() if k not in {"id", "report_id"}})
            section.report = draft
            if values.get("id") in existing:
                # A row of this report: the form edits it by its id. Sections of an older
                # version whose row is gone come back as new ones, with their anchor.
                section.pk = values["id"]
                section._state.adding = False
            sections.append(section)
    return ReportState(draft, _ordered(sections))


def store_revision(state: ReportState, *, user=None, comment: str = "") -> Revision:
    """Keep `state` as a django-reversion revision, one Version per object, as
    `reversion.add_to_revision` would store them, but from memory: a section that has no row
    yet is stored under a name of its own ("neu-<anchor>")."""
    with transaction.atomic():
        revision = Revision.objects.create(user=user, comment=comment, date_created=timezone.now())
        versions = [_version(revision, state.report, str(state.report.pk))]
        versions += [
            _version(revision, section, str(section.pk) if section.pk else f"neu-{section.anchor}")
            for section in state.sections
        ]
        Version.objects.bulk_create(versions)
    return revision


def _version(revision, obj, object_id) -> Version:
    options = _get_options(type(obj))
    return Version(
        revision=revision,
        content_type=_get_content_type(type(obj), "default"),
        object_id=object_id,
        db="default",
        format=options.format,
        serialized_data=serializers.serialize(options.format, (obj,), fields=options.fields),
        object_repr=str(obj),
    )


def write_rows(report: Report, state: ReportState) -> None:
    """Make the rows say what `state` says: the report's fields, sections updated in place,
    new ones created, missing ones deleted. Only the publish step calls this, inside its
    transaction. A deleted section's comments keep their anchor and title (SET_NULL); a
    section written with that anchor later gets them back (comments.sections)."""
    row = Report.objects.get(pk=report.pk)
    for name in _content_fields(Report):
        setattr(row, name, getattr(state.report, name))
    row.save()
    wanted = {s.pk for s in state.sections if s.pk}
    Section.objects.filter(report=row).exclude(pk__in=wanted).delete()
    existing = {s.pk: s for s in Section.objects.filter(report=row)}
    for section in state.sections:
        target = existing.get(section.pk) or Section(report=row)
        for name in _content_fields(Section):
            setattr(target, name, getattr(section, name))
        target.report = row
        target.save()
    sections_written.send(sender=Report, report=row)


def _content_fields(model) -> list[str]:
    excluded = _KEPT_FIELDS | {"report", "live_revision"} | set(BOOKKEEPING_FIELDS)
    return [
        f.attname
        for f in model._meta.concrete_fields
        if f.name not in excluded and f.attname not in excluded
    ]
