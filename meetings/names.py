"""Matching names however they are typed: Cyrillic, the thesis's transliteration, or another.

``search_key`` folds any spelling to one Latin key: Кирьянов, Kir'ianov, Kir'yanov, Kiryanov
and Kir'janov all become ``kirianov``. Unidecode does the Cyrillic -> Latin step (it follows
a Library of Congress style close to the thesis's); the folding rules below only merge the
transliteration systems' known disagreements. Plain Python, no Django.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from unidecode import unidecode

# Apostrophes and primes that stand for the soft and hard signs in transliteration.
_SIGNS = re.compile(r"[\'\u2019\u2018\u02b9\u02ba\u02bc\u00b4`\"\u201c\u201d]")
_NON_WORD = re.compile(r"[^a-z0-9]+")

# Order matters: multi-letter spellings first.
_FOLDS = [
    (re.compile(r"shch|sch"), "shch"),
    (re.compile(r"tz"), "ts"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"x"), "ks"),
    (re.compile(r"j"), "i"),  # Kir'janov (scholarly) -> kir'ianov
    (re.compile(r"y"), "i"),  # Kir'yanov, Oktyabrskaya (popular) -> LoC i
    (re.compile(r"(?<=[bcdfghklmnprstvz])ie"), "e"),  # Zinoviev / Zinov'ev
    (re.compile(r"\bie"), "e"),  # Yezhov / Ezhov
    (re.compile(r"ii\b"), "i"),  # -skii / -sky / -skiy all end -ski
    (re.compile(r"(.)\1"), r"\1"),  # doubled letters: Kirillov / Kirilov
]


@functools.lru_cache(maxsize=100_000)  # words repeat: bulk imports fold millions of them
def _fold_word(word: str) -> str:
    for pattern, repl in _FOLDS:
        word = pattern.sub(repl, word)
    return word


def search_key(text: str) -> str:
    """Fold text (any script, any transliteration) to space-separated Latin match keys."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    text = _SIGNS.sub("", unidecode(text).lower())
    # unidecode renders the signs themselves as apostrophes; strip them again.
    text = _SIGNS.sub("", text)
    words = [w for w in _NON_WORD.split(text) if w]
    return " ".join(_fold_word(w) for w in words)
