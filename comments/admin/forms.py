"""The forms of the moderators' desk: the comment's change form, the decision on a reader's
report, the reply box and the ban page."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from comments.grounds import GROUND_CHOICES, GroundForm
from comments.models import Comment, Notice
from comments.statements import REMOVED_FROM

Status = Comment.Status


class NoticeDecisionForm(forms.ModelForm):
    """ "Keine Maßnahme" is sent to the reporter with its reason: never a bare decision."""

    def clean(self):
        cleaned = super().clean()
        reason = cleaned.get("decision_reason", "").strip()
        if cleaned.get("decision") == Notice.Decision.NO_ACTION and not reason:
            self.add_error(
                "decision_reason",
                "Bitte begründen Sie „Keine Maßnahme“ kurz; die meldende Person erhält die "
                "Begründung mit der Entscheidung.",
            )
        return cleaned


class NoticeInline(admin.TabularInline):
    """Readers' reports with their texts; deciding one emails the reporter."""

    model = Notice
    form = NoticeDecisionForm
    extra = 0
    can_delete = False
    fields = ("created_at", "reason", "explanation", "has_email", "decision", "decision_reason")
    readonly_fields = ("created_at", "reason", "explanation", "has_email")
    verbose_name_plural = "Meldungen von Leserinnen und Lesern"

    @admin.display(description="Antwort erwünscht", boolean=True)
    def has_email(self, notice):
        return bool(notice.reporter_email)

    def has_add_permission(self, request, obj=None):
        return False


class CommentAdminForm(forms.ModelForm):
    #: Asked when the status changes to "Papierkorb" here (DSA Art. 17; comments/grounds.py).
    removal_ground = forms.ChoiceField(
        label="Grund für den Papierkorb",
        choices=(("", "–"), *GROUND_CHOICES),
        required=False,
        help_text="Nur beim Wechsel in den Papierkorb: die Verfasserin bzw. der Verfasser "
        "bekommt diesen Grund per E-Mail.",
    )
    removal_note = forms.CharField(
        label="Erläuterung zum Grund",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        removing = (
            self.instance.pk
            and data.get("status") == Status.TRASH
            and self.initial.get("status") in REMOVED_FROM
        )
        if removing:
            ground_form = GroundForm(
                {"ground": data.get("removal_ground"), "note": data.get("removal_note", "")}
            )
            if ground_form.is_valid():
                self.removal = ground_form.ground_value()
            else:
                for field, errors in ground_form.errors.items():
                    self.add_error(f"removal_{field}", errors)
        return data

    def _post_clean(self):
        """Also the rules on columns the form does not show (the duplicate key): an edit that
        makes a comment the twin of another gets a message instead of an error page."""
        super()._post_clean()
        try:
            self.instance.validate_constraints()
        except ValidationError as error:
            self._update_errors(error)


class ReplyForm(forms.Form):
    text = forms.CharField(
        label="Ihre Antwort",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Bitte geben Sie Ihren Antworttext ein."},
    )


#: How far back the ban page looks for other people on the comment's network.
NETWORK_LOOKBACK_DAYS = 90


def network_label(ip_address: str) -> str:
    """ "203.0.113.0/24": comments store the shortened address (aireport.proxies.shorten_ip)."""
    return f"{ip_address}/{24 if ':' not in ip_address else 48}"


class BanForm(forms.Form):
    """What to ban: the address only (the default), or also the comment's network, which in
    a company, a university or behind a carrier's NAT silences other people too."""

    EMAIL = "email"
    NETWORK = "network"

    scope = forms.ChoiceField(label="Sperren", widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Grund", max_length=500, required=False, widget=forms.TextInput(attrs={"size": 60})
    )

    def __init__(self, *args, comment, **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        if comment.author_email:
            choices.append((self.EMAIL, "nur diese E-Mail-Adresse"))
        if comment.ip_address:
            also = "auch " if comment.author_email else ""
            choices.append((self.NETWORK, f"{also}das Netz {network_label(comment.ip_address)}"))
        self.fields["scope"].choices = choices
        self.fields["scope"].initial = choices[0][0] if choices else None
        self.fields["scope"].error_messages["required"] = "Bitte wählen Sie, was gesperrt wird."

    @property
    def includes_network(self) -> bool:
        return self.cleaned_data["scope"] == self.NETWORK
