"""What a parse produces: references, and the result of reading a piece of text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import formatting
from .folios import Folio


@dataclass(frozen=True)
class Reference:
    """One archival reference: a delo (or a whole opis or fond) and, optionally, folios.

    ``archive`` is the Latin abbreviation of the archive's name as cited (``LGAORSS`` stays
    ``LGAORSS``; the registry links it to its successor). A range of files (``dd. 10-25``) is
    one reference from ``delo`` to ``delo_end``: the author's one statement about those
    files, kept as written rather than expanded into files nobody has looked at.
    """

    archive: str
    fond: str
    opis: str | None = None
    delo: str | None = None
    folios: tuple[Folio, ...] = ()
    delo_end: str | None = None

    def canonical(self) -> str:
        """English form: ``TsGAIPD, f. 1012, op. 1, d. 268, l. 10``."""
        return formatting.english(self)

    def russian(self) -> str:
        """Russian form: ``ЦГАИПД СПб. Ф. 1012. Оп. 1. Д. 268. Л. 10.``"""
        return formatting.russian(self)

    def __str__(self) -> str:
        return self.canonical()


def delo_key(number: str) -> tuple[int, str]:
    """Order of delo numbers: ``985`` < ``985a`` < ``985b`` < ``986``."""
    m = re.fullmatch(r"(\d+)(\D*)", number or "")
    return (int(m[1]), m[2]) if m else (0, number or "")


@dataclass
class ParseResult:
    """What a parse found: references in order, corrections made, and unreadable citations."""

    references: list[Reference]
    warnings: list[str]
    errors: list[str] = field(default_factory=list)
    # a bare Ibid with no archival reference before it (nothing to repeat; not an error
    # when scanning prose, since it may repeat a book)
    unresolved_ibid: bool = False

    def error_message(self, text: str) -> str | None:
        """Why this text gave no references, as :func:`parse` would say it (None if it did)."""
        if self.errors:
            return self.errors[0]
        if self.references:
            return None
        if self.unresolved_ibid:
            return "Ibid with no earlier archival reference"
        shown = " ".join((text or "").split())
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        return f"no archival citation found in {shown!r}"
