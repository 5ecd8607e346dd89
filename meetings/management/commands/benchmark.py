"""Benchmark the site at two corpus sizes on the configured database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python manage.py benchmark \\
        --sizes 10000 100000 --repeat 20 --json bench/results/pg.json

For each size it (re)builds the synthetic corpus (``generate_corpus --flush``; it refuses a
database holding real meetings), then times pages through the full Django stack (test
client, ``DEBUG=False``): median and 95th percentile in ms and the queries each made; the
CSV export of all meetings (rows per second, memory growth: 1,000 rows against all); and
EXPLAIN of the speaker page's speech query and of each facet filter. It prints a table,
the growth ratio from the first size to the last, and JSON.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client

from meetings import benchmarking as b
from meetings.management.commands.generate_corpus import refuse_real_data
from meetings.models import Meeting, Speech


class Command(BaseCommand):
    help = "Time pages, search and CSV export on synthetic corpora of two sizes."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
        parser.add_argument("--repeat", type=int, default=20, help="timed requests per page")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--json", help="also write the JSON results to this path")
        parser.add_argument(
            "--reuse",
            action="store_true",
            help="keep a synthetic corpus already of the requested size instead of rebuilding",
        )
        parser.add_argument("--no-explain", action="store_true")
        parser.add_argument(
            "--import",
            dest="import_size",
            type=int,
            metavar="N",
            help="instead of pages: time import_protocols (dry run and commit, new and "
            "unchanged) of an exported synthetic corpus of N meetings, with peak memory",
        )
        parser.add_argument(
            "--new-only",
            action="store_true",
            help="with --import: only the imports of new records (not the unchanged re-import)",
        )

    def handle(self, *args, **opts):
        refuse_real_data()  # before anything: point DATABASE_URL at a scratch database
        if opts["import_size"]:
            return self.imports(opts["import_size"], opts)
        results = []
        for size in opts["sizes"]:
            results.append(self.run_size(size, opts))
        doc = {
            "database": f"{connection.vendor} {self.server_version()}",
            "machine": machine(),
            "repeat": opts["repeat"],
            "sizes": [r.as_dict() for r in results],
        }
        if len(results) > 1:
            doc["growth"] = growth(results[0], results[-1])
        self.report(doc, results, explain=not opts["no_explain"])
        if opts["json"]:
            Path(opts["json"]).parent.mkdir(parents=True, exist_ok=True)
            Path(opts["json"]).write_text(json.dumps(doc, indent=1, ensure_ascii=False))

    def imports(self, size: int, opts):
        """Generate N meetings, export them to one file, then import that file into the
        database emptied of them: dry run and commit (all new), then both again (all
        unchanged). Each import runs as its own process; its peak RSS is measured."""
        import tempfile

        from meetings.yaml_export import Exporter

        w = self.stdout.write
        existing = Meeting.objects.filter(synthetic=True).count()
        if not (opts["reuse"] and existing == size):
            b.flush_synthetic()  # raw deletes: generate_corpus --flush writes history per row
            call_command("generate_corpus", meetings=size, seed=opts["seed"],
                         verbosity=1, stdout=self.stderr)  # fmt: skip
        with tempfile.TemporaryDirectory() as folder:
            start = time.monotonic()
            Exporter().write(Path(folder), one_file="corpus.yaml")
            export_seconds = time.monotonic() - start
            path = Path(folder) / "corpus.yaml"
            megabytes = path.stat().st_size / 2**20
            speeches = Speech.objects.count()
            self.stderr.write(f"Flushed the synthetic corpus in {b.flush_synthetic():.1f} s")
            timings = []
            runs = [("dry run, all new", False), ("commit, all new", True)]
            if not opts["new_only"]:
                runs += [("dry run, unchanged", False), ("commit, unchanged", True)]
            for name, commit in runs:
                self.stderr.write(f"== import_protocols {name}")
                timings.append(b.time_import(path, name, commit))
        doc = {
            "database": f"{connection.vendor} {self.server_version()}",
            "machine": machine(),
            "meetings": size,
            "speeches": speeches,
            "file_mb": round(megabytes, 1),
            "export_seconds": round(export_seconds, 1),
            "imports": [t.__dict__ for t in timings],
        }
        w(f"Import benchmark on {doc['database']}, {doc['machine']}")
        w(f"{size:,} meetings, {doc['speeches']:,} speeches; exported to one YAML file of "
          f"{megabytes:.1f} MB in {export_seconds:.1f} s")  # fmt: skip
        w(
            f"  {'import_protocols':24} {'seconds':>8} {'meetings/s':>11} "
            f"{'peak RSS MB':>12}  result"
        )
        for t in timings:
            rate = size / t.seconds if t.seconds else 0
            w(f"  {t.name:24} {t.seconds:8.1f} {rate:11,.0f} {t.peak_rss_mb:12.1f}  "
              f"{'ok' if t.returncode == 0 else 'FAILED'}: {t.summary}")  # fmt: skip
        w("\nJSON")
        w(json.dumps(doc, indent=1, ensure_ascii=False))
        if opts["json"]:
            Path(opts["json"]).parent.mkdir(parents=True, exist_ok=True)
            Path(opts["json"]).write_text(json.dumps(doc, indent=1, ensure_ascii=False))

    def server_version(self) -> str:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SHOW server_version")
            else:
                cursor.execute("select sqlite_version()")
            return cursor.fetchone()[0]

    def run_size(self, size: int, opts) -> b.SizeResult:
        self.stderr.write(f"== {size:,} meetings on {connection.vendor}")
        generate_seconds = None
        existing = Meeting.objects.filter(synthetic=True).count()
        if not (opts["reuse"] and existing == size):
            start = time.monotonic()
            call_command(
                "generate_corpus", meetings=size, seed=opts["seed"], flush=True, verbosity=1,
                stdout=self.stderr,
            )  # fmt: skip
            generate_seconds = round(time.monotonic() - start, 1)
        result = b.SizeResult(
            meetings=Meeting.objects.count(),
            speeches=Speech.objects.count(),
            generate_seconds=generate_seconds,
        )
        targets = b.targets()
        client = Client()
        with b.bench_settings():
            for name, url in b.pages(targets):
                timing = b.time_page(client, name, url, opts["repeat"])
                self.stderr.write(f"   {timing.median_ms:8.1f} ms  {name}")
                result.pages.append(timing)
            result.exports.append(b.time_export(limit=1000))
            result.exports.append(b.time_export())
        if not opts["no_explain"]:
            result.explains = b.explains(targets)
        return result

    def report(self, doc, results, explain=True):
        w = self.stdout.write
        w(f"Benchmark on {doc['database']}, {doc['machine']}; {doc['repeat']} requests per page")
        for r in results:
            gen = f", generated in {r.generate_seconds} s" if r.generate_seconds else ""
            w(f"\n{r.meetings:,} meetings, {r.speeches:,} speeches{gen}")
            w(f"  {'page':46} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
            for p in r.pages:
                w(f"  {p.name:46} {p.median_ms:10.1f} {p.p95_ms:8.1f} {p.queries:8d}")
            for e in r.exports:
                w(
                    f"  CSV export {e.rows:>7,} rows: {e.rows_per_second:>7,} rows/s, "
                    f"RSS +{e.rss_growth_mb} MB, traced peak {e.traced_peak_mb} MB"
                )
        if "growth" in doc:
            first, last = results[0].meetings, results[-1].meetings
            w(f"\nGrowth {first:,} -> {last:,} meetings (last / first)")
            for name, ratios in doc["growth"].items():
                text = ", ".join(f"{k} x{v}" for k, v in ratios.items())
                w(f"  {name:46} {text}")
        if explain:
            for r in results[-1:]:
                w(f"\nEXPLAIN at {r.meetings:,} meetings")
                for e in r.explains:
                    flag = "SEQ SCAN of meetings_speech" if e.speech_full_scan else "no speech scan"
                    w(f"  {e.name}: {flag}; index used: {e.index_used}")
                    for line in e.plan.splitlines():
                        w(f"      {line}")
        slim = {k: v for k, v in doc.items() if k != "sizes"}
        slim["sizes"] = [
            {k: v for k, v in s.items() if k != "explains"}
            | {"explains": [{k: v for k, v in e.items() if k != "plan"} for e in s["explains"]]}
            for s in doc["sizes"]
        ]
        w("\nJSON")
        w(json.dumps(slim, indent=1, ensure_ascii=False))


def growth(first: b.SizeResult, last: b.SizeResult) -> dict:
    def ratio(a, z):
        return round(z / a, 2) if a else None

    out = {}
    for p0, p1 in zip(first.pages, last.pages, strict=True):
        out[p0.name] = {
            "median": ratio(p0.median_ms, p1.median_ms),
            "p95": ratio(p0.p95_ms, p1.p95_ms),
            "queries": ratio(p0.queries, p1.queries),
        }
    e0, e1 = first.exports[-1], last.exports[-1]
    out["CSV export (all rows)"] = {
        "rows": ratio(e0.rows, e1.rows),
        "rows_per_second": ratio(e0.rows_per_second, e1.rows_per_second),
        "rss_growth": ratio(e0.rss_growth_mb or 0.1, e1.rss_growth_mb or 0.1),
    }
    return out


def machine() -> str:
    import os
    import platform

    cpu = ""
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(
                (line.split(":", 1)[1].strip() for line in info if line.startswith("model name")),
                "",
            )
    except OSError:
        pass
    mem = ""
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        mem = f", {pages / 2**30:.0f} GB RAM"
    except (ValueError, OSError):
        pass
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPU {cpu}{mem}".strip()
