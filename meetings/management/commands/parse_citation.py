"""Parse citations, one a line on stdin, into JSON lines on stdout.

Consecutive lines are read as consecutive footnotes, so ``Ibid`` resolves against the
lines before it::

    $ printf 'TsGAIPD, f. 1012, op. 1, d. 266, l. 42.\\nIbid., ll. 45-47\\n' \\
        | python manage.py parse_citation
"""

import json
import sys

from django.core.management.base import BaseCommand

from meetings.citations import CitationResolver


def reference_json(ref) -> dict:
    return {
        "archive": ref.archive,
        "fond": ref.fond,
        "opis": ref.opis,
        "delo": ref.delo,
        "folios": [str(f) for f in ref.folios],
        "canonical": ref.canonical(),
    }


class Command(BaseCommand):
    help = "Parse archival citations (one a line on stdin) and print one JSON object a line."
    stealth_options = ("stdin",)  # call_command(..., stdin=StringIO(...)) in tests

    def handle(self, *args, **options):
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
