"""Timing helpers for ``manage.py benchmark``: pages through the full Django stack, the CSV
export's throughput and memory, and EXPLAIN of the queries that must use indexes.

Plain functions over the configured database; the command (and anyone at a shell) calls
them. Nothing here writes to the database.
"""

from __future__ import annotations

import gc
import math
import re
import statistics
import time
import tracemalloc
from dataclasses import asdict, dataclass, field

from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from .models import Campaign, Citation, Delo, Meeting, Person, Speech


@dataclass
class PageTiming:
    name: str
    url: str
    median_ms: float
    p95_ms: float
    queries: int
    status: int
    bytes: int


@dataclass
class ExportTiming:
    rows: int
    seconds: float
    rows_per_second: float
    traced_peak_mb: float  # tracemalloc peak while streaming (Python allocations)
    rss_growth_mb: float  # resident set growth of the process while streaming


@dataclass
class Explained:
    name: str
    plan: str
    speech_full_scan: bool
    index_used: bool


@dataclass
class SizeResult:
    meetings: int
    speeches: int
    generate_seconds: float | None
    pages: list[PageTiming] = field(default_factory=list)
    exports: list[ExportTiming] = field(default_factory=list)
    explains: list[Explained] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def bench_settings():
    """Serve as production would (no query logging), accepting the test client's host."""
    return override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver", "localhost", "127.0.0.1"])


def time_page(client: Client, name: str, url: str, repeat: int) -> PageTiming:
    response = client.get(url)  # warm: templates compiled, caches filled
    connection.queries_log.clear()  # a full log (maxlen 9000) would hide new queries
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    queries = len(captured)  # now: each later request resets the connection's query log
    size = len(response.content) if not response.streaming else 0
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return PageTiming(
        name=name,
        url=url,
        median_ms=round(statistics.median(times), 1),
        p95_ms=round(percentile(times, 95), 1),
        queries=queries,
        status=response.status_code,
        bytes=size,
    )


def _rss_mb() -> float:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def time_export(limit: int | None = None) -> ExportTiming:
    """Stream the meetings CSV (all rows, or the first ``limit``) as the export view does.

    Two passes: one timed without tracing (rows per second, RSS growth sampled as it
    streams), one under tracemalloc (Python's peak allocation).
    """
    from . import export, views
    from .models import Meeting

    def queryset():
        qs = views.MEETINGS.rows(Meeting.objects.all()).order_by("date_earliest", "id")
        return qs[:limit] if limit else qs

    gc.collect()
    before = _rss_mb()
    peak = before
    rows = 0
    start = time.perf_counter()
    response = export.csv_response(views.MEETINGS.columns, queryset(), "meetings.csv")
    for rows, _chunk in enumerate(response.streaming_content):
        if rows % 1000 == 0:
            peak = max(peak, _rss_mb())
    seconds = time.perf_counter() - start
    peak = max(peak, _rss_mb())

    gc.collect()
    tracemalloc.start()
    response = export.csv_response(views.MEETINGS.columns, queryset(), "meetings.csv")
    for _chunk in response.streaming_content:
        pass
    traced_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return ExportTiming(
        rows=rows,  # data rows: the header is line 0
        seconds=round(seconds, 2),
        rows_per_second=round(rows / seconds) if seconds else 0,
        traced_peak_mb=round(traced_peak / 2**20, 1),
        rss_growth_mb=round(peak - before, 1),
    )


# ---------------------------------------------------------------------------
# What to time


