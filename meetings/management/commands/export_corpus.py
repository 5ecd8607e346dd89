"""Write the whole database as YAML in the fixture format (see meetings/yaml_export.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand

from meetings.yaml_export import Exporter


class Command(BaseCommand):
    help = (
        "Export every record as YAML in the fixture format, one file per section or year; "
        "`import_protocols --commit DIR/*.yaml` into an empty database restores it."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--one-file", metavar="NAME", help="everything in one file of this name instead"
        )

    def handle(self, *args, folder, one_file=None, **options):
        written = Exporter().write(folder, one_file=one_file)
        if options["verbosity"] > 0:
            for name, n in written.items():
                self.stdout.write(f"{folder / name if not one_file else name}: {n:,} records")
