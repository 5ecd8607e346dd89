"""The file format, section by section: each YAML field and the model field it fills.

Types, lengths, ranges and choices come from the model fields themselves, so a value the
database would refuse (or, on SQLite, silently store past its limit) is refused here, with
the same answer on SQLite and PostgreSQL. ``fixtures/README.md`` describes the format for
people; this module is what the importer checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations

from ..models import (
    AgendaItem,
    Archive,
    Campaign,
    Cell,
    Citation,
    Delo,
    Fond,
    Meeting,
    Mention,
    Opis,
    Organisation,
    Person,
    PersonName,
    PersonRole,
    Resolution,
    Speech,
    Zapiska,
)

# Integer ranges as PostgreSQL enforces them; used on every database so both answer alike.
INTEGER_RANGES = BaseDatabaseOperations.integer_field_ranges

TEXT, INT, BOOL, CHOICE, DATE, REF, REFS, STRINGS, CHILDREN, CITATION, VARIANTS = (
    "text", "int", "bool", "choice", "date", "ref", "refs", "strings", "children", "citation",
    "variants",
)  # fmt: skip


@dataclass(frozen=True)
class Spec:
    """One YAML field: its kind, the model field it fills, and whether it must be given."""

    kind: str
    model_field: models.Field | None = None
    attr: str = ""  # the model attribute it fills
    required: bool = False
    target: str = ""  # REF/REFS: the section its keys name
    rows: dict = field(default_factory=dict)  # CHILDREN: the row's fields
    model: type[models.Model] | None = None  # CHILDREN: the row's model
    default: object = None

    @property
    def max_length(self) -> int | None:
        return getattr(self.model_field, "max_length", None)

    @property
    def int_range(self) -> tuple[int, int]:
        return INTEGER_RANGES.get(self.model_field.get_internal_type(), (None, None))

    @property
    def choices(self) -> list[str]:
        return [value for value, _ in self.model_field.choices]

    @property
    def nullable(self) -> bool:
        return bool(self.model_field is not None and self.model_field.null)


def _f(model, name):
    return model._meta.get_field(name)


def text(model, name, *, required=False, attr=""):
    return Spec(TEXT, _f(model, name), attr or name, required)


def integer(model, name, *, required=False):
    return Spec(INT, _f(model, name), name, required)


def boolean(model, name):
    return Spec(BOOL, _f(model, name), name)


def choice(model, name, *, required=False):
    f = _f(model, name)
    return Spec(CHOICE, f, name, required, default=f.default)


def ref(model, name, target, *, required=False):
    return Spec(REF, _f(model, name), name, required, target=target)


def children(model, rows, name):
    return Spec(CHILDREN, None, name, rows=rows, model=model)


ROLE = {
    "role": text(PersonRole, "role", required=True),
    "organisation": ref(PersonRole, "organisation", "organisations"),
    "cell": ref(PersonRole, "cell", "cells"),
    "year_from": integer(PersonRole, "year_from"),
    "year_to": integer(PersonRole, "year_to"),
    "notes": text(PersonRole, "notes"),
}
CITATION_ROW = {
    "text": Spec(CITATION, _f(Citation, "raw"), "text", required=True),
    "chapter": integer(Citation, "chapter"),
    "footnote": integer(Citation, "footnote"),
    "raw": text(Citation, "raw"),
    "notes": text(Citation, "notes"),
    "warnings": text(Citation, "warnings"),
}
AGENDA = {
    "order": integer(AgendaItem, "order"),
    "title": text(AgendaItem, "title", required=True),
    "reporter": ref(AgendaItem, "reporter", "people"),
    "notes": text(AgendaItem, "notes"),
}
SPEECH = {
    "order": integer(Speech, "order"),
    "person": ref(Speech, "person", "people"),
    "as_written": text(Speech, "speaker_display"),
    "kind": choice(Speech, "kind"),
    "role": text(Speech, "role"),
    "cell": ref(Speech, "cell", "cells"),
    "summary": text(Speech, "summary"),
    "quotation": text(Speech, "quotation"),
    "folios": text(Speech, "folios"),
}
ZAPISKA = {
    "order": integer(Zapiska, "order"),
    "to": ref(Zapiska, "addressed_to", "people"),
    "to_display": text(Zapiska, "addressed_to_display"),
    "anonymous": boolean(Zapiska, "anonymous"),
    "author": ref(Zapiska, "author", "people"),
    "author_display": text(Zapiska, "author_display"),
    "text": text(Zapiska, "text"),
    "summary": text(Zapiska, "summary"),
    "folios": text(Zapiska, "folios"),
}
RESOLUTION = {
    "order": integer(Resolution, "order"),
    "kind": choice(Resolution, "kind"),
    "person": ref(Resolution, "person", "people"),
    "person_display": text(Resolution, "person_display"),
    "summary": text(Resolution, "summary"),
    "text": text(Resolution, "text"),
    "votes_for": integer(Resolution, "votes_for"),
    "votes_against": integer(Resolution, "votes_against"),
    "votes_abstained": integer(Resolution, "votes_abstained"),
    "outcome": text(Resolution, "outcome"),
    "folios": text(Resolution, "folios"),
}
MENTION = {
    "order": integer(Mention, "order"),
    "person": ref(Mention, "person", "people"),
    "as_written": text(Mention, "person_display"),
    "note": text(Mention, "note"),
}
VARIANT = {
    "name": text(PersonName, "name", required=True),
    "kind": choice(PersonName, "kind"),
    "source": text(PersonName, "source"),
}

SECTIONS: dict[str, dict[str, Spec]] = {
    "archives": {
        "abbreviation": text(Archive, "abbreviation", required=True),
        "abbreviation_ru": text(Archive, "abbreviation_ru"),
        "slug": text(Archive, "slug"),
        "name": text(Archive, "name"),
        "name_ru": text(Archive, "name_ru"),
    },
    "fonds": {
        "archive": Spec(TEXT, _f(Archive, "abbreviation"), "archive", True),
        "number": text(Fond, "number", required=True),
        "title": text(Fond, "title"),
        "notes": text(Fond, "notes"),
    },
    "opisi": {
        "archive": Spec(TEXT, _f(Archive, "abbreviation"), "archive", True),
        "fond": Spec(TEXT, _f(Fond, "number"), "fond", True),
        "number": text(Opis, "number", required=True),
        "title": text(Opis, "title"),
        "covering_dates": text(Opis, "covering_dates"),
    },
    "dela": {
        "citation": Spec(CITATION, _f(Citation, "raw"), "citation", required=True),
        "title": text(Delo, "title"),
        "covering_dates": text(Delo, "covering_dates"),
        "year_from": integer(Delo, "year_from"),
        "year_to": integer(Delo, "year_to"),
    },
    "organisations": {
        "key": text(Organisation, "slug", required=True, attr="slug"),
        "name": text(Organisation, "name", required=True),
        "short_name": text(Organisation, "short_name"),
        "name_ru": text(Organisation, "name_ru"),
        "kind": choice(Organisation, "kind"),
        "description": text(Organisation, "description"),
    },
    "cells": {
        "key": text(Cell, "slug", required=True, attr="slug"),
        "organisation": ref(Cell, "organisation", "organisations", required=True),
        "parent": ref(Cell, "parent", "cells"),
        "name": text(Cell, "name", required=True),
        "name_ru": text(Cell, "name_ru"),
        "kind": choice(Cell, "kind"),
        "other_names": Spec(STRINGS, _f(Cell, "other_names"), "other_names"),
        "description": text(Cell, "description"),
    },
    "campaigns": {
        "key": text(Campaign, "slug", required=True, attr="slug"),
        "name": text(Campaign, "name", required=True),
        "name_ru": text(Campaign, "name_ru"),
        "description": text(Campaign, "description"),
        "date_start": Spec(DATE, _f(Campaign, "date_start"), "date_start"),
        "date_end": Spec(DATE, _f(Campaign, "date_end"), "date_end"),
    },
    "people": {
        "key": text(Person, "slug", required=True, attr="slug"),
        "name": text(Person, "name", required=True),
        "name_ru": text(Person, "name_ru"),
        "first_name": text(Person, "first_name"),
        "patronymic": text(Person, "patronymic"),
        "variants": Spec(VARIANTS, None, "variants", rows=VARIANT, model=PersonName),
        "description": text(Person, "description"),
        "notes": text(Person, "notes"),
        "roles": Spec(CHILDREN, None, "roles", rows=ROLE, model=PersonRole),
        "needs_review": boolean(Person, "needs_review"),
        "review_note": text(Person, "review_note"),
    },
    "citations": CITATION_ROW,
    "meetings": {
        "key": text(Meeting, "key", required=True),
        "title": text(Meeting, "title", required=True),
        "date": Spec(DATE, _f(Meeting, "date"), "date"),
        "date_note": text(Meeting, "date_note"),
        "series": boolean(Meeting, "series"),
        "series_count": integer(Meeting, "series_count"),
        "body": choice(Meeting, "body", required=True),
        "body_name": text(Meeting, "body_name"),
        "organisation": ref(Meeting, "organisation", "organisations", required=True),
        "cell": ref(Meeting, "cell", "cells"),
        "venue": ref(Meeting, "venue", "cells"),
        "attendance": integer(Meeting, "attendance"),
        "attendance_members": integer(Meeting, "attendance_members"),
        "attendance_candidates": integer(Meeting, "attendance_candidates"),
        "attendance_komsomol": integer(Meeting, "attendance_komsomol"),
        "attendance_nonparty": integer(Meeting, "attendance_nonparty"),
        "attendance_note": text(Meeting, "attendance_note"),
        "closed": boolean(Meeting, "closed"),
        "chair": ref(Meeting, "chair", "people"),
        "chair_display": text(Meeting, "chair_display"),
        "record_type": choice(Meeting, "record_type"),
        "summary": text(Meeting, "summary"),
        "source_note": text(Meeting, "source_note"),
        "campaigns": Spec(REFS, None, "campaigns", target="campaigns"),
        "context": Spec(REFS, None, "context", target="meetings"),
        "needs_review": boolean(Meeting, "needs_review"),
        "review_note": text(Meeting, "review_note"),
        "synthetic": boolean(Meeting, "synthetic"),
        "citations": Spec(CHILDREN, None, "citations", rows=CITATION_ROW, model=Citation),
        "agenda": children(AgendaItem, AGENDA, "agenda"),
        "speeches": children(Speech, SPEECH, "speeches"),
        "zapiski": children(Zapiska, ZAPISKA, "zapiski"),
        "resolutions": children(Resolution, RESOLUTION, "resolutions"),
        "mentions": children(Mention, MENTION, "mentions"),
    },
}

# A meeting's sections of rows, in the order the page shows them, with the rows' model.
MEETING_CHILDREN = {
    "agenda": AgendaItem,
    "speeches": Speech,
    "zapiski": Zapiska,
    "resolutions": Resolution,
    "mentions": Mention,
}
