"""Folios (listy): the leaves of a file, as cited and as stored.

The storage form is canonical and sortable by its first number: ``3-4, 19, 12ob``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..params import BadNumber, bounded_int, shorten
from .errors import CitationError, Failed
from .tokens import TokenCursor, tokenize

# No file has more leaves than this; a larger "folio" is a typing slip (and would not fit
# the database's integer column).
FOLIO_MAX = 99_999


@dataclass(frozen=True)
class Folio:
    """A folio (list) or a range of folios; ``verso`` is the back of the leaf (oborot)."""

    start: int
    start_verso: bool = False
    end: int | None = None
    end_verso: bool = False

    def __str__(self) -> str:
        text = f"{self.start}{'ob' if self.start_verso else ''}"
        if self.end is not None:
            text += f"-{self.end}{'ob' if self.end_verso else ''}"
        return text

    @property
    def is_single(self) -> bool:
        return self.end is None

    def display(self, verso: str) -> str:
        """As cited: ``12 ob.`` / ``12 об.`` rather than the storage form ``12ob``."""
        text = f"{self.start}{' ' + verso if self.start_verso else ''}"
        if self.end is not None:
            text += f"-{self.end}{' ' + verso if self.end_verso else ''}"
        return text


def format_folio_list(folios) -> str:
    """The canonical storage form: ``3-4, 19, 12ob``."""
    return ", ".join(str(f) for f in folios)


def first_folio_number(text: str) -> int | None:
    """The first folio number of a stored folio string, for sorting (None if there is none)."""
    match = re.search(r"\d+", text or "")
    return int(match.group()) if match else None


def folio_phrase(folios: tuple[Folio, ...], single: str, several: str, verso: str) -> str:
    """``l. 10`` / ``ll. 3-4, 12 ob.`` in the words of one language."""
    word = single if len(folios) == 1 and folios[0].is_single else several
    return f"{word} " + ", ".join(f.display(verso) for f in folios)


class FolioReader(TokenCursor):
    """Reads folio lists from tokens; the citation scanner builds on it."""

    def digit_one_folio(self, pos: int) -> bool:
        """``1. 55``: the digit one where ``l.`` was meant (a PDF/typing slip)."""
        return (
            self.is_num(pos)
            and self.toks[pos].text == "1"
            and self.is_punct(pos + 1, ".")
            and self.is_num(pos + 2)
            and self.toks[pos + 2].text.isdigit()
        )

    def starts_folios(self, pos: int) -> bool:
        return (self.is_kw(pos, "l", "ll") and self.is_num(pos + 1)) or self.digit_one_folio(pos)

    def folio(self, pos: int, phrase: str) -> tuple[Folio, int]:
        t = self.tok(pos)
        if t is None or t.kind != "num" or not t.text.isdigit():
            got = repr(t.text) if t else "nothing"
            raise Failed(f"{phrase!r}: folio must be a number, got {got}")
        start, pos = self.folio_number(t.text, phrase), pos + 1
        start_verso = self.is_kw(pos, "ob")
        pos += start_verso
        if not (self.tok(pos) is not None and self.tok(pos).kind == "dash"):
            return Folio(start, start_verso), pos
        e = self.tok(pos + 1)
        if e is None or e.kind != "num" or not e.text.isdigit():
            raise Failed(f"{phrase!r}: folio range needs an end number")
        pos += 2
        end = self.folio_number(e.text, phrase)
        # "103-5" abbreviates 105: the end takes the start's leading digits.
        if end < start and len(e.text) < len(str(start)):
            end = int(str(start)[: -len(e.text)] + e.text)
        end_verso = self.is_kw(pos, "ob")
        pos += end_verso
        if (end, end_verso) < (start, start_verso):
            raise Failed(f"{phrase!r}: folio range {start}-{e.text} ends before it starts")
        return Folio(start, start_verso, end, end_verso), pos

    @staticmethod
    def folio_number(text: str, phrase: str) -> int:
        """A folio number in ASCII digits, at most FOLIO_MAX (never a 5,000-digit int())."""
        try:
            return bounded_int(text, 0, FOLIO_MAX)
        except BadNumber as exc:
            raise Failed(f"{shorten(phrase)!r}: folio {exc}") from None

    def folio_list(self, pos: int, phrase: str) -> tuple[tuple[Folio, ...], int]:
        folios = []
        folio, pos = self.folio(pos, phrase)
        folios.append(folio)
        # further items: ", 19" but not ", 1. 55" (a digit-one slip starting something else)
        while (
            self.is_punct(pos, ",") and self.is_num(pos + 1) and not self.digit_one_folio(pos + 1)
        ):
            folio, pos = self.folio(pos + 1, phrase)
            folios.append(folio)
        return tuple(folios), pos

    def folios(self, pos: int, warnings: list[str]) -> tuple[tuple[Folio, ...], int]:
        """``l. 10`` / ``ll. 3-4, 19`` / ``1. 55`` at pos, with warnings for the slips."""
        start = pos
        digit_one = not self.is_kw(pos, "l", "ll")
        pos += 2 if digit_one else 1
        # the phrase for messages runs to the end of the folio numbers, found by a dry read
        folios, end = self.folio_list(pos, self.snippet(start, pos + 1))
        phrase = self.snippet(start, end)
        if digit_one:
            warnings.append(f"{phrase!r}: digit '1' read as 'l.'")
        else:
            kw = self.toks[start]
            single = len(folios) == 1 and folios[0].is_single
            if kw.kw == "l" and not single:
                warnings.append(f"{phrase!r}: 'l.' before several folios, read as 'll.'")
            elif kw.kw == "ll" and single:
                warnings.append(f"{phrase!r}: 'll.' before a single folio, read as 'l.'")
        return folios, end


def parse_folios(text: str) -> tuple[Folio, ...]:
    """Read a folio list (``10``, ``103-5``, ``ll. 3-4, 19``, ``Л. 12 об.``, ``12ob``)."""
    tokens = tokenize(text or "")
    if not tokens:
        raise CitationError("empty folio list")
    reader = FolioReader(text, tokens)
    pos = 0
    if tokens[0].kw in ("l", "ll"):
        pos = 1
    folios, pos = reader.folio_list(pos, text.strip())
    while pos < len(tokens) and tokens[pos].text == ".":
        pos += 1  # a closing full stop
    if pos < len(tokens):
        raise CitationError(f"{text.strip()!r}: unexpected {tokens[pos].text!r} in folio list")
    return folios
