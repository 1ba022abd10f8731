"""What the reports app tells others; it never imports them (comments connect here)."""

from django.dispatch import Signal

#: The rows of a report's sections were written (publishing, the seed import): apps that keep
#: a link to a section by its anchor can look again. Sent inside the writing transaction with
#: `report`.
sections_written = Signal()
