"""Lines a reader begins with "> " are shown as a quote: a <blockquote> that holds their text,
escaped and linked like every other comment text. Without JavaScript, typed by hand; with it,
filled in by the "Zitieren" button (tests/browser/test_quotes.py)."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from aireport.sanitizer import render_comment_text
from comments.models import Comment
from tests.comments.status import set_status

from .test_xss import executable_markup
from .xss_payloads import XSS_PAYLOADS

#: The migration that renders the stored quoting comments again, found by its name's end
#: (the number in front may change when migrations of several branches are merged).
QUOTE_MIGRATION_SUFFIX = "_quotes_render_stored_comments"


def test_one_quoted_line():
    assert render_comment_text("> Agents need guardrails.\n\nStimmt.") == (
        "<blockquote><p>Agents need guardrails.</p></blockquote><p>Stimmt.</p>"
    )


def test_consecutive_quoted_lines_are_one_quote_with_line_breaks_and_paragraphs():
    text = "> Erste Zeile\n> zweite Zeile\n>\n> neuer Absatz\n\nMeine Antwort."
    assert render_comment_text(text) == (
        "<blockquote><p>Erste Zeile<br>zweite Zeile</p><p>neuer Absatz</p></blockquote>"
        "<p>Meine Antwort.</p>"
    )


def test_line_endings_from_a_browser_form():
    """Browsers send a textarea's lines with CRLF."""
    assert render_comment_text("> Zitat\r\n> weiter\r\n\r\nAntwort\r\nzweite Zeile") == (
        "<blockquote><p>Zitat<br>weiter</p></blockquote><p>Antwort<br>zweite Zeile</p>"
    )


def test_text_right_after_a_quote_and_a_quote_inside_a_paragraph():
    assert render_comment_text("Du schreibst:\n> Zitat\nDas sehe ich anders.") == (
        "<p>Du schreibst:</p><blockquote><p>Zitat</p></blockquote><p>Das sehe ich anders.</p>"
    )


def test_two_quotes_with_answers_between():
    text = "> eins\n\nAntwort eins\n\n> zwei\nAntwort zwei"
    assert render_comment_text(text) == (
        "<blockquote><p>eins</p></blockquote><p>Antwort eins</p>"
        "<blockquote><p>zwei</p></blockquote><p>Antwort zwei</p>"
    )


def test_greater_than_sign_without_a_space_is_text():
    """ ">" alone is an empty quoted line; ">9000" or ">_<" at a line's start stay text."""
    assert render_comment_text(">9000 Teilnehmende\n>_<") == (
        "<p>&gt;9000 Teilnehmende<br>&gt;_&lt;</p>"
    )
    assert render_comment_text(">\n> nach einer Leerzeile") == (
        "<blockquote><p>nach einer Leerzeile</p></blockquote>"
    )
    assert render_comment_text(">\n>") == ""
    assert render_comment_text("a -> b\n > eingerückt") == "<p>a -&gt; b<br> &gt; eingerückt</p>"


def test_quotes_in_quotes_nest_three_levels_and_stay_text_below():
    assert render_comment_text(">> alt\n> neu") == (
        "<blockquote><blockquote><p>alt</p></blockquote><p>neu</p></blockquote>"
    )
    assert render_comment_text("> > > > > tief") == (
        "<blockquote><blockquote><blockquote><p>&gt; &gt; tief</p>"
        "</blockquote></blockquote></blockquote>"
    )


def test_links_inside_a_quote():
    html = render_comment_text("> Quelle: https://example.org/bericht und example.de")
    soup = BeautifulSoup(html, "html.parser")
    links = soup.select("blockquote a")
    assert [a["href"] for a in links] == ["https://example.org/bericht", "http://example.de"]
    assert all(a["rel"] == ["nofollow", "ugc"] for a in links)


def test_html_inside_a_quote_is_shown_as_typed():
    html = render_comment_text("> <b>fett</b> & <i>schräg</i>")
    assert html == (
        "<blockquote><p>&lt;b&gt;fett&lt;/b&gt; &amp; &lt;i&gt;schräg&lt;/i&gt;</p></blockquote>"
    )
    assert BeautifulSoup(html, "html.parser").blockquote.get_text() == (
        "<b>fett</b> & <i>schräg</i>"
    )


