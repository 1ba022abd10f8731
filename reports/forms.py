from django import forms
from django.contrib.admin import widgets
from django.utils import timezone

from .models import Report, Section
from .rendering import normalise_markdown


class MarkdownField(forms.CharField):
    """A Markdown text as one spelling: what the browser sends with CRLF and trailing blanks
    is the same text as the stored one, so an untouched field does not count as changed."""

    def to_python(self, value):
        return normalise_markdown(super().to_python(value))


class SectionForm(forms.ModelForm):
    """A section in the report's admin form; a blank anchor is derived from the title on save."""

    class Meta:
        model = Section
        fields = ("order", "level", "title", "anchor", "body")
        field_classes = {"body": MarkdownField}
        widgets = {"body": forms.Textarea(attrs={"rows": 6, "class": "markdown-editor"})}

    def has_changed(self):
        # A draft's section that has no row yet comes as a filled extra form: it is part of
        # the version even when the editor did not touch it (reports.admin).
        return getattr(self, "from_draft", False) or super().has_changed()

    def clean_anchor(self):
        # None, not "", so that several new sections with blank anchors are not taken for
        # duplicates of one another before Section.save() gives each its own anchor.
        return self.cleaned_data["anchor"] or None


class ReportForm(forms.ModelForm):
    """The report with what its publication needs: a note, "small correction", a moment."""

    #: Set by the admin for the request: whether the editor pressed "Veröffentlichen", the
    #: revision the form shows (its base), the stored draft and schedule.
    publishing = False
    base_revision_id = None
    stored_draft = None

    base_revision = forms.IntegerField(
        required=False,
        widget=forms.HiddenInput,
        help_text="Die Fassung, auf der dieses Formular beruht: wer danach speichert, wird "
        "nicht überschrieben.",
    )
    change_note = forms.CharField(
        label="Änderungsnotiz",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Ein oder zwei Sätze für die Leser: was sich geändert hat und warum. "
        "Nötig, wenn ein veröffentlichter Bericht geändert wird.",
    )
    minor_change = forms.BooleanField(
        label="Kleine Korrektur",
        required=False,
        help_text="Tippfehler oder Linkkorrektur: das „Updated“-Datum bleibt, und die Änderung "
        "erscheint nicht in den öffentlichen Änderungen.",
    )
    publish_at = forms.SplitDateTimeField(
        label="Veröffentlichen am",
        required=False,
        widget=widgets.AdminSplitDateTime,
        help_text="Leer lassen, um sofort zu veröffentlichen. Uhrzeit in deutscher Zeit "
        "(Europe/Berlin).",
    )

    class Meta:
        model = Report
        fields = (
            "title",
            "slug",
            "comments_open",
            "reviewed_on",
            "published_on",
            "reading_time_minutes",
            "lead",
            "closing_note",
            "description",
        )
        field_classes = {"lead": MarkdownField, "closing_note": MarkdownField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The field's label names the pair, but points at neither input (a MultiWidget has no
        # single id): each input gets a name of its own for screen readers.
        date, time = self.fields["publish_at"].widget.widgets
        date.attrs["aria-label"] = "Veröffentlichen am (Datum)"
        time.attrs["aria-label"] = "Veröffentlichen am (Uhrzeit)"
        self.fields["base_revision"].initial = self.base_revision_id
        if self.stored_draft is not None:
            self.fields["change_note"].initial = self.stored_draft.note
            self.fields["minor_change"].initial = self.stored_draft.minor
        # "Veröffentlichen am" starts empty even while a schedule is pending (the notice at
        # the top names it): pressing "Veröffentlichen" then publishes now and ends it.

    def clean_publish_at(self):
        moment = self.cleaned_data["publish_at"]
        if moment is not None and self.publishing and moment <= timezone.now():
            raise forms.ValidationError(
                "Dieser Zeitpunkt ist schon vorbei. Leer lassen, um sofort zu veröffentlichen."
            )
        return moment

    def clean(self):
        cleaned = super().clean()
        is_live = self.instance.pk and self.instance.status == Report.Status.PUBLISHED
        if self.publishing and is_live and not cleaned.get("change_note", "").strip():
            self.add_error(
                "change_note",
                "Bitte in ein oder zwei Sätzen beschreiben, was sich ändert "
                "(auch bei einer kleinen Korrektur).",
            )
        return cleaned
