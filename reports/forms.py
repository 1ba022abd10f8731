from django import forms

from .models import Section


class SectionForm(forms.ModelForm):
    """A section in the report's admin form; a blank anchor is derived from the title on save."""

    class Meta:
        model = Section
        fields = ("order", "level", "title", "anchor", "body")

    def clean_anchor(self):
        # None, not "", so that several new sections with blank anchors are not taken for
        # duplicates of one another before Section.save() gives each its own anchor.
        return self.cleaned_data["anchor"] or None
