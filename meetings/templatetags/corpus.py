"""Template helpers for permalinks: toggling a facet value, changing sort or page."""

from django import template
from django.http import QueryDict

register = template.Library()


@register.simple_tag(takes_context=True)
def toggle(context, name, value):
    """The current query string with one facet value switched on or off (back to page 1)."""
    query: QueryDict = context["request"].GET.copy()
    values = query.getlist(name)
    value = str(value)
    query.setlist(name, [v for v in values if v != value] if value in values else values + [value])
    query.pop("page", None)
    return "?" + query.urlencode() if query else "?"


@register.simple_tag(takes_context=True)
def with_param(context, name, value):
    """The current query string with one parameter set (or removed when value is empty)."""
    query: QueryDict = context["request"].GET.copy()
    if value in (None, ""):
        query.pop(name, None)
    else:
        query[name] = str(value)
    if name != "page":
        query.pop("page", None)
    return "?" + query.urlencode() if query else "?"


@register.filter
def cite(folios, meeting):
    """The full archival citation for folios in a meeting's (first) file: 'TsGAIPD, ..., l. 12'."""
    return meeting.cite_folios(folios) if folios else ""


@register.filter
def snippet(record, q):
    """The record's first passage matching the search ``q``, hits wrapped in <mark>."""
    from meetings.search import snippet as find_snippet

    return find_snippet(record, q) if q else ""
