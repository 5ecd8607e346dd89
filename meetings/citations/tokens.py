"""Cutting citation text into tokens, and a cursor over them.

Tokens are few: ``ibid`` (``Ibid``, ``Там же``), ``kw`` (the unit keywords ``f.``/``Ф.``,
``op.``, ``d.``, ``l.``, ``ob.`` and the book markers ``p.``/``vol.``), ``num``, ``word``,
``dash``, ``quote`` (a quoted title) and ``punct``. Whitespace is dropped; every token keeps
its place in the text so messages can quote what was written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Keywords in both scripts, mapped to one spelling. "p"/"pp"/"vol"/"с" mark books.
KEYWORDS = {
    "f": "f", "ф": "f",
    "op": "op", "оп": "op",
    "d": "d", "д": "d",
    "dd": "dd", "дд": "dd",
    "l": "l", "л": "l",
    "ll": "ll", "лл": "ll",
    "ob": "ob", "об": "ob",
    "p": "p", "pp": "pp", "vol": "vol", "с": "p", "сс": "pp",
}  # fmt: skip

LETTER = r"[^\W\d_]"
_TOKEN_RE = re.compile(
    rf"""
    (?P<ws>\s+)
  | (?P<ibid>(?<!{LETTER})(?:ibid|там\s+же)(?!{LETTER}))
    # a keyword is a whole word; "ob" may follow digits directly (12ob)
  | (?P<kw>(?<!{LETTER})(?:(?<!\d)(?:f|op|dd?|ll?|pp?|vol|ф|оп|дд?|лл?|сс?)|ob|об)
        (?!{LETTER})\.?)
    # a number may carry one letter (985a), but not the start of a word (12ob)
  | (?P<num>\d+(?:{LETTER}(?!{LETTER}))?)
  | (?P<word>{LETTER}+)
  | (?P<dash>[-‐‑‒–—])
  | (?P<quote>[“«"][^”»"]{{0,200}}[”»"])
  | (?P<punct>.)
    """,
    re.VERBOSE | re.IGNORECASE | re.DOTALL,
)

_CYRILLIC = re.compile("[А-Яа-яЁё]")


@dataclass(frozen=True)
class Token:
    """One token: its kind, its text as written and where it stands in the source."""

    kind: str  # ibid | kw | num | word | dash | quote | punct
    text: str
    start: int
    end: int
    kw: str | None = None  # the keyword's one spelling
    cyrillic: bool = False


def tokenize(text: str) -> list[Token]:
    """The tokens of text, whitespace dropped."""
    tokens = []
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup
        if kind == "ws":
            continue
        raw = m.group()
        kw = None
        if kind == "kw":
            kw = KEYWORDS[raw.rstrip(".").lower()]
        tokens.append(Token(kind, raw, m.start(), m.end(), kw, bool(_CYRILLIC.search(raw))))
    return tokens


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

    def snippet(self, start: int, end: int) -> str:
        """Source text of tokens start..end-1, whitespace collapsed, for messages."""
        a = self.toks[start].start
        b = self.toks[min(end, len(self.toks)) - 1].end
        return " ".join(self.text[a:b].split())
