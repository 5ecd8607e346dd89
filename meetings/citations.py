"""The citation grammar: archival references as the thesis writes them.

This module is the one place that knows how ``TsGAIPD, f. 1012, op. 1, d. 268, l. 10.``
is read and written. It is plain Python (no Django) so the models, the management
commands and the tests share it.

A citation names a place in the archival hierarchy::

    archive  f. FOND  op. OPIS  d. DELO  l. FOLIO        (English, as the thesis writes it)
    АРХИВ.   Ф. ФОНД. Оп. ОПИСЬ. Д. ДЕЛО. Л. ЛИСТ.       (Russian)

Reading goes in two steps. :func:`_tokenize` cuts the text into a few kinds of token
(keywords such as ``f.``/``Ф.``, numbers, words, punctuation); :class:`_Scanner` walks the
tokens looking for *anchors* (an archive abbreviation followed by ``f.``, or ``Ibid``) and
from each anchor reads as much of the grammar as fits, so prose around a citation is
simply skipped. Chains (``op. 1, d. 480; op. 2, d. 1012; d. 1478``) inherit the archive,
fond and opis read before them.

The thesis is a PDF conversion with typos. Where the parser has to *change* what was
written to make sense of it (a misspelt archive, the digit ``1`` for ``l.``, ``l.`` before a
range, a full stop inside a citation) it says so in a warning; purely typographic slips
(a missing comma or space) are read without comment because nothing is reinterpreted.

``Ibid`` repeats the last archival reference (with new folios when given), but the thesis
also uses it for books: an ``Ibid`` followed by ``p.``/``pp.``/``vol.``/``passim``, or a bare
``Ibid`` whose last citation was a book, is not archival. :class:`CitationResolver` carries
that state from one footnote to the next.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = [
    "CitationError",
    "CitationResolver",
    "Folio",
    "ParseResult",
    "Reference",
    "find_references",
    "first_folio_number",
    "format_folio_list",
    "parse",
    "parse_folios",
]


class CitationError(ValueError):
    """A citation (or folio list) that cannot be read; the message names the bad part."""


# ---------------------------------------------------------------------------
# Archives

# Canonical abbreviation -> Russian abbreviation, for the archives the corpus knows.
ARCHIVES_RU = {
    "TsGAIPD": "ЦГАИПД СПб",
    "RGAVMF": "РГАВМФ",
    "RGASPI": "РГАСПИ",
    "GARF": "ГАРФ",
}

# Spellings met (folded to lower case, "SPb" dropped) -> (canonical, is it a typo?).
_ARCHIVE_SPELLINGS: dict[str, tuple[str, bool]] = {
    "tsgaipd": ("TsGAIPD", False),
    "rgavmf": ("RGAVMF", False),
    "rgvamf": ("RGAVMF", True),
    "rgavmg": ("RGAVMF", True),
    "rgaspi": ("RGASPI", False),
    "garf": ("GARF", False),
}
for _canon, _ru in ARCHIVES_RU.items():
    _ARCHIVE_SPELLINGS[_ru.split()[0].lower()] = (_canon, False)

_CITY = {"spb", "спб"}  # "TsGAIPD SPb": the city is part of the name, not a separate token

# An abbreviation we do not know is still an archive if it looks like one (two capitals or
# more, letters only) and is followed by "f.": the thesis could cite GARF or TsGA tomorrow.
_ABBREVIATION = re.compile(r"^(?=(?:.*[A-ZА-ЯЁ]){2})[A-Za-zА-Яа-яЁё]{2,12}$")

# Letter prefixes of fond numbers (Р-34 is the Soviet-period series) and letter suffixes of
# delo numbers (985а) in both scripts. Only the letters archives actually use are mapped;
# anything else is kept as written.
_CYR_TO_LAT = {"р": "r", "п": "p", "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e"}
_LAT_TO_CYR = {lat: cyr for cyr, lat in _CYR_TO_LAT.items()}


def _latin_letter(ch: str) -> str:
    ch = ch.lower()
    return _CYR_TO_LAT.get(ch, ch)


# ---------------------------------------------------------------------------
# Folios


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


def parse_folios(text: str) -> tuple[Folio, ...]:
    """Read a folio list (``10``, ``103-5``, ``ll. 3-4, 19``, ``Л. 12 об.``, ``12ob``)."""
    tokens = _tokenize(text or "")
    if not tokens:
        raise CitationError("empty folio list")
    scanner = _Scanner(text, tokens)
    pos = 0
    if tokens[0].kw in ("l", "ll"):
        pos = 1
    folios, pos = scanner.folio_list(pos, text.strip())
    while pos < len(tokens) and tokens[pos].text == ".":
        pos += 1  # a closing full stop
    if pos < len(tokens):
        raise CitationError(f"{text.strip()!r}: unexpected {tokens[pos].text!r} in folio list")
    return folios


def first_folio_number(text: str) -> int | None:
    """The first folio number of a stored folio string, for sorting (None if there is none)."""
    match = re.search(r"\d+", text or "")
    return int(match.group()) if match else None


def _folio_phrase(folios: tuple[Folio, ...], single: str, several: str, verso: str) -> str:
    word = single if len(folios) == 1 and folios[0].is_single else several
    return f"{word} " + ", ".join(f.display(verso) for f in folios)


# ---------------------------------------------------------------------------
# References


@dataclass(frozen=True)
class Reference:
    """One archival reference: a delo (or a whole opis or fond) and, optionally, folios."""

    archive: str
    fond: str
    opis: str | None = None
    delo: str | None = None
    folios: tuple[Folio, ...] = ()

    def canonical(self) -> str:
        """English form: ``TsGAIPD, f. 1012, op. 1, d. 268, l. 10``."""
        parts = [self.archive, f"f. {self.fond}"]
        if self.opis is not None:
            parts.append(f"op. {self.opis}")
        if self.delo is not None:
            parts.append(f"d. {self.delo}")
        if self.folios:
            parts.append(_folio_phrase(self.folios, "l.", "ll.", "ob."))
        return ", ".join(parts)

    def russian(self) -> str:
        """Russian form: ``ЦГАИПД СПб. Ф. 1012. Оп. 1. Д. 268. Л. 10.``"""
        parts = [ARCHIVES_RU.get(self.archive, self.archive), f"Ф. {_fond_ru(self.fond)}"]
        if self.opis is not None:
            parts.append(f"Оп. {self.opis}")
        if self.delo is not None:
            parts.append(f"Д. {_delo_ru(self.delo)}")
        if self.folios:
            parts.append(_folio_phrase(self.folios, "Л.", "Лл.", "об."))
        return ". ".join(p.rstrip(".") for p in parts) + "."

    def __str__(self) -> str:
        return self.canonical()


def _fond_ru(fond: str) -> str:
    match = re.fullmatch(r"([a-z])-(\d+)", fond)
    if match:
        return f"{_LAT_TO_CYR.get(match[1], match[1]).upper()}-{match[2]}"
    return fond


def _delo_ru(delo: str) -> str:
    if delo and delo[-1].isalpha():
        return delo[:-1] + _LAT_TO_CYR.get(delo[-1], delo[-1])
    return delo


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


# ---------------------------------------------------------------------------
# Tokenizer

# Keywords in both scripts, mapped to one spelling. "p"/"pp"/"vol"/"с" mark books.
_KEYWORDS = {
    "f": "f", "ф": "f",
    "op": "op", "оп": "op",
    "d": "d", "д": "d",
    "dd": "dd", "дд": "dd",
    "l": "l", "л": "l",
    "ll": "ll", "лл": "ll",
    "ob": "ob", "об": "ob",
    "p": "p", "pp": "pp", "vol": "vol", "с": "p", "сс": "pp",
}  # fmt: skip

_LETTER = r"[^\W\d_]"
_TOKEN_RE = re.compile(
    rf"""
    (?P<ws>\s+)
  | (?P<ibid>(?<!{_LETTER})(?:ibid|там\s+же)(?!{_LETTER}))
    # a keyword is a whole word; "ob" may follow digits directly (12ob)
  | (?P<kw>(?<!{_LETTER})(?:(?<!\d)(?:f|op|dd?|ll?|pp?|vol|ф|оп|дд?|лл?|сс?)|ob|об)
        (?!{_LETTER})\.?)
    # a number may carry one letter (985a), but not the start of a word (12ob)
  | (?P<num>\d+(?:{_LETTER}(?!{_LETTER}))?)
  | (?P<word>{_LETTER}+)
  | (?P<dash>[-‐‑‒–—])
  | (?P<quote>[“«"][^”»"]{{0,200}}[”»"])
  | (?P<punct>.)
    """,
    re.VERBOSE | re.IGNORECASE | re.DOTALL,
)


@dataclass(frozen=True)
class _Token:
    kind: str  # ibid | kw | num | word | dash | quote | punct
    text: str
    start: int
    end: int
    kw: str | None = None  # the keyword's one spelling
    cyrillic: bool = False


def _tokenize(text: str) -> list[_Token]:
    tokens = []
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup
        if kind == "ws":
            continue
        raw = m.group()
        kw = None
        if kind == "kw":
            kw = _KEYWORDS[raw.rstrip(".").lower()]
        tokens.append(_Token(kind, raw, m.start(), m.end(), kw, bool(re.search("[А-Яа-яЁё]", raw))))
    return tokens


# ---------------------------------------------------------------------------
# Parser


class _Failed(CitationError):
    """An anchor that started a citation but could not be read (becomes an error)."""


# Words that may stand between a delo and its folios: "d. 1421, especially ll. 175".
_FILLER = {"especially", "esp", "see", "cf"}
_MONTHS = {
    "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december",
}  # fmt: skip
_YEAR = re.compile(r"^(1[89]|20)\d\d$")
# After Ibid, these make it a book citation.
_BOOK_WORDS = {"passim", "cit", "chapter", "ch", "note", "n"}


@dataclass
class _Scan:
    references: list[Reference] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    last_kind: str | None = None  # "archival" | "book" | None: the last thing cited
    unresolved_ibid: bool = False  # a bare Ibid with nothing to resolve against


class _Scanner:
    def __init__(self, text: str, tokens: list[_Token]):
        self.text = text
        self.toks = tokens

    # -- small helpers

    def tok(self, pos: int) -> _Token | None:
        return self.toks[pos] if 0 <= pos < len(self.toks) else None

    def is_kw(self, pos: int, *names: str) -> bool:
        t = self.tok(pos)
        return t is not None and t.kind == "kw" and t.kw in names

    def is_punct(self, pos: int, *chars: str) -> bool:
        t = self.tok(pos)
        return t is not None and t.kind == "punct" and t.text in chars

    def is_word(self, pos: int, words: set[str]) -> bool:
        t = self.tok(pos)
        return t is not None and t.kind == "word" and t.text.lower() in words

    def is_num(self, pos: int) -> bool:
        t = self.tok(pos)
        return t is not None and t.kind == "num"

    def snippet(self, start: int, end: int) -> str:
        """Source text of tokens start..end-1, whitespace collapsed, for messages."""
        a = self.toks[start].start
        b = self.toks[min(end, len(self.toks)) - 1].end
        return " ".join(self.text[a:b].split())

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

    def starts_part(self, pos: int) -> bool:
        """Does a chain part (f./op./d./dd./l.) start here?

        ``f.``, ``op.``, ``d.`` with their full stop are parts whatever follows (so a bad
        number is reported, not skipped); without it, only before a number. Folios always
        need their number: ``l.`` is too common a letter.
        """
        t = self.tok(pos)
        if t is not None and t.kind == "kw" and t.kw in ("f", "op", "d", "dd"):
            return t.text.endswith(".") or self.is_num(pos + 1)
        return self.starts_folios(pos)

    # -- anchors

    def archive_at(self, pos: int) -> tuple[str, int, str | None] | None:
        """If an archive citation starts at pos: (archive, position of 'f.', warning)."""
        t = self.tok(pos)
        if t is None or t.kind != "word":
            return None
        j = pos + 1
        city = None
        nxt = self.tok(j)
        if nxt is not None and nxt.kind == "word" and nxt.text.lower() in _CITY:
            city, j = nxt.text, j + 1
        while self.is_punct(j, ",", "."):
            j += 1
        if not self.is_kw(j, "f"):
            return None  # an archive named in prose ("held at TsGAIPD."), not a citation
        known = _ARCHIVE_SPELLINGS.get(t.text.lower())
        if known:
            canonical, typo = known
            warning = f"{t.text!r}: misspelt archive, read as {canonical}" if typo else None
            return canonical, j, warning
        if not _ABBREVIATION.match(t.text):
            return None
        return (f"{t.text} {city}" if city else t.text), j, None

    # -- grammar

    def number(self, pos: int, what: str, start: int) -> tuple[str, int]:
        """A plain number with an optional letter suffix (985a) for opis and delo."""
        t = self.tok(pos)
        if t is None or t.kind != "num":
            bad = self.snippet(start, pos + 1)
            suffix = ", optionally with a letter suffix like 985a" if what == "delo" else ""
            raise _Failed(f"{bad!r}: {what} number must be digits{suffix}")
        text = t.text
        if text[-1].isalpha():
            text = text[:-1] + _latin_letter(text[-1])
        return text, pos + 1

    def fond(self, pos: int) -> tuple[str, int]:
        """``1012``, ``r-34``, ``Р-34``, ``R-34``, ``r34`` -> ``1012`` / ``r-34``."""
        start = pos - 1
        t = self.tok(pos)
        if t is not None and t.kind == "num" and t.text.isdigit():
            return t.text, pos + 1
        # the prefix letter may have been read as a keyword: "p-1" starts like "p. 1"
        if t is not None and t.kind in ("word", "kw") and len(t.text) == 1:
            j = pos + 1
            if self.tok(j) is not None and self.tok(j).kind == "dash":
                j += 1
            n = self.tok(j)
            if n is not None and n.kind == "num" and n.text.isdigit():
                return f"{_latin_letter(t.text)}-{n.text}", j + 1
        raise _Failed(
            f"{self.snippet(start, pos + 1)!r}: fond number must be digits, "
            "optionally with a letter prefix like r-34"
        )

    def folio(self, pos: int, phrase: str) -> tuple[Folio, int]:
        t = self.tok(pos)
        if t is None or t.kind != "num" or not t.text.isdigit():
            got = repr(t.text) if t else "nothing"
            raise _Failed(f"{phrase!r}: folio must be a number, got {got}")
        start, pos = int(t.text), pos + 1
        start_verso = self.is_kw(pos, "ob")
        pos += start_verso
        if not (self.tok(pos) is not None and self.tok(pos).kind == "dash"):
            return Folio(start, start_verso), pos
        e = self.tok(pos + 1)
        if e is None or e.kind != "num" or not e.text.isdigit():
            raise _Failed(f"{phrase!r}: folio range needs an end number")
        pos += 2
        end = int(e.text)
        # "103-5" abbreviates 105: the end takes the start's leading digits.
        if end < start and len(e.text) < len(str(start)):
            end = int(str(start)[: -len(e.text)] + e.text)
        end_verso = self.is_kw(pos, "ob")
        pos += end_verso
        if (end, end_verso) < (start, start_verso):
            raise _Failed(f"{phrase!r}: folio range {start}-{e.text} ends before it starts")
        return Folio(start, start_verso, end, end_verso), pos

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

    def chain(self, archive: str, pos: int, warnings: list[str]) -> tuple[list[Reference], int]:
        """Read ``f. .. op. .. d. .. l. ..`` parts from pos (at 'f.'), inheriting leftwards."""
        refs: list[Reference] = []
        russian = self.toks[pos].cyrillic
        fond = opis = None
        # A fond or opis cited with nothing below it is itself the reference; it waits
        # here until a delo or folios under it (or the end of the chain) decide.
        pending: Reference | None = None

        while True:
            part_start = pos
            if self.is_kw(pos, "f"):
                if pending is not None:
                    refs.append(pending)
                fond, pos = self.fond(pos + 1)
                opis = None
                pending = Reference(archive, fond)
            elif self.is_kw(pos, "op"):
                if fond is None:
                    raise _Failed(f"{self.snippet(pos, pos + 2)!r}: opis without a fond")
                if pending is not None and pending.opis is not None:
                    refs.append(pending)  # "op. 1; op. 2, d. 5": op. 1 cited whole
                opis, pos = self.number(pos + 1, "opis", pos)
                pending = Reference(archive, fond, opis)
            elif self.is_kw(pos, "d"):
                delo, pos = self.number(pos + 1, "delo", pos)
                folios: tuple[Folio, ...] = ()
                j = self.skip_filler(pos + self.is_punct(pos, ",", "."))
                if self.starts_folios(j):
                    if self.is_punct(pos, ".") and not russian:
                        warnings.append(
                            f"{self.snippet(part_start, j + 2)!r}: full stop inside a citation "
                            "read as a comma"
                        )
                    folios, pos = self.folios(j, warnings)
                refs.append(Reference(archive, fond, opis, delo, folios))
                pending = None
            elif self.is_kw(pos, "dd"):
                start = pos
                dela = []
                delo, pos = self.number(pos + 1, "delo", start)
                dela.append(delo)
                while self.is_punct(pos, ",") and self.is_num(pos + 1):
                    if self.digit_one_folio(pos + 1):
                        break
                    delo, pos = self.number(pos + 1, "delo", start)
                    dela.append(delo)
                refs.extend(Reference(archive, fond, opis, d) for d in dela)
                pending = None
            elif self.starts_folios(pos) and fond is not None:
                # folios of a whole opis, e.g. of its preface
                folios, pos = self.folios(pos, warnings)
                refs.append(Reference(archive, fond, opis, None, folios))
                pending = None
            else:
                raise _Failed(f"{self.snippet(pos, pos + 2)!r}: expected f., op., d. or l.")

            # Between parts: ", " "; " "and" (or nothing, or a full stop).
            nxt = pos
            sep = self.tok(nxt)
            full_stop = False
            if sep is not None and (
                (sep.kind == "punct" and sep.text in ",;.")
                or (sep.kind == "word" and sep.text.lower() in ("and", "и"))
            ):
                full_stop = sep.text == "."
                nxt += 1
            while self.is_punct(nxt, ","):  # ",," and the like
                nxt += 1
            t = self.tok(nxt)
            if t is not None and t.kind == "quote":  # a title: “Predislovie k opisi”
                nxt += 1
            nxt = self.skip_filler(nxt)
            if not self.starts_part(nxt):
                if pending is not None:
                    refs.append(pending)
                return refs, pos
            if full_stop and not russian:
                warnings.append(
                    f"{self.snippet(part_start, nxt + 2)!r}: full stop inside a citation "
                    "read as a comma"
                )
            pos = nxt

    def skip_filler(self, pos: int) -> int:
        t = self.tok(pos)
        if t is not None and t.kind == "word" and t.text.lower() in _FILLER:
            j = pos + 1 + self.is_punct(pos + 1, ".")
            if self.starts_folios(j):
                return j
        return pos

    def ibid(self, pos: int) -> tuple[str, tuple[Folio, ...] | None, int, list[str]]:
        """Read what follows an Ibid: ('folios', folios) / ('book', None) / ('bare', None)."""
        j = pos + 1
        while self.is_punct(j, ",", ".", ":"):
            j += 1
        warnings: list[str] = []
        if self.starts_folios(j):
            folios, end = self.folios(j, warnings)
            return "folios", folios, end, warnings
        t = self.tok(j)
        if t is not None and (
            (t.kind == "kw" and t.kw in ("p", "pp", "vol"))
            or (t.kind == "word" and t.text.lower() in _BOOK_WORDS)
            or t.kind == "num"  # "Ibid. 20 July 2016": a dated source, not a folio
        ):
            return "book", None, j, warnings
        return "bare", None, j, warnings

    # -- the scan

    def publication_at(self, pos: int) -> int:
        """End of a sign that a printed work is cited here, else 0.

        Signs: a page reference (``p. 25``, ``pp. 90-98``, ``vol. 4``), a newspaper issue
        (``Pravda, 7 October 1924``) and an imprint ending in a year (``(Moscow, 1966)``,
        ``(1989):``). They only decide what a later bare ``Ibid`` repeats, so when in doubt
        they err towards "book": a missed archival Ibid loses a link, a wrong one invents it.
        """
        t = self.toks[pos]
        if t.kind == "kw" and t.kw in ("p", "pp", "vol") and self.is_num(pos + 1):
            return pos + 2
        if (
            t.kind == "word"
            and t.text[0].isupper()
            and self.is_punct(pos + 1, ",")
            and self.is_num(pos + 2)
            and len(self.toks[pos + 2].text) <= 2
            and self.is_word(pos + 3, _MONTHS)
            and self.is_num(pos + 4)
            and _YEAR.match(self.toks[pos + 4].text)
        ):
            return pos + 5
        if self.is_punct(pos, "("):
            for j in range(pos + 1, min(pos + 40, len(self.toks))):
                if self.is_punct(j, "(", ")"):
                    if self.is_punct(j, ")") and _YEAR.match(self.toks[j - 1].text):
                        return j + 1
                    break
        return 0

    def scan(self, previous: Reference | None, last_kind: str | None) -> _Scan:
        out = _Scan(last_kind=last_kind)
        pos = 0
        while pos < len(self.toks):
            t = self.toks[pos]
            if t.kind == "ibid":
                pos = self.scan_ibid(pos, out, previous)
                if out.references:
                    previous = out.references[-1]
                continue
            end = self.publication_at(pos)
            if end:
                out.last_kind = "book"  # the last thing cited was printed, not archival
                pos = end
                continue
            anchor = self.archive_at(pos) if t.kind == "word" else None
            if anchor is None:
                pos += 1
                continue
            archive, fpos, warning = anchor
            warnings = [warning] if warning else []
            try:
                refs, pos = self.chain(archive, fpos, warnings)
            except _Failed as exc:
                out.errors.append(str(exc))
                pos = fpos + 1
                continue
            out.references.extend(refs)
            out.warnings.extend(warnings)
            out.last_kind = "archival"
            previous = refs[-1]
        return out

    def scan_ibid(self, pos: int, out: _Scan, previous: Reference | None) -> int:
        try:
            kind, folios, end, warnings = self.ibid(pos)
        except _Failed as exc:
            out.errors.append(str(exc))
            return pos + 1
        if kind == "book" or (kind == "bare" and out.last_kind == "book"):
            out.last_kind = "book"
            return end
        if previous is None:
            if kind == "folios":
                out.errors.append(
                    f"{self.snippet(pos, end)!r}: Ibid with no earlier archival reference"
                )
            else:
                out.unresolved_ibid = True
            return end
        ref = previous if folios is None else _with_folios(previous, folios)
        out.references.append(ref)
        out.warnings.extend(warnings)
        out.last_kind = "archival"
        return end


def _with_folios(ref: Reference, folios: tuple[Folio, ...]) -> Reference:
    return Reference(ref.archive, ref.fond, ref.opis, ref.delo, folios)


# ---------------------------------------------------------------------------
# Public entry points


def find_references(text: str, previous: Reference | None = None) -> ParseResult:
    """Every archival reference in a piece of prose (a footnote), in order.

    Returns no references (and no error) for text that cites nothing archival; citations
    that start like archival ones but cannot be read are listed in ``errors``.
    """
    scan = _Scanner(text, _tokenize(text or "")).scan(previous, None)
    return ParseResult(scan.references, scan.warnings, scan.errors, scan.unresolved_ibid)


def parse(text: str, previous: Reference | None = None) -> ParseResult:
    """Parse a citation string (which may hold several references, and prose around them).

    Raises :class:`CitationError` if a citation cannot be read or there is none.
    """
    result = find_references(text, previous)
    message = result.error_message(text)
    if message:
        raise CitationError(message)
    return result


class CitationResolver:
    """Reads consecutive footnotes, resolving Ibid against what was cited last.

    It remembers the last archival reference and whether the last thing cited was a book,
    so a bare ``Ibid.`` after a book citation is not mistaken for an archival file.
    """

    def __init__(self) -> None:
        self.previous: Reference | None = None
        self.last_kind: str | None = None

    def reset(self) -> None:
        """Forget everything (a new chapter: Ibid never reaches back across one)."""
        self.previous = None
        self.last_kind = None

    def feed(self, text: str) -> ParseResult:
        scan = _Scanner(text, _tokenize(text or "")).scan(self.previous, self.last_kind)
        if scan.references:
            self.previous = scan.references[-1]
        self.last_kind = scan.last_kind
        return ParseResult(scan.references, scan.warnings, scan.errors, scan.unresolved_ibid)
