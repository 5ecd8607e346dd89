"""Anchors: where an archival citation starts, and which archive it names.

An anchor is an archive's name followed by a fond (``f.``, ``Ф.``, ``Fond``) or by shorthand
numbers (``GARF 5446.1.70.12``, ``RGASPI 17, 3, 900, 15``, ``RGAE 7733/36/138``). The name
comes from the registry, in either script, abbreviated or spelled out, perhaps with a gloss
in brackets (``GARF (State Archive of the Russian Federation), f.``); failing that, an
abbreviation-like word or two (``GAKO``, ``ЦДНИ ТО``) or a Russian name spelled out
(``Государственный архив Курской области``), read and flagged as not in the registry.
"""

from __future__ import annotations

from dataclasses import dataclass

from .folios import FolioReader
from .registry import ABBREVIATION, CITY, registry, transliterate

# A spelled-out archive name the registry does not know: a run of words holding "archive".
_ARCHIVE_WORDS = {"архив", "arkhiv"}
# Words left out of an abbreviation made from a name's initials.
_SMALL_WORDS = {"в", "г", "им", "при", "и", "v", "g", "im", "pri", "i"}


@dataclass(frozen=True)
class _Anchor:
    archive: str
    pos: int  # where the fond (or the shorthand) starts
    warning: str | None


