"""Fuzz: thousands of generated addresses with hostile values; none may answer 5xx.

A seeded generator (``FUZZ_SEED``, ``FUZZ_URLS`` in the environment change seed and count)
builds addresses over every list, export and detail page, with every parameter given
hostile values: unicode digits, huge numbers, NUL and other control characters, long
strings, SQL-ish text, unknown slugs, repeated parameters and a 2,000-word search. Runs on
SQLite and PostgreSQL alike; each failure is listed with its address.
"""

from __future__ import annotations

import os
import random
from urllib.parse import quote

import pytest
from django.test import Client

SEED = int(os.environ.get("FUZZ_SEED", "20261129"))
COUNT = int(os.environ.get("FUZZ_URLS", "2000"))  # at least one per parameter and value

LISTS = ["/meetings/", "/speakers/", "/zapiski/", "/resolutions/"]
PARAMS = [
    "q",
    "year",
    "cell",
    "campaign",
    "body",
    "organisation",
    "archive",
    "kind",
    "sort",
    "page",
    "per_page",
]
HOSTILE = [
    "",
    " ",
    "²",
    "①",
    "¹⁹²⁹",
    "٣",
    "１９２９",  # fullwidth digits
    "9" * 10_000,
    "9" * 25,
    "-1",
    "0",
    "1.5",
    "1e9",
    "0x10",
    "\x00",
    "a\x00b",
    "\x1b[2J",
    "\r\nSet-Cookie: x=1",
    "\t",
    "x" * 5000,
    "' OR 1=1 --",
    '"; DROP TABLE meetings_meeting; --',
    "%",
    "_",
    "\\",
    "%' AND '1'='1",
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "atlantis",
    "purge-9999",
    "Ω≈ç√∫",
    "𝕂𝕚𝕣𝕚𝕒𝕟𝕠𝕧",
    "\u202e\u0644\u0627",
    "🙂" * 50,
    "ё" * 300,
    "a " * 2000,
    " ".join(f"w{i}" for i in range(2000)),
    "Кирьянов " * 30,
    "../../etc/passwd",
    "null",
    "None",
    "[]",
]
VALID = {
    "q": ["kir", "Кирьянов", "purge", "tractor shop", "a b c d e"],
    "year": ["1929", "1930", "1935", "1900", "1999"],
    "cell": ["tractor", "forge"],
    "campaign": ["purge-1929", "stakhanovism"],
    "body": ["general_assembly", "bureau"],
    "organisation": ["kp"],
    "archive": ["tsgaipd", "rgavmf"],
    "kind": ["expulsion", "resolution"],
    "sort": ["date", "-date", "relevance", "title", "name", "-appearances", "-attendance"],
    "page": ["1", "2"],
    "per_page": ["1", "25", "200"],
}
# Raw, already-encoded fragments: broken UTF-8, lone surrogates, stray percent signs.
RAW = ["%ff%fe", "%ED%A0%80", "%C0%AF", "%", "%%", "%zz", "%E2%82", "a%00"]


def value(rng: random.Random, name: str) -> str:
    """A query-string fragment ``name=value``, encoded (or deliberately broken)."""
    roll = rng.random()
    if roll < 0.45 and name in VALID:
        text = rng.choice(VALID[name])
    elif roll < 0.92:
        text = rng.choice(HOSTILE)
    else:
        return f"{quote(name)}={rng.choice(RAW)}"
    return f"{quote(name)}={quote(text, safe='')}"


def query(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.choice([0, 1, 1, 2, 2, 3, 4, 6])):
        name = rng.choice(PARAMS + ["unknown", "q", "year", "page"])  # repeats likely
        parts.append(value(rng, name))
    if rng.random() < 0.05:
        parts.append(f"{quote(rng.choice(HOSTILE)[:50], safe='')}=1")  # hostile name
    return "&".join(parts)


def segment(rng: random.Random, real: list[str]) -> str:
    """A path segment: a real one, or a hostile one."""
    if rng.random() < 0.5 and real:
        return quote(rng.choice(real), safe="")
    if rng.random() < 0.15:
        return rng.choice(RAW)
    return quote(rng.choice(HOSTILE)[:300], safe="") or "x"


def addresses(rng: random.Random, corpus: dict, n: int) -> list[str]:
    meetings = [str(m.pk) for m in corpus["meetings"].values()]
    people = [str(corpus["kirianov"].pk)]
    ids = [*meetings, *people, "0", "1", "9" * 25, "9" * 5000, "2147483648", "-1", "²"]
    archive = ["tsgaipd", "rgavmf", "rgaspi"]
    fond, opis, delo = ["1012", "r-34", "1"], ["1", "2"], ["268", "1"]
    slugs = ["tractor", "forge", "purge-1929", "stakhanovism"]

    def path(rng: random.Random) -> str:
        kind = rng.randrange(14)
        if kind < 4:
            return LISTS[kind]
        if kind < 8:
            return f"{LISTS[kind - 4]}export.csv"
        if kind == 8:
            return f"/meetings/{segment(rng, ids)}/"
        if kind == 9:
            return f"/speakers/{segment(rng, ids)}/"
        if kind == 10:
            return f"/{rng.choice(['campaigns', 'cells'])}/{segment(rng, slugs)}/"
        if kind == 11:
            return rng.choice(["/", "/archives/", f"/archives/{segment(rng, archive)}/"])
        if kind == 12:
            return (
                f"/archives/{segment(rng, archive)}/f/{segment(rng, fond)}/op/{segment(rng, opis)}/"
            )
        return (
            f"/archives/{segment(rng, archive)}/f/{segment(rng, fond)}/op/{segment(rng, opis)}"
            f"/d/{segment(rng, delo)}/"
        )

    # Every parameter with every hostile value once, each on the next list or export in
    # turn; then random combinations.
    pages = LISTS + [f"{url}export.csv" for url in LISTS]
    out = [
        f"{pages[i % len(pages)]}?{quote(name)}={quote(text, safe='')}"
        for i, (name, text) in enumerate((n_, t) for n_ in PARAMS for t in HOSTILE)
    ]
    out += [f"{pages[i % len(pages)]}?{PARAMS[i % len(PARAMS)]}={raw}" for i, raw in enumerate(RAW)]
    for _ in range(max(0, n - len(out))):
        url = path(rng)
        q = query(rng)
        out.append(f"{url}?{q}" if q else url)
    return out


@pytest.mark.django_db
def test_no_address_answers_5xx(small_corpus):
    rng = random.Random(SEED)
    client = Client()
    failures = []
    statuses = {}
    urls = addresses(rng, small_corpus, COUNT)
    for url in urls:
        try:
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
            status = response.status_code
        except Exception as exc:  # noqa: BLE001 - every crash is a finding
            failures.append(f"{url[:300]}: {type(exc).__name__}: {str(exc)[:200]}")
            continue
        statuses[status] = statuses.get(status, 0) + 1
        if status >= 500:
            failures.append(f"{url[:300]}: {status}")
    assert not failures, f"{len(failures)} of {len(urls)} failed (seed {SEED}):\n" + "\n".join(
        failures[:40]
    )
    # The generator reaches every outcome: pages, refusals and unknown records.
    print(f"fuzz: {len(urls)} addresses, statuses {sorted(statuses.items())}")
    assert {200, 400, 404} <= set(statuses), statuses
