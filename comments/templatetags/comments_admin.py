"""`{% status_views cl as views %}`: WordPress's views above the desk's list: the status
filter's views and "Gemeldet (N)", the comments with open readers' reports."""

import re

from django import template
from django.contrib.admin.views.main import PAGE_VAR
from django.utils.html import escape
from django.utils.safestring import mark_safe

from comments.admin.filters import NoticeFilter, StatusFilter

register = template.Library()


@register.simple_tag
def status_views(changelist):
    specs = {type(spec): spec for spec in changelist.filter_specs}
    status, reported = specs.get(StatusFilter), specs.get(NoticeFilter)
    if status is None or reported is None:
        return []
    showing_reported = reported.value() == NoticeFilter.OPEN
    leave = [status.parameter_name, reported.parameter_name, PAGE_VAR]
    views = [
        {
            "display": f"Alle ({status.all_count})",
            "selected": status.value() is None and not showing_reported,
            "query_string": changelist.get_query_string(remove=leave),
        }
    ]
    for value, label in status.lookup_choices:
        views.append(
            {
                "display": label,
                "selected": status.value() == value and not showing_reported,
                "query_string": changelist.get_query_string(
                    {status.parameter_name: value}, remove=leave
                ),
            }
        )
    views.append(
        {
            "display": f"Gemeldet ({reported.open_count})",
            "selected": showing_reported,
            "query_string": changelist.get_query_string(
                {reported.parameter_name: NoticeFilter.OPEN}, remove=leave
            ),
        }
    )
    return views


#: A part of an address longer than this may still break anywhere (it would not fit a column).
LONGEST_UNBROKEN_PART = 24


@register.filter
def address_breaks(address: str):
    """An email address that wraps only after "@" or "." (<wbr>), never at a hyphen or
    mid-name: each part is kept together unless it is too long to fit at all."""
    parts = re.findall(r"[^@.]*[@.]?", address)
    html = "<wbr>".join(
        f'<span class="address-part">{escape(part)}</span>'
        if len(part) <= LONGEST_UNBROKEN_PART
        else escape(part)
        for part in parts
        if part
    )
    return mark_safe(html)  # noqa: S308 - every part escaped above
