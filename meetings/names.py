"""Matching names however they are typed: Cyrillic or any transliteration scheme.

Two sides, one key. Plain Python, no Django.

**What is stored** (:func:`search_key`) is one Latin key per word:

1. Cyrillic goes to Latin through ``iuliia``'s ALA-LC scheme without diacritics (the
   Library of Congress system the thesis writes in: Кирьянов -> Kir'ianov; ё and е alike).
2. Latin letters with diacritics and ligatures (ISO 9 ``ž č š ŝ â û``, the Slavists'
   ``šč``, LoC's ``t͡s i͡a ĭ``, ``ë è ė``) become their LoC spelling through a table built
   at import from iuliia's own schemes (each scheme's letter beside ALA-LC's for the same
   Cyrillic letter), so ``Ždanov`` is ``Zhdanov`` before anything else happens.
3. A few folds merge what the LoC family (LoC, BGN/PCGN, BS 2979, Wikipedia, passports)
   writes differently for one sound: ``y``/``j`` -> ``i``, ``kh`` -> ``h``, ``ie`` -> ``e``,
   ``sch``/``shch``, doubled letters. Kir'ianov, Kir'yanov, Kiryanov, Kir'janov and Кирьянов
   all become ``kirianov``.

**What is looked up** (:func:`query_keys`): each typed word is *read* in every scheme and
gives the keys of all its readings; a record matches when any of them matches. One key per
query word cannot do it, because the schemes spend the same Latin letters on different
sounds: ``ch`` is ч in English, ш in French and х in German and Polish; ``sh`` is ш in
English and ж in German; ``j`` is й for ISO, Germans and Poles and ж for the French; ``c``
and ``z`` are ц for Slavists and Germans. The readings:

- from iuliia, derived from its data (each scheme's letters against ALA-LC's): ISO 9 and
  GOST 7.79 (``c``), their ASCII forms (``x``, ``cz``, ``shh``, ``yo``), the scholarly system
  (``x``, ``c``), the French passport scheme MVD 310 (``j ch tch chtch ou iou``), Telegram;
- our own rules, because no maintained library holds these traditions as data: **German**
  (Duden: ``sch tsch schtsch sh z w s``, so Shdanow, Schdanow, Tolkatschew, Sinowjew),
  **Polish** (``sz cz szcz ż ł c w``, so Żdanow, Tołkaczow) and the **French** usage that the
  passport scheme leaves out (``-off``, ``-eff``, ``-ine``, ``gu``, ``ss``);
- and for every reading, ё written as ``yo``/``jo``/``io`` or as ``o`` after ж ч ш щ
  (Khrushchyov, Semjonow, Chruschtschow, Gratschow) also reads as е, the thesis's spelling.

Cyrillic query words have one reading (the stored one). A query word's first key is always
its :func:`search_key`.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import re
import unicodedata

import iuliia
from unidecode import unidecode

# The thesis's scheme: Library of Congress (ALA-LC) without diacritics.
CANONICAL = iuliia.ALA_LC_ALT
RUSSIAN_LETTERS = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
# iuliia's Russian schemes (``uz`` is Uzbek).
SCHEMES = tuple(name for name in iuliia.schemas.names() if name != "uz")

# Apostrophes and primes that stand for the soft and hard signs, and BGN's separator dot.
_SIGNS = re.compile(r"[\'\u2019\u2018\u02b9\u02ba\u02bc\u00b4`\"\u201c\u201d\u00b7]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]+")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_VOWELS = "aeiouy"


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@functools.lru_cache(maxsize=64)
def _scheme_letters(name: str) -> dict[str, str]:
    """A scheme's Latin for each Russian letter, through iuliia's public API."""
    scheme = iuliia.schemas.get(name)
    return {letter: _nfc(scheme.translate(letter)) for letter in RUSSIAN_LETTERS}


def _build_latin_table() -> dict[str, str]:
    """Latin letters with diacritics or ligatures -> their ALA-LC spelling, from iuliia."""
    table: dict[str, set[str]] = {}
    canonical = _scheme_letters("ala_lc_alt")
    for name in SCHEMES:
        for letter, latin in _scheme_letters(name).items():
            if latin.isascii() or _CYRILLIC.search(latin):
                continue  # plain ASCII, or a scheme that leaves ё in Cyrillic
            table.setdefault(latin, set()).add(canonical[letter])
    clashes = {k: v for k, v in table.items() if len(v) > 1}
    if clashes:  # iuliia's schemes agree on every such letter today; say so if that changes
        raise ImportError(f"iuliia schemes disagree on {clashes}")
    found = {k: v.pop() for k, v in table.items()}
    # Polish and French letters no iuliia scheme uses (Żdanow, Tołkaczow, Mikoïan).
    for latin, loc in {"ż": "zh", "ł": "l", "ź": "z", "ś": "s", "ń": "n", "ï": "i"}.items():
        found.setdefault(latin, loc)
    return found


_LATIN = _build_latin_table()
_LATIN_RE = re.compile("|".join(sorted(map(re.escape, _LATIN), key=len, reverse=True)))


@functools.lru_cache(maxsize=50_000)
def _cyrillic_word(word: str) -> str:
    return CANONICAL.translate(word)


def to_latin(text: str) -> str:
    """Lower-case ASCII in the thesis's transliteration, soft and hard signs dropped."""
    text = _nfc(text).lower()
    if _CYRILLIC.search(text):
        text = _CYRILLIC.sub(lambda m: _cyrillic_word(m.group()), text)
    if not text.isascii():
        text = _LATIN_RE.sub(lambda m: _LATIN[m.group()], _SIGNS.sub("", text))
        text = unidecode(text)  # whatever is left: combining marks, other scripts
    return _SIGNS.sub("", text)


