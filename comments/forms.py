"""The comment form, in layers as django-contrib-comments has them.

security (signed timestamp, honeypot) → details (who writes) → the comment itself.
The security layer never shows an error: what it notices only sends the comment to spam.
"""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.validators import URLValidator

from comments.models import MAX_NAME_LENGTH, MAX_TEXT_LENGTH, MAX_URL_LENGTH, Comment, Notice
from comments.sections import section_choices
from comments.spam import SpamSignals
from comments.text import MAX_EMAIL_LENGTH, clean_name

TIMESTAMP_SALT = "comments.form-timestamp"

#: Above the list of errors when more than one required field is empty; each field then
#: still says what it is missing.
REQUIRED_FIELDS_MESSAGE = "Bitte fülle die Pflichtfelder aus."
EMPTY_NAME_MESSAGE = "Bitte gib deinen Namen ein."
EMPTY_EMAIL_MESSAGE = "Bitte gib deine E-Mail-Adresse ein."
INVALID_EMAIL_MESSAGE = "Bitte gib eine gültige E-Mail-Adresse ein."
EMPTY_TEXT_MESSAGE = "Bitte gib deinen Kommentartext ein."
TEXT_TOO_LONG_MESSAGE = "Dein Kommentar ist zu lang."
NAME_TOO_LONG_MESSAGE = "Dein Name ist zu lang."
EMAIL_TOO_LONG_MESSAGE = "Deine E-Mail-Adresse ist zu lang."
URL_TOO_LONG_MESSAGE = "Die Adresse deiner Website ist zu lang."
INVALID_URL_MESSAGE = (
    "Bitte gib eine gültige Website-Adresse ein, die mit http:// oder https:// beginnt."
)
NUL_MESSAGE = "Bitte entferne die unzulässigen Steuerzeichen (Nullzeichen)."
BAD_PARENT_MESSAGE = "Auf diesen Kommentar kann nicht geantwortet werden."
SECTION_LABEL = "Bezieht sich auf"
UNKNOWN_SECTION_MESSAGE = (
    "Diesen Abschnitt gibt es nicht mehr. Bitte wähle einen anderen oder „den ganzen Bericht“."
)
REMEMBER_LABEL = (
    "Name, E-Mail-Adresse und Website in diesem Browser für meinen nächsten Kommentar speichern."
)
NOTIFY_REPLIES_LABEL = "Benachrichtige mich über Antworten auf meinen Kommentar per E-Mail."
NOTIFY_REPORT_LABEL = "Benachrichtige mich über neue Kommentare zu diesem Bericht per E-Mail."


EXPIRED_FORM_MESSAGE = (
    "Das Formular war zu lange offen und ist abgelaufen. Dein Text ist noch da: "
    "bitte schicke ihn noch einmal ab."
)


def signed_timestamp(*, seconds_ago: float = 0) -> str:
    """When a reader got (or started to fill in) the form, signed so that nobody can forge it."""
    # Whole seconds, rounded down: a timestamp never lies in the future.
    return signing.dumps(int(time.time() - seconds_ago), salt=TIMESTAMP_SALT)


def _messages(**overrides) -> dict:
    return {"null_characters_not_allowed": NUL_MESSAGE, **overrides}


class WebsiteField(forms.URLField):
    """Only http and https: no javascript:, data: or ftp: links under a reader's name."""

    default_validators = [URLValidator(schemes=["http", "https"])]


