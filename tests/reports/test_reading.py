"""What a reader gets: the way in, the meta line, the contents, a page that stays on this site."""

import re
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.utils import dateformat, timezone, translation

from reports.models import WORDS_PER_MINUTE, Report
from tests.factories import ReportFactory, SectionFactory

from .pages import parse, text_of

pytestmark = pytest.mark.django_db

REPORT_URL = "/berichte/ai-safety-and-alignment-progress-report-december-2026/"


@pytest.fixture
def page(client, seeded_report):
    response = client.get(seeded_report.get_absolute_url())
    assert response.status_code == 200
    return parse(response)


def meta_text(page) -> str:
    return text_of(page.select_one("article header"))


class TestWayIn:
    def test_home_page_brings_the_visitor_to_the_report(self, client, seeded_report):
        response = client.get("/", follow=True)
        assert response.status_code == 200
        assert response.redirect_chain[-1][0] == REPORT_URL
        assert text_of(parse(response).h1) == seeded_report.title

    def test_report_has_a_readable_slug_url(self, client, seeded_report):
        assert seeded_report.get_absolute_url() == REPORT_URL
        assert client.get(REPORT_URL).status_code == 200
        assert client.get("/berichte/no-such-report/").status_code == 404

    def test_several_reports_are_listed_and_drafts_are_not(self, client, seeded_report):
        other = ReportFactory(title="A second report")
        draft = ReportFactory(title="Work in progress", status=Report.Status.DRAFT)
        page = parse(client.get("/"))
        links = {a["href"]: text_of(a) for a in page.select("main a[href]")}
        assert links[seeded_report.get_absolute_url()] == seeded_report.title
        assert links[other.get_absolute_url()] == "A second report"
        assert draft.get_absolute_url() not in links
        assert "Work in progress" not in text_of(page)


class TestMetaLine:
    def test_reviewed_published_and_reading_time(self, page):
        text = meta_text(page)
        assert "Reviewed: June 4, 2026" in text
        assert "Published: December 2026" in text
        assert "Reading time: 10 minutes" in text

    def test_reading_time_is_computed_from_the_words_when_not_set(self, client):
        report = ReportFactory(lead="", reading_time_minutes=None)
        SectionFactory(report=report, title="Counting", body="word " * (3 * WORDS_PER_MINUTE))
        # 600 words of text and a one-word heading: 601 words take 4 minutes at 200 a minute.
        report.record_content_change()
        response = client.get(report.get_absolute_url())
        assert "Reading time: 4 minutes" in meta_text(parse(response))

        report.reading_time_minutes = 7
        report.save()
        report.record_content_change()
        assert "Reading time: 7 minutes" in meta_text(parse(client.get(report.get_absolute_url())))

    def test_a_short_report_reads_in_one_minute(self, client):
        report = ReportFactory(lead="Just a few words.", reading_time_minutes=None)
        report.record_content_change()
        text = meta_text(parse(client.get(report.get_absolute_url())))
        assert "Reading time: 1 minute" in text
        assert "1 minutes" not in text


class TestUpdatedDate:
    @pytest.fixture
    def published_a_month_ago(self, seeded_report):
        seeded_report.published_on = timezone.localdate() - timedelta(days=30)
        seeded_report.save()
        seeded_report.record_content_change()
        Report.objects.filter(pk=seeded_report.pk).update(
            content_changed_at=timezone.now() - timedelta(days=40)
        )
        seeded_report.refresh_from_db()
        return seeded_report

    def test_not_shown_before_any_change(self, client, published_a_month_ago):
        page = parse(client.get(published_a_month_ago.get_absolute_url()))
        assert "Updated" not in meta_text(page)

    def test_saving_without_changing_the_content_shows_no_update(
        self, client, published_a_month_ago
    ):
        assert published_a_month_ago.record_content_change() is False
        page = parse(client.get(published_a_month_ago.get_absolute_url()))
        assert "Updated" not in meta_text(page)

    def test_shown_after_the_content_changed(self, client, published_a_month_ago):
        section = published_a_month_ago.sections.get(title="Conclusion")
        section.body += "\n\nOne more sentence."
        section.save()
        assert published_a_month_ago.record_content_change() is True

        page = parse(client.get(published_a_month_ago.get_absolute_url()))
        with translation.override("en"):
            today = dateformat.format(timezone.localdate(), "F j, Y")
        assert f"Updated: {today}" in meta_text(page)

    def test_a_change_before_publication_is_not_an_update(self, client, seeded_report):
        seeded_report.published_on = timezone.localdate() + timedelta(days=5)
        seeded_report.save()
        section = seeded_report.sections.first()
        section.body += " Changed."
        section.save()
        seeded_report.record_content_change()
        page = parse(client.get(seeded_report.get_absolute_url()))
        assert "Updated" not in meta_text(page)


