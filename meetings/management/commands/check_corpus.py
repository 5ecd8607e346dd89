"""Integrity report on the corpus; exits non-zero when it finds a problem."""

from django.core.management.base import BaseCommand, CommandError

from meetings.integrity import run_checks


class Command(BaseCommand):
    help = (
        "Report records without a citation, citations whose delo is unknown, dates outside "
        "1917-1945, people with no appearance, and duplicates."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=20, help="examples shown per check")

    def handle(self, *args, limit, **options):
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
