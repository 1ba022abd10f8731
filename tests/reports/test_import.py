"""`manage.py import_report`: what it stores, and that it never tramples on an editor's work."""

from datetime import date
from io import StringIO

import pytest
import reversion
from django.core.management import call_command
from reversion.models import Revision, Version

from reports.models import Report, Section
from tests.factories import UserFactory

SEED_TITLE = "AI Safety and Alignment Progress Report: December 2026"
TOP_LEVEL_HEADINGS = [
    "The State of Alignment Research",
    "Emerging Safety Challenges",
    "Regulatory Progress",
    "What’s Working and What Isn’t",
    "Looking Ahead to 2027",
    "Conclusion",
]


def import_seed(*args: str) -> str:
    out = StringIO()
    call_command("import_report", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    """Everything a second import could touch."""
    report = Report.objects.get()
    return {
        "reports": Report.objects.count(),
        "sections": list(Section.objects.values_list("id", "order", "title", "anchor", "body")),
        "revisions": Revision.objects.count(),
        "versions": Version.objects.count(),
        "content_changed_at": report.content_changed_at,
        "lead": report.lead,
        "title": report.title,
    }


@pytest.fixture
def imported(db) -> Report:
    output = import_seed()
    assert "importiert" in output
    return Report.objects.get()


def section(report: Report, title: str) -> Section:
    return report.sections.get(title=title)


class TestWhatTheImportStores:
    def test_header_fields(self, imported):
        assert imported.title == SEED_TITLE
        assert imported.slug == "ai-safety-and-alignment-progress-report-december-2026"
        assert imported.is_published
        assert imported.reviewed_on == date(2026, 6, 4)
        assert imported.published_on == date(2026, 12, 1)
        assert imported.reading_time_minutes == 10
        assert imported.reading_time == 10

    def test_lead_paragraph(self, imported):
        assert imported.lead_html.startswith(
            "<p>As AI systems become more capable and autonomous, the safety and alignment"
        )
        assert imported.lead_html.endswith("as we enter 2027.</p>")

    def test_two_heading_levels(self, imported):
        sections = list(imported.sections.all())
        assert [s.title for s in sections if s.level == Section.Level.SECTION] == (
            TOP_LEVEL_HEADINGS
        )
        titles = [s.title for s in sections]
        first = titles.index("The State of Alignment Research")
        assert titles[first + 1] == "1. Constitutional AI and RLHF Maturation"
        assert sections[first + 1].level == Section.Level.SUBSECTION
        assert section(imported, "2. Mechanistic Interpretability Breakthroughs").level == 3

    def test_section_tree_nests_subsections_under_sections(self, imported):
        tree = imported.section_tree()
        assert [s.title for s, _ in tree] == TOP_LEVEL_HEADINGS
        _, subsections = tree[0]
        assert subsections[0].title == "1. Constitutional AI and RLHF Maturation"
        assert all(sub.level == Section.Level.SUBSECTION for _, subs in tree for sub in subs)

    def test_bullet_lead_ins_are_bold(self, imported):
        html = section(imported, "1. Constitutional AI and RLHF Maturation").body_html
        assert "<li><strong>Dynamic constitutions:</strong> Rather than fixed rule sets" in html
        assert "<li><strong>Scalable oversight:</strong> Debate-based" in html
        assert html.count("<ul>") == 1

    def test_numbered_list_under_looking_ahead(self, imported):
        html = section(imported, "Looking Ahead to 2027").body_html
        assert "<p>Key areas to watch:</p>" in html
        ordered = html[html.index("<ol>") : html.index("</ol>")]
        assert ordered.count("<li>") == 4
        assert "<li><strong>Scalable oversight breakthroughs:</strong> If debate-based" in ordered
        assert "<li><strong>Open-weight safety:</strong> The tension" in ordered

    def test_closing_note(self, imported):
        assert imported.closing_note_html == (
            "<p>Part of DataGate’s AI industry analysis series. Explore our AI Tutorial Series "
            "for practical guides on building safe AI systems.</p>"
        )
        assert "DataGate" not in section(imported, "Conclusion").body

    def test_first_import_is_a_revision(self, imported):
        versions = Version.objects.get_for_object(imported)
        assert versions.count() == 1
        assert versions.get().revision.get_comment() == "Aus der Seed-Datei importiert."


class TestImportingAgain:
    def test_second_import_changes_nothing(self, imported):
        before = snapshot()
        output = import_seed()
        assert "unverändert" in output
        assert snapshot() == before

    def test_editor_changes_are_kept_without_overwrite(self, imported):
        editor = UserFactory(username="redakteurin", is_staff=True)
        with reversion.create_revision():
            reversion.set_user(editor)
            heading = section(imported, "Conclusion")
            heading.title = "Conclusions"
            heading.save()
            imported.record_content_change()
        before = snapshot()

        output = import_seed()

        assert "nicht überschrieben" in output
        assert "--overwrite" in output
        assert snapshot() == before
        assert imported.sections.filter(title="Conclusions").exists()

    def test_overwrite_restores_the_seed_and_records_a_revision(self, imported):
        editor = UserFactory(username="redakteurin", is_staff=True)
        with reversion.create_revision():
            reversion.set_user(editor)
            imported.title = "An editor's title"
            imported.save()
            imported.record_content_change()
        revisions_before = Revision.objects.count()

        output = import_seed("--overwrite")

        assert "überschrieben" in output
        report = Report.objects.get()
        assert report.pk == imported.pk
        assert report.title == SEED_TITLE
        assert Revision.objects.count() == revisions_before + 1
        versions = list(Version.objects.get_for_object(report))  # newest first
        assert versions[0].revision.get_comment() == "Mit der Seed-Datei überschrieben."
        assert versions[1].field_dict["title"] == "An editor's title"
        assert versions[1].revision.user == editor
        # After overwriting, the report equals the seed again: a further run changes nothing.
        before = snapshot()
        assert "unverändert" in import_seed()
        assert snapshot() == before

    def test_import_as_draft(self, db):
        import_seed("--draft")
        assert Report.objects.get().status == Report.Status.DRAFT
        assert not Report.objects.published().exists()
