"""The one importer: validates and loads a batch of transcribed protocols.

The shipped corpus (``fixtures/corpus/*.yaml``), a file an admin uploads and the
``import_protocols`` command all come through :func:`import_file`. The format is described
in ``fixtures/README.md``.

- Each file is one transaction: an error anywhere saves nothing from it, and the
  :class:`ImportProblem` names the file, the record (section and number) and the field.
- Every record carries a key and is created or updated by it, so importing twice creates
  no duplicates; a meeting's speeches, zapiski, resolutions and agenda are replaced as a
  whole only when they differ from what is stored.
- Without ``commit`` it is a dry run: everything is validated and written inside the
  transaction, counted, then rolled back (SayIt's "dry run until told to commit").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models, transaction

from . import citations, dates
from .models import (
    AgendaItem,
    Archive,
    Campaign,
    Cell,
    Citation,
    Delo,
    Fond,
    Meeting,
    MeetingCitation,
    Mention,
    Opis,
    Organisation,
    Person,
    PersonName,
    PersonRole,
    Resolution,
    Speech,
    Zapiska,
    hierarchy_for,
    latin_slug,
)

SECTIONS = (
    "archives",
    "fonds",
    "opisi",
    "dela",
    "organisations",
    "cells",
    "campaigns",
    "people",
    "meetings",
)


class ImportProblem(Exception):
    """An error in an import file, located by file, section, record number and field."""

    def __init__(self, message: str, *, source="", section="", index=None, key="", field=""):
        self.message = message
        self.source, self.section, self.index, self.key, self.field = (
            source,
            section,
            index,
            key,
            field,
        )
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [self.source or "<input>"]
        if self.section:
            record = f"{self.section} record {self.index + 1}" if self.index is not None else ""
            if self.key:
                record += f" (key {self.key!r})"
            where.append(record)
        if self.field:
            where.append(f"field {self.field!r}")
        return ": ".join([*where, self.message])


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do)."""

    source: str
    committed: bool
    counts: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)

    def count(self, model_name: str, outcome: str):
        self.counts[(model_name, outcome)] += 1

    def summary_lines(self) -> list[str]:
        models_seen = sorted({m for m, _ in self.counts})
        lines = []
        for name in models_seen:
            parts = [
                f"{self.counts[(name, o)]} {o}"
                for o in ("created", "updated", "unchanged")
                if self.counts[(name, o)]
            ]
            lines.append(f"  {name}: {', '.join(parts)}")
        return lines


class _Rollback(Exception):
    """Raised to undo a dry run."""


def load_yaml(raw: bytes, source: str) -> dict:
    """Decode and parse a protocol file, or say which line is wrong."""
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ImportProblem(
            f"not UTF-8 text ({exc.reason} at byte {exc.start})", source=source
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}: " if mark else ""
        raise ImportProblem(
            f"{line}not valid YAML: {getattr(exc, 'problem', exc)}", source=source
        ) from None
    return data or {}


def import_file(path: Path | str, *, commit: bool = False) -> ImportReport:
    path = Path(path)
    return import_bytes(path.read_bytes(), source=path.name, commit=commit)


def import_bytes(raw: bytes, *, source: str, commit: bool = False) -> ImportReport:
    """Import an uploaded or read file's contents (the admin's upload comes here)."""
    return import_data(load_yaml(raw, source), source=source, commit=commit)


def import_data(data: Any, *, source: str = "<input>", commit: bool = False) -> ImportReport:
    if not isinstance(data, dict):
        raise ImportProblem(
            "the file must be a mapping of sections (meetings:, people:, ...)", source=source
        )
    unknown = set(data) - set(SECTIONS)
    if unknown:
        raise ImportProblem(
            f"unknown section(s) {', '.join(sorted(unknown))}; expected {', '.join(SECTIONS)}",
            source=source,
        )
    report = ImportReport(source=source, committed=commit)
    loader = _Loader(source, report)
    try:
        with transaction.atomic():
            for section in SECTIONS:
                records = data.get(section) or []
                if not isinstance(records, list):
                    raise ImportProblem("must be a list of records", source=source, section=section)
                for index, record in enumerate(records):
                    loader.load(section, index, record)
            if not commit:
                raise _Rollback
    except _Rollback:
        pass
    return report


