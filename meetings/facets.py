"""Facet counts, computed in one place from the same FilterSet the list uses.

Each facet counts the records under *all the other* active filters (the usual
cross-filtering rule): choose the 1929 purge and the tractor shop, and the year facet shows
in which years those meetings fall, while the cell facet still shows every cell the purge
reached, so a second cell can be added. One GROUP BY query per facet, plus one query for
the labels of a model facet: the count is fixed whatever the page or corpus size.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count

from .models import Archive, Campaign, Cell, Meeting, Organisation, Resolution


@dataclass(frozen=True)
class FacetSpec:
    name: str
    label: str
    path: str  # from a Meeting, or from the listed model when ``own`` is set
    to_many: bool = False  # the path crosses a many-valued relation: count distinct
    model: type | None = None  # options are rows of this model (slug, str())
    choices: tuple = ()  # or these (code, label) pairs
    own: bool = False  # a field of the listed model itself, not of its meeting


SPECS = {
    s.name: s
    for s in (
        FacetSpec("year", "Year", "year"),
        FacetSpec("cell", "Cell (shop, ship or unit)", "cell", model=Cell),
        # (meeting, campaign) pairs are unique, so joining the campaigns cannot count a
        # meeting twice under one campaign: no DISTINCT needed (it spilled to disk at 100k).
        FacetSpec("campaign", "Campaign", "campaigns", model=Campaign),
        FacetSpec("body", "Kind of body", "body", choices=tuple(Meeting.Body.choices)),
        FacetSpec("organisation", "Organisation", "organisation", model=Organisation),
        FacetSpec(
            "archive", "Archive", "citations__opis__fond__archive", to_many=True, model=Archive
        ),
        FacetSpec(
            "kind", "Kind of decision", "kind", own=True, choices=tuple(Resolution.Kind.choices)
        ),
    )
}


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    label: str
    options: list[Option] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return any(o.selected for o in self.options)


def compute_facets(filterset) -> list[Facet]:
    """The facets of one list, each counted under the other active filters.

    ``filterset`` is the list's own, already validated, over the model's plain queryset.
    """
    filterset_class = type(filterset)
    data = filterset.data
    facets = []
    for name in filterset_class.facet_names:
        spec = SPECS[name]
        qs = filterset.qs_without(name)
        path = spec.path if spec.own else filterset_class.meeting_path + spec.path
        distinct = spec.to_many or filterset_class.meeting_path.startswith("speeches")
        rows = (
            qs.order_by()
            .values(path)
            # COUNT(*) when rows are not multiplied: PostgreSQL then counts from the
            # facet column's index alone (index-only scan), not the wide meetings table.
            .annotate(n=Count("pk", distinct=True) if distinct else Count("*"))
            .values_list(path, "n")
        )
        counts = {value: n for value, n in rows if value is not None}
        selected = set(data.getlist(name))
        facets.append(Facet(name, spec.label, _options(spec, counts, selected)))
    return facets


def _options(spec: FacetSpec, counts: dict, selected: set[str]) -> list[Option]:
    if spec.model is not None:
        objects = spec.model.objects.filter(pk__in=counts.keys()) | spec.model.objects.filter(
            slug__in=selected
        )
        options = [Option(o.slug, str(o), counts.get(o.pk, 0), o.slug in selected) for o in objects]
        return sorted(options, key=lambda o: o.label.lower())
    if spec.choices:
        return [
            Option(code, label, counts.get(code, 0), code in selected)
            for code, label in spec.choices
            if counts.get(code) or code in selected
        ]
    # Years: chronological.
    values = {str(v): n for v, n in counts.items()}
    for value in selected:
        values.setdefault(value, 0)
    return [Option(v, v, values[v], v in selected) for v in sorted(values)]
