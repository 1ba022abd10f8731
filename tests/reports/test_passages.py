"""Links to a passage: a section's address with a text fragment (`#s-…:~:text=…`), and the
link a comment's quote of its section gets to that passage."""

import datetime
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone

from reports.models import Publication
from reports.passages import encode_fragment_text, passage_url, text_directive
from tests.comments.conftest import CommentFactory

from .pages import parse


def test_a_term_encodes_the_directives_own_syntax_and_everything_unsafe():
    assert encode_fragment_text("state-of-the-art, fast & cheap") == (
        "state%2Dof%2Dthe%2Dart%2C%20fast%20%26%20cheap"
    )
    assert encode_fragment_text("Sätze: 50% (ca.) #1 ~ok_") == (
        "S%C3%A4tze%3A%2050%25%20%28ca.%29%20%231%20~ok_"
    )
    assert unquote(encode_fragment_text("a-b, c & d")) == "a-b, c & d"


def test_a_short_passage_is_matched_whole_a_long_one_by_its_first_and_last_words():
    assert text_directive("  two\nwords ") == "text=two%20words"
    long = "one two three four five six seven eight nine ten eleven twelve"
    assert text_directive(long) == "text=one%20two%20three%20four,nine%20ten%20eleven%20twelve"


@pytest.mark.django_db
def test_the_passage_url_is_the_sections_address_with_the_fragment(seeded_report):
    section = seeded_report.sections.get(anchor="agent-safety")
    assert passage_url(section, "x-risk, & more") == (
        f"/berichte/{seeded_report.slug}/#s-agent-safety:~:text=x%2Drisk%2C%20%26%20more"
    )


def quoted_comment(report, anchor, text, **fields):
    comment = CommentFactory.build(report=report, text=text, **fields)
    comment.set_section(report.sections.get(anchor=anchor) if anchor else None)
    comment.save()
    return comment


def words_of(section, start, count):
    from reports.rendering import html_to_text

    return " ".join(html_to_text(section.body_html).split()[start : start + count])


@pytest.mark.django_db
def test_a_quote_of_the_comments_section_links_to_its_passage(seeded_report):
    section = seeded_report.sections.get(anchor="agent-safety")
    passage = words_of(section, 3, 6)
    comment = quoted_comment(seeded_report, "agent-safety", f"> {passage}\n\nDem stimme ich zu.")

    page = parse(Client().get(seeded_report.get_absolute_url()))
    link = page.select_one(f"#c{comment.pk} blockquote a.quote-passage")
    assert link.get_text() == "Zur Stelle im Bericht"
    assert link["href"] == passage_url(section, passage)
    assert "rel" not in link.attrs  # the site's own link, not a reader's
    assert unquote(link["href"].split(":~:text=")[1]) == passage


@pytest.mark.django_db
def test_quotes_from_elsewhere_get_no_passage_link(seeded_report):
    section = seeded_report.sections.get(anchor="agent-safety")
    passage = words_of(section, 3, 6)
    other = quoted_comment(seeded_report, "regulatory-progress", f"> {passage}")
    whole = quoted_comment(seeded_report, None, f"> {passage}")
    invented = quoted_comment(seeded_report, "agent-safety", "> Words the report never says.")
    # Markup a reader types stays text: no link of the site's class can be forged.
    forged = quoted_comment(
        seeded_report,
        "agent-safety",
        '> <a class="quote-passage" href="/evil">Zur Stelle im Bericht</a>',
    )

    for comment in (other, whole, invented, forged):
        html = BeautifulSoup(comment.text_html, "html.parser")
        assert html.select("a.quote-passage") == [], comment.text
    assert html.blockquote.get_text().startswith("<a class=")  # shown as the text it is


@pytest.mark.django_db
def test_after_the_passage_changes_the_link_still_leads_to_the_section_and_the_mark_stays(
    seeded_report,
):
    section = seeded_report.sections.get(anchor="agent-safety")
    passage = words_of(section, 3, 6)
    comment = quoted_comment(
        seeded_report,
        "agent-safety",
        f"> {passage}",
        created_at=timezone.now() - datetime.timedelta(days=2),
    )
    section.body = "A rewritten section."
    section.save()
    Publication.objects.create(
        report=seeded_report,
        published_at=timezone.now() - datetime.timedelta(days=1),
        note="Agent Safety neu geschrieben.",
        content={},
        sections_touched=[{"anchor": "agent-safety", "title": section.title, "kind": "geändert"}],
    )

    page = parse(Client().get(seeded_report.get_absolute_url()))
    item = page.select_one(f"#c{comment.pk}")
    href = item.select_one("a.quote-passage")["href"]
    assert href.startswith(f"/berichte/{seeded_report.slug}/#s-agent-safety:~:text=")
    assert page.select_one("#s-agent-safety")  # the section is still where the link leads
    assert "der Abschnitt wurde seitdem geändert" in item.select_one(".comment-section").get_text()
