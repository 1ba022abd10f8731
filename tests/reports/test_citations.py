"""Citing the report, a section and the version read: every format parses, the page carries
Google Scholar's tags, and a section's citation points to the version and the section's anchor.

The lock file holds no BibTeX, RIS or YAML parser (`grep -i` in requirements-test.txt), so
BibTeX, RIS and CITATION.cff are read by the strict small readers below, which reject anything
outside each format's grammar; CSL-JSON is read by the json module.
"""

import datetime
import json
import re

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from comments.sections import section_url
from reports.models import Publication
from tests.comments.conftest import CommentFactory
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


# Strict readers ---------------------------------------------------------------------------------

BIBTEX_ENTRY = re.compile(r"\A@(online|incollection)\{([A-Za-z0-9_]+),\n(.*)\n\}\n\Z", re.S)
BIBTEX_FIELD = re.compile(r"\A  ([a-z]+) = \{(.*)\},\Z")


def braces_balanced(value: str) -> bool:
    depth = 0
    for index, char in enumerate(value):
        if char == "\\":
            continue
        if index and value[index - 1] == "\\":
            continue
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def parse_bibtex(text: str) -> tuple[str, str, dict]:
    match = BIBTEX_ENTRY.match(text)
    assert match, text
    fields = {}
    for line in match[3].split("\n"):
        field = BIBTEX_FIELD.match(line)
        assert field, line
        assert braces_balanced(field[2]), line
        assert field[1] not in fields, line
        fields[field[1]] = field[2]
    return match[1], match[2], fields


def parse_ris(text: str) -> dict:
    assert text.endswith("ER  - \r\n")
    lines = text.split("\r\n")[:-1]
    assert lines[0] == "TY  - ELEC"
    tags = {}
    for line in lines:
        match = re.fullmatch(r"([A-Z][A-Z0-9])  - (.*)", line)
        assert match, line
        tags.setdefault(match[1], []).append(match[2])
    return tags


def parse_cff(text: str) -> dict:
    """The YAML CITATION.cff uses: `key: scalar`, `key:` with an indented mapping or list of
    `- name: …` items; scalars are integers, plain words, JSON-style double-quoted strings or
    flow lists of them (all a subset of YAML's). Anything else fails."""

    def scalar(raw: str):
        if raw.startswith(('"', "[")):
            return json.loads(raw)
        if re.fullmatch(r"-?\d+", raw):
            return int(raw)
        # A plain word, or a version with two dots (YAML reads "1.2" as a number, "1.2.0" not).
        assert re.fullmatch(r"[A-Za-z][\w-]*|\d+\.\d+\.\d+", raw), raw
        return raw

    lines = text.rstrip("\n").split("\n")
    assert text.endswith("\n") and "\t" not in text
    root: dict = {}
    stack: list = [(-1, root)]
    for number, line in enumerate(lines):
        indent = len(line) - len(line.lstrip(" "))
        body = line.strip()
        while stack[-1][0] >= indent:
            stack.pop()
        container = stack[-1][1]
        if body.startswith("- "):
            assert isinstance(container, list), line
            key, value = re.fullmatch(r"- ([a-z][a-z-]*): (.+)", body).groups()
            item = {key: scalar(value)}
            container.append(item)
            stack.append((indent, item))
            continue
        match = re.fullmatch(r"([a-z][a-z-]*):(?: (.+))?", body)
        assert match and isinstance(container, dict) and match[1] not in container, line
        if match[2] is not None:
            container[match[1]] = scalar(match[2])
            continue
        following = lines[number + 1]
        assert len(following) - len(following.lstrip(" ")) > indent, line
        child = [] if following.strip().startswith("- ") else {}
        container[match[1]] = child
        stack.append((indent, child))
    return root


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
    assert response["Content-Disposition"] == f'attachment; filename="{report.slug}.bib"'

    kind, key, fields = parse_bibtex(response.content.decode())
    assert (kind, key) == ("online", "ai2026")
    assert fields["title"] == "{AI Safety and Alignment Progress Report: December 2026}"
    assert fields["author"] == "{aireport}"  # an organisation: never split into names
    assert fields["year"] == "2026"
    assert fields["url"] == f"http://testserver{current.get_version_url()}"
    assert fields["date"] == timezone.localdate(current.published_at).isoformat()


def test_bibtex_escapes_what_latex_would_read_as_commands(client, db, settings):
    settings.SITE_PUBLISHER = "Müller & Söhne {100%}"
    report = ReportFactory(
        title="Risks_of #AI: 50% ~ $1 {x}", published_on=datetime.date(2026, 12, 1)
    )
    text = download(client, f"/berichte/{report.slug}/zitieren/zitat.bib")

    _, _, fields = parse_bibtex(text)
    assert fields["title"] == r"{Risks\_of \#AI: 50\% \textasciitilde{} \$1 \{x\}}"
    assert fields["author"] == r"{Müller \& Söhne \{100\%\}}"


def test_ris_tags(client, versioned_report):
    report, _, current = versioned_report
    response = client.get(f"/berichte/{report.slug}/zitieren/zitat.ris")
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"

    tags = parse_ris(response.content.decode())
    assert tags["TI"] == ["AI Safety and Alignment Progress Report: December 2026"]
    assert tags["AU"] == ["aireport"]
    assert tags["PY"] == ["2026"]
    assert tags["LA"] == ["en"]
    assert tags["UR"] == [f"http://testserver{current.get_version_url()}"]


def test_csl_json_is_a_list_of_one_item(client, versioned_report):
    report, _, current = versioned_report
    response = client.get(f"/berichte/{report.slug}/zitieren/zitat.json")
    assert response["Content-Type"] == "application/vnd.citationstyles.csl+json; charset=utf-8"

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
    # The keys CFF 1.2.0 requires, and the report as the preferred citation.
    assert cff["cff-version"] == "1.2.0"
    assert cff["message"]
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
    assert (kind, key) == ("incollection", "ai2026_agent_safety")
    assert fields["title"] == f"{{{section.title}}}"
    assert fields["booktitle"] == "{AI Safety and Alignment Progress Report: December 2026}"
    assert fields["url"] == expected
    assert parse_ris(download(client, base + ".ris"))["UR"] == [expected]
    [item] = json.loads(download(client, base + ".json"))
    assert (item["type"], item["container-title"], item["URL"]) == (
        "chapter",
        report.title,
        expected,
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
    assert page.select_one("#zitat-bib").get_text().startswith("@online{ai2026,")
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
