"""The filters beside the desk's list, the moderation log and the subscriptions."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models

from comments import audit
from comments.models import Comment

Status = Comment.Status
#: WordPress's "Alle" leaves out spam and trash.
HIDDEN_BY_DEFAULT = (Status.SPAM, Status.TRASH)


class StatusFilter(admin.SimpleListFilter):
    """WordPress's views: "Alle" hides spam and trash; every view shows its count."""

    title = "Status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        counts = dict(
            Comment.objects.values_list("status").annotate(n=models.Count("pk")).order_by()
        )
        self.all_count = sum(n for status, n in counts.items() if status not in HIDDEN_BY_DEFAULT)
        return [(status.value, f"{status.label} ({counts.get(status, 0)})") for status in Status]

    def choices(self, changelist):
        for choice in super().choices(changelist):
            if choice["display"] == "Alle":
                choice["display"] = f"Alle ({self.all_count})"
            yield choice

    def queryset(self, request, queryset):
        if self.value() in Status.values:
            return queryset.filter(status=self.value())
        return queryset.exclude(status__in=HIDDEN_BY_DEFAULT)


class NoticeFilter(admin.SimpleListFilter):
    """Readers' reports; "offen" is also the desk's view "Gemeldet (N)"."""

    title = "Gemeldet"
    parameter_name = "gemeldet"
    OPEN = "offen"

    def lookups(self, request, model_admin):
        #: The view's count: comments with open reports that are not in spam or trash.
        self.open_count = Comment.objects.with_open_notices().count()
        return [(self.OPEN, "Offene Meldungen"), ("alle", "Irgendwann gemeldet")]

    def queryset(self, request, queryset):
        if self.value() == self.OPEN:
            return queryset.filter(open_notices__gt=0)
        if self.value() == "alle":
            return queryset.filter(notices__isnull=False).distinct()
        return queryset


class SectionFilter(admin.SimpleListFilter):
    """The section a comment is about, deleted sections included (by the title it had)."""

    title = "Abschnitt"
    parameter_name = "abschnitt"
    WHOLE_REPORT = "-"

    def lookups(self, request, model_admin):
        rows = (
            Comment.objects.exclude(section_anchor="")
            .values_list("section_anchor", "section_title", "section")
            .order_by("section__order", "section_anchor")
            .distinct()
        )
        named = {}
        for anchor, title, section_id in rows:
            named.setdefault(anchor, title if section_id else f"{title} (entfernt)")
        return [(self.WHOLE_REPORT, "Ganzer Bericht"), *named.items()]

    def queryset(self, request, queryset):
        if self.value() == self.WHOLE_REPORT:
            return queryset.filter(section_anchor="")
        if self.value():
            return queryset.filter(section_anchor=self.value())
        return queryset


class ActionFilter(admin.SimpleListFilter):
    title = "Aktion"
    parameter_name = "aktion"
    PREFIXES = {
        "status": ("Statusänderung", audit.STATUS_PREFIX),
        "text": ("Text bearbeitet", audit.TEXT_PREFIX),
        "antwort": ("Antwort der Redaktion", audit.REPLY_PREFIX),
        "meldung": ("Meldung entschieden", audit.NOTICE_PREFIX),
        "sperre": ("Absender gesperrt", audit.BAN_PREFIX),
        "geloescht": ("Endgültig gelöscht", audit.DELETE_PREFIX),
        "abschnitt": ("Abschnitt geändert", audit.SECTION_PREFIX),
    }

    def lookups(self, request, model_admin):
        return [(key, label) for key, (label, _) in self.PREFIXES.items()]

    def queryset(self, request, queryset):
        if self.value() in self.PREFIXES:
            return queryset.filter(change_message__startswith=self.PREFIXES[self.value()][1])
        return queryset


class ModeratorFilter(admin.SimpleListFilter):
    title = "Moderator/in"
    parameter_name = "moderator"

    def lookups(self, request, model_admin):
        ids = model_admin.get_queryset(request).values("user_id").distinct()
        return [(u.pk, u.get_username()) for u in get_user_model().objects.filter(pk__in=ids)]

    def queryset(self, request, queryset):
        return queryset.filter(user_id=self.value()) if self.value() else queryset


class ConfirmedFilter(admin.SimpleListFilter):
    title = "Bestätigt"
    parameter_name = "bestaetigt"

    def lookups(self, request, model_admin):
        return (("ja", "Ja"), ("nein", "Nein, wartet auf Bestätigung"))

    def queryset(self, request, queryset):
        if self.value() == "ja":
            return queryset.confirmed()
        if self.value() == "nein":
            return queryset.filter(confirmed_at=None)
        return queryset
