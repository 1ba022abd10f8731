"""Citing the report, a section and the version read: every format parses with a real reader
of that format (bibtexparser, rispy, citeproc-py, PyYAML), the page carries Google Scholar's
tags, and a section's citation points to the version and the section's anchor.
"""

import datetime
import io
import json
import re
from pathlib import Path

import bibtexparser
import pytest
import rispy
import yaml
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors, SplitNameParts
from bs4 import BeautifulSoup
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from django.conf import settings
from django.core.management import CommandError, call_command
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify

from comments.sections import section_url
from reports.models import Publication
from tests.comments.conftest import CommentFactory
from tests.conftest import SEED_PATH
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


# Readers ----------------------------------------------------------------------------------------


def day(publication) -> str:
    """The version's day as the key and the file name carry it (2026-12-04 → 20261204)."""
    return f"{timezone.localdate(publication.published_at):%Y%m%d}"


def parse_bibtex(text: str) -> tuple[str, str, dict]:
    """The one entry of a BibTeX file, its fields as LaTeX decodes them; nothing may be left
    unparsed (a stray brace, a duplicate field, text around the entry)."""
    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    assert library.failed_blocks == [], text
    [entry] = library.blocks
    return (
        entry.entry_type,
        entry.key,
        {name: field.value for name, field in entry.fields_dict.items()},
    )


def bibtex_authors(text: str) -> list:
    """The authors as BibTeX splits them into names (given, von, family)."""
    library = bibtexparser.parse_string(
        text, append_middleware=[SeparateCoAuthors(), SplitNameParts()]
    )
    return library.entries[0]["author"]


def parse_ris(text: str) -> dict:
    """The one record of a RIS file; a tag rispy does not know fails."""
    assert text.startswith("TY  - ") and text.endswith("ER  - \r\n")
    [record] = rispy.loads(text)
    assert "unknown_tag" not in record, record
    return record


#: The CSL style citeproc-py ships.
CSL_STYLE = "harvard-cite-them-right"