# Order matters: multi-letter spellings first, doubled letters before ``ie``.
_FOLDS = [
    (re.compile(r"shch|sch"), "shch"),  # Mosmetro and Yandex write щ as sch
    (re.compile(r"tz"), "ts"),
    (re.compile(r"kh"), "h"),  # so ISO 9's h for х matches too
    (re.compile(r"x"), "ks"),
    (re.compile(r"j"), "i"),  # Kir'janov (scholarly) -> kir'ianov
    (re.compile(r"y"), "i"),  # Kir'yanov, Oktyabrskaya (popular) -> LoC i
    (re.compile(r"([a-z])\1+"), r"\1"),  # Kirillov / Kirilov, -skii / -ski; not 1933
    (re.compile(r"ie"), "e"),  # Zinoviev / Zinov'ev, Yezhov / Ezhov, Alekseyev / Alekseev
    (re.compile(r"([a-z])\1+"), r"\1"),  # again: Alekseyev -> alekseev -> aleksev
]


@functools.lru_cache(maxsize=100_000)
def fold_word(word: str) -> str:
    """One ASCII word (from :func:`to_latin`) to its key."""
    for pattern, repl in _FOLDS:
        word = pattern.sub(repl, word)
    return word


def search_key(text: str) -> str:
    """Fold text (any script, any transliteration) to space-separated Latin match keys."""
    if not text:
        return ""
    return " ".join(fold_word(w) for w in _NON_WORD.split(to_latin(text)) if w)


# ---------------------------------------------------------------------------
# Readings of a typed word in the other schemes


