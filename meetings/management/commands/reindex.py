"""Recompute every stored search key and folded text with the current folding rules.

The keys (``Person.search_key``, ``Cell.search_key``) and folded texts (``search_text`` of
meetings, zapiski and resolutions) are derived from the records by
:mod:`meetings.names` and :mod:`meetings.search`. When those rules change, the stored
values of records written before go stale: this command brings them up to date, in the
order they depend on each other (people before the texts that hold their names, zapiski and
resolutions before the meetings that hold theirs). Only rows whose value changes are
written. ``--check`` changes nothing and fails when something is out of date.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Prefetch
from tqdm import tqdm

from meetings.models import (
    AgendaItem,
    Cell,
    Meeting,
    Mention,
    Person,
    Resolution,
    Speech,
    Zapiska,
)
from meetings.search import meeting_document, resolution_document, zapiska_document

BATCH = 500


@dataclass
class Target:
    """One stored derived column: which rows, how to compute it, where it goes."""

    label: str
    model: type
    field: str
    compute: callable
    rows: callable  # () -> queryset that loads what ``compute`` reads


def _person_links(*paths):
    return [f"{path}__variants" for path in paths]


TARGETS = [
    Target("people", Person, "search_key", Person.folded_key,
           lambda: Person.objects.prefetch_related("variants")),
    Target("cells", Cell, "search_key", Cell.folded_key, lambda: Cell.objects.all()),
    Target("zapiski", Zapiska, "search_text", zapiska_document,
           lambda: Zapiska.objects.select_related("addressed_to", "author")
           .prefetch_related(*_person_links("addressed_to", "author"))),
    Target("resolutions", Resolution, "search_text", resolution_document,
           lambda: Resolution.objects.select_related("person")
           .prefetch_related(*_person_links("person"))),
    Target("meetings", Meeting, "search_text", meeting_document,
           lambda: Meeting.objects.select_related("cell", "organisation", "chair")
           .prefetch_related(
               "campaigns", "chair__variants", "zapiski", "resolutions",
               Prefetch("agenda_items", AgendaItem.objects.select_related("reporter")
                        .prefetch_related("reporter__variants")),
               Prefetch("speeches", Speech.objects.select_related("person")
                        .prefetch_related("person__variants")),
               Prefetch("mentions", Mention.objects.select_related("person")
                        .prefetch_related("person__variants")),
           )),
]  # fmt: skip


class Command(BaseCommand):
    help = (
        "Recompute the folded search keys of people and cells and the search text of "
        "meetings, zapiski and resolutions (run after the folding rules change)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="change nothing; report what is out of date and fail if anything is",
        )

    def handle(self, *args, check, **options):
        started = time.monotonic()
        show_bar = options["verbosity"] > 0 and sys.stderr.isatty()
        read = stale = 0
        for target in TARGETS:
            n_read, n_stale = self.run(target, write=not check, show_bar=show_bar)
            read += n_read
            stale += n_stale
            verb = "out of date" if check else "updated"
            if options["verbosity"] > 0:
                self.stdout.write(f"{target.label}: {n_read} read, {n_stale} {verb}")
        seconds = time.monotonic() - started
        if check:
            if stale:
                raise CommandError(
                    f"{stale} of {read} search keys out of date: run manage.py reindex"
                )
            self.stdout.write(self.style.SUCCESS(f"all {read} search keys up to date"))
            return
        self.stdout.write(
            self.style.SUCCESS(f"reindexed: {stale} of {read} rows updated in {seconds:.1f} s")
        )

    def run(self, target: Target, *, write: bool, show_bar: bool) -> tuple[int, int]:
        queryset = target.rows().order_by("pk")
        total = queryset.count()
        changed, read, stale = [], 0, 0
        bar = tqdm(total=total, desc=target.label, unit="row", disable=not show_bar)
        with transaction.atomic():
            for record in queryset.iterator(chunk_size=BATCH):
                read += 1
                bar.update()
                value = target.compute(record)
                if getattr(record, target.field) == value:
                    continue
                stale += 1
                if write:
                    setattr(record, target.field, value)
                    changed.append(record)
                if len(changed) >= BATCH:
                    target.model.objects.bulk_update(changed, [target.field])
                    changed = []
            if changed:
                target.model.objects.bulk_update(changed, [target.field])
        bar.close()
        return read, stale
