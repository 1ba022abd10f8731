"""The grounds a moderator gives for removing a comment (DSA Art. 17(3)(d) and (e)).

The rules are numbered as on the "Diskussionsregeln" page; its default text
(legal/migrations/0004_discussion_rules_text.py) lists the same rules under the same numbers,
and tests/comments/test_statements.py holds the two together. A ground is one of the rules,
"rechtswidriger Inhalt" with a short legal note (which law, why), or a free reason.
"""

from dataclasses import dataclass

from django import forms

#: (number, title) of each rule of the Diskussionsregeln, in the page's order.
RULES = (
    (1, "Rechtswidrige Inhalte"),
    (2, "Angriffe auf Personen"),
    (3, "Persönliche Daten anderer"),
    (4, "Spam und Werbung"),
    (5, "Ohne Bezug zum Bericht"),
    (6, "Täuschung"),
)
RULE_TITLES = dict(RULES)

ILLEGAL = "illegal"
OTHER = "other"
MAX_NOTE_LENGTH = 1000


def rule_choice(number: int) -> str:
    return f"rule-{number}"


GROUND_CHOICES = (
    *((rule_choice(number), f"Regel {number}: {title}") for number, title in RULES),
    (ILLEGAL, "Rechtswidriger Inhalt (mit rechtlichem Hinweis)"),
    (OTHER, "Anderer Grund"),
)


@dataclass(frozen=True)
class Ground:
    """What the moderator chose: a choice of GROUND_CHOICES and a note (the legal note for
    illegal content, the reason itself for "Anderer Grund", else an optional addition)."""

    choice: str
    note: str = ""

    @property
    def is_illegal(self) -> bool:
        return self.choice == ILLEGAL

    @property
    def text(self) -> str:
        """The ground as the author reads it in the statement and the log shows it."""
        if self.choice == ILLEGAL:
            return f"Rechtswidriger Inhalt: {self.note}"
        if self.choice == OTHER:
            return self.note
        number = int(self.choice.removeprefix("rule-"))
        text = f"Verstoß gegen Regel {number} der Diskussionsregeln ({RULE_TITLES[number]})"
        return f"{text}: {self.note}" if self.note else text


class GroundForm(forms.Form):
    """Asked once before a comment is rejected or moved to the trash (one row or many)."""

    ground = forms.ChoiceField(
        label="Grund",
        choices=GROUND_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Bitte wählen Sie einen Grund."},
    )
    note = forms.CharField(
        label="Erläuterung",
        required=False,
        max_length=MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Bei rechtswidrigem Inhalt: welches Gesetz und warum (z. B. „Beleidigung, "
        "§ 185 StGB“). Bei „Anderer Grund“: der Grund selbst. Die Verfasserin bzw. der "
        "Verfasser liest diesen Text.",
    )

    def clean(self):
        data = super().clean()
        if data.get("ground") in (ILLEGAL, OTHER) and not data.get("note", "").strip():
            self.add_error(
                "note",
                "Bitte nennen Sie das verletzte Gesetz."
                if data.get("ground") == ILLEGAL
                else "Bitte nennen Sie den Grund.",
            )
        return data

    def ground_value(self) -> Ground:
        data = self.cleaned_data
        return Ground(data["ground"], " ".join(data.get("note", "").split()))
