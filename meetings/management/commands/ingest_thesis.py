"""Load every archival citation in the thesis footnotes into the catalogue.

Reads the footnotes (:mod:`meetings.thesis`), parses them with the citation grammar
(:mod:`meetings.citations`, resolving Ibid across consecutive footnotes of a chapter) and
records each reference with ``Citation.objects.from_reference``, which creates the archive,
fond, opis and delo as needed. Re-running creates nothing new; everything happens in one
transaction, and ``--dry-run`` rolls it back.
"""

import sys
from collections import Counter
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from meetings.models import Citation
from meetings.thesis import read_footnotes, resolve_footnotes


class Command(BaseCommand):
    help = "Ingest the archival citations of the thesis footnotes (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The thesis text, e.g. ../shared/seed/thesis.txt")
        parser.add_argument("--dry-run", action="store_true", help="Parse and roll back")
        parser.add_argument("--verbose", action="store_true", help="List every warning")

    def handle(self, *args, path, dry_run=False, verbose=False, verbosity=1, **options):
        verbose = verbose or verbosity >= 2
        path = Path(path)
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        footnotes = read_footnotes(path)

        stats = Counter()
        per_chapter = Counter()  # (chapter, "footnotes" | "references") -> count
        per_fond = Counter()
        warnings: list[str] = []
        errors: list[str] = []

        with transaction.atomic():
            progress = tqdm(
                footnotes,
                desc="footnotes",
                unit="fn",
                file=sys.stderr,
                disable=not sys.stderr.isatty(),
            )
            for note, result in resolve_footnotes(progress):
                number = note.number if note.number is not None else "?"
                where = f"ch. {note.chapter}, n. {number} (line {note.line})"
                errors.extend(f"{where}: {message}" for message in result.errors)
                warnings.extend(f"{where}: {message}" for message in result.warnings)
                refs = list(dict.fromkeys(result.references))  # a repeat in one note is one
                if not refs:
                    continue
                stats["footnotes with archival citations"] += 1
                per_chapter[note.chapter, "footnotes"] += 1
                raw = note.text.strip()
                for ref in refs:
                    try:
                        _, created = Citation.objects.from_reference(
                            ref,
                            chapter=note.chapter,
                            footnote=note.number,
                            raw=raw,
                            warnings=result.warnings,
                        )
                    except ValidationError as exc:
                        errors.append(f"{where}: {' '.join(exc.messages)}")
                        continue
                    stats["references"] += 1
                    stats["created" if created else "already present"] += 1
                    per_chapter[note.chapter, "references"] += 1
                    per_fond[ref.archive, ref.fond] += 1
            if dry_run:
                transaction.set_rollback(True)

        self.report(len(footnotes), stats, per_chapter, per_fond, warnings, errors, verbose)
        if dry_run:
            self.stdout.write("Dry run: nothing was saved.")

    def report(self, n_footnotes, stats, per_chapter, per_fond, warnings, errors, verbose):
        out = self.stdout.write
        out(f"Footnotes read: {n_footnotes}")
        out(f"Footnotes with archival citations: {stats['footnotes with archival citations']}")
        out(
            f"References found: {stats['references']} "
            f"({stats['created']} created, {stats['already present']} already present)"
        )
        chapters = sorted({chapter for chapter, _ in per_chapter})
        for chapter in chapters:
            out(
                f"  chapter {chapter}: {per_chapter[chapter, 'footnotes']} footnotes, "
                f"{per_chapter[chapter, 'references']} references"
            )
        out("Per archive and fond:")
        for (archive, fond), count in sorted(per_fond.items()):
            out(f"  {archive}, f. {fond}: {count}")
        out(
            f"Warnings: {len(warnings)}"
            + ("" if verbose or not warnings else " (--verbose lists them)")
        )
        if verbose:
            for message in warnings:
                out(f"  {message}")
        if errors:
            out(f"Errors: {len(errors)}")
            for message in errors:
                out(f"  {message}")
        else:
            out("Errors: 0")