class TestSectionNavigation:
    def test_contents_link_to_every_heading(self, page, seeded_report):
        article = page.select_one("article")
        heading_ids = [
            h["id"]
            for h in article.select("h2[id], h3[id]")
            if not h.find_parent("nav") and not h.find_parent(class_="discussion")
        ]
        assert heading_ids == [s.html_id for s in seeded_report.sections.all()]
        toc_links = [a["href"] for a in page.select("nav a[href^='#']") if a.find_parent("ol")]
        assert toc_links == [f"#{anchor}" for anchor in heading_ids] + ["#kommentare"]

    def test_contents_are_nested(self, page, seeded_report):
        top_list = next(
            ol for ol in page.select("nav ol") if ol.find_parent("ol") is None and ol.find("a")
        )
        *items, comments = top_list.find_all("li", recursive=False)
        assert text_of(comments.a) == "Kommentare (0)"
        tree = seeded_report.section_tree()
        assert len(items) == len(tree) == 6
        for item, (section, subsections) in zip(items, tree, strict=True):
            assert item.a["href"] == f"#{section.html_id}"
            assert text_of(item.a) == section.title
            nested_list = item.find("ol")
            nested = [a["href"] for a in nested_list.find_all("a")] if nested_list else []
            assert nested == [f"#{sub.html_id}" for sub in subsections]
        assert text_of(items[0].find("ol").a) == "1. Constitutional AI and RLHF Maturation"

    def test_every_heading_has_a_visible_permalink(self, page, seeded_report):
        for section in seeded_report.sections.all():
            heading = page.find(id=section.html_id)
            assert heading.name == ("h2" if section.level == 2 else "h3")
            link = heading.find("a", href=f"#{section.html_id}")
            assert link is not None, section.title
            assert link.get_text(strip=True), "the permalink must show something"
            assert not link.has_attr("hidden")
            assert section.title in (link.get("aria-label") or "")

    def test_anchors_are_stored_not_derived(self, client, seeded_report):
        section = seeded_report.sections.get(title="Agent Safety")
        section.title = "Safety of Autonomous Agents"
        section.save()
        seeded_report.record_content_change()
        page = parse(client.get(seeded_report.get_absolute_url()))
        heading = page.find(id="s-agent-safety")
        assert "Safety of Autonomous Agents" in text_of(heading)
        assert page.select_one("nav a[href='#s-agent-safety']") is not None
        assert page.find(id="s-safety-of-autonomous-agents") is None


class TestPageStructure:
    def test_semantic_landmarks(self, page):
        for element in ("header", "nav", "main", "article", "footer"):
            assert page.find(element) is not None, element
        assert page.select_one("main article") is not None
        assert page.select_one("main nav") is not None

    def test_skip_link_leads_to_the_main_content(self, page):
        skip = page.body.find("a")
        target = skip["href"]
        assert target.startswith("#")
        assert page.find(id=target[1:]).name == "main"
        assert "Inhalt" in text_of(skip)

    def test_languages(self, page):
        assert page.html["lang"] == "de"
        assert page.select_one("article")["lang"] == "en"

    def test_title_description_and_canonical(self, page, seeded_report):
        assert seeded_report.title in page.title.get_text()
        description = page.select_one("meta[name=description]")["content"]
        assert description.startswith("As AI systems become more capable")
        assert len(description) <= 160
        canonical = page.select_one("link[rel=canonical]")["href"]
        assert urlsplit(canonical).scheme in {"http", "https"}
        assert urlsplit(canonical).path == REPORT_URL

    def test_no_request_leaves_the_site(self, page):
        references = [
            element.get(attribute)
            for element in page.find_all(True)
            for attribute in ("src", "href", "action", "poster", "data")
            if element.get(attribute)
        ]
        assert references
        for reference in references:
            parts = urlsplit(reference)
            assert not reference.startswith("//"), reference
            assert parts.scheme in {"", "http", "https", "mailto"}, reference
            if parts.scheme in {"http", "https"}:
                assert parts.hostname == "testserver", reference

    def test_stylesheet_loads_nothing_from_elsewhere(self):
        css = Path(finders.find("css/site.css")).read_text(encoding="utf-8")
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css)
        assert "@import" not in css

    def test_print_stylesheet_hides_the_navigation(self, page):
        stylesheet = page.select_one("link[rel=stylesheet]")
        assert stylesheet.get("media", "all") in {"all", ""}
        css = Path(finders.find("css/site.css")).read_text(encoding="utf-8")
        hidden = hidden_selectors_in_print(css)
        nav_classes = {f".{name}" for name in page.select_one("main nav").get("class", [])}
        assert nav_classes & hidden or "nav" in hidden, hidden
        assert not {"article", ".report", "main"} & hidden


def hidden_selectors_in_print(css: str) -> set[str]:
    """Selectors that `@media print` sets to display: none."""
    opening = css.index("{", css.index("@media print"))
    depth, closing = 0, opening
    for closing in range(opening, len(css)):
        depth += {"{": 1, "}": -1}.get(css[closing], 0)
        if depth == 0:
            break
    block = css[opening + 1 : closing]
    selectors: set[str] = set()
    for rule_selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", block):
        if re.search(r"display\s*:\s*none", body):
            selectors |= {s.strip() for s in rule_selectors.split(",")}
    return selectors


def test_page_for_a_report_published_long_ago_keeps_its_dates(client):
    report = ReportFactory(reviewed_on=date(2025, 3, 9), published_on=date(2025, 4, 1))
    text = meta_text(parse(client.get(report.get_absolute_url())))
    assert "Reviewed: March 9, 2025" in text
    assert "Published: April 2025" in text
