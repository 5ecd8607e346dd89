"""Load transcribed protocols (YAML, see fixtures/README.md) through the validated importer."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from meetings.importer import ImportProblem, import_file


class Command(BaseCommand):
    help = (
        "Validate and load protocol files. A dry run unless --commit is given. Each file is "
        "one transaction: an error saves nothing from that file and names record and field."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--commit", action="store_true", help="write to the database")

    def handle(self, *args, files, commit, **options):
        missing = [str(f) for f in files if not f.is_file()]
        if missing:
            raise CommandError(f"no such file: {', '.join(missing)}")
        failed = []
        warnings = []
        reports = []
        show_bar = options["verbosity"] > 0 and len(files) > 1
        for path in tqdm(files, desc="importing", unit="file", disable=not show_bar):
            try:
                report = import_file(path, commit=commit)
            except ImportProblem as exc:
                failed.append(str(exc))
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
            for message in failed:
                self.stderr.write(f"ERROR {message}")
            raise CommandError(f"{len(failed)} file(s) refused; nothing from them was saved")
