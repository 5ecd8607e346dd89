"""Folios (listy): the leaves of a file, as cited and as stored.

The storage form is canonical and sorts by its first number: ``3-4, 19, 12ob, 7a, 7aob``.
A leaf inserted after leaf 7 is ``7a`` (the archive's litera, ``7а`` in Cyrillic); its back is
``7aob``. Leaves order as (number, letter, verso): 7, 7ob, 7a, 7aob, 8.
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

# Letters of folio numbers and of delo numbers (985а) in both scripts; only those archives
# actually use are mapped, anything else is kept as written.
CYR_TO_LAT = {"р": "r", "п": "p", "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e"}
LAT_TO_CYR = {lat: cyr for cyr, lat in CYR_TO_LAT.items()}

# "I." / "II." where "l." / "ll." was meant: the capital i and the small L look alike.
_LOOKALIKE_L = {"i": "l", "ii": "ll", "il": "ll", "li": "ll"}


def latin_letter(ch: str) -> str:
    """The storage (Latin, lower-case) form of a number's letter prefix or suffix."""
    ch = ch.lower()
    return CYR_TO_LAT.get(ch, ch)


def cyrillic_letter(ch: str) -> str:
    """The Russian form of a stored letter (``a`` -> ``а``)."""
    return LAT_TO_CYR.get(ch, ch)


@dataclass(frozen=True)
class Folio:
    """A folio (list) or a range of folios; ``verso`` is the back of the leaf (oborot).

    ``start_letter``/``end_letter`` hold a litera (``7a``: a leaf added after 7), stored in
    Latin; they come last so that ``Folio(12, True)`` and ``Folio(3, end=4)`` keep meaning
    what they meant before letters were read.
    """

    start: int
    start_verso: bool = False
    end: int | None = None
    end_verso: bool = False
    start_letter: str = ""
    end_letter: str = ""

    def __str__(self) -> str:
        return self.display("ob", lambda s: s, sep="")

    @property
    def is_single(self) -> bool:
        return self.end is None

    def display(self, verso: str, letter=lambda s: s, sep: str = " ") -> str:
        """As cited: ``12 ob.`` / ``12 об.`` / ``7а об.`` rather than the stored ``12ob``."""
        text = f"{self.start}{letter(self.start_letter)}{sep + verso if self.start_verso else ''}"
        if self.end is not None:
            end = f"{self.end}{letter(self.end_letter)}{sep + verso if self.end_verso else ''}"
            text += f"-{end}"
        return text


def format_folio_list(folios) -> str:
    """The canonical storage form: ``3-4, 19, 12ob``."""
    return ", ".join(str(f) for f in folios)


def first_folio_number(text: str) -> int | None:
    """The first folio number of a stored folio string, for sorting (None if there is none)."""
    match = re.search(r"\d+", text or "")
    return int(match.group()) if match else None


def folio_phrase(
    folios: tuple[Folio, ...], single: str, several: str, verso: str, letter=lambda s: s
) -> str:
    """``l. 10`` / ``ll. 3-4, 12 ob.`` in the words of one language."""
    word = single if len(folios) == 1 and folios[0].is_single else several
    return f"{word} " + ", ".join(f.display(verso, letter) for f in folios)


def _number(text: str) -> tuple[int, str]:
    """``7`` -> (7, ''), ``7а`` -> (7, 'a')."""
    if text[-1].isalpha():
        return int(text[:-1]), latin_letter(text[-1])
    return int(text), ""


