"""Integrity report on the corpus; exits non-zero when it finds a problem."""

from django.core.management.base import BaseCommand, CommandError

from meetings.integrity import footnote_coverage, run_checks


class Command(BaseCommand):
    help = (
        "Report records without a citation, citations whose delo is unknown, dates outside "
        "1917-1945, people with no appearance, and duplicates."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=20, help="examples shown per check")
        parser.add_argument(
            "--coverage",
            action="store_true",
            help="per chapter of the thesis: archival footnotes, and how many a meeting cites "
            "(needs ingest_thesis first); with -v 2, the footnotes no meeting cites",
        )

    def handle(self, *args, limit, coverage=False, verbosity=1, **options):
        if coverage:
            return self.coverage(verbosity)
        results = run_checks()
        failed = 0
        for check in results:
            status = "ok" if not check.problems else f"{len(check.problems)} problem(s)"
            self.stdout.write(f"{check.name}: {status}")
            for problem in check.problems[:limit]:
                self.stdout.write(f"  - {problem}")
            if len(check.problems) > limit:
                self.stdout.write(f"  ... and {len(check.problems) - limit} more")
            failed += bool(check.problems)
        if failed:
            raise CommandError(f"{failed} check(s) found problems")
        self.stdout.write(self.style.SUCCESS(f"all {len(results)} checks passed"))

    def coverage(self, verbosity):
        rows = footnote_coverage()
        if not rows:
            raise CommandError("no thesis footnotes in the database: run ingest_thesis first")
        self.stdout.write("| chapter | archival footnotes | cited by a meeting | % | meetings |")
        self.stdout.write("| --- | --- | --- | --- | --- |")
        for r in rows:
            self.stdout.write(
                f"| {r.chapter} | {r.footnotes} | {r.linked} | {r.percent:.0f}% | {r.meetings} |"
            )
        total = sum(r.footnotes for r in rows)
        linked = sum(r.linked for r in rows)
        self.stdout.write(f"| all | {total} | {linked} | {100 * linked / total:.0f}% | |")
        if verbosity >= 2:
            for r in rows:
                self.stdout.write(f"\nchapter {r.chapter}: footnotes no meeting cites")
                for line in r.unlinked:
                    self.stdout.write(f"  {line}")