# ---------------------------------------------------------------------------

FIELDS = {
    "archives": {"abbreviation", "abbreviation_ru", "slug", "name", "name_ru"},
    "fonds": {"archive", "number", "title", "notes"},
    "opisi": {"archive", "fond", "number", "title", "covering_dates"},
    "dela": {"citation", "title", "covering_dates", "year_from", "year_to"},
    "organisations": {"key", "name", "short_name", "name_ru", "kind", "description"},
    "cells": {
        "key", "organisation", "parent", "name", "name_ru", "kind", "other_names", "description",
    },
    "campaigns": {"key", "name", "name_ru", "description", "date_start", "date_end"},
    "people": {
        "key", "name", "name_ru", "first_name", "patronymic", "variants", "description",
        "notes", "roles", "needs_review", "review_note",
    },
    "meetings": {
        "key", "title", "date", "date_note", "body", "body_name", "organisation", "cell",
        "attendance", "attendance_members", "attendance_candidates", "attendance_komsomol",
        "attendance_nonparty", "attendance_note", "closed", "chair", "chair_display",
        "record_type", "summary", "source_note", "campaigns", "citations", "agenda",
        "speeches", "zapiski", "resolutions", "needs_review", "review_note", "series",
        "series_count", "venue", "context", "mentions",
    },
}  # fmt: skip
CHILD_FIELDS = {
    "roles": {"role", "organisation", "cell", "year_from", "year_to", "notes"},
    "citations": {"text", "chapter", "footnote"},
    "agenda": {"title", "reporter", "notes"},
    "speeches": {"person", "as_written", "kind", "role", "cell", "summary", "quotation", "folios"},
    "zapiski": {
        "to", "to_display", "anonymous", "author", "author_display", "text", "summary", "folios",
    },
    "resolutions": {
        "kind", "person", "person_display", "summary", "text", "votes_for", "votes_against",
        "votes_abstained", "outcome", "folios",
    },
    "mentions": {"person", "as_written", "note"},
}  # fmt: skip


def _text(value) -> str:
    if value is None:
        return ""
    return str(value).strip()


