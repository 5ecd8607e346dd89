"""Measuring the grammar against a set of citations with known readings.

The set is a YAML list (``tests/data/citations.yaml`` describes the format). Each case is
read as a footnote after the footnotes in its ``before`` list, so Ibid resolves as it would
in a text. ``parse_citation --check FILE`` prints the share read right; the test suite runs
every case.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .folios import format_folio_list
from .resolver import CitationResolver

_KEYS = ("a", "f", "op", "d", "d_end", "l")


@dataclass
class Outcome:
    """One case as read: whether it was read right, and if not, why."""

    case: dict
    ok: bool
    problem: str = ""


def load_cases(path: str | Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        cases = yaml.safe_load(fh) or []
    for i, case in enumerate(cases, 1):
        if "text" not in case or ("refs" in case) == ("error" in case):
            raise ValueError(f"{path}: case {i} needs text and either refs or error")
    return cases


def reference_fields(ref) -> dict:
    """A reference in the set's terms: {a, f, op, d, d_end, l}, empty parts left out."""
    fields = {
        "a": ref.archive,
        "f": ref.fond,
        "op": ref.opis,
        "d": ref.delo,
        "d_end": getattr(ref, "delo_end", None),
        "l": format_folio_list(ref.folios) or None,
    }
    return {k: v for k, v in fields.items() if v is not None}


def _expected(ref: dict) -> dict:
    return {k: str(ref[k]) for k in _KEYS if ref.get(k) is not None}


def _unmatched(expected: list[str], warnings: list[str]) -> tuple[list[str], list[str]]:
    """Expected words no warning contains, and warnings no expected words account for."""
    left = list(warnings)
    missing = []
    for words in expected:
        hit = next((w for w in left if words in w), None)
        if hit is None:
            missing.append(words)
        else:
            left.remove(hit)
    return missing, left


def check_case(case: dict) -> Outcome:
    resolver = CitationResolver()
    for line in case.get("before") or []:
        resolver.feed(line)
    text = case["text"]
    try:
        result = resolver.feed(text)
    except Exception as exc:  # the grammar must never raise here; count it as a miss
        return Outcome(case, False, f"raised {type(exc).__name__}: {exc}")
    if "error" in case:
        message = result.error_message(text) or ""
        if result.references and not result.errors:
            return Outcome(case, False, f"read {len(result.references)} reference(s), no error")
        if case["error"] not in message:
            return Outcome(case, False, f"error {message!r} lacks {case['error']!r}")
        return Outcome(case, True)
    got = [reference_fields(r) for r in result.references]
    want = [_expected(r) for r in case["refs"] or []]
    if result.errors:
        return Outcome(case, False, f"errors: {result.errors}")
    if got != want:
        return Outcome(case, False, f"read {got}, expected {want}")
    missing, extra = _unmatched([str(w) for w in case.get("warn") or []], result.warnings)
    if missing or extra:
        return Outcome(case, False, f"warnings missing {missing}, unexpected {extra}")
    return Outcome(case, True)


def check_file(path: str | Path) -> list[Outcome]:
    return [check_case(case) for case in load_cases(path)]
