"""Concurrent clients against a running server (``make serve``), optionally during an import.

    python manage.py loadcheck --url http://127.0.0.1:8101 --clients 20 --seconds 60
    python manage.py loadcheck ... --import-meetings 4000     # an import runs meanwhile

Addresses are sampled from the database this command is configured for (``DATABASE_URL``):
point it at the same database as the server. The import writes a synthetic protocol file
and loads it with ``import_protocols --commit`` in a separate process, so only use
``--import-meetings`` against a scratch database (it refuses one with real meetings, like
``generate_corpus``, and marks what it imported as synthetic). Prints throughput,
p50/p95/p99 latency and the number of errors (5xx or no answer), overall and per kind.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from meetings import loadchecking
from meetings.management.commands.generate_corpus import refuse_real_data


class Command(BaseCommand):
    help = "Concurrent clients against a running server; throughput, p50/p95/p99, errors."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="the server")
        parser.add_argument("--clients", type=int, default=20)
        parser.add_argument("--seconds", type=float, default=60)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--timeout", type=float, default=60, help="per request, seconds")
        parser.add_argument(
            "--import-meetings",
            type=int,
            default=0,
            help="also import a synthetic file of this many meetings during the run",
        )
        parser.add_argument("--json", type=Path, help="write the report as JSON here")

    def handle(self, *args, **options):
        rng = random.Random(options["seed"])
        try:
            plan = loadchecking.plan_urls(rng)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        status, error = loadchecking.fetch(options["url"], "/", options["timeout"])
        if status != 200:
            raise CommandError(f"{options['url']} does not answer / with 200: {status} {error}")

        importer = None
        import_result = {}
        if options["import_meetings"]:
            refuse_real_data()  # the import writes: a scratch database only
            importer = threading.Thread(
                target=self.run_import,
                args=(options["import_meetings"], options["seed"], import_result),
                daemon=True,
            )
        self.stdout.write(
            f"{options['clients']} clients for {options['seconds']:.0f} s against "
            f"{options['url']} ({settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]})"
            + (f", importing {options['import_meetings']} meetings" if importer else "")
        )
        if importer:
            importer.start()
        started = time.monotonic()
        samples = loadchecking.run(
            options["url"],
            plan,
            options["clients"],
            options["seconds"],
            seed=options["seed"],
            timeout=options["timeout"],
        )
        elapsed = time.monotonic() - started
        report = loadchecking.summarise(samples, options["clients"], elapsed)
        for line in report.lines():
            self.stdout.write(line)
        if importer:
            still = " (still running: waiting for it)" if importer.is_alive() else ""
            self.stdout.write(f"import during the run{still}")
            self.stdout.flush()
            importer.join()
            report.import_result = import_result
            self.stdout.write(
                f"import: {import_result['meetings']} meetings, exit "
                f"{import_result['exit_code']}, {import_result['seconds']:.1f} s"
                + (f"\n{import_result['stderr']}" if import_result["exit_code"] else "")
            )
        if options["json"]:
            options["json"].write_text(json.dumps(report.as_dict(), indent=2))
        if report.errors or (importer and import_result.get("exit_code") != 0):
            raise CommandError(f"{report.errors} error(s)")

    def run_import(self, meetings: int, seed: int, result: dict) -> None:
        """Write a synthetic file and import it in another process, as an archivist would."""
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "loadcheck.yaml"
            tag = f"loadcheck-{seed}-{int(time.time())}"
            loadchecking.write_import_file(path, meetings, seed=seed, tag=tag)
            start = time.monotonic()
            proc = subprocess.run(
                [sys.executable, "manage.py", "import_protocols", "--commit", str(path)],
                cwd=settings.BASE_DIR,
                env=os.environ.copy(),
                capture_output=True,
                text=True,
            )
            if proc.returncode == 0:
                loadchecking.mark_synthetic(tag)
            result.update(
                meetings=meetings,
                exit_code=proc.returncode,
                seconds=time.monotonic() - start,
                stderr=proc.stderr[-2000:],
            )
