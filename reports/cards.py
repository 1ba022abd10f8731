"""The preview card shared links show: a 1200×630 PNG with the title and the site name.

Made on this server when a report is saved (never by a third party), stored under a name that
holds a hash of what is drawn on it, so it can be cached forever: a new title or site name
makes a new file and a new URL.
"""

import hashlib
import io
import re
import textwrap
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
#: Bump when the drawing changes, so that every card is drawn anew.
DESIGN = "1"
#: From Debian's fonts-dejavu-core (scripts/bootstrap); Pillow's own font otherwise.
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
BACKGROUND = "#1d4f91"
TEXT = "#ffffff"
MUTED = "#c8d8ee"
MARGIN = 80
NAME_PATTERN = re.compile(r"^cards/(?P<slug>[-a-zA-Z0-9_]+)-(?P<digest>[0-9a-f]{16})\.png$")


def card_name(report) -> str:
    digest = hashlib.sha256(f"{DESIGN}|{report.title}|{settings.SITE_NAME}".encode()).hexdigest()
    return f"cards/{report.slug}-{digest[:16]}.png"


def card_url(report) -> str:
    """The card's absolute address, for og:image and JSON-LD."""
    return settings.SITE_URL.rstrip("/") + reverse("reports:card", args=[card_name(report)])


def _font(name: str, size: int):
    try:
        return ImageFont.truetype(str(FONT_DIR / name), size)
    except OSError:
        return ImageFont.load_default(size)


def _title_lines(draw, title: str):
    """The largest size at which the title fits in at most four lines."""
    for size in (72, 64, 56, 48, 42):
        font = _font("DejaVuSans-Bold.ttf", size)
        for width in range(40, 10, -2):
            lines = textwrap.wrap(title, width=width) or [""]
            if all(draw.textlength(line, font=font) <= WIDTH - 2 * MARGIN for line in lines):
                if len(lines) <= 4:
                    return font, lines
                break
    lines = textwrap.wrap(title, width=40)
    return font, lines[:3] + [textwrap.shorten(" ".join(lines[3:]), width=36, placeholder=" …")]


def draw_card(report) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    font, lines = _title_lines(draw, report.title)
    line_height = int(font.size * 1.2)
    top = (HEIGHT - 120 - line_height * len(lines)) // 2
    for number, line in enumerate(lines):
        draw.text((MARGIN, top + number * line_height), line, font=font, fill=TEXT)
    draw.line((MARGIN, HEIGHT - 130, WIDTH - MARGIN, HEIGHT - 130), fill=MUTED, width=2)
    draw.text(
        (MARGIN, HEIGHT - 100), settings.SITE_NAME, font=_font("DejaVuSans.ttf", 40), fill=MUTED
    )
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()


def ensure_card(report) -> str:
    """Draw the report's card unless it exists already; returns its storage name."""
    name = card_name(report)
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(draw_card(report)))
    return name
