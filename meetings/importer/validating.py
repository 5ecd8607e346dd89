"""Validating records before anything is written: types, lengths, ranges, choices, dates,
citations, unknown fields and keys given twice; every problem collected, none fatal.

Each record becomes a *clean* dict: model attribute -> value, holding only the fields the
record gives (a field left out leaves the stored value as it is), with references still
as keys (resolved against the database when written).
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import SlugField

from .. import citations, dates
from .problems import Problems
from .schema import (
    BOOL,
    CHILDREN,
    CHOICE,
    CITATION,
    DATE,
    INT,
    REF,
    REFS,
    SECTIONS,
    STRINGS,
    TEXT,
    VARIANTS,
    Spec,
)

_DIGITS = re.compile(r"^[0-9]{1,18}$")
_SLUG = re.compile(r"^[-a-zA-Z0-9_]+\Z")


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _type_name(value) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"the number {_shown(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


class Invalid(Exception):
    """One field's value is wrong: the reason, for the problem message."""


class RecordValidator:
    """Validates one file's records; collects every problem with its place."""

    def __init__(self, problems: Problems):
        self.problems = problems
        self.section = ""
        self.index = None
        self.key = ""
        self.line = None
        self.citation_cache: dict[str, Any] = {}
        self.warnings: list[str] = []

    def problem(self, message: str, field: str = "") -> None:
        self.problems.add(
            message,
            section=self.section,
            index=self.index,
            key=self.key,
            field=field,
            line=self.line,
        )

    # -- one record ---------------------------------------------------------------
    def record(self, section: str, index: int, value, line=None) -> dict | None:
        """The clean record, or None when it has problems (all of them recorded)."""
        self.section, self.index, self.line = section, index, line
        self.key = ""
        if isinstance(value, dict):
            key = value.get("key", value.get("abbreviation", value.get("citation", "")))
            self.key = key if isinstance(key, str) else ""
        before = len(self.problems)
        clean = self.fields(value, SECTIONS[section], "")
        if len(self.problems) > before:
            return None
        return clean

    def fields(self, value, specs: dict[str, Spec], prefix: str) -> dict | None:
        if not isinstance(value, dict):
            self.problem(
                f"must be a mapping of fields (name: value), not {_type_name(value)}",
                prefix.rstrip("."),
            )
            return None
        unknown = [k for k in value if k not in specs]
        for name in unknown:
            self.problem(f"unknown field; allowed: {', '.join(specs)}", f"{prefix}{name}")
        clean = {}
        for name, spec in specs.items():
            if name not in value:
                if spec.required:
                    self.problem("is required", f"{prefix}{name}")
                continue
            try:
                clean[spec.attr or name] = self.value(value[name], spec, f"{prefix}{name}")
            except Invalid as exc:
                self.problem(str(exc), f"{prefix}{name}")
        return clean

    # -- one value ----------------------------------------------------------------
    def value(self, value, spec: Spec, where: str):
        kind = spec.kind
        if kind == TEXT:
            return self.text(value, spec)
        if kind == INT:
            return self.integer(value, spec)
        if kind == BOOL:
            if value is None and spec.nullable:
                return None
            if not isinstance(value, bool):
                raise Invalid(f"must be true or false, not {_type_name(value)}")
            return value
        if kind == CHOICE:
            if value is None or value == "":
                if spec.required:
                    raise Invalid("is required")
                return spec.default
            if not isinstance(value, str) or value not in spec.choices:
                raise Invalid(
                    f"{_shown(value)} is not a valid choice; valid: {', '.join(spec.choices)}"
                )
            return value
        if kind == DATE:
            if isinstance(value, int) and not isinstance(value, bool):
                value = str(value)  # date: 1929
            text = self.text(value, spec)
            try:
                normalised = dates.read(text).normalised
            except dates.PartialDateError as exc:
                raise Invalid(str(exc)) from None
            return normalised
        if kind == REF:
            if value is None or value == "":
                if spec.required:
                    raise Invalid("is required")
                return None
            return self.key_text(value, spec.target)
        if kind == REFS:
            if value is None:
                return []
            if not isinstance(value, list):
                raise Invalid(f"must be a list of {spec.target} keys, not {_type_name(value)}")
            keys = [self.key_text(v, spec.target) for v in value]
            if len(set(keys)) != len(keys):
                raise Invalid("lists one key twice")
            return keys
        if kind == STRINGS:
            if value is None:
                return ""
            items = [value] if isinstance(value, str) else value
            if not isinstance(items, list):
                raise Invalid(f"must be a list of names, not {_type_name(value)}")
            return self.text("\n".join(self.text(v, spec, plain=True) for v in items), spec)
        if kind == CITATION:
            return self.citation(value, spec, where)
        if kind == VARIANTS:
            return self.rows(value, spec, where, strings_as="name")
        if kind == CHILDREN:
            return self.rows(value, spec, where, strings_as="text" if spec.attr == "citations"
                             else None)  # fmt: skip
        raise AssertionError(kind)  # pragma: no cover

    def text(self, value, spec: Spec, plain=False) -> str:
        if value is None:
            if spec.required:
                raise Invalid("is required")
            return ""
        if not isinstance(value, str):
            raise Invalid(
                f"must be text, not {_type_name(value)}"
                + (' (put it in quotes: "…")' if isinstance(value, int | float) else "")
            )
        if "\x00" in value:
            raise Invalid("contains a NUL character (\\x00): remove it")
        value = value.strip()
        if not value and spec.required and not plain:
            raise Invalid("is required")
        limit = spec.max_length
        if limit and len(value) > limit and not plain:
            raise Invalid(f"is {len(value):,} characters long; at most {limit:,}")
        if isinstance(spec.model_field, SlugField) and value and not _SLUG.match(value):
            raise Invalid(f"{_shown(value)}: a key has only letters, digits, '-' and '_'")
        return value

    def key_text(self, value, target: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise Invalid(f"must be the key (text) of one of the {target}, not {_type_name(value)}")
        if "\x00" in value:
            raise Invalid("contains a NUL character (\\x00): remove it")
        if len(value) > 100:
            raise Invalid(f"is {len(value):,} characters long; a key has at most 100")
        return value.strip()

    def integer(self, value, spec: Spec) -> int | None:
        if value is None or value == "":
            if spec.required:
                raise Invalid("is required")
            return None
        if isinstance(value, str) and _DIGITS.match(value.strip()):
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid(f"must be a whole number, not {_type_name(value)}")
        low, high = spec.int_range
        if (low is not None and value < low) or (high is not None and value > high):
            raise Invalid(f"{value} is out of range ({low}–{high:,})")
        return value

    def rows(self, value, spec: Spec, where: str, strings_as=None) -> list[dict]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise Invalid(f"must be a list of rows (each starting with '- '), not "
                          f"{_type_name(value)}")  # fmt: skip
        out = []
        for i, row in enumerate(value):
            if strings_as and isinstance(row, str):
                row = {strings_as: row}
            clean = self.fields(row, spec.rows, f"{where}[{i + 1}].")
            out.append(clean)
        return out

    def citation(self, value, spec: Spec, where: str):
        """A citation's text, parsed by the one grammar; cached (files repeat them)."""
        text = self.text(value, spec)
        if not text:
            raise Invalid("is required")
        if len(text) > 2000:
            raise Invalid(f"is {len(text):,} characters long; a citation has at most 2,000")
        result = self.citation_cache.get(text)
        if result is None:
            try:
                result = citations.parse(text)
            except citations.CitationError as exc:
                raise Invalid(f"{text!r}: {exc}") from None
            except ValidationError as exc:  # pragma: no cover - the grammar raises its own
                raise Invalid(f"{text!r}: {'; '.join(exc.messages)}") from None
            if len(self.citation_cache) < 50_000:
                self.citation_cache[text] = result
        for warning in result.warnings:
            self.warnings.append(
                f"{self.problems.source}: {self.section} record {self.index + 1}: "
                f"{where}: {warning}"
            )
        if self.section == "dela" and (
            len(result.references) != 1 or not result.references[0].delo
        ):
            raise Invalid(f"{text!r} must name exactly one delo")
        for ref in result.references:
            if not ref.opis:
                raise Invalid(f"{ref.canonical()}: a citation needs at least an opis")
        return text, result
