"""The filters behind every list, its facet counts and its CSV export.

One FilterSet per list, all built from :class:`CorpusFilterSet`: the facets (year, cell,
campaign, kind of body, organisation, archive) are properties of a *meeting*, and each
list reaches its meetings by a path (``""`` for meetings, ``"meeting__"`` for zapiski and
resolutions, ``"speeches__meeting__"`` for speakers). The list, its facet counts
(:mod:`meetings.facets`) and its CSV (:mod:`meetings.export`) all start from ``.qs`` here,
so they can never disagree.

Several values of one facet are OR'd (``?year=1929&year=1930``); different facets are
AND'd. Values are slugs or codes, so every filtered view is a readable permalink. A value
that does not exist fails validation and the view answers 400.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from . import search
from .models import (
    Archive,
    Campaign,
    Cell,
    Meeting,
    MeetingCitation,
    Organisation,
    Person,
    Resolution,
    Speech,
    Zapiska,
)
from .params import BadNumber, bounded_int

YEAR_MIN, YEAR_MAX = 1900, 1999


class YearsField(forms.Field):
    """Several years from a query string: ``?year=1929&year=1930``."""

    widget = forms.SelectMultiple

    def to_python(self, value):
        if not value:
            return []
        if not isinstance(value, list | tuple):
            value = [value]
        years = []
        for item in value:
            try:
                years.append(bounded_int(str(item), YEAR_MIN, YEAR_MAX))
            except BadNumber as exc:
                raise ValidationError(
                    f"{exc.shown!r} is not a year: give four digits between {YEAR_MIN} "
                    f"and {YEAR_MAX}"
                ) from None
        return years


class YearsFilter(django_filters.Filter):
    field_class = YearsField


class SlugsField(forms.ModelMultipleChoiceField):
    """Model choices by slug, with a message that names the unknown value."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(*args, **kwargs)
        noun = self.queryset.model._meta.verbose_name
        self.error_messages["invalid_choice"] = f"there is no {noun} %(value)s"
        self.error_messages["invalid_pk_value"] = f"%(pk)s is not a {noun}"


class SlugsFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = SlugsField


def meeting_q(name: str, value) -> Q:
    """The condition on meetings for one facet's chosen values."""
    # Literal ids rather than a subquery on slugs: the planner then knows which cell or
    # campaign is meant and how many meetings it has (a busy campaign: 5x faster counts).
    value = [getattr(v, "pk", v) for v in value]
    if name == "year":
        return Q(year__in=value)
    if name == "cell":
        return Q(cell__in=value)
    if name == "campaign":
        # A subquery, not a join: no duplicate rows, no DISTINCT needed downstream.
        through = Meeting.campaigns.through.objects.filter(campaign__in=value)
        return Q(pk__in=through.values("meeting_id"))
    if name == "body":
        return Q(body__in=value)
    if name == "organisation":
        return Q(organisation__in=value)
    if name == "archive":
        links = MeetingCitation.objects.filter(citation__opis__fond__archive__in=value)
        return Q(pk__in=links.values("meeting_id"))
    raise KeyError(name)


class CorpusFilterSet(django_filters.FilterSet):
    """Facets shared by every list, applied through the path from the list to its meetings."""

    meeting_path = ""
    # The facets this list offers, in display order (see meetings.facets).
    facet_names: tuple[str, ...] = ("year", "cell", "campaign")

    q = django_filters.CharFilter(
        method="filter_q", label="Search", validators=[search.validate_query]
    )
    year = YearsFilter(method="filter_meetings", label="Year")
    cell = SlugsFilter(queryset=Cell.objects.all(), method="filter_meetings", label="Cell")
    campaign = SlugsFilter(
        queryset=Campaign.objects.all(), method="filter_meetings", label="Campaign"
    )

    def qs_without(self, skip: str):
        """The filtered queryset ignoring one facet (for that facet's counts).

        Uses the values the form already validated, so a list page validates its query
        string once however many facets it counts.
        """
        queryset = self.queryset.all()
        for name, value in self.form.cleaned_data.items():
            if name != skip:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filter_meetings(self, queryset, name, value):
        if not value:
            return queryset
        return self.through_meetings(queryset, meeting_q(name, value))

    def through_meetings(self, queryset, q: Q):
        if not self.meeting_path:
            return queryset.filter(q)
        return queryset.filter(meeting__in=Meeting.objects.filter(q).values("pk"))

    def filter_q(self, queryset, name, value):
        return search.filter_text(queryset, value) if value.strip() else queryset


class MeetingFilterSet(CorpusFilterSet):
    facet_names = ("year", "cell", "campaign", "body", "organisation", "archive")

    body = django_filters.MultipleChoiceFilter(
        choices=Meeting.Body.choices, method="filter_meetings", label="Kind of body"
    )
    organisation = SlugsFilter(
        queryset=Organisation.objects.all(), method="filter_meetings", label="Organisation"
    )
    archive = SlugsFilter(queryset=Archive.objects.all(), method="filter_meetings", label="Archive")

    class Meta:
        model = Meeting
        fields: list[str] = []


class ZapiskaFilterSet(CorpusFilterSet):
    meeting_path = "meeting__"

    class Meta:
        model = Zapiska
        fields: list[str] = []


class ResolutionFilterSet(CorpusFilterSet):
    meeting_path = "meeting__"
    facet_names = ("year", "cell", "campaign", "kind")

    kind = django_filters.MultipleChoiceFilter(choices=Resolution.Kind.choices, label="Kind")

    class Meta:
        model = Resolution
        fields: list[str] = []


class PersonFilterSet(CorpusFilterSet):
    """Speakers who spoke at a meeting matching the facets."""

    meeting_path = "speeches__meeting__"

    def through_meetings(self, queryset, q: Q):
        speakers = Speech.objects.filter(meeting__in=Meeting.objects.filter(q).values("pk"))
        return queryset.filter(pk__in=speakers.values("person_id"))

    def filter_q(self, queryset, name, value):
        return (
            search.filter_text(queryset, value, field="search_key") if value.strip() else queryset
        )

    class Meta:
        model = Person
        fields: list[str] = []