def targets() -> dict:
    """The records the benchmark pages show, chosen from the corpus (not by id)."""
    top = (
        Speech.objects.filter(person__isnull=False)
        .order_by()
        .values("person")
        .annotate(n=Count("pk"))
        .order_by("-n", "person")
        .first()
    )
    person = Person.objects.get(pk=top["person"])
    variants = [v.name for v in person.variants.all()]
    latin = next((v for v in variants if "'" not in v), person.name)
    delo_row = (
        Citation.objects.filter(delo__isnull=False)
        .order_by()
        .values("delo")
        .annotate(n=Count("meeting_links"))
        .order_by("-n", "delo")
        .first()
    )
    delo = Delo.objects.select_related("opis__fond__archive").get(pk=delo_row["delo"])
    ids = Meeting.objects.order_by("pk").values_list("pk", flat=True)
    meeting = ids[ids.count() // 2]
    # Three cross-filters that select something: the busiest campaign, its busiest year
    # and, within both, its busiest cell.
    through = Meeting.campaigns.through.objects
    campaign_row = (
        through.order_by().values("campaign").annotate(n=Count("pk")).order_by("-n").first()
    )
    campaign = Campaign.objects.get(pk=campaign_row["campaign"])
    in_campaign = Meeting.objects.filter(campaigns=campaign)
    year = (in_campaign.order_by().values("year").annotate(n=Count("pk")).order_by("-n").first())[
        "year"
    ]
    # A tiny corpus may have no cell there: then the busiest cell overall.
    cell_row = (
        in_campaign.filter(year=year, cell__isnull=False)
        .order_by()
        .values("cell")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    ) or (
        Meeting.objects.filter(cell__isnull=False)
        .order_by()
        .values("cell")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    cell_pk = cell_row["cell"]
    from .models import Cell

    cell = Cell.objects.get(pk=cell_pk)
    import iuliia

    return {
        "person": person,
        "surname_cyrillic": person.name_ru or person.name,
        "surname_latin": latin,
        # ISO 9 (ž č š ŝ â û): read back through the transliteration readings.
        "surname_iso9": iuliia.GOST_779.translate(person.name_ru) if person.name_ru else latin,
        # One letter lost, so nothing is found and the nearest names are offered.
        "misspelt": latin[:2] + latin[3:],
        "delo": delo,
        "meeting": meeting,
        "campaign": campaign,
        "year": year,
        "cell": cell,
    }


def pages(t: dict) -> list[tuple[str, str]]:
    from urllib.parse import urlencode

    filters = urlencode({"year": t["year"], "cell": t["cell"].slug, "campaign": t["campaign"].slug})
    latin = urlencode({"q": t["surname_latin"]})
    return [
        ("meetings list, unfiltered, all facets", "/meetings/"),
        ("meetings list, year+cell+campaign, facets", f"/meetings/?{filters}"),
        ("search q (Cyrillic surname)", "/meetings/?" + urlencode({"q": t["surname_cyrillic"]})),
        ("search q (Latin surname)", "/meetings/?" + urlencode({"q": t["surname_latin"]})),
        ("search q + year+cell+campaign", f"/meetings/?{filters}&{latin}"),
        ("search q (ISO 9 surname)", "/meetings/?" + urlencode({"q": t["surname_iso9"]})),
        ("speakers, misspelt: did you mean", "/speakers/?" + urlencode({"q": t["misspelt"]})),
        ("meeting page", f"/meetings/{t['meeting']}/"),
        ("top speaker's page", t["person"].get_absolute_url()),
        ("largest delo's page", t["delo"].get_absolute_url()),
    ]  # fmt: skip


# ---------------------------------------------------------------------------
# EXPLAIN


def explain(name: str, queryset) -> Explained:
    if connection.vendor == "postgresql":
        plan = queryset.explain()
        full = bool(re.search(r"Seq Scan on meetings_speech\b", plan))
        used = "Index" in plan
    else:
        plan = queryset.explain()
        full = bool(re.search(r"\bSCAN meetings_speech\b", plan))
        used = "USING" in plan and "INDEX" in plan.upper()
    return Explained(name=name, plan=plan, speech_full_scan=full, index_used=used)


def explains(t: dict) -> list[Explained]:
    from .filters import MeetingFilterSet, PersonFilterSet

    person = t["person"]
    found = [
        explain(
            "speaker page: speeches of the top speaker",
            Speech.objects.filter(person=person)
            .select_related("meeting__organisation", "meeting__cell", "cell")
            .order_by("meeting__date_earliest", "meeting_id", "order")[:100],
        )
    ]
    meeting = Meeting.objects.select_related("organisation").get(pk=t["meeting"])
    archive = Citation.objects.filter(meeting_links__meeting=meeting).first()
    values = {
        "year": str(t["year"]),
        "cell": t["cell"].slug,
        "campaign": t["campaign"].slug,
        "body": meeting.body,
        "organisation": meeting.organisation.slug,
        "archive": archive.opis.fond.archive.slug if archive else "",
    }
    for name, value in values.items():
        if not value:
            continue
        filterset = MeetingFilterSet({name: [value]}, queryset=Meeting.objects.all())
        assert filterset.is_valid(), filterset.errors
        qs = filterset.qs
        found.append(
            explain(f"meetings facet filter {name}", qs.order_by("date_earliest", "id")[:25])
        )
    qs = PersonFilterSet({"campaign": [t["campaign"].slug]}, queryset=Person.objects.all()).qs
    found.append(explain("speakers facet filter campaign", qs.order_by("name", "id")[:25]))
    return found


# ---------------------------------------------------------------------------
# Imports: time and peak memory of import_protocols on an exported synthetic corpus


@dataclass
class ImportTiming:
    name: str
    seconds: float
    peak_rss_mb: float
    returncode: int
    summary: str


def run_measured(command: list[str], env=None) -> tuple[float, float, int, str]:
    """Run a command; its wall time, peak resident memory (MB) and exit code, and output."""
    import os
    import subprocess

    start = time.perf_counter()
    with subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as process:
        output = process.stdout.read()
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    return seconds, usage.ru_maxrss / 1024, process.returncode, output


def flush_synthetic() -> float:
    """Delete the synthetic corpus fast (raw deletes: no per-row signals or history)."""
    from django.db import transaction

    from .models import (
        AgendaItem,
        Citation,
        Delo,
        MeetingCitation,
        Mention,
        PersonName,
        PersonRole,
        Resolution,
        Zapiska,
    )

    start = time.perf_counter()
    with transaction.atomic():
        meetings = Meeting.objects.filter(synthetic=True).values("pk")
        for model in (Speech, Zapiska, Resolution, AgendaItem, Mention, MeetingCitation):
            model.objects.filter(meeting__in=meetings)._raw_delete(model.objects.db)
        for through in (Meeting.campaigns.through, Meeting.context.through):
            field = "meeting" if through is Meeting.campaigns.through else "from_meeting"
            through.objects.filter(**{f"{field}__in": meetings})._raw_delete(through.objects.db)
        Meeting.objects.filter(synthetic=True)._raw_delete(Meeting.objects.db)
        Citation.objects.filter(notes="SYNTHETIC")._raw_delete(Citation.objects.db)
        Delo.objects.filter(title__startswith="SYNTHETIC")._raw_delete(Delo.objects.db)
        people = Person.objects.filter(notes="SYNTHETIC").values("pk")
        for model in (PersonName, PersonRole):
            model.objects.filter(person__in=people)._raw_delete(model.objects.db)
        Person.objects.filter(notes="SYNTHETIC")._raw_delete(Person.objects.db)
    return time.perf_counter() - start


def time_import(path, name: str, commit: bool) -> ImportTiming:
    """``import_protocols`` of one file in a fresh process (so its peak memory is its own)."""
    import sys

    from django.conf import settings

    manage = str(settings.BASE_DIR / "manage.py")
    command = [sys.executable, manage, "import_protocols", str(path), "--progress", "no"]
    if commit:
        command.append("--commit")
    seconds, rss, code, output = run_measured(command)
    lines = [line.strip() for line in output.splitlines() if "meetings:" in line]
    return ImportTiming(
        name=name,
        seconds=round(seconds, 1),
        peak_rss_mb=round(rss, 1),
        returncode=code,
        summary=lines[0] if lines else output.strip().splitlines()[-1][:200] if output else "",
    )
