"""The grammar: finding archival citations in prose and reading them.

:class:`Scanner` walks the tokens (:mod:`.tokens`) looking for *anchors* (an archive
abbreviation followed by ``f.``, or ``Ibid``) and from each anchor reads as much of the
grammar as fits, so prose around a citation is simply skipped. Chains (``op. 1, d. 480;
op. 2, d. 1012; d. 1478``) inherit the archive, fond and opis read before them.

Where the parser has to *change* what was written to make sense of it (a misspelt archive,
the digit ``1`` for ``l.``, ``l.`` before a range, a full stop inside a citation) it says so
in a warning; purely typographic slips (a missing comma or space) are read without comment
because nothing is reinterpreted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import Failed
from .folios import Folio, FolioReader
from .formatting import latin_letter
from .reference import Reference
from .registry import ABBREVIATION, ARCHIVE_SPELLINGS, CITY

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
class Scan:
    """The state and findings of one scan."""

    references: list[Reference] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    last_kind: str | None = None  # "archival" | "book" | None: the last thing cited
    unresolved_ibid: bool = False  # a bare Ibid with nothing to resolve against


class Scanner(FolioReader):
    """Walks the tokens of a text from anchor to anchor, reading the citations it finds."""

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
        if nxt is not None and nxt.kind == "word" and nxt.text.lower() in CITY:
            city, j = nxt.text, j + 1
        while self.is_punct(j, ",", "."):
            j += 1
        if not self.is_kw(j, "f"):
            return None  # an archive named in prose ("held at TsGAIPD."), not a citation
        known = ARCHIVE_SPELLINGS.get(t.text.lower())
        if known:
            canonical, typo = known
            warning = f"{t.text!r}: misspelt archive, read as {canonical}" if typo else None
            return canonical, j, warning
        if not ABBREVIATION.match(t.text):
            return None
        return (f"{t.text} {city}" if city else t.text), j, None

    # -- grammar

    def number(self, pos: int, what: str, start: int) -> tuple[str, int]:
        """A plain number with an optional letter suffix (985a) for opis and delo."""
        t = self.tok(pos)
        if t is None or t.kind != "num":
            bad = self.snippet(start, pos + 1)
            suffix = ", optionally with a letter suffix like 985a" if what == "delo" else ""
            raise Failed(f"{bad!r}: {what} number must be digits{suffix}")
        text = t.text
        if text[-1].isalpha():
            text = text[:-1] + latin_letter(text[-1])
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
                return f"{latin_letter(t.text)}-{n.text}", j + 1
        raise Failed(
            f"{self.snippet(start, pos + 1)!r}: fond number must be digits, "
            "optionally with a letter prefix like r-34"
        )

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
                    raise Failed(f"{self.snippet(pos, pos + 2)!r}: opis without a fond")
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
                raise Failed(f"{self.snippet(pos, pos + 2)!r}: expected f., op., d. or l.")

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

    def scan(self, previous: Reference | None, last_kind: str | None) -> Scan:
        out = Scan(last_kind=last_kind)
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
            except Failed as exc:
                out.errors.append(str(exc))
                pos = fpos + 1
                continue
            out.references.extend(refs)
            out.warnings.extend(warnings)
            out.last_kind = "archival"
            previous = refs[-1]
        return out

    def scan_ibid(self, pos: int, out: Scan, previous: Reference | None) -> int:
        try:
            kind, folios, end, warnings = self.ibid(pos)
        except Failed as exc:
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
        ref = previous if folios is None else with_folios(previous, folios)
        out.references.append(ref)
        out.warnings.extend(warnings)
        out.last_kind = "archival"
        return end


def with_folios(ref: Reference, folios: tuple[Folio, ...]) -> Reference:
    """The same file, other folios."""
    return Reference(ref.archive, ref.fond, ref.opis, ref.delo, folios)
