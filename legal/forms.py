from django import forms
from django.utils.text import Truncator

from .models import PLACEHOLDER, LegalPage


class LegalPageForm(forms.ModelForm):
    """Saving is publishing: a page goes live only once every placeholder is replaced."""

    class Meta:
        model = LegalPage
        fields = ("title", "body")
        widgets = {"body": forms.Textarea(attrs={"rows": 30, "cols": 100, "spellcheck": "true"})}

    def clean_body(self):
        body = self.cleaned_data["body"]
        unfinished = [
            (number, line.strip())
            for number, line in enumerate(body.splitlines(), start=1)
            if PLACEHOLDER in line
        ]
        if unfinished:
            lines = "; ".join(
                f"Zeile {number}: „{Truncator(line).chars(60)}“" for number, line in unfinished[:5]
            )
            more = f" und {len(unfinished) - 5} weitere" if len(unfinished) > 5 else ""
            raise forms.ValidationError(
                "Die Seite wurde nicht gespeichert, weil noch „%(placeholder)s“ darin steht. "
                "Bitte ersetzen Sie jede dieser Stellen durch die echten Angaben "
                "(oder löschen Sie den Absatz, wenn er nicht zutrifft): %(lines)s%(more)s.",
                code="placeholder",
                params={"placeholder": PLACEHOLDER, "lines": lines, "more": more},
            )
        return body
