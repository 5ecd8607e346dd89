"""The load check: concurrent clients against a running server, optionally during an import.

Used by ``python manage.py loadcheck`` (see its help and the README). Standard library only
on the client side (threads and ``http.client``), so what it measures is the server.

- :func:`plan_urls` samples real addresses from the database the server uses: lists with
  facet combinations, searches for surnames that occur, meeting, speaker and delo pages,
  and CSV exports of one year.
- :func:`run` starts ``clients`` threads that each request a random address from the plan
  (weighted by kind) until ``seconds`` have passed, and records status and time of each.
- :func:`write_import_file` writes a synthetic protocol file (the YAML format of
  ``fixtures/README.md``) that ``import_protocols --commit`` loads while the clients read.
"""

from __future__ import annotations

import http.client
import math
import random
import threading
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import yaml

# What a visitor asks for, and how often (weights sum to 100).
MIX = {
    "list": 25,
    "search": 20,
    "meeting": 25,
    "speaker": 10,
    "delo": 5,
    "home": 5,
    "csv": 5,
    "other list": 5,
}


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100); 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(1, math.ceil(p / 100 * len(ordered))) - 1]


def plan_urls(rng: random.Random, per_kind: int = 200) -> dict[str, list[str]]:
    """Addresses of each kind in :data:`MIX`, sampled from the database."""
    from meetings.models import Campaign, Cell, Delo, Meeting, Person

    meeting_ids = list(Meeting.objects.order_by("?").values_list("pk", flat=True)[:per_kind])
    person_rows = list(Person.objects.order_by("?").values_list("pk", "name", "name_ru")[:per_kind])
    cells = list(Cell.objects.values_list("slug", flat=True))
    campaigns = list(Campaign.objects.values_list("slug", flat=True))
    years = sorted(set(Meeting.objects.exclude(year=None).values_list("year", flat=True)))
    dela = [
        d.get_absolute_url()
        for d in Delo.objects.select_related("opis__fond__archive").order_by("?")[:per_kind]
    ]
    if not (meeting_ids and person_rows and years):
        raise ValueError("the database holds no meetings and people to ask for")

    def facets() -> dict:
        query = {}
        if rng.random() < 0.5:
            query["year"] = rng.choice(years)
        if cells and rng.random() < 0.4:
            query["cell"] = rng.choice(cells)
        if campaigns and rng.random() < 0.4:
            query["campaign"] = rng.choice(campaigns)
        return query

    def surname() -> str:
        _, name, name_ru = rng.choice(person_rows)
        words = (name_ru if name_ru and rng.random() < 0.5 else name).split()
        return words[-1] if words else "a"

    plan = {
        "list": [f"/meetings/?{urlencode(facets())}" for _ in range(per_kind)],
        "search": [
            f"/meetings/?{urlencode({'q': surname(), **(facets() if rng.random() < 0.3 else {})})}"
            for _ in range(per_kind)
        ],
        "meeting": [f"/meetings/{pk}/" for pk in meeting_ids],
        "speaker": [f"/speakers/{row[0]}/" for row in person_rows],
        "delo": dela or ["/archives/"],
        "home": ["/"],
        "csv": [f"/meetings/export.csv?{urlencode({'year': y})}" for y in years],
        "other list": [
            f"{path}?{urlencode({'year': rng.choice(years)})}"
            for path in ("/speakers/", "/zapiski/", "/resolutions/")
            for _ in range(per_kind // 3)
        ],
    }
    # Later pages of the unfiltered list (a filtered one may have only one page).
    pages = Meeting.objects.count() // 25
    if pages >= 2:
        plan["list"] += [f"/meetings/?page={rng.randint(2, pages)}" for _ in range(per_kind // 4)]
    return plan


@dataclass
class Sample:
    kind: str
    url: str
    status: int  # 0: no answer (connection error or timeout)
    ms: float
    error: str = ""


@dataclass
class Report:
    clients: int
    seconds: float
    requests: int
    throughput: float  # requests per second
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    errors: int  # 5xx or no answer
    statuses: dict = field(default_factory=dict)
    by_kind: dict = field(default_factory=dict)
    error_samples: list = field(default_factory=list)
    import_result: dict | None = None

    def as_dict(self) -> dict:
        return asdict(self)

    def lines(self) -> list[str]:
        out = [
            f"{self.clients} clients, {self.seconds:.0f} s: {self.requests} requests, "
            f"{self.throughput:.1f} req/s, errors {self.errors}",
            f"latency ms: p50 {self.p50_ms:.0f}  p95 {self.p95_ms:.0f}  "
            f"p99 {self.p99_ms:.0f}  max {self.max_ms:.0f}",
            "statuses: " + ", ".join(f"{k}: {v}" for k, v in sorted(self.statuses.items())),
            f"{'kind':<11} {'n':>6} {'p50':>7} {'p95':>7} {'p99':>7} {'errors':>6}",
        ]
        for kind, row in self.by_kind.items():
            out.append(
                f"{kind:<11} {row['n']:>6} {row['p50_ms']:>7.0f} {row['p95_ms']:>7.0f} "
                f"{row['p99_ms']:>7.0f} {row['errors']:>6}"
            )
        for sample in self.error_samples:
            out.append(f"  error: {sample}")
        return out


def fetch(base: str, url: str, timeout: float) -> tuple[int, str]:
    """GET ``url``; the status and, for a failure, what went wrong. Reads the whole body."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout)
    try:
        conn.request("GET", url, headers={"Host": parts.hostname or "localhost"})
        response = conn.getresponse()
        while response.read(65536):
            pass
        return response.status, ""
    except (OSError, http.client.HTTPException) as exc:
        return 0, f"{type(exc).__name__}: {exc}"
    finally:
        conn.close()


def run(
    base: str,
    plan: dict[str, list[str]],
    clients: int,
    seconds: float,
    seed: int = 1,
    timeout: float = 60.0,
) -> list[Sample]:
    """``clients`` threads asking for addresses from ``plan`` until ``seconds`` pass."""
    kinds = [k for k in MIX if plan.get(k)]
    weights = [MIX[k] for k in kinds]
    samples: list[Sample] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(n: int):
        rng = random.Random(seed * 1000 + n)
        mine = []
        while time.monotonic() < stop:
            kind = rng.choices(kinds, weights)[0]
            url = rng.choice(plan[kind])
            start = time.perf_counter()
            status, error = fetch(base, url, timeout)
            mine.append(Sample(kind, url, status, (time.perf_counter() - start) * 1000, error))
        with lock:
            samples.extend(mine)

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return samples


def summarise(samples: list[Sample], clients: int, seconds: float) -> Report:
    def is_error(s: Sample) -> bool:
        return s.status == 0 or s.status >= 500

    times = [s.ms for s in samples]
    by_kind = defaultdict(list)
    for s in samples:
        by_kind[s.kind].append(s)
    errors = [s for s in samples if is_error(s)]
    return Report(
        clients=clients,
        seconds=seconds,
        requests=len(samples),
        throughput=len(samples) / seconds if seconds else 0.0,
        p50_ms=percentile(times, 50),
        p95_ms=percentile(times, 95),
        p99_ms=percentile(times, 99),
        max_ms=max(times, default=0.0),
        errors=len(errors),
        statuses=dict(Counter(str(s.status) for s in samples)),
        by_kind={
            kind: {
                "n": len(rows),
                "p50_ms": percentile([r.ms for r in rows], 50),
                "p95_ms": percentile([r.ms for r in rows], 95),
                "p99_ms": percentile([r.ms for r in rows], 99),
                "errors": sum(is_error(r) for r in rows),
            }
            for kind, rows in sorted(by_kind.items())
        },
        error_samples=[f"{s.status} {s.url} {s.error}".strip() for s in errors[:10]],
    )


def write_import_file(path: Path, meetings: int, seed: int = 1, tag: str = "loadcheck") -> None:
    """A synthetic protocol file of ``meetings`` meetings on the shipped reference records.

    Keys carry ``tag`` so a second run with another tag adds rather than updates; after
    the import, :func:`mark_synthetic` marks them as generate_corpus marks its own.
    """
    rng = random.Random(seed)
    cells = ["tractor", "forge", "foundry", "wagon", "turbine", "mechanical-1", "open-hearth"]
    campaigns = ["purge-1929", "samokritika", "socialist-competition", "stakhanovism"]
    people = [
        {
            "key": f"{tag}-person-{i}",
            "name": f"Loadcheckov {i}",
            "name_ru": f"Нагрузкин {i}",
            "description": "synthetic speaker of the load check",
            "notes": "SYNTHETIC",  # generate_corpus's marker: the database stays scratch
        }
        for i in range(200)
    ]
    rows = []
    for i in range(meetings):
        year = rng.randint(1926, 1941)
        rows.append(
            {
                "key": f"{tag}-{i}",
                "title": f"Load-check meeting {i}",
                "date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "body": "general_assembly",
                "organisation": "kp",
                "cell": rng.choice(cells),
                "attendance": rng.randint(20, 900),
                "record_type": "protocol",
                "summary": "A synthetic meeting written by the load check.",
                "campaigns": [rng.choice(campaigns)],
                "speeches": [
                    {
                        "person": rng.choice(people)["key"],
                        "kind": "floor",
                        "summary": f"Synthetic speech {n} on the plan and the purge.",
                    }
                    for n in range(8)
                ],
                "resolutions": [{"kind": "resolution", "summary": "Synthetic decision."}],
            }
        )
    with open(path, "w", encoding="utf-8") as out:
        yaml.safe_dump(
            {"people": people, "meetings": rows}, out, allow_unicode=True, sort_keys=False
        )


def mark_synthetic(tag: str) -> int:
    """Mark the meetings an import of :func:`write_import_file` made as synthetic."""
    from meetings.models import Meeting

    return Meeting.objects.filter(key__startswith=f"{tag}-").update(synthetic=True)
