"""The site publishes every line of the seed's article text, in order, exactly."""

import re

from reports.rendering import html_to_text
from reports.seed import COMMENT_FORM_MARKER

LIST_MARKER = re.compile(r"^\s+(•|\d+\.)\s+")


def article_lines(seed_text: str) -> list[str]:
    lines = seed_text.splitlines()
    lines = lines[: lines.index(COMMENT_FORM_MARKER)]
    return [LIST_MARKER.sub("", line).strip() for line in lines if line.strip()]


def test_every_seed_line_is_on_the_page_in_order(client, seeded_report, seed_path):
    response = client.get(seeded_report.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    article = html[html.index("<article") : html.index("</article>")]
    page_text = html_to_text(article)

    position = 0
    lines = article_lines(seed_path.read_text(encoding="utf-8"))
    assert len(lines) > 60
    for line in lines:
        found = page_text.find(line, position)
        assert found >= 0, f"missing or out of order: {line!r}"
        position = found + len(line)


def test_curly_quotes_and_apostrophes_survive(client, seeded_report):
    html = client.get(seeded_report.get_absolute_url()).content.decode()
    assert "„read“" in html
    assert "What’s Working and What Isn’t" in html
    assert "&#x27;" not in html and "&quot;read" not in html


def test_comment_form_lines_are_not_article_text(seeded_report):
    texts = [seeded_report.lead, seeded_report.closing_note] + [
        section.body for section in seeded_report.sections.all()
    ]
    assert not any("Schreibe einen Kommentar" in text for text in texts)
    assert not any("Deine E-Mail-Adresse" in text for text in texts)
