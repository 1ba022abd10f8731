"""No change lost between two people: the form carries the revision it was opened on; saving
or publishing from an older one shows the conflict page instead of overwriting, and parts only
one side changed are merged without asking."""

import pytest
from django.test import Client
from django.urls import reverse

from reports.models import Draft, Publication, Report
from tests.factories import staff_in_group

from .pages import form_data, parse, text_of
from .test_admin_editing import change_url, form_index, read_change_form, submit
from .test_publishing import article_html

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def erika(db):
    return staff_in_group("Chefredaktion", username="erika", first_name="Erika", last_name="Muster")


@pytest.fixture
def max_(db):
    return staff_in_group("Chefredaktion", username="max", first_name="Max", last_name="Weber")


@pytest.fixture
def stale_form(erika, max_, seeded_report):
    """Max opens the form; Erika opens it too and saves a draft of "Ongoing Challenges". Max's
    form is now stale: (his client, the form's address, his form's data)."""
    first, second = signed_in(erika), signed_in(max_)
    url = change_url(seeded_report)
    stale = read_change_form(second, url)
    data = read_change_form(first, url)
    data[body_field(data, "Ongoing Challenges")] = "Erika's challenges."
    submit(first, url, data)
    return second, url, stale


def body_field(data, title):
    return f"sections-{form_index(data, title)}-body"


def draft_body(report, title):
    from reports import workflow

    state = workflow.preview_state(report, user=Draft.objects.get().revision.user)
    return next(s.body for s in state.sections if s.title == title)


class TestStaleForms:
    def test_a_stale_draft_that_changes_the_same_section_gets_the_conflict_page(
        self, stale_form, seeded_report
    ):
        second, url, stale = stale_form

        stale[body_field(stale, "Ongoing Challenges")] = "Max's challenges."
        response = second.post(url, stale)
        assert response.status_code == 409
        page = text_of(parse(response))
        assert "Erika Muster hat am" in page
        assert "einen Entwurf gespeichert" in page
        assert "Ongoing Challenges" in text_of(parse(response).select_one(".conflict-sides"))
        assert "Erika's challenges." in page and "Max's challenges." in page  # side by side
        # Nothing was overwritten: Erika's draft is still the draft.
        assert draft_body(seeded_report, "Ongoing Challenges") == "Erika's challenges."

        choice = form_data(parse(response).select_one("form.conflict-choice"))
        kept = second.post(
            reverse("admin:reports_report_resolve", args=[seeded_report.pk]),
            {**choice, "choice": "mine"},
        )
        assert kept.status_code == 302
        assert draft_body(seeded_report, "Ongoing Challenges") == "Max's challenges."

    def test_taking_the_other_version_keeps_it(self, stale_form, seeded_report):
        second, url, stale = stale_form
        stale[body_field(stale, "Ongoing Challenges")] = "Max's challenges."
        stale[body_field(stale, "Successes")] = "Max's successes."
        response = second.post(url, stale)
        choice = form_data(parse(response).select_one("form.conflict-choice"))
        second.post(
            reverse("admin:reports_report_resolve", args=[seeded_report.pk]),
            {**choice, "choice": "theirs"},
        )
        assert draft_body(seeded_report, "Ongoing Challenges") == "Erika's challenges."
        # What only Max changed is merged either way.
        assert draft_body(seeded_report, "Successes") == "Max's successes."

    def test_changes_of_different_sections_are_merged_without_asking(
        self, stale_form, seeded_report
    ):
        second, url, stale = stale_form
        stale[body_field(stale, "Successes")] = "Max's successes."
        submit(second, url, stale)
        assert draft_body(seeded_report, "Ongoing Challenges") == "Erika's challenges."
        assert draft_body(seeded_report, "Successes") == "Max's successes."

    def test_publishing_from_a_stale_form_overwrites_nothing(self, stale_form, seeded_report):
        """The issue's case: A saves a draft of "Ongoing Challenges"; B, whose form was opened
        before, publishes. A's change must not silently disappear."""
        second, url, stale = stale_form
        live = article_html(report=seeded_report)

        stale[body_field(stale, "Successes")] = "Max's successes."
        response = second.post(
            url, {**stale, "_publish": "Veröffentlichen", "change_note": "Max's note."}
        )
        assert response.status_code == 409
        assert article_html(report=seeded_report) == live
        assert not Publication.objects.exists()
        assert "Ongoing Challenges" in text_of(parse(response).select_one(".conflict-sides"))

        choice = form_data(parse(response).select_one("form.conflict-choice"))
        assert choice["action"] == "publish"
        second.post(
            reverse("admin:reports_report_resolve", args=[seeded_report.pk]),
            {**choice, "choice": "mine"},
        )
        article = article_html(report=seeded_report)
        assert "Max's successes." in article
        assert "Erika's challenges." in article  # merged, not lost
        assert not Draft.objects.exists()
        assert Report.objects.get().publications.filter(note="Max's note.").exists()


def test_a_schedule_from_a_stale_form_stays_a_schedule_after_the_choice(stale_form, seeded_report):
    from reports.models import Schedule

    from .test_publishing import soon

    second, url, stale = stale_form
    moment = soon(days=1)
    stale[body_field(stale, "Successes")] = "Max's successes."
    stale.update(publish_at_0=f"{moment:%d.%m.%Y}", publish_at_1=f"{moment:%H:%M:%S}")
    response = second.post(url, {**stale, "_publish": "Veröffentlichen", "change_note": "Later."})
    assert response.status_code == 409
    choice = form_data(parse(response).select_one("form.conflict-choice"))
    second.post(
        reverse("admin:reports_report_resolve", args=[seeded_report.pk]),
        {**choice, "choice": "mine"},
    )
    assert Schedule.objects.get(report=seeded_report).go_live_at == moment
    assert not Publication.objects.exists()
