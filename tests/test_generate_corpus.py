"""The synthetic corpus: deterministic for a seed, refuses real data, shaped like the real one."""

from __future__ import annotations

import hashlib
import io
from statistics import mean

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from meetings import dates, search
from meetings.citations import first_folio_number
from meetings.models import (
    Citation,
    Delo,
    Meeting,
    Person,
    Resolution,
    Speech,
    Zapiska,
    number_sort_key,
)
from tests import factories as f

N = 60


def generate(n=N, seed=7, flush=False):
    out = io.StringIO()
    call_command(
        "generate_corpus", meetings=n, seed=seed, flush=flush, no_progress=True, stdout=out
    )
    return out.getvalue()


def fingerprint() -> str:
    """A digest of the corpus's content, independent of database ids."""
    h = hashlib.sha256()
    meetings = (
        Meeting.objects.filter(synthetic=True)
        .select_related("organisation", "cell", "chair")
        .prefetch_related("campaigns", "speeches__person", "zapiski", "resolutions")
        .order_by("pk")
    )
    for m in meetings:
        h.update(
            repr(
                (
                    m.title, m.date, m.body, m.organisation.slug, m.cell.slug if m.cell else "",
                    m.chair.name if m.chair else "", m.summary, m.search_text, m.attendance,
                    sorted(c.slug for c in m.campaigns.all()),
                    [(s.order, s.person.name, s.speaker_display, s.kind, s.summary, s.folios)
                     for s in m.speeches.all()],
                    [(z.order, z.text, z.folios) for z in m.zapiski.all()],
                    [(r.order, r.kind, r.summary, r.votes_for) for r in m.resolutions.all()],
                    [link.citation.canonical() for link in m.citation_links.all()],
                )
            ).encode()
        )  # fmt: skip
    return h.hexdigest()


@pytest.mark.django_db
def test_same_seed_same_corpus_and_another_seed_another():
    generate()
    first = fingerprint()
    generate(flush=True)
    assert fingerprint() == first
    generate(seed=8, flush=True)
    assert fingerprint() != first


@pytest.mark.django_db
def test_refuses_a_database_with_real_meetings():
    f.MeetingFactory(title="A real meeting")
    with pytest.raises(CommandError, match="real .*meetings.*scratch database"):
        generate()
    assert not Meeting.objects.filter(synthetic=True).exists()


@pytest.mark.django_db
def test_refuses_to_add_to_an_earlier_synthetic_corpus_without_flush():
    generate(n=5)
    with pytest.raises(CommandError, match="--flush"):
        generate(n=5)
    generate(n=5, flush=True)
    assert Meeting.objects.count() == 5
    assert Person.objects.filter(notes="SYNTHETIC").count() == 50


@pytest.mark.django_db
def test_shape_and_derived_fields():
    report = generate()
    assert f"{N} meetings" in report and " s" in report
    meetings = Meeting.objects.all()
    assert meetings.count() == N and not meetings.filter(synthetic=False).exists()
    per_meeting = [m.n for m in meetings.annotate(n=Count("speeches"))]
    assert 7 <= mean(per_meeting) <= 13 and min(per_meeting) >= 4
    assert 0.5 <= Zapiska.objects.count() / N <= 3.5
    assert 1 <= Resolution.objects.count() / N <= 4
    years = set(meetings.exclude(year=None).values_list("year", flat=True))
    assert years <= set(range(1926, 1942)) and len(years) > 5
    precisions = set(meetings.values_list("date_precision", flat=True))
    assert {"day", "month"} <= precisions
    # The real reference records are used.
    assert (
        meetings.filter(cell__slug="tractor").exists()
        or meetings.filter(organisation__slug="kp").exists()
    )
    # Derived fields are what save() and the search module would compute.
    for m in meetings.select_related("organisation", "cell", "chair")[:20]:
        pd = dates.PartialDate.parse(m.date)
        assert (m.date_precision, m.date_earliest, m.date_latest, m.year) == (
            pd.precision, pd.earliest, pd.latest, pd.year,
        )  # fmt: skip
        assert m.search_text == search.meeting_document(m)
    for z in Zapiska.objects.select_related("addressed_to")[:20]:
        assert z.search_text == search.zapiska_document(z)
        assert z.first_folio == first_folio_number(z.folios)
    for r in Resolution.objects.select_related("person")[:20]:
        assert r.search_text == search.resolution_document(r)
    for s in Speech.objects.all()[:50]:
        assert s.first_folio == first_folio_number(s.folios)
    for p in Person.objects.all()[:20]:
        key = p.search_key
        p.refresh_search_key(save=False)
        assert key == p.search_key
        assert p.name_ru and any("\u0400" <= ch <= "\u04ff" for ch in p.name_ru)
    for d in Delo.objects.filter(title__startswith="SYNTHETIC"):
        assert d.sort_key == number_sort_key(d.number)
    for c in Citation.objects.all()[:20]:
        assert c.first_folio == first_folio_number(c.folios)
    # A search for a synthetic speaker finds them in either script.
    person = Person.objects.annotate(n=Count("speeches")).order_by("-n").first()
    found = search.filter_text(Meeting.objects.all(), person.name_ru)
    assert found.count() == search.filter_text(Meeting.objects.all(), person.name).count() > 0


@pytest.mark.django_db
def test_fast_meeting_export_writes_the_same_csv_as_the_model_path(monkeypatch):
    """export.meeting_records (plain rows) and model instances give identical CSV rows."""
    from meetings import export, views

    monkeypatch.setattr(export, "CHUNK_SIZE", 10)  # several chunks, one partial

    generate(n=40)
    f.MeetingFactory(title="=cmd", date="", closed=True, summary="Line\nbreak")  # edge cases
    Meeting.objects.filter(synthetic=False).update(synthetic=True)
    qs = views.MEETINGS.rows(Meeting.objects.all()).order_by("date_earliest", "id")
    slow = list(export.rows(export.MEETING_COLUMNS, qs.iterator(chunk_size=7)))
    fast = list(export.rows(export.MEETING_COLUMNS, export.meeting_records(qs)))
    assert len(fast) == 42 and fast == slow
    # A filtered queryset keeps its filter and order.
    qs = qs.filter(year=1930).order_by("-date_earliest", "-id")
    assert list(export.rows(export.MEETING_COLUMNS, export.meeting_records(qs))) == list(
        export.rows(export.MEETING_COLUMNS, qs)
    )


@pytest.mark.django_db(transaction=True)
def test_benchmark_runs_end_to_end_at_a_tiny_size(tmp_path):
    """The shipped benchmark runs (its figures are not asserted: speed is for reading)."""
    import json

    out = io.StringIO()
    path = tmp_path / "bench.json"
    call_command(
        "benchmark", "--sizes", "30", "60", "--repeat", "2", "--json", str(path), stdout=out
    )
    printed = out.getvalue()
    assert "30 meetings" in printed and "60 meetings" in printed and "Growth" in printed
    results = json.loads(path.read_text())
    assert results["growth"]  # one ratio per page
    for page in results["growth"]:
        assert results["growth"][page] is not None


@pytest.mark.django_db
def test_benchmark_refuses_a_database_with_real_records():
    f.MeetingFactory()
    with pytest.raises(CommandError):
        call_command("benchmark", "--sizes", "10", "--repeat", "1", stdout=io.StringIO())
