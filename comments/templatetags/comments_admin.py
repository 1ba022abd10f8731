"""`{% status_views cl as views %}`: the status filter's choices, for the line above the list."""

from django import template

register = template.Library()


@register.simple_tag
def status_views(changelist):
    for spec in changelist.filter_specs:
        if getattr(spec, "parameter_name", None) == "status":
            return list(spec.choices(changelist))
    return []
