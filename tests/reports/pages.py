"""Reading responses the way a browser does: parsed HTML, visible text, submitted form fields."""

from bs4 import BeautifulSoup, Tag

BUTTON_TYPES = frozenset({"submit", "button", "image", "reset", "file"})


def parse(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def text_of(element: Tag) -> str:
    """Visible text with whitespace collapsed, as a reader sees it."""
    return " ".join(element.get_text().split())


def form_data(form: Tag) -> dict[str, str]:
    """The fields a browser would submit for this form, unchanged."""
    data: dict[str, str] = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or field.has_attr("disabled"):
            continue
        if field.name == "textarea":
            # Browsers drop the newline that follows the opening <textarea> tag.
            value = field.get_text()
            data[name] = value[1:] if value.startswith("\n") else value
        elif field.name == "select":
            options = field.find_all("option")
            chosen = [o for o in options if o.has_attr("selected")] or options[:1]
            if chosen:
                data[name] = chosen[0].get("value", chosen[0].get_text())
        else:
            kind = field.get("type", "text").lower()
            if kind in BUTTON_TYPES:
                continue
            if kind in {"checkbox", "radio"}:
                if field.has_attr("checked"):
                    data[name] = field.get("value", "on")
                continue
            data[name] = field.get("value", "")
    return data
