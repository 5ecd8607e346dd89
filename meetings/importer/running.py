"""One import from end to end: read and validate every record, then write them in order,
in one transaction per file, holding the import lock so two imports never interleave."""

from __future__ import annotations

import pickle
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.db import OperationalError, connection, transaction
from tqdm import tqdm

from .lookups import Lookups
from .problems import ImportErrors, Problems
from .protocols import MeetingWriter
from .reading import RawRecord, read_records
from .report import ImportReport
from .sections import SectionWriter
from .validating import RecordValidator
from .writing import Writer

# Written in this order, whatever the order in the file: what is referred to comes first.
SECTIONS = (
    "archives", "fonds", "opisi", "dela", "organisations", "cells", "campaigns", "people",
    "citations", "meetings",
)  # fmt: skip
CHUNK = 1000  # meetings validated, looked up and written together
REASONS = {"command": "import_protocols", "admin": "admin upload"}
LOCK_ID = 7_420_311  # PostgreSQL advisory lock: one import writes at a time
LOCK_WAIT = 600  # seconds an import waits for another to finish (SQLite)


class _Rollback(Exception):
    """Raised to undo a dry run."""


def import_file(path, *, commit=False, user=None, via="command", progress=False) -> ImportReport:
    """Import one YAML file from disk (read as a stream: memory holds a chunk, not the file)."""
    path = Path(path)
    with path.open("rb") as stream:
        return _run(stream, source=path.name, commit=commit, user=user, via=via,
                    progress=progress)  # fmt: skip


def import_bytes(
    raw: bytes, *, source: str, commit=False, user=None, via="command", progress=False
) -> ImportReport:
    """Import an uploaded or read file's contents (the admin's upload comes here,
    ``via="admin"``). Raises :class:`ImportErrors` (an :class:`ImportProblem`) listing every
    problem; the report says per model what was (or would be) created, updated, deleted."""
    return _run(raw, source=source, commit=commit, user=user, via=via, progress=progress)


def import_data(data, *, source="<input>", commit=False, user=None, via="command") -> ImportReport:
    """Import already-parsed data ``{section: [record, ...]}`` (tests, scripts)."""
    return _run(data, source=source, commit=commit, user=user, via=via)


def _records_of(data, problems: Problems) -> Iterator[RawRecord]:
    if not isinstance(data, dict):
        raise problems.fatal("the file must be a mapping of sections (meetings:, people:, ...)")
    for section, records in data.items():
        if section not in SECTIONS:
            problems.add(f"unknown section {section!r}; expected one of: {', '.join(SECTIONS)}")
            continue
        if records is None:
            continue
        if not isinstance(records, list):
            problems.add("must be a list of records (each line starting with '- ')",
                         section=section)  # fmt: skip
            continue
        for index, value in enumerate(records):
            yield RawRecord(section, index, None, value)


def record_key(section: str, clean: dict):
    """What makes a record the same record: two in one file are refused."""
    if section == "fonds":
        return (clean["archive"], clean["number"])
    if section == "opisi":
        return (clean["archive"], clean["fond"], clean["number"])
    if section in ("dela", "citations"):
        text, result = clean["citation" if section == "dela" else "text"]
        refs = tuple(r.canonical() for r in result.references)
        return refs if section == "dela" else (refs, clean.get("chapter"), clean.get("footnote"))
    if section == "archives":
        return clean["abbreviation"]
    return clean.get("slug") or clean.get("key")


class _Spool:
    """Validated meetings, pickled in chunks to a temporary file: memory holds one chunk."""

    def __init__(self):
        self.file = tempfile.TemporaryFile()
        self.buffer: list = []
        self.count = 0

    def add(self, item):
        self.buffer.append(item)
        self.count += 1
        if len(self.buffer) >= CHUNK:
            self.flush()

    def flush(self):
        if self.buffer:
            pickle.dump(self.buffer, self.file, protocol=pickle.HIGHEST_PROTOCOL)
            self.buffer = []

    def chunks(self) -> Iterable[list]:
        self.flush()
        self.file.seek(0)
        while True:
            try:
                yield pickle.load(self.file)
            except EOFError:
                return

    def close(self):
        self.file.close()