class Reading:
    """One tradition's way of writing Russian in Latin letters, read back to LoC letters.

    ``rules`` are (regular expression, LoC spellings) pairs tried left to right at each
    position, first match wins; a rule with several spellings is ambiguous in that
    tradition (German ``s`` is с or з) and the reading gives each.
    """

    MAX_SPELLINGS = 16

    def __init__(self, name: str, rules: list[tuple[str, tuple[str, ...]]]):
        self.name = name
        self.rules = rules
        self._pattern = re.compile("|".join(f"({p})" for p, _ in rules)) if rules else None

    def spell(self, word: str) -> list[str]:
        """The LoC spellings this tradition's ``word`` may stand for (a few at most)."""
        if self._pattern is None:
            return [word]
        parts: list[tuple[str, ...]] = []
        pos = 0
        for m in self._pattern.finditer(word):
            parts.append((word[pos : m.start()],))
            parts.append(self.rules[m.lastindex - 1][1])
            pos = m.end()
        parts.append((word[pos:],))
        combos = itertools.islice(itertools.product(*parts), self.MAX_SPELLINGS)
        return ["".join(c) for c in combos]

    def __repr__(self) -> str:
        return f"Reading({self.name!r})"


def _iuliia_rules(name: str) -> list[tuple[str, tuple[str, ...]]]:
    """Where scheme ``name`` spends plain Latin letters otherwise than ALA-LC.

    Letters with diacritics are not rules: they mean one thing in every scheme (``_LATIN``).
    """
    canonical = _scheme_letters("ala_lc_alt")
    pairs: dict[str, set[str]] = {}
    same: dict[str, set[str]] = {}
    for letter, latin in _scheme_letters(name).items():
        if letter in "ъь" or not latin.isascii():
            continue  # signs are dropped anyway; ICAO's ъ = "ie" would eat every ie
        latin, loc = _SIGNS.sub("", latin), _SIGNS.sub("", canonical[letter])
        if latin and fold_word(latin) != fold_word(loc):
            pairs.setdefault(latin, set()).add(loc)
        elif len(latin) > 1:
            same.setdefault(latin, set()).add(loc)  # kept whole: Telegram's ch is not c+h
    if not pairs:
        return []
    for latin, locs in same.items():
        pairs.setdefault(latin, locs)
    ordered = sorted(pairs, key=len, reverse=True)  # chtch before tch before ch
    return [(re.escape(latin), tuple(sorted(pairs[latin]))) for latin in ordered]


# German (Duden) transcription. Not in any maintained library. ``sch`` is ш or ж
# (Breschnew), ``sh`` the older ж (Shdanow), ``s`` is с or з (Sinowjew, Kusnezow).
GERMAN = [
    ("schtsch", ("shch",)),
    ("tsch", ("ch",)),
    ("sch", ("sh", "zh")),
    ("sh", ("zh",)),
    ("ch", ("kh",)),
    ("ss", ("s",)),
    ("s", ("s", "z")),
    ("z", ("ts",)),
    ("w", ("v",)),
]
# Polish transcription (Żdanow, Tołkaczow, Chruszczow; ż ł ś are letters of _LATIN).
POLISH = [
    ("szcz", ("shch",)),
    ("sz", ("sh",)),
    ("cz", ("ch",)),
    ("rz", ("zh",)),
    ("ch", ("kh",)),
    ("c", ("ts",)),
    ("w", ("v",)),
]
# French usage the passport scheme (MVD 310 FR) leaves out: émigré -off/-eff, final -ine
# (Boukharine), gu before e/i, ss for с between vowels (Vassiliev).
FRENCH_USAGE = [
    ("off$", ("ov",)),
    ("eff$", ("ev",)),
    ("ine$", ("in",)),
    ("gu(?=[eiy])", ("g",)),
    ("ss", ("s",)),
]


@functools.lru_cache(maxsize=1)
def readings() -> tuple[Reading, ...]:
    """The stored (LoC) reading first, then every other tradition's, duplicates dropped."""
    found: list[Reading] = [Reading("LoC, BGN/PCGN, BS 2979, Wikipedia, passports", [])]
    seen: dict[tuple, Reading] = {(): found[0]}
    for name in SCHEMES:
        rules = _iuliia_rules(name)
        if name == "mvd_310_fr":
            rules = FRENCH_USAGE + rules
        key = tuple(rules)
        if key in seen:
            seen[key].name += f", {name}"
            continue
        seen[key] = Reading(name, rules)
        found.append(seen[key])
    found += [Reading("German (Duden)", GERMAN), Reading("Polish", POLISH)]
    return tuple(found)


