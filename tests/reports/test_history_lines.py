"""Only real changes are logged: browsers send textareas with CRLF line endings, and the
history must not call every section on the form "changed" because of that."""

import pytest
from django.apps import apps
from django.urls import reverse
from reversion.models import Version

from reports.models import Report, Section

from .pages import parse, text_of
from .test_admin_editing import change_url, form_index, read_change_form, submit

pytestmark = pytest.mark.django_db


def as_a_browser_sends_it(data: dict[str, str]) -> dict[str, str]:
    """Textareas come back with CRLF line endings (HTML's form submission rules)."""
    return {
        key: value.replace("\n", "\r\n")
        if key in ("lead", "closing_note") or key.endswith("-body")
        else value
        for key, value in data.items()
    }


def test_one_edited_section_gives_one_history_line(editor_client, seeded_report):
    url = change_url(seeded_report)
    data = as_a_browser_sends_it(read_change_form(editor_client, url))
    index = form_index(data, "Conclusion")
    data[f"sections-{index}-body"] += "\r\n\r\nOne more sentence.   "
    submit(editor_client, url, data)

    latest = Version.objects.get_for_object(seeded_report).first()
    comment = latest.revision.get_comment()
    titles = set(Section.objects.values_list("title", flat=True))
    named = [title for title in titles if f"„{title}“" in comment]
    assert named == ["Conclusion"], comment
    history = parse(
        editor_client.get(reverse("admin:reports_report_history", args=[seeded_report.pk]))
    )
    newest_row = history.select("#change-history tbody tr")[0]
    assert "Conclusion" in text_of(newest_row)
    assert "Agent Safety" not in text_of(newest_row)
    # The draft holds the text as one spelling: LF, no trailing blanks.
    draft = read_change_form(editor_client, url)
    assert draft[f"sections-{index}-body"].endswith("\n\nOne more sentence.")


def test_an_untouched_form_sent_with_crlf_changes_nothing(editor_client, seeded_report):
    url = change_url(seeded_report)
    submit(editor_client, url, as_a_browser_sends_it(read_change_form(editor_client, url)))
    latest = Version.objects.get_for_object(seeded_report).first()
    assert latest.revision.get_comment() == "Keine Felder geändert."


def test_saving_normalises_every_markdown_field(seeded_report):
    seeded_report.lead = "Lead  \r\nwith CRLF\t\r\n"
    seeded_report.closing_note = "Closing\r\n"
    seeded_report.save()
    section = seeded_report.sections.first()
    section.body = "Body \r\n\r\ntext\r"
    section.save()
    seeded_report.refresh_from_db()
    section.refresh_from_db()
    assert seeded_report.lead == "Lead\nwith CRLF"
    assert seeded_report.closing_note == "Closing"
    assert section.body == "Body\n\ntext"


def test_the_data_migration_fixes_stored_rows(seeded_report):
    from importlib import import_module

    migration = import_module("reports.migrations.0008_normalise_markdown")
    Report.objects.filter(pk=seeded_report.pk).update(lead="Old\r\nlead ")
    Section.objects.filter(title="Conclusion").update(body="Old\r\nbody\t")
    migration.normalise_stored_markdown(apps, None)
    assert Report.objects.get().lead == "Old\nlead"
    assert Section.objects.get(title="Conclusion").body == "Old\nbody"