def _run(source_data, *, source, commit, user, via, progress=False) -> ImportReport:
    problems = Problems(source)
    if isinstance(source_data, dict | list) or source_data is None:
        raw_records = _records_of(source_data, problems)
    else:
        raw_records = read_records(source_data, source, problems, SECTIONS)
    validator = RecordValidator(problems)
    held: dict[str, list] = {s: [] for s in SECTIONS if s != "meetings"}
    seen: dict[str, dict] = {s: {} for s in SECTIONS}
    spool = _Spool()
    try:
        # 1. Read and validate every record (no database).
        bar = tqdm(raw_records, desc=f"{source}: reading", unit=" records", disable=not progress,
                   mininterval=0.5)  # fmt: skip
        for raw in bar:
            clean = validator.record(raw.section, raw.index, raw.value, raw.line)
            if clean is None:  # its problems are recorded; still, its key is taken
                if validator.key and raw.section not in ("fonds", "opisi", "dela", "citations"):
                    seen[raw.section].setdefault(validator.key, raw.index)
                continue
            key = record_key(raw.section, clean)
            first = seen[raw.section].get(key)
            if first is not None:
                validator.problem(
                    f"a second {raw.section} record with this key (the first is record "
                    f"{first + 1}): which one is meant?"
                )
                continue
            seen[raw.section][key] = raw.index
            if raw.section == "meetings":
                spool.add((raw.index, raw.line, clean))
            else:
                held[raw.section].append((raw.index, raw.line, clean))
        seen.clear()
        # 2. Write in order, in one transaction; roll back on any problem or a dry run.
        report = ImportReport(source=source, committed=False)
        reason = f"{REASONS.get(via, via)}: {source}"
        try:
            with transaction.atomic():
                _lock(problems)
                writer = Writer(report, user=user, reason=reason)
                lookups = Lookups(writer)
                sections = SectionWriter(lookups, writer, validator)
                for section in SECTIONS[:-1]:
                    if section == "people":
                        if held["people"]:
                            sections.people(held["people"])
                        continue
                    for index, line, clean in held[section]:
                        getattr(sections, section)(index, line, clean)
                held.clear()
                meetings = MeetingWriter(lookups, writer, validator)
                bar = tqdm(total=spool.count, desc=f"{source}: writing", unit=" meetings",
                           disable=not progress or not spool.count, mininterval=0.5)  # fmt: skip
                for chunk in spool.chunks():
                    meetings.chunk(chunk)
                    bar.update(len(chunk))
                bar.close()
                meetings.finish_context()
                if problems or not commit:
                    raise _Rollback
                report.committed = True
        except _Rollback:
            pass
        report.warnings = validator.warnings
        problems.raise_if_any()
        return report
    finally:
        spool.close()


def _lock(problems: Problems) -> None:
    """Wait for any other import to finish, so two imports of one file never interleave."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_ID])
            return
        if connection.vendor != "sqlite":
            return
        # Take SQLite's write lock now (a write that changes nothing), not at the first
        # insert: a transaction that read first and then wants to write gets "database
        # is locked" at once instead of waiting.
        deadline = time.monotonic() + LOCK_WAIT
        while True:
            try:
                cursor.execute("DELETE FROM django_migrations WHERE 0")
                return
            except OperationalError as exc:
                time.sleep(0.2)
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise problems.fatal(
                        "the database is busy with another import and did not free itself in "
                        f"{LOCK_WAIT // 60} minutes; nothing was saved: try again"
                    ) from None


__all__ = ["ImportErrors", "SECTIONS", "import_bytes", "import_data", "import_file"]
