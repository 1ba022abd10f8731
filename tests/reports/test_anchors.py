"""Section ids cannot collide with anything else on the page, and old links keep working.

Every section's id starts with "s-" (the reports app's namespace); the discussion keeps its
own ids ("kommentare", "c123" …). Sections stored before the prefix keep their old anchor as
a second target, so links shared then (`#agent-safety`) still lead to the heading.
"""

from collections import Counter

import pytest
from bs4 import BeautifulSoup

from comments.models import Comment
from reports.models import Section
from reports.seed import import_report, read_seed_file
from tests.comments.conftest import CommentFactory
from tests.factories import ReportFactory, SectionFactory

pytestmark = pytest.mark.django_db


def page_of(client, report):
    response = client.get(report.get_absolute_url())
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_sections_named_like_the_discussion_do_not_take_its_ids(client):
    report = ReportFactory(slug="ai-safety")
    comment = CommentFactory(report=report, status=Comment.Status.APPROVED)
    for order, title in enumerate(["Kommentare", "Antworten", f"C{comment.pk}", "Top"]):
        SectionFactory(report=report, order=order, title=title)
    page = page_of(client, report)
    ids = Counter(element["id"] for element in page.select("[id]"))
    assert [name for name, count in ids.items() if count > 1] == []
    assert page.find(id="kommentare").name == "section"  # still the discussion
    assert page.find(id=f"c{comment.pk}").name == "li"  # still the comment
    assert page.find(id="s-kommentare").get_text().startswith("Kommentare")
    assert page.select_one("nav a[href='#s-kommentare']") is not None


def test_a_section_stored_before_the_prefix_answers_to_its_old_anchor(client):
    report = ReportFactory(slug="ai-safety")
    SectionFactory(report=report, title="Agent Safety", anchor="agent-safety")
    Section.objects.update(legacy_anchor="agent-safety")  # what the migration does
    page = page_of(client, report)
    alias = page.find(id="agent-safety")
    assert alias.find_next("h2")["id"] == "s-agent-safety"
    assert alias.get_text() == ""


def test_a_new_section_has_no_old_anchor(client):
    report = ReportFactory(slug="ai-safety")
    SectionFactory(report=report, title="Agent Safety")
    page = page_of(client, report)
    assert page.find(id="agent-safety") is None
    assert page.find(id="s-agent-safety").name == "h2"


def test_the_section_link_carries_the_prefix():
    section = SectionFactory(report=ReportFactory(slug="ai-safety"), title="Agent Safety")
    assert section.get_absolute_url() == "/berichte/ai-safety/#s-agent-safety"


def test_overwriting_from_the_seed_keeps_the_old_anchors(seed_path):
    parsed = read_seed_file(seed_path)
    import_report(parsed)
    Section.objects.filter(anchor="agent-safety").update(legacy_anchor="agent-safety")
    Section.objects.exclude(anchor="agent-safety").update(legacy_anchor="")
    Section.objects.filter(anchor="agent-safety").update(title="Changed, so that it differs")
    import_report(parsed, overwrite=True)
    assert Section.objects.get(anchor="agent-safety").legacy_anchor == "agent-safety"
    others = Section.objects.exclude(anchor="agent-safety")
    assert set(others.values_list("legacy_anchor", flat=True)) == {""}


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_every_stored_anchor():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    def migrate(reports_target):
        executor = MigrationExecutor(connection)
        leaves = executor.loader.graph.leaf_nodes()
        targets = [key for key in leaves if key[0] not in ("reports", "comments")]
        targets.append(reports_target)
        executor.migrate(targets)
        executor.loader.build_graph()
        return executor.loader.project_state(targets).apps

    apps = migrate(("reports", "0004_constraints_and_section_index"))
    Report = apps.get_model("reports", "Report")
    Section = apps.get_model("reports", "Section")
    report = Report.objects.create(title="AI Safety", slug="ai-safety", status="published")
    Section.objects.create(report=report, title="Agent Safety", anchor="agent-safety")

    apps = migrate(("reports", "0005_section_legacy_anchor"))
    section = apps.get_model("reports", "Section").objects.get()
    assert (section.anchor, section.legacy_anchor) == ("agent-safety", "agent-safety")
    # Leave the schema as the other tests expect it: every app at its latest migration.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
