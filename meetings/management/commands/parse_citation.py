"""Parse citations, one a line on stdin, into JSON lines on stdout.

Consecutive lines are read as consecutive footnotes, so ``Ibid`` resolves against the
lines before it::

    $ printf 'TsGAIPD, f. 1012, op. 1, d. 266, l. 42.\\nIbid., ll. 45-47\\n' \\
        | python manage.py parse_citation

With ``--check FILE`` it measures the grammar instead: it reads a test set of citations with
their expected readings (``tests/data/citations.yaml``) and prints how many it reads right,
and (with ``--verbose``) every case it misses and why::

    $ python manage.py parse_citation --check tests/data/citations.yaml
"""

import json
import sys

import yaml
from django.core.management.base import BaseCommand, CommandError

from meetings.citations import CitationResolver
from meetings.citations.checking import check_file


def reference_json(ref) -> dict:
    return {
        "archive": ref.archive,
        "fond": ref.fond,
        "opis": ref.opis,
        "delo": ref.delo,
        "delo_end": ref.delo_end,
        "folios": [str(f) for f in ref.folios],
        "canonical": ref.canonical(),
    }


class Command(BaseCommand):
    help = "Parse archival citations (one a line on stdin) and print one JSON object a line."
    stealth_options = ("stdin",)  # call_command(..., stdin=StringIO(...)) in tests

    def add_arguments(self, parser):
        parser.add_argument("--check", metavar="FILE", help="Measure accuracy on a test set")
        parser.add_argument("--verbose", action="store_true", help="With --check: list misses")

    def handle(self, *args, check=None, verbose=False, **options):
        if check:
            return self.check_set(check, verbose or options.get("verbosity", 1) >= 2)
        stdin = options.get("stdin") or sys.stdin
        resolver = CitationResolver()
        for line in stdin:
            text = line.rstrip("\n")
            if not text.strip():
                continue
            result = resolver.feed(text)
            error = result.error_message(text)
            record = {
                "input": text,
                "references": [reference_json(r) for r in result.references],
                "warnings": result.warnings,
                "error": error,
            }
            self.stdout.write(json.dumps(record, ensure_ascii=False))

    def check_set(self, path, verbose):
        try:
            outcomes = check_file(path)
        except (OSError, ValueError, yaml.YAMLError) as exc:
            raise CommandError(str(exc)) from None
        right = sum(o.ok for o in outcomes)
        if verbose:
            for o in outcomes:
                if not o.ok:
                    self.stdout.write(f"MISS {o.case['text']!r}: {o.problem}")
        share = 100 * right / len(outcomes) if outcomes else 0.0
        self.stdout.write(f"{path}: {right} of {len(outcomes)} citations read right ({share:.1f}%)")
