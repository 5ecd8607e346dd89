"""Public pages: read-only, server-rendered, every view a permalink.

Views stay thin: filtering lives in :mod:`meetings.filters`, counting in
:mod:`meetings.facets`, fetching in the models' querysets, CSV in :mod:`meetings.export`.
A bad query-string value answers 400 with a message (:class:`BadQuery`), never 500.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from . import export, search
from .facets import compute_facets
from .filters import MeetingFilterSet, PersonFilterSet, ResolutionFilterSet, ZapiskaFilterSet
from .models import (
    Archive,
    Campaign,
    Cell,
    Citation,
    Delo,
    Fond,
    Meeting,
    MeetingCitation,
    Opis,
    Person,
    Resolution,
    Speech,
    Zapiska,
)
from .params import BadNumber, bounded_int


class BadQuery(Exception):
    """A query-string value the site cannot use; shown to the visitor with status 400."""


def public(view):
    """Read-only (GET/HEAD only) and answering bad query values with a 400 page."""

    @require_safe
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except BadQuery as exc:
            return render(request, "400.html", {"message": str(exc)}, status=400)

    return wrapper


def _int_param(request: HttpRequest, name: str, default: int, low: int, high: int) -> int:
    raw = request.GET.get(name)
    if raw in (None, ""):
        return default
    try:
        return bounded_int(raw, low, high)
    except BadNumber as exc:
        raise BadQuery(f"{name}={exc}") from None


def paginate(request: HttpRequest, queryset, per_page: int | None = None):
    per_page = per_page or _int_param(
        request, "per_page", settings.CORPUS_PAGE_SIZE, 1, settings.CORPUS_MAX_PAGE_SIZE
    )
    # Deep pages cost an OFFSET scan; past the cap the CSV export serves the whole list.
    number = _int_param(request, "page", 1, 1, settings.CORPUS_MAX_PAGE)
    paginator = Paginator(queryset, per_page)
    if number > max(paginator.num_pages, 1):
        raise BadQuery(f"page={number}: there are only {paginator.num_pages} pages")
    return paginator.get_page(number)


# ---------------------------------------------------------------------------
# Lists with facets and CSV


@dataclass(frozen=True)
class ListSpec:
    """What differs between the four faceted lists."""

    filterset: type
    rows: callable  # filtered queryset -> the same with what the rows show
    sorts: dict  # query value -> (label, order_by fields)
    columns: list
    filename: str
    template: str
    title: str


RELEVANCE = "relevance"


def filtered(request: HttpRequest, spec: ListSpec):
    """The list's filterset and its sorted queryset, or 400 for a bad value.

    With a search (``q``) the default order is relevance (:func:`search.by_relevance`).
    """
    q = request.GET.get("q", "").strip()
    sort = request.GET.get("sort") or (RELEVANCE if q else next(iter(spec.sorts)))
    if sort not in spec.sorts and not (q and sort == RELEVANCE):
        raise BadQuery(f"sort={sort!r}: choose one of {', '.join(spec.sorts)}")
    # The filterset runs over the plain model queryset, so the facets can group it; what
    # the rows display (joins, counts) is added after filtering.
    filterset = spec.filterset(request.GET, queryset=spec.filterset._meta.model.objects.all())
    if not filterset.is_valid():
        problems = [
            f"{name}: {'; '.join(errors)}" for name, errors in filterset.form.errors.items()
        ]
        raise BadQuery("; ".join(problems))
    rows = spec.rows(filterset.qs)
    if sort == RELEVANCE:
        then = next(iter(spec.sorts.values()))[1]
        return filterset, search.by_relevance(rows, q, then=then), sort
    return filterset, rows.order_by(*spec.sorts[sort][1]), sort


def list_page(request: HttpRequest, spec: ListSpec):
    filterset, queryset, sort = filtered(request, spec)
    page = paginate(request, queryset)
    facets = compute_facets(filterset)
    sorts = [(key, label) for key, (label, _) in spec.sorts.items()]
    suggestions = []
    if request.GET.get("q", "").strip():
        sorts.insert(0, (RELEVANCE, "relevance"))
        search.prefetch_for_snippets(page.object_list)
        if not page.paginator.count:  # nothing found: offer the nearest names
            suggestions = search.suggest_people(request.GET["q"])
    return render(
        request,
        spec.template,
        {
            "title": spec.title,
            "page": page,
            "facets": facets,
            "q": request.GET.get("q", ""),
            "sort": sort,
            "sorts": sorts,
            "query": request.GET.urlencode(),
            "suggestions": suggestions,
        },
    )


def export_csv(request: HttpRequest, spec: ListSpec):
    _, queryset, _ = filtered(request, spec)
    return export.csv_response(spec.columns, queryset, spec.filename)


MEETINGS = ListSpec(
    filterset=MeetingFilterSet,
    rows=lambda qs: qs.for_list().with_counts(),
    sorts={
        "date": ("date, earliest first", ("date_earliest", "id")),
        "-date": ("date, latest first", ("-date_earliest", "-id")),
        "title": ("title", ("title", "id")),
        "-attendance": ("attendance, largest first", ("-attendance", "date_earliest", "id")),
    },
    columns=export.MEETING_COLUMNS,
    filename="meetings.csv",
    template="meetings/meeting_list.html",
    title="Meetings",
)
SPEAKERS = ListSpec(
    filterset=PersonFilterSet,
    rows=lambda qs: qs.for_list(),
    sorts={
        "name": ("name", ("name", "id")),
        "-appearances": ("most meetings first", ("-n_meetings", "name", "id")),
    },
    columns=export.PERSON_COLUMNS,
    filename="speakers.csv",
    template="meetings/speaker_list.html",
    title="Speakers",
)
ZAPISKI = ListSpec(
    filterset=ZapiskaFilterSet,
    rows=lambda qs: qs.for_list(),
    sorts={
        "date": ("date, earliest first", ("meeting__date_earliest", "meeting_id", "order")),
        "-date": ("date, latest first", ("-meeting__date_earliest", "-meeting_id", "order")),
    },
    columns=export.ZAPISKA_COLUMNS,
    filename="zapiski.csv",
    template="meetings/zapiska_list.html",
    title="Zapiski (notes from the floor)",
)
RESOLUTIONS = ListSpec(
    filterset=ResolutionFilterSet,
    rows=lambda qs: qs.for_list(),
    sorts={
        "date": ("date, earliest first", ("meeting__date_earliest", "meeting_id", "order")),
        "-date": ("date, latest first", ("-meeting__date_earliest", "-meeting_id", "order")),
    },
    columns=export.RESOLUTION_COLUMNS,
    filename="resolutions.csv",
    template="meetings/resolution_list.html",
    title="Resolutions and decisions",
)


@public
def meeting_list(request):
    return list_page(request, MEETINGS)


@public
def meeting_export(request):
    return export_csv(request, MEETINGS)


@public
def speaker_list(request):
    return list_page(request, SPEAKERS)


@public
def speaker_export(request):
    return export_csv(request, SPEAKERS)


@public
def zapiska_list(request):
    return list_page(request, ZAPISKI)


@public
def zapiska_export(request):
    return export_csv(request, ZAPISKI)


@public
def resolution_list(request):
    return list_page(request, RESOLUTIONS)


@public
def resolution_export(request):
    return export_csv(request, RESOLUTIONS)


# ---------------------------------------------------------------------------
# Detail pages


@public
def home(request):
    per_year = list(
        Meeting.objects.filter(year__isnull=False)
        .order_by()
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("year")
    )
    peak = max((row["n"] for row in per_year), default=1)
    for row in per_year:
        row["percent"] = round(100 * row["n"] / peak)
    counts = {
        "meetings": Meeting.objects.count(),
        "speakers": Person.objects.count(),
        "speeches": Speech.objects.count(),
        "zapiski": Zapiska.objects.count(),
        "resolutions": Resolution.objects.count(),
        "citations": Citation.objects.count(),
        "dela": Delo.objects.count(),
    }
    return render(
        request,
        "meetings/home.html",
        {
            "counts": counts,
            "per_year": per_year,
            "campaigns": Campaign.objects.annotate(n=Count("meetings")).order_by("start", "name"),
            "cells": Cell.objects.select_related("organisation")
            .annotate(n=Count("meetings"))
            .filter(n__gt=0)
            .order_by("-n", "name")[:20],
            "archives": Archive.objects.all(),
        },
    )


@public
def meeting_detail(request, pk: int):
    meeting = get_object_or_404(Meeting.objects.for_detail(), pk=pk)
    return render(request, "meetings/meeting_detail.html", {"meeting": meeting})


@public
def speaker_detail(request, pk: int):
    person = get_object_or_404(
        Person.objects.with_appearances().prefetch_related(
            "variants", "roles__cell", "roles__organisation"
        ),
        pk=pk,
    )
    speeches = (
        Speech.objects.filter(person=person)
        .select_related("meeting__organisation", "meeting__cell", "cell")
        .defer("meeting__search_text")
        .order_by("meeting__date_earliest", "meeting_id", "order")
    )
    return render(
        request,
        "meetings/speaker_detail.html",
        {
            "person": person,
            "page": paginate(request, speeches, per_page=100),
            "chaired": person.chaired.select_related("cell").order_by("date_earliest")[:200],
            "zapiski": person.zapiski_received.select_related("meeting").order_by(
                "meeting__date_earliest", "order"
            )[:200],
            "resolutions": person.resolutions.select_related("meeting").order_by(
                "meeting__date_earliest", "order"
            )[:200],
            "mentions": person.mentions.select_related("meeting").order_by(
                "meeting__date_earliest", "order"
            )[:200],
        },
    )


# A file can be cited thousands of times in a large corpus; the page shows the first ones
# by folio (the meetings above are paginated in full).
DELO_CITATIONS_SHOWN = 100


def _meetings_preview(queryset, request):
    return paginate(request, queryset.for_list().order_by("date_earliest", "id"), per_page=50)


@public
def campaign_detail(request, slug: str):
    campaign = get_object_or_404(Campaign, slug=slug)
    return render(
        request,
        "meetings/campaign_detail.html",
        {"campaign": campaign, "page": _meetings_preview(campaign.meetings.all(), request)},
    )


@public
def cell_detail(request, slug: str):
    cell = get_object_or_404(Cell.objects.select_related("organisation", "parent"), slug=slug)
    return render(
        request,
        "meetings/cell_detail.html",
        {"cell": cell, "page": _meetings_preview(cell.meetings.all(), request)},
    )


@public
def archive_list(request):
    archives = Archive.objects.prefetch_related(
        Prefetch("fonds", queryset=Fond.objects.annotate(n_opisi=Count("opisi")))
    )
    return render(request, "meetings/archive_list.html", {"archives": archives})


@public
def archive_detail(request, archive: str):
    archive = get_object_or_404(
        Archive.objects.select_related("successor").prefetch_related("former_names"), slug=archive
    )
    fonds = archive.fonds.prefetch_related(
        Prefetch("opisi", queryset=Opis.objects.annotate(n_dela=Count("dela")))
    )
    return render(request, "meetings/archive_detail.html", {"archive": archive, "fonds": fonds})


@public
def fond_detail(request, archive: str, fond: str):
    fond = get_object_or_404(
        Fond.objects.select_related("archive"), archive__slug=archive, number=fond
    )
    opisi = fond.opisi.annotate(n_dela=Count("dela", distinct=True))
    return render(request, "meetings/fond_detail.html", {"fond": fond, "opisi": opisi})


@public
def opis_detail(request, archive: str, fond: str, opis: str):
    opis = get_object_or_404(
        Opis.objects.select_related("fond__archive"),
        fond__archive__slug=archive,
        fond__number=fond,
        number=opis,
    )
    dela = opis.dela.annotate(
        n_citations=Count("citations", distinct=True),
        n_meetings=Count("citations__meeting_links__meeting", distinct=True),
    ).order_by("sort_key")
    whole = opis.citations.filter(delo__isnull=True).order_by("chapter", "footnote")
    return render(
        request,
        "meetings/opis_detail.html",
        {"opis": opis, "page": paginate(request, dela, per_page=200), "whole_opis": whole},
    )


@public
def delo_detail(request, archive: str, fond: str, opis: str, delo: str):
    delo = get_object_or_404(
        Delo.objects.select_related("opis__fond__archive"),
        opis__fond__archive__slug=archive,
        opis__fond__number=fond,
        opis__number=opis,
        number=delo,
    )
    citations = delo.citations.order_by("first_folio", "chapter", "footnote").prefetch_related(
        Prefetch("meeting_links", queryset=MeetingCitation.objects.select_related("meeting"))
    )
    meetings = Meeting.objects.filter(
        pk__in=MeetingCitation.objects.filter(citation__delo=delo).values("meeting_id")
    )
    return render(
        request,
        "meetings/delo_detail.html",
        {
            "delo": delo,
            "citations": citations[:DELO_CITATIONS_SHOWN],
            "n_citations": delo.citations.count(),
            "page": _meetings_preview(meetings, request),
        },
    )
