"""How a comment's words and addresses are compared: one form for each, used by every column
and lookup that matches them (comments, subscriptions, readers' reports, the ban list, flood
control)."""

import contextlib
import hashlib
import unicodedata

#: The longest address the forms accept (WordPress's limit).
MAX_EMAIL_LENGTH = 100
#: The size of every normalised email column: casefold() may lengthen an address (ß → ss),
#: never more than threefold, so any address the forms accept fits.
NORMALISED_EMAIL_LENGTH = 3 * MAX_EMAIL_LENGTH

#: Invisible characters that turn the direction of the text around (the "Trojan Source" set),
#: and zero-width spaces; a name never needs them. Joiners (U+200C, U+200D) stay: Persian and
#: Indic names are spelt with them.
_NAME_INVISIBLES = dict.fromkeys(
    [0x061C, 0x200B, 0x200E, 0x200F, *range(0x202A, 0x202F), 0x2060, *range(0x2066, 0x206A), 0xFEFF]
)


def clean_name(value: str) -> str:
    """A reader's name without bidi controls or zero-width spaces, NFC-composed."""
    return unicodedata.normalize("NFC", value.translate(_NAME_INVISIBLES)).strip()


def normalise_email(value: str) -> str:
    """The form every email is matched in: casefolded and NFC, an IDN domain in Unicode.

    SQLite's case-insensitive comparison knows ASCII only, so `X@BÜCHER.DE` and `x@bücher.de`
    are matched through this stored form instead (known author, duplicates, flood, privacy).
    """
    value = unicodedata.normalize("NFC", value.strip())
    local, at, domain = value.rpartition("@")
    if at and "xn--" in domain.lower():
        with contextlib.suppress(UnicodeError):
            domain = domain.encode("ascii").decode("idna")
    return unicodedata.normalize("NFC", f"{local}{at}{domain}".casefold())


def normalise_text(value: str) -> str:
    """What counts as "the same words": NFC, without invisible format characters, one space."""
    value = unicodedata.normalize("NFC", value)
    visible = "".join(ch for ch in value if unicodedata.category(ch) != "Cf")
    return " ".join(visible.split())


def duplicate_key(*, author_email: str, text: str) -> str | None:
    """The hash the database keeps unique per report (see Comment.Meta.constraints).

    None without an email address (an erased author): there is nobody to compare with."""
    email = normalise_email(author_email)
    if not email:
        return None
    return hashlib.sha256(f"{email}\n{normalise_text(text)}".encode()).hexdigest()