class _Loader:
    def __init__(self, source: str, report: ImportReport):
        self.source = source
        self.report = report
        self.section = ""
        self.index = None
        self.key = ""

    # -- error helpers -----------------------------------------------------
    def problem(self, message: str, field: str = "") -> ImportProblem:
        return ImportProblem(
            message,
            source=self.source,
            section=self.section,
            index=self.index,
            key=self.key,
            field=field,
        )

    def check_fields(self, record: dict, allowed: set[str], prefix: str = ""):
        if not isinstance(record, dict):
            raise self.problem(f"{prefix or 'record'} must be a mapping of fields")
        unknown = sorted(set(record) - allowed)
        if unknown:
            raise self.problem(
                f"unknown field(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}",
                field=f"{prefix}{unknown[0]}",
            )

    def required(self, record: dict, name: str, prefix: str = "") -> str:
        value = _text(record.get(name))
        if not value:
            raise self.problem("is required", field=f"{prefix}{name}")
        return value

    def lookup(self, model, key, field_name: str, by: str = "slug"):
        if key in (None, ""):
            return None
        try:
            return model.objects.get(**{by: str(key)})
        except ObjectDoesNotExist:
            raise self.problem(
                f"no {model._meta.verbose_name} with key {key!r} (define it in this file or in "
                "00-reference.yaml, imported first)",
                field=field_name,
            ) from None

    def validate(self, obj: models.Model, prefix: str = "", exclude=None):
        """Run the model's own validation; its first error becomes an ImportProblem."""
        try:
            obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                raise self.problem("; ".join(exc.messages), field=prefix.rstrip(".")) from None
            name, errors = next(iter(exc.error_dict.items()))
            field = prefix.rstrip(".") if name == "__all__" else f"{prefix}{name}"
            raise self.problem("; ".join(e.messages[0] for e in errors), field=field) from None

    def validate_and_save(self, obj: models.Model, prefix: str = "", exclude=None):
        self.validate(obj, prefix, exclude)
        obj.save()

    def upsert(self, model, lookup: dict, values: dict, prefix: str = ""):
        """Create or update by natural key, counting the outcome; empty values never erase."""
        obj = model.objects.filter(**lookup).first()
        name = model._meta.verbose_name_plural
        if obj is None:
            obj = model(**lookup, **values)
            self.validate_and_save(obj, prefix)
            self.report.count(name, "created")
            return obj
        changed = False
        for attr, value in values.items():
            if value in ("", None) or getattr(obj, attr) == value:
                continue
            setattr(obj, attr, value)
            changed = True
        if changed:
            self.validate_and_save(obj, prefix)
        self.report.count(name, "updated" if changed else "unchanged")
        return obj

    # -- dispatch ----------------------------------------------------------
    def load(self, section: str, index: int, record):
        self.section, self.index = section, index
        self.key = _text(record.get("key")) if isinstance(record, dict) else ""
        self.check_fields(record, FIELDS[section])
        getattr(self, f"load_{section}")(record)

    def reference(self, text: str, field_name: str):
        try:
            result = citations.parse(text)
        except citations.CitationError as exc:
            raise self.problem(f"{text!r}: {exc}", field=field_name) from None
        for warning in result.warnings:
            self.report.warnings.append(
                f"{self.source}: {self.section} record {self.index + 1}: {field_name}: {warning}"
            )
        return result

    # -- sections ----------------------------------------------------------
    def load_archives(self, r):
        abbreviation = self.required(r, "abbreviation")
        self.upsert(
            Archive,
            {"abbreviation": abbreviation},
            {
                "abbreviation_ru": _text(r.get("abbreviation_ru")),
                "slug": _text(r.get("slug")) or latin_slug(abbreviation),
                "name": _text(r.get("name")),
                "name_ru": _text(r.get("name_ru")),
            },
        )

    def load_fonds(self, r):
        archive = self.lookup(Archive, self.required(r, "archive"), "archive", by="abbreviation")
        self.upsert(
            Fond,
            {"archive": archive, "number": self.required(r, "number")},
            {"title": _text(r.get("title")), "notes": _text(r.get("notes"))},
        )

    def load_opisi(self, r):
        archive = self.lookup(Archive, self.required(r, "archive"), "archive", by="abbreviation")
        try:
            fond = Fond.objects.get(archive=archive, number=self.required(r, "fond"))
        except Fond.DoesNotExist:
            raise self.problem(f"no fond {r['fond']!r} in {archive}", field="fond") from None
        self.upsert(
            Opis,
            {"fond": fond, "number": self.required(r, "number")},
            {"title": _text(r.get("title")), "covering_dates": _text(r.get("covering_dates"))},
        )

    def load_dela(self, r):
        text = self.required(r, "citation")
        refs = self.reference(text, "citation").references
        if len(refs) != 1 or not refs[0].delo:
            raise self.problem(f"{text!r} must name exactly one delo", field="citation")
        _, delo = hierarchy_for(refs[0])
        values = {
            "title": _text(r.get("title")),
            "covering_dates": _text(r.get("covering_dates")),
            "year_from": r.get("year_from"),
            "year_to": r.get("year_to"),
        }
        self.upsert(Delo, {"pk": delo.pk}, values)

    def load_organisations(self, r):
        key = self.required(r, "key")
        self.upsert(
            Organisation,
            {"slug": key},
            {
                "name": self.required(r, "name"),
                "short_name": _text(r.get("short_name")),
                "name_ru": _text(r.get("name_ru")),
                "kind": _text(r.get("kind")) or Organisation.Kind.PPO,
                "description": _text(r.get("description")),
            },
        )

    def load_cells(self, r):
        key = self.required(r, "key")
        other = r.get("other_names") or []
        if isinstance(other, str):
            other = [other]
        self.upsert(
            Cell,
            {"slug": key},
            {
                "organisation": self.lookup(
                    Organisation, self.required(r, "organisation"), "organisation"
                ),
                "parent": self.lookup(Cell, r.get("parent"), "parent"),
                "name": self.required(r, "name"),
                "name_ru": _text(r.get("name_ru")),
                "kind": _text(r.get("kind")) or Cell.Kind.SHOP,
                "other_names": "\n".join(_text(o) for o in other),
                "description": _text(r.get("description")),
            },
        )

    def load_campaigns(self, r):
        key = self.required(r, "key")
        self.upsert(
            Campaign,
            {"slug": key},
            {
                "name": self.required(r, "name"),
                "name_ru": _text(r.get("name_ru")),
                "description": _text(r.get("description")),
                "date_start": _text(r.get("date_start")),
                "date_end": _text(r.get("date_end")),
            },
        )

    def load_people(self, r):
        key = self.required(r, "key")
        person = self.upsert(
            Person,
            {"slug": key},
            {
                "name": self.required(r, "name"),
                "name_ru": _text(r.get("name_ru")),
                "first_name": _text(r.get("first_name")),
                "patronymic": _text(r.get("patronymic")),
                "description": _text(r.get("description")),
                "notes": _text(r.get("notes")),
                "needs_review": bool(r.get("needs_review", False)),
                "review_note": _text(r.get("review_note")),
            },
        )
        variants = r.get("variants") or []
        if not isinstance(variants, list):
            raise self.problem("must be a list of spellings", field="variants")
        for name in variants:
            name = _text(name)
            if name and name != person.name:
                PersonName.objects.get_or_create(person=person, name=name)
        for i, role in enumerate(r.get("roles") or []):
            prefix = f"roles[{i + 1}]."
            self.check_fields(role, CHILD_FIELDS["roles"], prefix)
            values = {
                "role": self.required(role, "role", prefix),
                "organisation": self.lookup(
                    Organisation, role.get("organisation"), f"{prefix}organisation"
                ),
                "cell": self.lookup(Cell, role.get("cell"), f"{prefix}cell"),
                "year_from": role.get("year_from"),
                "year_to": role.get("year_to"),
            }
            if not PersonRole.objects.filter(person=person, **values).exists():
                self.validate_and_save(
                    PersonRole(person=person, notes=_text(role.get("notes")), **values),
                    prefix,
                    exclude=["person"],
                )
        person.refresh_search_key()

    def load_meetings(self, r):
        key = self.required(r, "key")
        values = {
            "title": self.required(r, "title"),
            "date": _text(r.get("date")),
            "date_note": _text(r.get("date_note")),
            "body": self.required(r, "body"),
            "body_name": _text(r.get("body_name")),
            "organisation": self.lookup(
                Organisation, self.required(r, "organisation"), "organisation"
            ),
            "cell": self.lookup(Cell, r.get("cell"), "cell"),
            "attendance_note": _text(r.get("attendance_note")),
            "closed": r.get("closed"),
            "chair": self.lookup(Person, r.get("chair"), "chair"),
            "chair_display": _text(r.get("chair_display")),
            "record_type": _text(r.get("record_type")) or Meeting.RecordType.PROTOCOL,
            "summary": _text(r.get("summary")),
            "source_note": _text(r.get("source_note")),
            "needs_review": bool(r.get("needs_review", False)),
            "review_note": _text(r.get("review_note")),
            "series": bool(r.get("series", False)),
            "series_count": r.get("series_count"),
            "venue": self.lookup(Cell, r.get("venue"), "venue"),
        }
        try:  # the one date reader: stored (and compared) in its normalised form
            values["date"] = dates.read(values["date"]).normalised
        except dates.PartialDateError as exc:
            raise self.problem(str(exc), field="date") from None
        for name in (
            "attendance",
            "attendance_members",
            "attendance_candidates",
            "attendance_komsomol",
            "attendance_nonparty",
        ):
            values[name] = r.get(name)
        existing = Meeting.objects.filter(key=key).first()
        changed = False
        if existing is None:
            meeting = Meeting(key=key, **values)
        else:
            meeting = existing
            for attr, value in values.items():
                if getattr(meeting, attr) != value:
                    setattr(meeting, attr, value)
                    changed = True
        if changed or existing is None:
            self.validate_and_save(meeting)

        # Campaigns
        campaign_keys = r.get("campaigns") or []
        if not isinstance(campaign_keys, list):
            raise self.problem("must be a list of campaign keys", field="campaigns")
        campaigns = [self.lookup(Campaign, k, "campaigns") for k in campaign_keys]
        if {c.pk for c in campaigns} != set(meeting.campaigns.values_list("pk", flat=True)):
            meeting.campaigns.set(campaigns)
            changed = True

        context_keys = r.get("context") or []
        if not isinstance(context_keys, list):
            raise self.problem("must be a list of meeting keys", field="context")
        context = [self.lookup(Meeting, k, "context", by="key") for k in context_keys]
        if {c.pk for c in context} != set(meeting.context.values_list("pk", flat=True)):
            meeting.context.set(context)
            changed = True

        changed |= self.load_citations(meeting, r.get("citations") or [])
        for section, loader in (
            ("agenda", self.agenda_rows),
            ("speeches", self.speech_rows),
            ("zapiski", self.zapiska_rows),
            ("resolutions", self.resolution_rows),
            ("mentions", self.mention_rows),
        ):
            rows = r.get(section) or []
            if not isinstance(rows, list):
                raise self.problem("must be a list", field=section)
            changed |= self.replace_children(meeting, section, loader(rows))

        if existing is None:
            self.report.count("meetings", "created")
        else:
            self.report.count("meetings", "updated" if changed else "unchanged")
        if changed or existing is None:
            meeting.refresh_search_text()

    def load_citations(self, meeting: Meeting, rows) -> bool:
        if not isinstance(rows, list):
            raise self.problem("must be a list", field="citations")
        wanted = []
        for i, row in enumerate(rows):
            prefix = f"citations[{i + 1}]."
            if isinstance(row, str):
                row = {"text": row}
            self.check_fields(row, CHILD_FIELDS["citations"], prefix)
            text = self.required(row, "text", prefix)
            result = self.reference(text, f"{prefix}text")
            for ref in result.references:
                citation, created = Citation.objects.from_reference(
                    ref,
                    chapter=row.get("chapter"),
                    footnote=row.get("footnote"),
                    raw=text,
                    warnings=result.warnings,
                )
                self.report.count("citations", "created" if created else "unchanged")
                wanted.append(citation.pk)
        current = list(meeting.citation_links.order_by("order").values_list("citation", flat=True))
        if current == wanted:
            return False
        meeting.citation_links.all().delete()
        MeetingCitation.objects.bulk_create(
            MeetingCitation(meeting=meeting, citation_id=pk, order=n)
            for n, pk in enumerate(dict.fromkeys(wanted))
        )
        return True

    # Each *_rows method turns YAML rows into unsaved model instances.
    def _child(self, rows, section):
        for i, row in enumerate(rows):
            prefix = f"{section}[{i + 1}]."
            self.check_fields(row, CHILD_FIELDS[section], prefix)
            yield i, prefix, row

    def agenda_rows(self, rows):
        return [
            (
                p,
                AgendaItem(
                    order=i,
                    title=self.required(row, "title", p),
                    reporter=self.lookup(Person, row.get("reporter"), f"{p}reporter"),
                    notes=_text(row.get("notes")),
                ),
            )
            for i, p, row in self._child(rows, "agenda")
        ]

    def speech_rows(self, rows):
        out = []
        for i, p, row in self._child(rows, "speeches"):
            person = self.lookup(Person, row.get("person"), f"{p}person")
            display = _text(row.get("as_written"))
            if not person and not display:
                raise self.problem("a speech needs a person key or as_written", field=f"{p}person")
            out.append(
                (
                    p,
                    Speech(
                        order=i,
                        person=person,
                        speaker_display=display,
                        kind=_text(row.get("kind")) or Speech.Kind.FLOOR,
                        role=_text(row.get("role")),
                        cell=self.lookup(Cell, row.get("cell"), f"{p}cell"),
                        summary=_text(row.get("summary")),
                        quotation=_text(row.get("quotation")),
                        folios=_text(row.get("folios")),
                    ),
                )
            )
        return out

    def zapiska_rows(self, rows):
        return [
            (
                p,
                Zapiska(
                    order=i,
                    addressed_to=self.lookup(Person, row.get("to"), f"{p}to"),
                    addressed_to_display=_text(row.get("to_display")),
                    anonymous=bool(row.get("anonymous", True)),
                    author=self.lookup(Person, row.get("author"), f"{p}author"),
                    author_display=_text(row.get("author_display")),
                    text=_text(row.get("text")),
                    summary=_text(row.get("summary")),
                    folios=_text(row.get("folios")),
                ),
            )
            for i, p, row in self._child(rows, "zapiski")
        ]

    def resolution_rows(self, rows):
        return [
            (
                p,
                Resolution(
                    order=i,
                    kind=_text(row.get("kind")) or Resolution.Kind.RESOLUTION,
                    person=self.lookup(Person, row.get("person"), f"{p}person"),
                    person_display=_text(row.get("person_display")),
                    summary=_text(row.get("summary")),
                    text=_text(row.get("text")),
                    votes_for=row.get("votes_for"),
                    votes_against=row.get("votes_against"),
                    votes_abstained=row.get("votes_abstained"),
                    outcome=_text(row.get("outcome")),
                    folios=_text(row.get("folios")),
                ),
            )
            for i, p, row in self._child(rows, "resolutions")
        ]

    def mention_rows(self, rows):
        return [
            (
                p,
                Mention(
                    order=i,
                    person=self.lookup(Person, row.get("person"), f"{p}person"),
                    person_display=_text(row.get("as_written")),
                    note=_text(row.get("note")),
                ),
            )
            for i, p, row in self._child(rows, "mentions")
        ]

    def replace_children(self, meeting: Meeting, section: str, rows) -> bool:
        """Replace a meeting's rows of one kind, only if they differ from what is stored."""
        model = {
            "agenda": AgendaItem,
            "speeches": Speech,
            "zapiski": Zapiska,
            "resolutions": Resolution,
            "mentions": Mention,
        }[section]
        for prefix, obj in rows:
            obj.meeting = meeting
            self.validate(obj, prefix, exclude=["meeting", "search_text"])
        compare = [
            f.attname
            for f in model._meta.concrete_fields
            if f.name not in ("id", "meeting", "first_folio", "search_text")
        ]
        stored = [
            tuple(getattr(o, a) for a in compare) for o in model.objects.filter(meeting=meeting)
        ]
        new = [tuple(getattr(o, a) for a in compare) for _, o in rows]
        name = model._meta.verbose_name_plural
        if stored == new:
            self.report.counts[(name, "unchanged")] += len(new)
            return False
        model.objects.filter(meeting=meeting).delete()
        for _, obj in rows:
            obj.save()
        self.report.counts[(name, "created")] += len(new)
        return True