class ArchiveReader(FolioReader):
    """Finds anchors in tokens; the scanner reads the citation from there."""

    def skip_gloss(self, pos: int) -> int:
        """Past a gloss in brackets at pos (``(Gubispolkom)``), or pos if there is none."""
        if not self.is_punct(pos, "("):
            return pos
        for j in range(pos + 1, min(pos + 30, len(self.toks))):
            if self.is_punct(j, "("):
                return pos
            if self.is_punct(j, ")"):
                return j + 1
        return pos

    def gloss_words(self, pos: int) -> str | None:
        """The text of a gloss in brackets at pos, if there is one."""
        end = self.skip_gloss(pos)
        return self.snippet(pos + 1, end - 1) if end > pos + 2 else None

    def fond_follows(self, pos: int, bracketed: bool = False) -> int | None:
        """After an archive's name: past its gloss and punctuation, where the fond starts.

        ``bracketed``: the name is itself a gloss, ``State Archive of Kursk Oblast (GAKO),``.
        """
        j = self.skip_gloss(pos)
        if bracketed and self.is_punct(j, ")"):
            j += 1
        while self.is_punct(j, ",", ".", ":"):
            j += 1
        if self.is_kw(j, "f"):
            return j
        return None

    def known_archive(self, pos: int) -> tuple[_Anchor | None, int] | None:
        """A registry archive named at pos: (anchor or None if no fond follows, end)."""
        found = registry().match(self.text, self.toks[pos].start)
        if found is None:
            return None
        entry, end_offset, typo = found
        end = self.index_at(end_offset)
        name = self.snippet(pos, end)
        warning = None
        if typo:
            warning = f"{name!r}: misspelt archive, read as {entry.abbreviation}"
        elif entry.ambiguous:
            warning = f"{name!r}: ambiguous abbreviation, check which archive is meant"
            if entry.note:
                warning += f" ({entry.note})"
        fpos = self.fond_follows(end, self.is_punct(pos - 1, "("))
        if fpos is None and self.shorthand_at(self.skip_gloss(end)):
            fpos = self.skip_gloss(end)
        return (_Anchor(entry.abbreviation, fpos, warning) if fpos is not None else None), end

    def unknown_archive(self, pos: int) -> _Anchor | None:
        """An archive the registry does not know: an abbreviation (one or two words), or a
        name spelled out in Russian (``Государственный архив Курской области``)."""
        t = self.toks[pos]
        if not ABBREVIATION.match(t.text):
            return self.spelled_out_archive(pos)
        for width in (2, 1):
            words = self.toks[pos : pos + width]
            if len(words) < width or any(w.kind != "word" for w in words):
                continue
            if width == 2 and not (
                ABBREVIATION.match(words[1].text) or words[1].text.lower() in CITY
            ):
                continue
            fpos = self.fond_follows(pos + width, self.is_punct(pos - 1, "("))
            if fpos is None:
                continue
            cited = " ".join(w.text for w in words)
            gloss = self.gloss_words(pos + width)
            if gloss and registry().lookup(gloss):  # "XYZ (GARF), f. ..."
                return _Anchor(registry().lookup(gloss).abbreviation, fpos, None)
            archive, warning = self.unregistered(cited)
            return _Anchor(archive, fpos, warning)
        return None

    def spelled_out_archive(self, pos: int) -> _Anchor | None:
        t = self.toks[pos]
        if not t.text[:1].isupper():
            return None
        j = pos
        words = []
        while j < len(self.toks) and j - pos < 12:
            w = self.tok(j)
            if w.kind == "word":
                words.append(w.text)
            elif not (w.kind == "punct" and w.text in ".'’") and w.kind != "dash":
                break
            j += 1
            if self.is_kw(j, "f") or self.is_punct(j, "(", ","):
                break
        if not any(w.lower() in _ARCHIVE_WORDS for w in words):
            return None
        fpos = self.fond_follows(j)
        if fpos is None:
            return None
        gloss = self.gloss_words(j)
        if gloss and ABBREVIATION.match(gloss.replace(" ", "")):
            archive, warning = self.unregistered(gloss)
            return _Anchor(archive, fpos, warning)
        initials = "".join(
            w if w.isupper() and len(w) > 1 else w[0].upper()
            for w in words
            if w.lower() not in _SMALL_WORDS
        )
        archive, warning = self.unregistered(initials)
        name = self.snippet(pos, j)
        return _Anchor(archive, fpos, f"{warning}; abbreviation made from the name {name!r}")

    def unregistered(self, cited: str) -> tuple[str, str | None]:
        """(Latin abbreviation, warning) for an archive not in the registry."""
        known = registry().lookup(cited)
        if known is not None:
            return known.abbreviation, None
        latin = transliterate(cited)
        read = f", read as {latin}" if latin != cited else ""
        return latin, (
            f"{cited!r}: archive not in the registry{read}; an admin should add it to "
            "fixtures/archives.yaml"
        )

    def archive_at(self, pos: int) -> _Anchor | None:
        """If an archival citation starts at pos: the archive, where its fond starts, and a
        warning when the archive's name was misspelt, ambiguous or unknown."""
        t = self.tok(pos)
        if t is None or t.kind != "word":
            return None
        known = self.known_archive(pos)
        if known is not None:
            anchor, end = known
            if anchor is not None:
                return anchor
            # a registry name with no fond after it ("held at TsGAIPD."), but a longer
            # unknown name may start here ("Государственный архив Курской области")
        return self.unknown_archive(pos)

    def shorthand_at(self, pos: int) -> bool:
        """Do shorthand numbers start here: ``5446.1.70``, ``17/3/900``, ``17, 3, 900``?"""
        t = self.tok(pos)
        if t is None:
            return False
        if t.kind == "word" and len(t.text) == 1 and self.tok(pos + 1) is not None:
            # a fond prefix: "R-5446.1.70"
            return self.tok(pos + 1).kind == "dash" and self.shorthand_at(pos + 2)
        if not (t.kind == "num" and t.text.isdigit()):
            return False
        seps = []
        j = pos
        while len(seps) < 3 and self.is_num(j):
            sep = self.tok(j + 1)
            if not (
                sep is not None and sep.kind == "punct" and sep.text in "./," and self.is_num(j + 2)
            ):
                break
            seps.append(sep.text)
            j += 2
        if len(seps) < 2 or len(set(seps[:2])) != 1:
            return False
        if seps[0] == ".":  # dots bind tightly: "5446.1.70", not a sentence's full stop
            return all(self.toks[k].end == self.toks[k + 1].start for k in range(pos, pos + 4))
        return True
