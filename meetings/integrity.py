"""Corpus integrity checks, shared by ``check_corpus`` and the test suite."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q

from .models import Citation, Meeting, MeetingCitation, Person, Speech
from .names import search_key

EARLIEST_YEAR, LATEST_YEAR = 1917, 1945


@dataclass
class Check:
    name: str
    problems: list[str] = field(default_factory=list)


def _label(meeting) -> str:
    return f"meeting {meeting.pk} ({meeting.key or meeting.title})"


def run_checks() -> list[Check]:
    real = Meeting.objects.filter(synthetic=False)

    uncited = Check("meetings without a citation")
    # A meeting the thesis knows only from a published source says so in source_note.
    for m in real.filter(citation_links__isnull=True, source_note="").order_by("pk"):
        uncited.problems.append(_label(m))

    unknown_delo = Check("citations whose delo is unknown")
    for c in (
        Citation.objects.with_hierarchy()
        .filter(delo__isnull=True, meeting_links__isnull=False)
        .distinct()
    ):
        unknown_delo.problems.append(f"citation {c.pk}: {c.canonical()} (no delo) cites a meeting")

    dates = Check(f"dates outside {EARLIEST_YEAR}-{LATEST_YEAR}")
    for m in real.filter(Q(year__lt=EARLIEST_YEAR) | Q(year__gt=LATEST_YEAR)):
        dates.problems.append(f"{_label(m)}: {m.date}")

    idle = Check("people with no appearance")
    appeared = (
        Q(speeches__isnull=False)
        | Q(chaired__isnull=False)
        | Q(agenda_reports__isnull=False)
        | Q(zapiski_received__isnull=False)
        | Q(zapiski_written__isnull=False)
        | Q(resolutions__isnull=False)
        | Q(mentions__isnull=False)
    )
    appearing = Person.objects.filter(appeared).values("pk")
    for p in Person.objects.exclude(pk__in=appearing).order_by("name"):
        idle.problems.append(f"person {p.pk} ({p.slug})")

    duplicates = Check("duplicates")
    # The same meeting entered twice: same date, body, cell and organisation and a title
    # that folds to the same words.
    seen: dict[tuple, Meeting] = {}
    for m in real.order_by("pk"):
        k = (m.date, m.body, m.organisation_id, m.cell_id, search_key(m.title))
        if m.date and k in seen:
            duplicates.problems.append(f"{_label(m)} repeats {_label(seen[k])}")
        seen.setdefault(k, m)
    # Two people whose spellings fold to the same key and who are not told apart by
    # their one-line description (homonyms such as two Ivanovs are described apart).
    keys = (
        Person.objects.exclude(search_key="")
        .values("search_key", "description")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    for row in keys:
        slugs = Person.objects.filter(
            search_key=row["search_key"], description=row["description"]
        ).values_list("slug", flat=True)
        duplicates.problems.append(f"people with identical names: {', '.join(slugs)}")
    # A speech repeated within one meeting.
    repeated = Speech.objects.values("meeting", "order").annotate(n=Count("pk")).filter(n__gt=1)
    for row in repeated:
        duplicates.problems.append(f"meeting {row['meeting']}: speech order {row['order']} twice")

    return [uncited, unknown_delo, dates, idle, duplicates]


@dataclass
class ChapterCoverage:
    """How many of a chapter's archival footnotes a meeting of the corpus cites."""

    chapter: int
    footnotes: int  # footnotes with at least one archival citation (from ingest_thesis)
    linked: int  # of those, footnotes one of whose citations documents a meeting
    meetings: int  # meetings citing this chapter
    unlinked: list[str] = field(default_factory=list)  # "n. 12: TsGAIPD, f. 1012, ..."

    @property
    def percent(self) -> float:
        return 100 * self.linked / self.footnotes if self.footnotes else 0.0


def footnote_coverage() -> list[ChapterCoverage]:
    """Per chapter: archival footnotes, and how many are linked to a meeting.

    Not every archival footnote documents a meeting (many cite reports or statistics), so
    the unlinked list is where to look for missing meetings, not a list of errors.
    """
    linked_ids = set(MeetingCitation.objects.values_list("citation_id", flat=True))
    notes: dict[tuple[int, int], list] = {}
    for c in (
        Citation.objects.with_hierarchy()
        .filter(chapter__isnull=False, footnote__isnull=False)
        .order_by("chapter", "footnote", "pk")
    ):
        notes.setdefault((c.chapter, c.footnote), []).append(c)
    meetings_per_chapter = dict(
        MeetingCitation.objects.filter(citation__chapter__isnull=False)
        .values("citation__chapter")
        .annotate(n=Count("meeting", distinct=True))
        .values_list("citation__chapter", "n")
    )
    out: dict[int, ChapterCoverage] = {}
    for (chapter, number), citations in notes.items():
        row = out.setdefault(
            chapter, ChapterCoverage(chapter, 0, 0, meetings_per_chapter.get(chapter, 0))
        )
        row.footnotes += 1
        if any(c.pk in linked_ids for c in citations):
            row.linked += 1
        else:
            row.unlinked.append(f"n. {number}: " + "; ".join(c.canonical() for c in citations))
    return [out[k] for k in sorted(out)]