# ё as yo/jo/io after a consonant (Khrushchyov, Semjonow), or as o after ж ч ш щ before
# a final -v (Chruschtschow, Gratschow, Tołkaczow): the stored key has e (ALA-LC).
_YO = re.compile(rf"(?<=[^{_VOWELS}])io|(?<=zh|sh|ch)o(?=v$)")
# A typed word: letters with their combining marks (the ligature of t͡s), signs dropped.
_TYPED_WORD = re.compile(r"[^\W_][\w\u0300-\u036f\ufe20-\ufe2f]*")
_LATIN_LETTER = re.compile(r"[^\W\d_\u0400-\u04ff]")
MAX_QUERY_KEYS = 24  # keys per query word; a long German word with many s can give more


@functools.lru_cache(maxsize=10_000)
def word_keys(word: str) -> tuple[str, ...]:
    """All keys one typed word may stand for, its :func:`search_key` first.

    Each reading sees the word as typed (lower case, signs dropped, diacritics kept), so
    ISO's ``c`` rule never touches the ``č`` of Ancelovič.
    """
    word = _SIGNS.sub("", _nfc(word).lower())
    keys: list[str] = []
    for reading in readings():
        for spelling in reading.spell(word):
            for part in _NON_WORD.split(to_latin(spelling)):
                key = fold_word(part) if part else ""
                for k in (key, _YO.sub("e", key)):
                    if k and k not in keys:
                        keys.append(k)
    return tuple(keys[:MAX_QUERY_KEYS])


def query_keys(text: str) -> list[tuple[str, ...]]:
    """Each word of a typed query with the keys of all its readings, stored key first.

    ``Shdanow`` -> ``("shdanov", ..., "zhdanov")``; ``Толкачёв`` -> ``("tolkachev",)``:
    a word in Cyrillic alone has only the stored reading.
    """
    terms: list[tuple[str, ...]] = []
    for word in _TYPED_WORD.findall(_SIGNS.sub("", _nfc(text or ""))):
        if _LATIN_LETTER.search(word):
            keys = word_keys(word)
            if keys:
                terms.append(keys)
        else:
            terms += [(k,) for k in search_key(word).split()]
    return terms


# ---------------------------------------------------------------------------
# Nearest names ("did you mean")

SIMILARITY_CUTOFF = 0.75


class Nearness:
    """How near a stored key comes to a typed query: the best likeness (difflib's ratio,
    0 to 1) between any reading of a query word and any word of the key, 0 below ``cutoff``.

    Only words of three letters or more, of lengths within three of each other and with
    the same first letter count: a shorter word is a prefix, not a misspelling, and another
    first letter is another name. difflib's cheap upper bounds skip most pairs, and each
    stored word is scored once however many people share it.
    """

    def __init__(self, terms: list[tuple[str, ...]], cutoff: float = SIMILARITY_CUTOFF):
        self.cutoff = cutoff
        self.typed: dict[str, list[tuple[str, difflib.SequenceMatcher]]] = {}
        for key in sorted({k for keys in terms for k in keys if len(k) >= 3}):
            matcher = difflib.SequenceMatcher(None, autojunk=False)
            matcher.set_seq2(key)  # the costly side, prepared once
            self.typed.setdefault(key[0], []).append((key, matcher))
        self._words: dict[str, float] = {}

    @property
    def first_letters(self) -> list[str]:
        return sorted(self.typed)

    def word(self, word: str) -> float:
        if word in self._words:
            return self._words[word]
        best = 0.0
        for typed, matcher in self.typed.get(word[:1], ()):
            if abs(len(typed) - len(word)) > 3:
                continue
            matcher.set_seq1(word)
            floor = max(self.cutoff, best)
            if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
                continue
            best = max(best, matcher.ratio())
        self._words[word] = best = best if best >= self.cutoff else 0.0
        return best

    def __call__(self, key: str) -> float:
        return max((self.word(w) for w in key.split()), default=0.0)
