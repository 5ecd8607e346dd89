"""Bring the Archive rows in line with the archive registry (fixtures/archives.yaml).

The registry is the one source of truth for archives: a row is made from it when an archive
is first cited, and this command refreshes every row after the registry is edited (names,
spellings, successors) and flags the rows of archives the registry does not know.
``--all`` also makes a row for every archive in the registry.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from meetings.models import Archive


class Command(BaseCommand):
    help = "Update Archive rows from fixtures/archives.yaml (--all: one row per registry entry)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Create every registry archive")

    def handle(self, *args, all=False, **options):
        with transaction.atomic():
            counts = Archive.objects.sync_registry(create_all=all)
        self.stdout.write(
            "Archives: " + ", ".join(f"{n} {outcome}" for outcome, n in counts.items()) + "."
        )
        flagged = Archive.objects.filter(in_registry=False).values_list("abbreviation", flat=True)
        if flagged:
            self.stdout.write(
                "Not in the registry (add them to fixtures/archives.yaml): " + ", ".join(flagged)
            )