class FolioReader(TokenCursor):
    """Reads folio lists from tokens; the citation scanner builds on it.

    A lenient reader (the scanner's) turns a stray dash after a number into a warning; a
    strict one (:func:`parse_folios`, for a stored folio field) refuses it.
    """

    lenient = False

    def __init__(self, text, tokens):
        super().__init__(text, tokens)
        self.slips: list[str] = []  # warnings of the lenient reader, collected by folios()

    def digit_one_folio(self, pos: int) -> bool:
        """``1. 55``: the digit one where ``l.`` was meant (a PDF/typing slip)."""
        return (
            self.is_num(pos)
            and self.toks[pos].text == "1"
            and self.is_punct(pos + 1, ".")
            and self.is_num(pos + 2)
            and self.toks[pos + 2].text.isdigit()
        )

    def lookalike_l(self, pos: int) -> str | None:
        """``I. 12`` / ``II. 12-14``: capital i for small L; the keyword meant, or None."""
        t = self.tok(pos)
        if t is None or t.kind != "word" or t.text.lower() not in _LOOKALIKE_L:
            return None
        if t.text.islower() or not (self.is_punct(pos + 1, ".") and self.is_num(pos + 2)):
            return None
        return _LOOKALIKE_L[t.text.lower()]

    def is_page_kw(self, pos: int) -> bool:
        """``p. 12`` / ``pp. 5-7`` written where folios are meant (Latin only: ``С.`` is a page
        of a printed work in Russian notes, never a folio)."""
        t = self.tok(pos)
        return (
            t is not None
            and t.kind == "kw"
            and t.kw in ("p", "pp")
            and not t.cyrillic
            and self.is_num(pos + 1)
        )

    def starts_folios(self, pos: int, pages: bool = False) -> bool:
        return (
            (self.is_kw(pos, "l", "ll") and self.is_num(pos + 1))
            or self.digit_one_folio(pos)
            or (self.lenient and self.lookalike_l(pos) is not None)
            or (pages and self.is_page_kw(pos))
        )

    def stray_dash(self, pos: int, number: str) -> bool:
        """A dash after a number with no number after it: ``70-,`` (a scanning slip)."""
        if not (self.tok(pos) is not None and self.tok(pos).kind == "dash"):
            return False
        if self.is_num(pos + 1) or not self.lenient:
            return False
        self.slips.append(f"'{number}-': stray '-' after {number} ignored")
        return True

    def folio_number(self, pos: int, phrase: str) -> tuple[int, str, int]:
        t = self.tok(pos)
        if t is None or t.kind != "num" or not t.text[0].isdigit():
            got = repr(t.text) if t else "nothing"
            raise Failed(f"{phrase!r}: folio must be a number, got {got}")
        # ASCII digits, at most FOLIO_MAX: never int() of a 5,000-digit or unicode number.
        try:
            bounded_int(t.text[:-1] if t.text[-1].isalpha() else t.text, 0, FOLIO_MAX)
        except BadNumber as exc:
            raise Failed(f"{shorten(phrase)!r}: folio {exc}") from None
        number, letter = _number(t.text)
        return number, letter, pos + 1

    def folio(self, pos: int, phrase: str) -> tuple[Folio, int]:
        start, start_letter, pos = self.folio_number(pos, phrase)
        start_verso = self.is_kw(pos, "ob")
        pos += start_verso
        if self.stray_dash(pos, self.toks[pos - 1].text):
            return Folio(start, start_verso, start_letter=start_letter), pos + 1
        if not (self.tok(pos) is not None and self.tok(pos).kind == "dash"):
            return Folio(start, start_verso, start_letter=start_letter), pos
        e = self.tok(pos + 1)
        if e is None or e.kind != "num":
            raise Failed(f"{phrase!r}: folio range needs an end number")
        end, end_letter, pos = self.folio_number(pos + 1, phrase)
        digits = e.text.rstrip("".join(ch for ch in e.text if ch.isalpha()))
        # "103-5" abbreviates 105: the end takes the start's leading digits.
        if end < start and len(digits) < len(str(start)):
            end = int(str(start)[: -len(digits)] + digits)
        end_verso = self.is_kw(pos, "ob")
        pos += end_verso
        folio = Folio(start, start_verso, end, end_verso, start_letter, end_letter)
        if (end, end_letter, end_verso) < (start, start_letter, start_verso):
            raise Failed(f"{phrase!r}: folio range {start}-{e.text} ends before it starts")
        return folio, pos

    def list_continues(self, pos: int) -> int:
        """Where the next item of a folio list starts after pos (``, 19``, ``и 7 об.``), or 0."""
        sep = self.tok(pos)
        if sep is None:
            return 0
        if not (
            (sep.kind == "punct" and sep.text == ",")
            or (sep.kind == "word" and sep.text.lower() in ("и", "and"))
        ):
            return 0
        # not ", 1. 55" (a digit-one slip starting something else)
        if self.is_num(pos + 1) and not self.digit_one_folio(pos + 1):
            return pos + 1
        return 0

    def folio_list(self, pos: int, phrase: str) -> tuple[tuple[Folio, ...], int]:
        folios = []
        folio, pos = self.folio(pos, phrase)
        folios.append(folio)
        while nxt := self.list_continues(pos):
            folio, pos = self.folio(nxt, phrase)
            folios.append(folio)
        return tuple(folios), pos

    def folios(self, pos: int, warnings: list[str]) -> tuple[tuple[Folio, ...], int]:
        """``l. 10`` / ``ll. 3-4, 19`` / ``1. 55`` / ``I. 12`` / ``p. 12`` at pos, with
        warnings for the slips."""
        start = pos
        lookalike = self.lookalike_l(pos) if self.lenient else None
        digit_one = self.digit_one_folio(pos)
        pages = self.is_page_kw(pos)
        pos += 2 if (digit_one or lookalike) else 1
        self.slips = []
        # the phrase for messages runs to the end of the folio numbers, found by a dry read
        folios, end = self.folio_list(pos, self.snippet(start, pos + 1))
        phrase = self.snippet(start, end)
        single = len(folios) == 1 and folios[0].is_single
        if digit_one:
            warnings.append(f"{phrase!r}: digit '1' read as 'l.'")
        elif lookalike:
            meant = "l." if single else "ll."
            warnings.append(f"{phrase!r}: {self.toks[start].text!r} read as {meant!r}")
        elif pages:
            warnings.append(f"{phrase!r}: page numbers read as folios (l.) of the file")
        elif not self.toks[start].cyrillic:  # GOST writes "Л." before any folios
            kw = self.toks[start]
            if kw.kw == "l" and not single:
                warnings.append(f"{phrase!r}: 'l.' before several folios, read as 'll.'")
            elif kw.kw == "ll" and single:
                warnings.append(f"{phrase!r}: 'll.' before a single folio, read as 'l.'")
        warnings.extend(self.slips)
        self.slips = []
        return folios, end


def parse_folios(text: str) -> tuple[Folio, ...]:
    """Read a folio list (``10``, ``103-5``, ``ll. 3-4, 19``, ``Л. 12 об.``, ``12ob``, ``7aob``)."""
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
