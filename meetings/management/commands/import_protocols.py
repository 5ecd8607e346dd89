"""Load transcribed protocols (YAML, see fixtures/README.md) through the validated importer."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meetings.importer import ImportErrors, ImportProblem, import_file


class Command(BaseCommand):
    help = (
        "Validate and load protocol files. A dry run unless --commit is given. Each file is "
        "one transaction: any problem saves nothing from that file, and every problem is "
        "listed with its record and field."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--commit", action="store_true", help="write to the database")
        parser.add_argument(
            "--progress",
            choices=["auto", "yes", "no"],
            default="auto",
            help="progress bar per record on stderr (auto: when stderr is a terminal)",
        )

    def handle(self, *args, files, commit, **options):
        missing = [str(f) for f in files if not f.is_file()]
        if missing:
            raise CommandError(f"no such file: {', '.join(missing)}")
        progress = options["progress"] == "yes" or (
            options["progress"] == "auto" and options["verbosity"] > 0 and sys.stderr.isatty()
        )
        failed, warnings, reports = [], [], []
        for path in files:
            try:
                report = import_file(path, commit=commit, via="command", progress=progress)
            except ImportProblem as exc:
                problems = exc.problems if isinstance(exc, ImportErrors) else [exc]
                failed.append((exc, problems))
                continue
            reports.append(report)
            warnings += report.warnings

        mode = "imported" if commit else "dry run (nothing written; add --commit)"
        self.stdout.write(f"{mode}: {len(reports)} file(s) ok, {len(failed)} refused")
        for report in reports:
            self.stdout.write(f"{report.source}:")
            for line in report.summary_lines():
                self.stdout.write(line)
        if warnings:
            self.stdout.write(f"{len(warnings)} citation correction(s):")
            for warning in warnings:
                self.stdout.write(f"  {warning}")
        if failed:
            for exc, problems in failed:
                more = " (stopped counting there)" if getattr(exc, "truncated", False) else ""
                self.stderr.write(f"{exc.source}: {len(problems)} problem(s){more}:")
                for problem in problems:
                    self.stderr.write(f"ERROR {problem}")
            raise CommandError(f"{len(failed)} file(s) refused; nothing from them was saved")
