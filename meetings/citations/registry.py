"""The archive registry: which archives exist, under which names, in which script.

The registry is data (``fixtures/archives.yaml``); this module reads it once and answers
two questions for the grammar: does an archive's name start at this point of the text
(by abbreviation, spelling or full name, in either script, the Russian name also
transliterated), and what is an archive's Cyrillic abbreviation. The database's
``Archive`` rows are made from the same entries (``Archive.objects.from_registry``).

An archive not in the registry is still read: its abbreviation, if Cyrillic, is
transliterated into the thesis's scheme (simplified Library of Congress, as
``iuliia.ALA_LC_ALT`` holds it) and the grammar warns that an admin should add it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import iuliia
import yaml

REGISTRY_PATH = Path(__file__).resolve().parents[2] / "fixtures" / "archives.yaml"

_FIELDS = {
    "abbreviation",
    "abbreviation_ru",
    "name",
    "name_ru",
    "spellings",
    "misspellings",
    "successor",
    "note",
    "ambiguous",
}

# An abbreviation the registry does not know is still an archive if it looks like one (two
# capitals or more, letters only) and a fond follows it.
ABBREVIATION = re.compile(r"^(?=(?:.*[A-ZА-ЯЁ]){2})[A-Za-zА-Яа-яЁё]{2,12}$")
CITY = {"spb", "спб"}  # "XYZ SPb": the city is part of the name

_LETTER = r"[^\W\d_]"
_APOSTROPHES = "'’ʹ"


class RegistryError(ValueError):
    """The registry file is malformed; the message names the entry and the problem."""


@dataclass(frozen=True)
class ArchiveEntry:
    """One archive of the registry."""

    abbreviation: str  # Latin, the thesis's transliteration: what references store
    abbreviation_ru: str = ""
    name: str = ""
    name_ru: str = ""
    spellings: tuple[str, ...] = ()
    misspellings: tuple[str, ...] = ()
    successor: str = ""  # abbreviation of the archive now holding the records
    note: str = ""
    ambiguous: bool = False

    def forms(self) -> list[str]:
        """Every way of naming this archive that the grammar reads without comment."""
        forms = [self.abbreviation, self.abbreviation_ru, self.name, self.name_ru]
        forms += list(self.spellings)
        if self.name_ru:
            forms.append(transliterate(self.name_ru))
        return [f for f in forms if f]


def transliterate(text: str) -> str:
    """Cyrillic to the thesis's Latin (``ЦГА СПб`` -> ``TsGA SPb``, ``ОГАЧО`` -> ``OGAChO``)."""
    return iuliia.ALA_LC_ALT.translate(text)


def fold(text: str) -> str:
    """The key two spellings of one name share: case, ё, apostrophes and separators dropped."""
    text = text.lower().replace("ё", "е")
    text = "".join(ch for ch in text if ch not in _APOSTROPHES)
    return " ".join(re.findall(rf"{_LETTER}+|\d+", text))


def _pattern(form: str) -> str:
    """A regex reading form as printed: any case, any separator between words, with or
    without its apostrophes (``sotsial'no`` / ``sotsial’no`` / ``sotsialno``)."""
    words = re.findall(rf"(?:{_LETTER}|[{_APOSTROPHES}])+|\d+", form)
    parts = []
    for word in words:
        chars = []
        for ch in word:
            if ch in _APOSTROPHES:
                chars.append(f"[{_APOSTROPHES}]?")
            elif ch in "её":
                chars.append("[её]")
            else:
                chars.append(re.escape(ch))
        parts.append("".join(chars))
    return r"[\s.\-‐‑–—]*".join(parts)


class Registry:
    """The archives of the registry, and a reader for their names in running text."""

    def __init__(self, entries: list[ArchiveEntry]):
        self.entries = {e.abbreviation: e for e in entries}
        self._by_form: dict[str, tuple[ArchiveEntry, bool]] = {}  # by folded form
        self._forms: set[str] = set()  # as written, for the regex
        for entry in entries:
            for form in entry.forms():
                self._add(form, entry, False)
            for form in entry.misspellings:
                self._add(form, entry, True)
        # longest first, so "TsGALI SPb" wins over "TsGALI"
        forms = sorted(self._forms, key=len, reverse=True)
        alternatives = "|".join(_pattern(f) for f in forms)
        self._regex = re.compile(rf"(?<!{_LETTER})(?:{alternatives})(?!{_LETTER})", re.IGNORECASE)

    def _add(self, form: str, entry: ArchiveEntry, typo: bool) -> None:
        key = fold(form)
        other = self._by_form.get(key)
        if other is not None and other[0] is not entry:
            raise RegistryError(
                f"{form!r} names both {other[0].abbreviation} and {entry.abbreviation}"
            )
        self._by_form[key] = (entry, typo)
        self._forms.add(form)

    def __iter__(self):
        return iter(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, abbreviation: str) -> ArchiveEntry | None:
        return self.entries.get(abbreviation)

    def lookup(self, name: str) -> ArchiveEntry | None:
        """The archive a whole name or abbreviation (either script) denotes, if known."""
        found = self._by_form.get(fold(name))
        return found[0] if found else None

    def match(self, text: str, pos: int) -> tuple[ArchiveEntry, int, bool] | None:
        """An archive named at text[pos:]: (entry, end of the name, was it a misspelling)."""
        m = self._regex.match(text, pos)
        if m is None:
            return None
        entry, typo = self._by_form[fold(m.group())]
        return entry, m.end(), typo


def _entry(raw: dict, index: int) -> ArchiveEntry:
    where = f"{REGISTRY_PATH.name}: entry {index}"
    if not isinstance(raw, dict) or not raw.get("abbreviation"):
        raise RegistryError(f"{where}: needs an abbreviation")
    unknown = set(raw) - _FIELDS
    if unknown:
        raise RegistryError(f"{where} ({raw['abbreviation']}): unknown fields {sorted(unknown)}")
    values = {k: v for k, v in raw.items() if v is not None}
    for key in ("spellings", "misspellings"):
        values[key] = tuple(str(s) for s in values.get(key) or ())
    for key in ("abbreviation", "abbreviation_ru", "name", "name_ru", "successor", "note"):
        values[key] = " ".join(str(values.get(key, "")).split())
    values["ambiguous"] = bool(values.get("ambiguous", False))
    return ArchiveEntry(**values)


def load_registry(path: Path | str = REGISTRY_PATH) -> Registry:
    """Read and check a registry file: abbreviations unique, successors known."""
    with open(path, encoding="utf-8") as fh:
        raw = yaml.safe_load(fh) or []
    entries = [_entry(item, i) for i, item in enumerate(raw, 1)]
    seen: set[str] = set()
    for entry in entries:
        if entry.abbreviation in seen:
            raise RegistryError(f"{entry.abbreviation} is in the registry twice")
        seen.add(entry.abbreviation)
    for entry in entries:
        if entry.successor and entry.successor not in seen:
            raise RegistryError(
                f"{entry.abbreviation}: successor {entry.successor} is not in the registry"
            )
    return Registry(entries)


@functools.cache
def registry() -> Registry:
    """The registry of ``fixtures/archives.yaml``, read once."""
    return load_registry(REGISTRY_PATH)


def russian_abbreviation(archive: str) -> str:
    """The Cyrillic abbreviation of an archive cited by its Latin one (itself if unknown)."""
    entry = registry().get(archive)
    return entry.abbreviation_ru if entry and entry.abbreviation_ru else archive