def render_csl(text: str) -> str:
    """A CSL-JSON file rendered by citeproc-py as a bibliography entry in Harvard style."""
    items = json.loads(text)
    assert isinstance(items, list) and len(items) == 1
    style = CitationStylesStyle(CSL_STYLE, validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    bibliography.register(Citation([CitationItem(items[0]["id"])]))
    [entry] = bibliography.bibliography()
    return str(entry)


def parse_cff(text: str) -> dict:
    """A CITATION.cff read by YAML, with the keys CFF 1.2.0 requires of every file."""
    cff = yaml.safe_load(text)
    for key in ("cff-version", "message", "title", "authors"):
        assert cff.get(key), key
    assert cff["cff-version"] == "1.2.0"
    assert all(isinstance(author, dict) and author for author in cff["authors"])
    return cff


# Fixtures ---------------------------------------------------------------------------------------


@pytest.fixture
def versioned_report(seeded_report):
    """The seed report with two versions readers had and one scheduled for tomorrow."""
    now = timezone.now()
    outline = seeded_report.content_outline()
    first = Publication.objects.create(
        report=seeded_report,
        published_at=now - datetime.timedelta(days=2),
        initial=True,
        content={**outline, "lead": "The first lead, as it read then."},
    )
    current = Publication.objects.create(
        report=seeded_report,
        published_at=now - datetime.timedelta(hours=1),
        note="Neuer Vorspann.",
        content=outline,
    )
    Publication.objects.create(
        report=seeded_report,
        published_at=now + datetime.timedelta(days=1),
        note="Geplant.",
        content=outline,
    )
    return seeded_report, first, current


def download(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# Formats ----------------------------------------------------------------------------------------


def test_bibtex_names_the_report_its_publisher_and_the_current_version(client, versioned_report):
    report, _, current = versioned_report
    response = client.get(f"/berichte/{report.slug}/zitieren/zitat.bib")
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    stamp = f"{timezone.localdate(current.published_at):%Y-%m-%d}"
    assert response["Content-Disposition"] == f'attachment; filename="{report.slug}-{stamp}.bib"'

    kind, key, fields = parse_bibtex(response.content.decode())
    assert (kind, key) == ("online", f"ai2026_v{day(current)}")
    assert fields["title"] == "AI Safety and Alignment Progress Report: December 2026"
    assert fields["author"] == "aireport"
    assert fields["year"] == "2026"
    assert fields["version"] == f"Version of {timezone.localdate(current.published_at).day} " + (
        timezone.localdate(current.published_at).strftime("%B %Y")
    )
    assert fields["url"] == f"http://testserver{current.get_version_url()}"
    assert fields["date"] == timezone.localdate(current.published_at).isoformat()


def test_bibtex_escapes_what_latex_would_read_as_commands(client, db, settings):
    settings.SITE_PUBLISHER = "Müller & Söhne {100%}"
    report = ReportFactory(
        title="Risks_of #AI: 50% ~ $1 {x}", published_on=datetime.date(2026, 12, 1)
    )
    text = download(client, f"/berichte/{report.slug}/zitieren/zitat.bib")

    _, _, fields = parse_bibtex(text)
    # LaTeX reads back exactly the title and the name, not commands or comments.
    assert fields["title"] == "Risks_of #AI: 50% ~ $1 {x}"
    assert fields["author"] == "Müller & Söhne {100%}"


def test_bibtex_never_splits_the_organisation_into_names(client, db, settings):
    settings.SITE_PUBLISHER = "Verlag für Sicherheit and Co"
    report = ReportFactory(published_on=datetime.date(2026, 12, 1))
    [author] = bibtex_authors(download(client, f"/berichte/{report.slug}/zitieren/zitat.bib"))
    # One author (not "Verlag für Sicherheit" and "Co"), all of it the family name.
    assert (author.first, author.von, author.jr) == ([], [], [])
    assert author.last == ["{Verlag für Sicherheit and Co}"]


def test_ris_tags(client, versioned_report):
    report, _, current = versioned_report
    response = client.get(f"/berichte/{report.slug}/zitieren/zitat.ris")
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"

    record = parse_ris(response.content.decode())
    assert record["type_of_reference"] == "ELEC"
    assert record["title"] == "AI Safety and Alignment Progress Report: December 2026"
    assert record["authors"] == ["aireport"]
    assert record["publisher"] == "aireport"
    assert record["year"] == "2026"
    assert record["date"] == timezone.localdate(current.published_at).strftime("%Y/%m/%d")
    assert record["language"] == "en"
    assert record["urls"] == [f"http://testserver{current.get_version_url()}"]


# citeproc-py does not use CSL's "available-date" (the version's date) and says so.
@pytest.mark.filterwarnings("ignore:The following arguments for Reference are unsupported")
def test_csl_json_renders_in_a_citation_style(client, versioned_report):
    report, _, current = versioned_report
    response = client.get(f"/berichte/{report.slug}/zitieren/zitat.json")
    assert response["Content-Type"] == "application/vnd.citationstyles.csl+json; charset=utf-8"

    entry = render_csl(response.content.decode())
    url = f"http://testserver{current.get_version_url()}"
    assert entry == (
        f"aireport (2026) AI Safety and Alignment Progress Report: December 2026. aireport. "
        f"Available at: {url}."
    )

    [item] = json.loads(response.content)
    assert item["type"] == "report"
    assert item["title"] == "AI Safety and Alignment Progress Report: December 2026"
    assert item["author"] == [{"literal": "aireport"}]
    assert item["issued"] == {"date-parts": [[2026, 12]]}
    assert item["language"] == "en"
    assert item["URL"] == f"http://testserver{current.get_version_url()}"


def test_plain_text_reads_like_apa(client, versioned_report):
    report, _, current = versioned_report
    day = timezone.localdate(current.published_at)
    text = download(client, f"/berichte/{report.slug}/zitieren/zitat.txt")

    month = day.strftime("%B")
    assert text == (
        "aireport. (2026, December). AI Safety and Alignment Progress Report: December 2026 "
        f"(Version of {day.day} {month} {day.year}). aireport. "
        f"http://testserver{current.get_version_url()}"
    )


def test_citation_cff_is_valid_cff_1_2(client, versioned_report):
    report, _, current = versioned_report
    response = client.get(f"/berichte/{report.slug}/CITATION.cff")
    assert response["Content-Type"] == "text/plain; charset=utf-8"

    cff = parse_cff(response.content.decode())
    # The report as the preferred citation.
    assert cff["title"] == "AI Safety and Alignment Progress Report: December 2026"
    assert cff["authors"] == [{"name": "aireport"}]
    assert cff["languages"] == ["en"]
    assert cff["date-released"] == timezone.localdate(current.published_at).isoformat()
    assert cff["preferred-citation"]["type"] == "report"
    assert cff["preferred-citation"]["publisher"] == {"name": "aireport"}
    assert cff["preferred-citation"]["year"] == 2026
    assert cff["url"] == f"http://testserver{current.get_version_url()}"


# Sections -------------------------------------------------------------------------------------


def test_a_sections_citation_points_to_the_version_and_the_sections_anchor(
    client, versioned_report
):
    report, _, current = versioned_report
    section = report.sections.get(anchor="agent-safety")
    base = f"/berichte/{report.slug}/zitieren/agent-safety/zitat"
    expected = f"http://testserver{current.get_version_url()}#s-agent-safety"

    kind, key, fields = parse_bibtex(download(client, base + ".bib"))
    assert (kind, key) == ("incollection", f"ai2026_v{day(current)}_agent_safety")
    assert fields["title"] == section.title
    assert fields["booktitle"] == "AI Safety and Alignment Progress Report: December 2026"
    assert fields["url"] == expected
    record = parse_ris(download(client, base + ".ris"))
    assert (record["title"], record["secondary_title"]) == (section.title, report.title)
    assert record["urls"] == [expected]
    csl = download(client, base + ".json")
    [item] = json.loads(csl)
    assert (item["type"], item["container-title"], item["URL"]) == (
        "chapter",
        report.title,
        expected,
    )
    with pytest.warns(UserWarning, match="available_date"):
        entry = render_csl(csl)
    assert entry == (
        f"aireport (2026) “{section.title}”, {report.title}. aireport. Available at: {expected}."
    )
    assert download(client, base + ".txt").startswith(
        f"aireport. (2026, December). {section.title}. In {report.title} (Version of "
    )


def test_the_versions_page_still_has_the_sections_anchor(client, versioned_report):
    report, _, current = versioned_report
    page = BeautifulSoup(download(client, current.get_version_url()), "html.parser")
    assert page.select_one("h3#s-agent-safety, h2#s-agent-safety")


def test_the_citation_pages_show_every_format_and_link_every_section(client, versioned_report):
    report, _, _ = versioned_report
    page = BeautifulSoup(download(client, f"/berichte/{report.slug}/zitieren/"), "html.parser")

    assert [h.get_text() for h in page.select(".citation-format h2")] == [
        "Als Text (APA)",
        "BibTeX",
        "RIS",
        "CSL-JSON",
        "Citation File Format",
    ]
    assert page.select_one("#zitat-bib").get_text().startswith("@online{ai2026_v")
    assert page.select_one("a[download][href$='zitat.ris']")
    assert len(page.select(".citation-sections a")) == report.sections.count()
    assert page.select_one("meta[name=robots]")["content"] == "noindex"

    section_page = download(client, f"/berichte/{report.slug}/zitieren/agent-safety/")
    assert "Zitiervorschlag für den Abschnitt" in section_page


def test_unknown_sections_drafts_and_unknown_formats_are_not_found(client, versioned_report):
    report, _, _ = versioned_report
    assert client.get(f"/berichte/{report.slug}/zitieren/no-such-section/").status_code == 404
    assert client.get(f"/berichte/{report.slug}/zitieren/zitat.docx").status_code == 404
    draft = ReportFactory(status="draft")
    assert client.get(f"/berichte/{draft.slug}/zitieren/").status_code == 404
    assert client.get(f"/berichte/{draft.slug}/CITATION.cff").status_code == 404


def test_without_a_recorded_version_the_citation_points_to_the_article(client, seeded_report):
    _, _, fields = parse_bibtex(
        download(client, f"/berichte/{seeded_report.slug}/zitieren/zitat.bib")
    )
    assert fields["url"] == f"http://testserver{seeded_report.get_absolute_url()}"


# The article page -----------------------------------------------------------------------------


def test_the_article_carries_google_scholars_tags(client, versioned_report):
    report, _, current = versioned_report
    page = BeautifulSoup(download(client, report.get_absolute_url()), "html.parser")

    def meta(name):
        return [tag["content"] for tag in page.select(f'meta[name="{name}"]')]

    assert meta("citation_title") == [report.title]
    assert meta("citation_author") == ["aireport"]
    assert meta("citation_publisher") == ["aireport"]
    assert meta("citation_publication_date") == ["2026/12"]
    assert meta("citation_online_date") == [
        timezone.localdate(current.published_at).strftime("%Y/%m/%d")
    ]
    assert meta("citation_fulltext_html_url") == [f"http://testserver{report.get_absolute_url()}"]
    assert meta("citation_language") == ["en"]


def test_the_articles_header_offers_the_citation_without_scripting(client, versioned_report):
    report, _, current = versioned_report
    page = BeautifulSoup(download(client, report.get_absolute_url()), "html.parser")
    details = page.select_one(".report-header details.cite")

    assert details.summary.get_text() == "Zitiervorschlag"
    assert current.get_version_url() in details.p.get_text()
    assert details.select_one("a")["href"] == f"/berichte/{report.slug}/zitieren/"


def test_the_site_identity_names_the_author(client, versioned_report, settings):
    settings.SITE_PUBLISHER = "Verlag für Sicherheit"
    report, _, _ = versioned_report
    [item] = json.loads(download(client, f"/berichte/{report.slug}/zitieren/zitat.json"))
    assert item["author"] == [{"literal": "Verlag für Sicherheit"}]
    assert item["publisher"] == "Verlag für Sicherheit"


def test_a_sections_discussion_page_links_its_citation(client, versioned_report):
    report, _, _ = versioned_report
    comment = CommentFactory.build(report=report)
    comment.set_section(report.sections.get(anchor="agent-safety"))
    comment.save()
    page = BeautifulSoup(download(client, section_url(report, "agent-safety")), "html.parser")
    link = page.find("a", string="Zitiervorschlag für diesen Abschnitt")
    assert link["href"] == f"/berichte/{report.slug}/zitieren/agent-safety/"


# Each section's "Zitiervorschlag" ---------------------------------------------------------------


def section_cite_links(page: BeautifulSoup) -> dict[str, str]:
    """Each section heading's id → the href of "Zitiervorschlag" in the quiet line under it."""
    links = {}
    for heading in page.select(".report .section-heading"):
        talk = heading.find_next_sibling()
        assert "section-talk" in talk["class"], heading["id"]
        [link] = talk.find_all("a", string="Zitiervorschlag")
        links[heading["id"]] = link["href"]
    return links


def test_every_section_links_its_citation_also_with_comments_closed(client, versioned_report):
    report, _, current = versioned_report
    report.comments_open = False
    report.save()
    page = BeautifulSoup(download(client, report.get_absolute_url()), "html.parser")

    links = section_cite_links(page)
    assert len(links) == report.sections.count() == 17
    for section in report.sections.all():
        # Relative to the article's address.
        assert links[section.html_id] == f"zitieren/{section.anchor}/"
    assert page.select(".section-talk a[href^='?abschnitt=']") == []

    # The address it leads to cites the current version at the section's anchor, which the
    # version's page has.
    cited = download(client, f"{report.get_absolute_url()}zitieren/agent-safety/")
    assert f"{current.get_version_url()}#s-agent-safety" in cited
    version = BeautifulSoup(download(client, current.get_version_url()), "html.parser")
    assert version.find(id="s-agent-safety").get_text().startswith("Agent Safety")


def test_the_article_under_another_address_links_citations_from_the_reports(
    client, versioned_report
):
    """The comments app shows the article again under its own addresses (a form with errors)."""
    report, _, _ = versioned_report
    response = client.post(f"/berichte/{report.slug}/kommentieren/", {"text": ""})
    page = BeautifulSoup(response.content, "html.parser")

    links = section_cite_links(page)
    assert links["s-agent-safety"] == f"/berichte/{report.slug}/zitieren/agent-safety/"
    assert len(links) == 17


def test_a_preview_offers_no_citation(admin_client, versioned_report):
    report, _, _ = versioned_report
    response = admin_client.get(reverse("admin:reports_report_preview", args=[report.pk]))
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select(".report .section-heading")
    assert page.find("a", string="Zitiervorschlag") is None


# Passage links --------------------------------------------------------------------------------


def test_every_published_page_fetches_the_passage_links_on_demand(client, versioned_report):
    """quote.js ("Link zu dieser Stelle") on the article with comments closed and on a
    version's page; report.js fetches it at the first selection, so no page loads it."""
    report, first, _ = versioned_report
    report.comments_open = False
    report.save()
    for url in (report.get_absolute_url(), first.get_version_url()):
        page = BeautifulSoup(download(client, url), "html.parser")
        article = page.select_one("article.report")
        assert article["data-quote-script"].endswith(".js"), url
        scripts = [script["src"] for script in page.select("script[src]")]
        assert any("js/report" in src for src in scripts), url
        assert not any("js/quote" in src for src in scripts), url


# The repository's CITATION.cff ----------------------------------------------------------------


def test_the_repositorys_citation_cff_is_what_the_code_writes_for_the_seed():
    """GitHub's "Cite this repository" reads CITATION.cff at the root; the command writes it
    from the seed file (docs/publication.md), with the site's address as its one input."""
    committed_path = Path(settings.BASE_DIR) / "CITATION.cff"
    committed = committed_path.read_text(encoding="utf-8")
    cff = parse_cff(committed)
    site_url = re.match(r"https://[^/]+", cff["url"])[0]

    written = io.StringIO()
    call_command("citation_cff", seed=SEED_PATH, site_url=site_url, stdout=written)
    assert committed == written.getvalue()
    assert cff["title"] == "AI Safety and Alignment Progress Report: December 2026"
    assert cff["url"] == f"{site_url}/berichte/{slugify(cff['title'])}/"
    assert cff["preferred-citation"]["type"] == "report"


def test_the_command_writes_what_the_site_serves(client, versioned_report):
    report, _, _ = versioned_report
    out = io.StringIO()
    call_command("citation_cff", report.slug, stdout=out)
    assert out.getvalue() == download(client, f"/berichte/{report.slug}/CITATION.cff")


def test_the_command_refuses_unknown_reports_and_unclear_requests(db):
    with pytest.raises(CommandError, match="Kein veröffentlichter Bericht"):
        call_command("citation_cff", "no-such-report")
    with pytest.raises(CommandError, match="Entweder"):
        call_command("citation_cff")


# A version's citations ------------------------------------------------------------------------

#: The earlier version's title and a section the report has dropped since.
OLD_TITLE = "AI Safety and Alignment Progress Report: Draft for December 2026"
RETIRED = {"level": 2, "title": "Retired Outlook", "anchor": "retired-outlook", "body": "Gone."}


@pytest.fixture
def earlier_version(versioned_report):
    """The first version under its old title, with a section only it has (the last one)."""
    report, first, current = versioned_report
    outline = first.content
    first.content = {**outline, "title": OLD_TITLE, "sections": [*outline["sections"], RETIRED]}
    first.save()
    return report, first, current


def version_label(publication) -> str:
    day = timezone.localdate(publication.published_at)
    return f"Version of {day.day} {day.strftime('%B')} {day.year}"


def cite_path(publication, anchor="") -> str:
    return publication.get_version_url() + "zitieren/" + (f"{anchor}/" if anchor else "")


def test_an_earlier_versions_citation_names_that_version_and_its_page(client, earlier_version):
    report, first, current = earlier_version
    url = f"http://testserver{first.get_version_url()}"
    assert version_label(first) != version_label(current)

    response = client.get(cite_path(first) + "zitat.bib")
    stamp = f"{timezone.localdate(first.published_at):%Y-%m-%d}"
    assert response["Content-Disposition"] == f'attachment; filename="{report.slug}-{stamp}.bib"'
    kind, key, fields = parse_bibtex(response.content.decode())
    # Two versions in one bibliography: two keys.
    assert key == f"ai2026_v{day(first)}" != f"ai2026_v{day(current)}"
    assert kind == "online"
    assert (fields["title"], fields["version"], fields["url"]) == (
        OLD_TITLE,
        version_label(first),
        url,
    )
    assert fields["date"] == timezone.localdate(first.published_at).isoformat()

    record = parse_ris(download(client, cite_path(first) + "zitat.ris"))
    assert (record["title"], record["edition"], record["urls"]) == (
        OLD_TITLE,
        version_label(first),
        [url],
    )
    csl = download(client, cite_path(first) + "zitat.json")
    [item] = json.loads(csl)
    assert (item["version"], item["URL"]) == (version_label(first), url)
    with pytest.warns(UserWarning, match="available_date"):
        assert render_csl(csl) == f"aireport (2026) {OLD_TITLE}. aireport. Available at: {url}."
    assert download(client, cite_path(first) + "zitat.txt") == (
        f"aireport. (2026, December). {OLD_TITLE} ({version_label(first)}). aireport. {url}"
    )


def test_a_section_the_report_has_dropped_can_be_cited_in_the_version_that_had_it(
    client, earlier_version
):
    report, first, current = earlier_version
    expected = f"http://testserver{first.get_version_url()}#s-retired-outlook"
    base = cite_path(first, "retired-outlook") + "zitat"

    kind, key, fields = parse_bibtex(download(client, base + ".bib"))
    assert (kind, key) == ("incollection", f"ai2026_v{day(first)}_retired_outlook")
    assert (fields["title"], fields["booktitle"]) == ("Retired Outlook", OLD_TITLE)
    assert (fields["version"], fields["url"]) == (version_label(first), expected)
    record = parse_ris(download(client, base + ".ris"))
    assert (record["title"], record["secondary_title"], record["urls"]) == (
        "Retired Outlook",
        OLD_TITLE,
        [expected],
    )
    csl = download(client, base + ".json")
    with pytest.warns(UserWarning, match="available_date"):
        assert render_csl(csl) == (
            f"aireport (2026) “Retired Outlook”, {OLD_TITLE}. aireport. Available at: {expected}."
        )
    # The address it names has the section under that anchor.
    version = BeautifulSoup(download(client, first.get_version_url()), "html.parser")
    assert version.find(id="s-retired-outlook").get_text() == "Retired Outlook"

    # Neither the live report nor the current version has it.
    assert client.get(f"/berichte/{report.slug}/zitieren/retired-outlook/").status_code == 404
    assert client.get(cite_path(current, "retired-outlook")).status_code == 404


def test_a_live_sections_citation_in_a_version_points_to_that_version(client, earlier_version):
    _, first, _ = earlier_version
    text = download(client, cite_path(first, "agent-safety") + "zitat.txt")
    assert text.endswith(
        f"({version_label(first)}). aireport. "
        f"http://testserver{first.get_version_url()}#s-agent-safety"
    )


def test_versions_readers_have_not_seen_other_reports_and_unknown_anchors_are_not_found(
    client, earlier_version
):
    report, first, current = earlier_version
    scheduled = report.publications.get(published_at__gt=timezone.now())
    other = ReportFactory()
    for path in (
        cite_path(scheduled),
        cite_path(scheduled, "agent-safety"),
        cite_path(scheduled) + "zitat.bib",
        cite_path(scheduled, "agent-safety") + "zitat.ris",
        f"/berichte/{other.slug}/fassungen/{first.pk}/zitieren/",
        f"/berichte/{other.slug}/fassungen/{first.pk}/zitieren/zitat.bib",
        f"/berichte/{report.slug}/fassungen/999999/zitieren/",
        cite_path(first, "no-such-section"),
        cite_path(first, "no-such-section") + "zitat.json",
        cite_path(first) + "zitat.docx",
    ):
        assert client.get(path).status_code == 404, path
    assert client.get(f"/berichte/{other.slug}/zitieren/").status_code == 200


def test_an_earlier_versions_citation_page_says_so_and_links_the_current_ones(
    client, earlier_version
):
    report, first, _ = earlier_version
    response = client.get(cite_path(first))
    assert "public" in response["Cache-Control"]  # shared like the other citation pages
    page = BeautifulSoup(response.content, "html.parser")

    assert page.select_one("meta[name=robots]")["content"] == "noindex"
    with translation.override("de"):
        german_date = date_filter(timezone.localtime(first.published_at), "j. F Y")
    assert page.h1.get_text() == f"Zitiervorschlag für die Fassung vom {german_date}"
    note = page.select_one(".version-note")
    assert "frühere Fassung" in note.get_text()
    assert note.a["href"] == f"/berichte/{report.slug}/zitieren/"
    assert page.find("a", string=re.compile("^Fassung vom "))["href"] == first.get_version_url()
    # Its formats download this version's files, its sections are the version's.
    assert page.select_one("#zitat-bib").get_text().startswith(f"@online{{ai2026_v{day(first)},")
    assert version_label(first) in page.select_one("#zitat-bib").get_text()
    assert page.select_one("a[download][href$='zitat.ris']")["href"] == (
        cite_path(first) + "zitat.ris"
    )
    links = [a["href"] for a in page.select(".citation-sections a")]
    assert len(links) == report.sections.count() + 1
    assert links[-1] == cite_path(first, "retired-outlook")
    assert page.select_one("#format-cff") is None  # the report's CITATION.cff is the current one


def test_a_sections_citation_in_an_earlier_version_links_the_current_one_while_it_exists(
    client, earlier_version
):
    report, first, _ = earlier_version
    page = BeautifulSoup(download(client, cite_path(first, "agent-safety")), "html.parser")
    assert page.h1.get_text() == "Zitiervorschlag für den Abschnitt „Agent Safety“"
    note = page.select_one(".version-note")
    assert note.a["href"] == f"/berichte/{report.slug}/zitieren/agent-safety/"
    back = page.find("a", string="Zurück zum Abschnitt")
    assert back["href"] == f"{first.get_version_url()}#s-agent-safety"

    page = BeautifulSoup(download(client, cite_path(first, "retired-outlook")), "html.parser")
    note = page.select_one(".version-note")
    assert note.a["href"] == f"/berichte/{report.slug}/zitieren/"
    assert "dieser Abschnitt ist darin nicht mehr enthalten" in note.get_text()


def test_the_current_versions_citation_page_says_it_is_current(client, earlier_version):
    _, _, current = earlier_version
    page = BeautifulSoup(download(client, cite_path(current)), "html.parser")
    assert page.select_one(".version-note") is None
    assert "Das ist die aktuelle Fassung" in page.select_one(".citation-page").get_text()
    assert version_label(current) in page.select_one("#zitat-bib").get_text()


def test_a_versions_page_offers_its_citation_and_each_sections(client, earlier_version):
    report, first, _ = earlier_version
    page = BeautifulSoup(download(client, first.get_version_url()), "html.parser")

    details = page.select_one(".report-header details.cite")
    assert details.summary.get_text() == "Zitiervorschlag"
    text = details.p.get_text()
    assert text.startswith(f"aireport. (2026, December). {OLD_TITLE} ({version_label(first)})")
    assert text.endswith(first.get_version_url())
    assert details.select_one("a")["href"] == cite_path(first)
    assert page.find("a", string="Drucken mit Kommentaren") is None  # no comments here

    links = section_cite_links(page)
    assert len(links) == report.sections.count() + 1 == 18
    for heading_id, href in links.items():
        assert href == cite_path(first, heading_id.removeprefix("s-")), heading_id
    assert links["s-retired-outlook"] == cite_path(first, "retired-outlook")


def test_a_versions_citation_page_costs_a_fixed_number_of_queries(
    client, earlier_version, django_assert_max_num_queries
):
    """The page cache's version (three), the report with its sections (two), the cited and the
    current version: the version's sections come from its stored outline, not a query each."""
    _, first, _ = earlier_version
    for path in (cite_path(first), cite_path(first, "agent-safety")):
        with django_assert_max_num_queries(7):
            response = client.get(path)
        assert response.status_code == 200