def test_text_without_quotes_renders_as_before():
    assert render_comment_text("  Hallo\nWelt\n\n\n\nZweiter  \n") == (
        "<p>Hallo<br>Welt</p><p>Zweiter</p>"
    )


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_corpus_inside_a_quote_has_nothing_executable(payload):
    quoted = "\n".join(f"> {line}" for line in payload.split("\n"))
    for text in (quoted, f">> {payload}\n> {payload}\n\n{payload}"):
        html = render_comment_text(text)
        assert executable_markup(html) == []
        soup = BeautifulSoup(html, "html.parser")
        assert {tag.name for tag in soup.find_all(True)} <= {"blockquote", "p", "br", "a"}
        assert soup.blockquote is not None
        for link in soup.find_all("a"):
            assert link["href"].startswith(("http://", "https://"))
            assert set(link.attrs) == {"href", "rel"}


@pytest.mark.django_db
def test_a_quote_typed_without_javascript_is_shown_to_its_author_and_after_approval(
    post_comment, client, report
):
    text = "> <script>alert(1)</script> ist im Bericht\r\n> zitiert.\r\n\r\nMeine Meinung."
    response = post_comment(text=text, follow=True)
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    mine = BeautifulSoup(response.content, "html.parser").select_one(f"#c{comment.pk}")
    quote = mine.select_one(".comment-content blockquote")
    assert (
        " ".join(quote.get_text(" ").split()) == "<script>alert(1)</script> ist im Bericht zitiert."
    )
    assert mine.select("script") == []

    set_status(Comment.objects.filter(pk=comment.pk), Comment.Status.APPROVED)
    page = BeautifulSoup(client.get(report.get_absolute_url()).content, "html.parser")
    content = page.select_one(f"#c{comment.pk} .comment-content")
    assert content.blockquote.p.get_text(" ") == "<script>alert(1)</script> ist im Bericht zitiert."
    assert content.select_one("blockquote + p").get_text() == "Meine Meinung."


def test_the_form_explains_quotes(client, report):
    page = BeautifulSoup(client.get(report.get_absolute_url()).content, "html.parser")
    hint = " ".join(page.select_one("#comment-hint").get_text().split())
    assert "Zeilen, die mit > und einem Leerzeichen beginnen, erscheinen als Zitat." in hint


def migrate_comments(target):
    executor = MigrationExecutor(connection)
    others = [key for key in executor.loader.graph.leaf_nodes() if key[0] != "comments"]
    executor.migrate([*others, target])
    executor.loader.build_graph()
    return executor.loader.project_state([*others, target]).apps


@pytest.fixture
def quote_migration():
    """The quote migration and the one before it; afterwards every migration again."""
    graph = MigrationExecutor(connection).loader.graph
    (node,) = [
        key
        for key in graph.nodes
        if key[0] == "comments" and key[1].endswith(QUOTE_MIGRATION_SUFFIX)
    ]
    (before,) = [key for key in graph.node_map[node].parents if key[0] == "comments"]
    yield before, node
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_migration_renders_stored_quotes_again(quote_migration):
    before, after = quote_migration
    apps = migrate_comments(before)
    Report = apps.get_model("reports", "Report")
    Comment = apps.get_model("comments", "Comment")
    report = Report.objects.create(title="AI Safety", slug="ai-safety", status="published")

    def stored(text, text_html):
        return Comment.objects.create(
            report=report, author_name="Xaver", author_email="x@example.org",
            status="approved", text=text, text_html=text_html,
        )  # fmt: skip

    first_line = stored("> Zitat\r\n\r\nAntwort", "<p>&gt; Zitat</p><p>Antwort</p>")
    later_line = stored("Du schreibst:\n> Zitat", "<p>Du schreibst:<br>&gt; Zitat</p>")
    # ">" after a line break is rendered again (as text here); text without one is not touched.
    arrow = stored("a -> b\n>9000", "<p>unverändert</p>")
    plain = stored("Kein Zitat.", "<p>gespeichert</p>")

    apps = migrate_comments(after)
    rows = {c.pk: c.text_html for c in apps.get_model("comments", "Comment").objects.all()}
    assert rows[first_line.pk] == "<blockquote><p>Zitat</p></blockquote><p>Antwort</p>"
    assert rows[later_line.pk] == "<p>Du schreibst:</p><blockquote><p>Zitat</p></blockquote>"
    assert rows[arrow.pk] == "<p>a -&gt; b<br>&gt;9000</p>"
    assert rows[plain.pk] == "<p>gespeichert</p>"
