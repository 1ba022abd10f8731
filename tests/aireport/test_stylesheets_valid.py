"""Every stylesheet of ours is valid CSS, as written and as collectstatic ships it (minified).

A block left open (`@media (max-width: 767px) {` without its `}`) is valid enough for a browser:
every later rule silently applies only inside the media query, so a desktop screen lost its
layout while phones looked right. The Nu HTML Checker reports it as a parse error at the end of
the file, so this test is what keeps such a slip from landing.
"""

from pathlib import Path

from django.conf import settings

#: Errors the checker reports for CSS that is right. The checker's CSS profile does not know
#: `line-clamp` yet (the standard name of `-webkit-line-clamp`, in CSS Overflow 4); we write it
#: beside the prefixed one so that browsers that drop the prefix keep clamping.
KNOWN_GAPS_OF_THE_CHECKER = ("“line-clamp”: Property “line-clamp” doesn't exist",)


def our_stylesheets() -> dict[str, Path]:
    """Our stylesheets by their static name (`css/admin.css`), from the project's static folders."""
    return {
        path.relative_to(folder).as_posix(): path
        for folder in map(Path, settings.STATICFILES_DIRS)
        for path in sorted(folder.rglob("*.css"))
    }


def real_errors(errors: list[str]) -> list[str]:
    return [e for e in errors if not any(gap in e for gap in KNOWN_GAPS_OF_THE_CHECKER)]


def test_the_checker_reports_a_block_left_open(html_errors, tmp_path):
    stylesheet = tmp_path / "open.css"
    stylesheet.write_text("@media (max-width: 767px) {\n  .card { display: grid; }\n\n.wide {}")
    closed = tmp_path / "closed.css"
    closed.write_text(".card { display: -webkit-box; -webkit-line-clamp: 2; line-clamp: 2; }")

    assert any("Parse Error" in e for e in html_errors([stylesheet], "--css"))
    assert real_errors(html_errors([closed], "--css")) == []


def test_our_stylesheets_are_valid_as_written_and_as_shipped(html_errors, production_static):
    root, shipped_names = production_static
    sources = our_stylesheets()
    assert {"css/site.css", "css/admin.css"} <= sources.keys()
    shipped = [root / shipped_names[name] for name in sources]

    assert real_errors(html_errors([*sources.values(), *shipped], "--css")) == []