class CommentSecurityForm(forms.Form):
    """Catches robots: they send the form back at once, or fill in a field humans never see.

    The article page is the same for every reader, so its form carries no timestamp; the
    script asks /kommentare/zeitstempel/ for one when the reader starts typing. A form sent
    without one (no JavaScript) is held for moderation instead of being judged on timing.
    """

    timestamp = forms.CharField(widget=forms.HiddenInput, required=False)
    honeypot = forms.CharField(
        label="Dieses Feld bitte leer lassen.",
        required=False,
        strip=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean_timestamp(self):
        """Seconds since the form was filled in; None when missing, "forged" when forged."""
        value = self.cleaned_data["timestamp"]
        if not value:
            return None
        try:
            issued = float(
                signing.loads(
                    value, salt=TIMESTAMP_SALT, max_age=settings.COMMENTS_FORM_MAX_AGE_SECONDS
                )
            )
        except signing.SignatureExpired:
            raise forms.ValidationError(EXPIRED_FORM_MESSAGE, code="expired") from None
        except (signing.BadSignature, TypeError, ValueError):
            return "forged"
        return time.time() - issued

    def clean_honeypot(self):
        return bool(self.cleaned_data["honeypot"])

    def spam_signals(self) -> SpamSignals:
        seconds = self.cleaned_data.get("timestamp")
        return SpamSignals(
            honeypot_filled=self.cleaned_data.get("honeypot", False),
            too_fast=seconds == "forged"
            or (seconds is not None and seconds < settings.COMMENTS_MIN_SECONDS),
            timing_unknown=seconds is None,
        )

    def refresh_timestamp(self) -> None:
        """Before the form is shown again with errors: keep a valid timestamp, replace a missing
        or expired one. The reader has spent time on the form already, so it counts from
        COMMENTS_MIN_SECONDS ago and sending it again at once is not "too fast"."""
        if isinstance(self.cleaned_data.get("timestamp"), float):
            return
        self.data = self.data.copy()
        self.data[self.add_prefix("timestamp")] = signed_timestamp(
            seconds_ago=settings.COMMENTS_MIN_SECONDS
        )


class CommentDetailsForm(CommentSecurityForm):
    """Who writes: shown name, private email, optional website, and whether to remember them."""

    author_name = forms.CharField(
        label="Name",
        max_length=MAX_NAME_LENGTH,
        error_messages=_messages(required=EMPTY_NAME_MESSAGE, max_length=NAME_TOO_LONG_MESSAGE),
        widget=forms.TextInput(attrs={"autocomplete": "name", "size": 30}),
    )
    author_email = forms.EmailField(
        label="E-Mail-Adresse",
        max_length=MAX_EMAIL_LENGTH,
        error_messages=_messages(
            required=EMPTY_EMAIL_MESSAGE,
            invalid=INVALID_EMAIL_MESSAGE,
            max_length=EMAIL_TOO_LONG_MESSAGE,
        ),
        widget=forms.EmailInput(
            attrs={"autocomplete": "email", "size": 30, "aria-describedby": "email-notes"}
        ),
    )
    author_url = WebsiteField(
        label="Website",
        required=False,
        max_length=MAX_URL_LENGTH,
        assume_scheme="https",
        error_messages=_messages(invalid=INVALID_URL_MESSAGE, max_length=URL_TOO_LONG_MESSAGE),
        widget=forms.URLInput(attrs={"autocomplete": "url", "size": 30}),
    )
    remember = forms.BooleanField(label=REMEMBER_LABEL, required=False)
    # Double opt-in: ticking one only sends a confirmation email (comments.notifications).
    notify_replies = forms.BooleanField(label=NOTIFY_REPLIES_LABEL, required=False)
    notify_report = forms.BooleanField(label=NOTIFY_REPORT_LABEL, required=False)

    def clean_author_name(self):
        """Without invisible direction marks (they could turn the line around on the page)."""
        name = clean_name(self.cleaned_data["author_name"])
        if not name:
            raise forms.ValidationError(REQUIRED_FIELDS_MESSAGE, code="required")
        return name


class SectionSelect(forms.Select):
    """The report's headings are English inside the German form: screen readers say them so."""

    def create_option(self, *args, **kwargs):
        option = super().create_option(*args, **kwargs)
        if option["value"]:
            option["attrs"]["lang"] = "en"
        return option


class CommentForm(CommentDetailsForm):
    """The comment, and the comment it answers."""

    text = forms.CharField(
        label="Kommentar",
        error_messages=_messages(required=EMPTY_TEXT_MESSAGE),
        widget=forms.Textarea(
            attrs={
                "rows": 8,
                "cols": 45,
                "maxlength": MAX_TEXT_LENGTH,
                "aria-describedby": "comment-hint",
            }
        ),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # Filled per report in __init__; replies take their parent's section (Comment model).
    section = forms.CharField(label=SECTION_LABEL, required=False, widget=SectionSelect)

    field_order = [
        "section",
        "text",
        "author_name",
        "author_email",
        "author_url",
        "remember",
        "notify_replies",
        "notify_report",
        "parent",
    ]

    def __init__(self, *args, report, **kwargs):
        self.report = report
        super().__init__(*args, **kwargs)
        self.sections = {section.anchor: section for section in report.sections.all()}
        self.fields["section"].widget.choices = section_choices(self.sections.values())

    def clean_text(self):
        """Browsers send line breaks as CRLF; count them as one character, as the reader sees."""
        text = self.cleaned_data["text"].replace("\r\n", "\n")
        if len(text) > MAX_TEXT_LENGTH:
            raise forms.ValidationError(TEXT_TOO_LONG_MESSAGE, code="max_length")
        return text

    def clean_parent(self):
        """Replies only to an approved comment of this report that is not nested too deep."""
        parent_id = self.cleaned_data["parent"]
        if not parent_id:
            return None
        parent = Comment.objects.for_report(self.report).approved().filter(pk=parent_id).first()
        if parent is None or not parent.can_have_replies:
            raise forms.ValidationError(BAD_PARENT_MESSAGE, code="invalid_parent")
        return parent

    def clean_section(self):
        """The chosen section, or None for the whole report."""
        anchor = self.cleaned_data["section"]
        if not anchor:
            return None
        if anchor not in self.sections:
            raise forms.ValidationError(UNKNOWN_SECTION_MESSAGE, code="unknown_section")
        return self.sections[anchor]

    def clean(self):
        cleaned_data = super().clean()
        if self.data.get(self.add_prefix("parent")) and self.has_error("section"):
            # A reply is about its parent's section; the select is not even shown for it.
            del self.errors["section"]
            cleaned_data["section"] = None
        if sum(self.has_error(name, code="required") for name in self.fields) > 1:
            self.add_error(None, REQUIRED_FIELDS_MESSAGE)
        return cleaned_data

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                described = widget.attrs.get("aria-describedby", "")
                widget.attrs["aria-describedby"] = f"{described} {self[name].auto_id}-error".strip()

    def comment_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "author_name": data["author_name"],
            "author_email": data["author_email"],
            "author_url": data["author_url"],
            "text": data["text"],
            "parent": data["parent"],
            "section": None if data["parent"] else data["section"],
        }


class NoticeForm(CommentSecurityForm):
    """ "Melden": a reader's report of a comment (DSA Art. 16), with the comment form's honeypot."""

    reason = forms.ChoiceField(
        label="Grund",
        choices=Notice.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Bitte wähle einen Grund."},
    )
    explanation = forms.CharField(
        label="Begründung",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 45, "maxlength": 5000}),
        error_messages=_messages(
            required="Bitte beschreibe kurz, was an dem Kommentar nicht in Ordnung ist.",
            max_length="Deine Begründung ist zu lang (höchstens 5000 Zeichen).",
        ),
    )
    reporter_email = forms.EmailField(
        label="E-Mail-Adresse (freiwillig)",
        required=False,
        max_length=MAX_EMAIL_LENGTH,
        help_text="Nur wenn du über unsere Entscheidung informiert werden möchtest.",
        error_messages=_messages(invalid=INVALID_EMAIL_MESSAGE, max_length=EMAIL_TOO_LONG_MESSAGE),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "size": 30}),
    )


class OwnPageRequestForm(forms.Form):
    """ "Meine Kommentare" from another device: the address to send the signed link to."""

    email = forms.EmailField(
        label="E-Mail-Adresse",
        max_length=MAX_EMAIL_LENGTH,
        error_messages=_messages(
            required=EMPTY_EMAIL_MESSAGE,
            invalid=INVALID_EMAIL_MESSAGE,
            max_length=EMAIL_TOO_LONG_MESSAGE,
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "size": 30}),
    )
