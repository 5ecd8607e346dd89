"""Cutting citation text into tokens, and a cursor over them.

Tokens are few: ``ibid`` (``Ibid``, ``Там же``), ``kw`` (the units ``f.``/``Ф.``/``fond``,
``op.``/``opis'``, ``d.``/``delo``/``ed. khr.``/``ед. хр.``, ``l.``/``list``, ``ob.`` and
the page markers ``p.``/``vol.``/``С.``), ``num``, ``word``, ``dash``, ``quote`` (a quoted
title) and ``punct``. Whitespace is dropped; every token keeps its place in the text so
messages can quote what was written.

Before cutting, :func:`clean` mends the commonest scanning slip: a word mixing Latin and
Cyrillic letters (``ЦГAИПД`` with a Latin A, ``Оn.`` with an ``n`` for ``п``) is put into one
script, letter for letter, and a warning says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Keywords in both scripts, folded (lower case, no dots, spaces or apostrophes), mapped to
# one spelling. "p"/"pp"/"vol"/"с" mark printed works.
KEYWORDS = {
    "f": "f", "ф": "f", "fond": "f", "фонд": "f",
    "op": "op", "оп": "op", "opis": "op", "опись": "op",
    "d": "d", "д": "d", "delo": "d", "дело": "d",
    "edkhr": "d", "yedkhr": "d", "едхр": "d",
    "dd": "dd", "дд": "dd", "dela": "dd", "дела": "dd",
    "l": "l", "л": "l", "list": "l", "лист": "l",
    "ll": "ll", "лл": "ll", "listy": "ll", "листы": "ll",
    "ob": "ob", "об": "ob",
    "p": "p", "pp": "pp", "vol": "vol", "с": "p", "сс": "pp",
}  # fmt: skip

LETTER = r"[^\W\d_]"
_WORD_KW = r"fond|фонд|opis['’ʹ]?|опись|delo|дело|dela|дела|listy|листы|list|лист"
_STORAGE_UNIT = r"y?ed\.?\s*khr|ед\.?\s*хр"  # edinitsa khraneniia: the file unit of libraries
_TOKEN_RE = re.compile(
    rf"""
    (?P<ws>\s+)
  | (?P<ibid>(?<!{LETTER})(?:ibid|там\s+же)(?!{LETTER}))
    # a keyword is a whole word; "ob" may follow digits directly (12ob)
  | (?P<kw>(?:(?<!{LETTER})(?:(?<!\d)(?:{_STORAGE_UNIT}|{_WORD_KW}
                                    |f|op|dd?|ll?|pp?|vol|ф|оп|дд?|лл?|сс?)|ob|об)
           |(?<=\d{LETTER})(?:ob|об))  # the verso of a lettered folio: 7aob
        (?!{LETTER})\.?)
    # A number may carry one letter (985a, 7а), but not the start of a word or keyword
    # (12ob, 7и7об): the letter must end the word, or be followed by ob/об (7aob).
  | (?P<num>\d+(?:(?!ob|об){LETTER}(?=(?:ob|об)(?!{LETTER}))|{LETTER}(?![^\W_]))?)
  | (?P<word>{LETTER}+)
  | (?P<dash>[-‐‑‒–—])
  | (?P<quote>[“«"][^”»"]{{0,200}}[”»"])
  | (?P<punct>.)
    """,
    re.VERBOSE | re.IGNORECASE | re.DOTALL,
)

_CYRILLIC = re.compile("[А-Яа-яЁё]")
_LATIN = re.compile("[A-Za-z]")

# Letters that look alike (or that OCR confuses, n for п) across the scripts.
_LATIN_TO_CYRILLIC = dict(zip("AaBCcEeHKkMOoPpTXxyn", "АаВСсЕеНКкМОоРрТХхуп", strict=True))
_CYRILLIC_TO_LATIN = dict(zip("АаВСсЕеНКкМОоРрТХху", "AaBCcEeHKkMOoPpTXxy", strict=True))


@dataclass(frozen=True)
class Token:
    """One token: its kind, its text as written and where it stands in the source."""

    kind: str  # ibid | kw | num | word | dash | quote | punct
    text: str
    start: int
    end: int
    kw: str | None = None  # the keyword's one spelling
    cyrillic: bool = False


def keyword(raw: str) -> str:
    """The one spelling of a keyword as written (``Ед. хр.`` -> ``d``)."""
    return KEYWORDS[re.sub(r"[\s.'’ʹ]", "", raw.lower())]


def tokenize(text: str) -> list[Token]:
    """The tokens of text, whitespace dropped."""
    tokens = []
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup
        if kind == "ws":
            continue
        raw = m.group()
        kw = keyword(raw) if kind == "kw" else None
        tokens.append(Token(kind, raw, m.start(), m.end(), kw, bool(_CYRILLIC.search(raw))))
    return tokens


def _one_script(word: str) -> tuple[str, str] | None:
    """A word mixing scripts, put into its majority script (ties go to Cyrillic, the script
    OCR most often corrupts): (mended word, what was assumed), or None if it cannot be."""
    cyrillic = len(_CYRILLIC.findall(word))
    latin = len(_LATIN.findall(word))
    if not (cyrillic and latin):
        return None
    table, script = (
        (_LATIN_TO_CYRILLIC, "Cyrillic") if cyrillic >= latin else (_CYRILLIC_TO_LATIN, "Latin")
    )
    foreign = _LATIN if script == "Cyrillic" else _CYRILLIC
    letters = [ch for ch in word if foreign.match(ch)]
    if not all(ch in table for ch in letters):
        return None
    mended = "".join(table.get(ch, ch) if foreign.match(ch) else ch for ch in word)
    shown = ", ".join(repr(ch) for ch in dict.fromkeys(letters))
    other = "Latin" if script == "Cyrillic" else "Cyrillic"
    return mended, f"{word!r}: {other} {shown} read as {script} ({mended})"


def clean(text: str) -> tuple[str, list[tuple[int, int, str]]]:
    """Text with mixed-script words mended letter for letter (so positions hold), and
    each mending as (start, end, warning)."""
    mendings: list[tuple[int, int, str]] = []

    def mend(m: re.Match) -> str:
        fixed = _one_script(m.group())
        if fixed is None:
            return m.group()
        mendings.append((m.start(), m.end(), fixed[1]))
        return fixed[0]

    return re.sub(rf"{LETTER}+", mend, text or ""), mendings


class TokenCursor:
    """Questions about the token at a position (None past either end is simply 'no')."""

    def __init__(self, text: str, tokens: list[Token]):
        self.text = text
        self.toks = tokens

    def tok(self, pos: int) -> Token | None:
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

    def index_at(self, offset: int) -> int:
        """The first token starting at or after a character offset."""
        for i, t in enumerate(self.toks):
            if t.start >= offset:
                return i
        return len(self.toks)

    def snippet(self, start: int, end: int) -> str:
        """Source text of tokens start..end-1, whitespace collapsed, for messages."""
        a = self.toks[start].start
        b = self.toks[min(end, len(self.toks)) - 1].end
        return " ".join(self.text[a:b].split())
