"""The grammar: finding archival citations in prose and reading them.

:class:`Scanner` walks the tokens (:mod:`.tokens`) looking for *anchors*: an archive's
name followed by a fond or shorthand numbers (:mod:`.anchors`), or ``Ibid`` / ``Там же``.
From each anchor it reads as much of the grammar as fits, so prose around a citation is
simply skipped. Chains (``op. 1, d. 480; op. 2, d. 1012; d. 1478``) inherit
the archive, fond and opis read before them, and so does an Ibid that names a new part
(``Ibid., d. 71``; ``Там же. Ф. 16``).

Where the parser has to *change* what was written to make sense of it (a misspelt or
unknown archive, the digit ``1`` or a capital ``I`` for ``l.``, page numbers for folios, a
stray dash, a full stop inside an English citation, a Latin letter in a Cyrillic word) it
says so in a warning; purely typographic slips (a missing comma or space) are read without
comment because nothing is reinterpreted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .anchors import ArchiveReader
from .errors import Failed
from .folios import Folio, latin_letter
from .reference import Reference, delo_key

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
    spans: list[tuple[int, int]] = field(default_factory=list)  # text offsets of citations


class Scanner(ArchiveReader):
    """Walks the tokens of a text from anchor to anchor, reading the citations it finds."""

    lenient = True

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

    # -- grammar

    def number(self, pos: int, what: str, start: int, warnings: list[str]) -> tuple[str, int]:
        """A plain number with an optional letter suffix (985a) for opis and delo."""
        t = self.tok(pos)
        if t is None or t.kind != "num":
            bad = self.snippet(start, pos + 1)
            suffix = ", optionally with a letter suffix like 985a" if what == "delo" else ""
            raise Failed(f"{bad!r}: {what} number must be digits{suffix}")
        text = t.text
        if text[-1].isalpha():
            text = text[:-1] + latin_letter(text[-1])
        pos += 1
        if self.stray_dash(pos, t.text):
            warnings.extend(self.slips)
            self.slips = []
            pos += 1
        return text, pos

    def fond(self, pos: int, warnings: list[str]) -> tuple[str, int]:
        """``1012``, ``r-34``, ``Р-34``, ``R-34``, ``r34``, ``4п``: ``1012``/``r-34``/``4p``."""
        start = pos - 1
        t = self.tok(pos)
        if t is not None and t.kind == "num":
            return self.number(pos, "fond", start, warnings)
        # the prefix letter may have been read as a keyword: "p-1" starts like "p. 1"
        if t is not None and t.kind in ("word", "kw") and len(t.text) == 1:
            j = pos + 1
            if self.tok(j) is not None and self.tok(j).kind == "dash":
                j += 1
            n = self.tok(j)
            if n is not None and n.kind == "num" and n.text.isdigit():
                number, end = self.number(j, "fond", start, warnings)
                return f"{latin_letter(t.text)}-{number}", end
        raise Failed(
            f"{self.snippet(start, pos + 1)!r}: fond number must be digits, "
            "optionally with a letter prefix like r-34"
        )

    def delo(self, pos: int, start: int, warnings: list[str]) -> tuple[str, str | None, int]:
        """A delo number, or a range of files (``10-25``): (delo, last delo or None, end)."""
        delo, pos = self.number(pos, "delo", start, warnings)
        if not (
            self.tok(pos) is not None and self.tok(pos).kind == "dash" and self.is_num(pos + 1)
        ):
            return delo, None, pos
        end, after = self.number(pos + 1, "delo", start, warnings)
        if delo_key(end) <= delo_key(delo):
            raise Failed(
                f"{self.snippet(start, after)!r}: range of files {delo}-{end} ends before it starts"
            )
        return delo, end, after

    def shorthand(self, archive: str, pos: int, warnings: list[str]) -> tuple[list[Reference], int]:
        """``5446.1.70[.12]``, ``17, 3, 900[, 15]``, ``17/3/900[, l. 15]`` after an archive."""
        prefix = ""
        if self.tok(pos).kind == "word":
            prefix, pos = f"{latin_letter(self.toks[pos].text)}-", pos + 2
        sep = self.toks[pos + 1].text
        numbers = [self.toks[pos].text]
        j = pos + 1
        while self.is_punct(j, sep) and self.is_num(j + 1) and len(numbers) < 3:
            numbers.append(self.toks[j + 1].text)
            j += 2
        fond, opis, delo = prefix + numbers[0], numbers[1], latin_delo(numbers[2])
        folios: tuple[Folio, ...] = ()
        if sep in ".," and self.is_punct(j, sep) and self.is_num(j + 1):
            folios, j = self.folio_list_at(j + 1, warnings, single=sep == ",")
        elif self.is_punct(j, ":") and self.is_num(j + 1):  # "7733/36/138: 24"
            folios, j = self.folio_list_at(j + 1, warnings, single=False)
        else:
            k = j + self.is_punct(j, ",", ":")
            if self.starts_folios(k, pages=True):
                folios, j = self.folios(k, warnings)
        return [Reference(archive, fond, opis, delo, folios)], j

    def folio_list_at(
        self, pos: int, warnings: list[str], single: bool
    ) -> tuple[tuple[Folio, ...], int]:
        """Folios with no keyword (the last shorthand number): one only after commas, where
        a further comma may well start something else."""
        self.slips = []
        if single:
            folio, end = self.folio(pos, self.snippet(pos, pos + 1))
            folios = (folio,)
        else:
            folios, end = self.folio_list(pos, self.snippet(pos, pos + 1))
        warnings.extend(self.slips)
        self.slips = []
        return folios, end

    def chain(
        self,
        archive: str,
        pos: int,
        warnings: list[str],
        fond: str | None = None,
        opis: str | None = None,
    ) -> tuple[list[Reference], int]:
        """Read ``f. .. op. .. d. .. l. ..`` parts from pos, inheriting leftwards (and from
        the fond and opis given, for an Ibid that names a lower part)."""
        refs: list[Reference] = []
        russian = self.toks[pos].cyrillic
        # A fond or opis cited with nothing below it is itself the reference; it waits
        # here until a delo or folios under it (or the end of the chain) decide.
        pending: Reference | None = None

        while True:
            part_start = pos
            if self.is_kw(pos, "f"):
                if pending is not None:
                    refs.append(pending)
                fond, pos = self.fond(pos + 1, warnings)
                opis = None
                pending = Reference(archive, fond)
            elif self.is_kw(pos, "op"):
                if fond is None:
                    raise Failed(f"{self.snippet(pos, pos + 2)!r}: opis without a fond")
                if pending is not None and pending.opis is not None:
                    refs.append(pending)  # "op. 1; op. 2, d. 5": op. 1 cited whole
                opis, pos = self.number(pos + 1, "opis", pos, warnings)
                pending = Reference(archive, fond, opis)
            elif self.is_kw(pos, "d"):
                if fond is None:
                    raise Failed(f"{self.snippet(pos, pos + 2)!r}: delo without a fond")
                delo, delo_end, pos = self.delo(pos + 1, pos, warnings)
                pos = self.skip_gloss(pos)
                folios: tuple[Folio, ...] = ()
                j = self.skip_filler(pos + self.is_punct(pos, ",", "."))
                if self.starts_folios(j, pages=True):
                    if self.is_punct(pos, ".") and not russian and not self.toks[j].text.istitle():
                        warnings.append(
                            f"{self.snippet(part_start, j + 2)!r}: full stop inside a citation "
                            "read as a comma"
                        )
                    folios, pos = self.folios(j, warnings)
                refs.append(Reference(archive, fond, opis, delo, folios, delo_end))
                pending = None
            elif self.is_kw(pos, "dd"):
                if fond is None:
                    raise Failed(f"{self.snippet(pos, pos + 2)!r}: dela without a fond")
                start = pos
                delo, delo_end, pos = self.delo(pos + 1, start, warnings)
                refs.append(Reference(archive, fond, opis, delo, (), delo_end))
                while self.is_punct(pos, ",") and self.is_num(pos + 1):
                    if self.digit_one_folio(pos + 1):
                        break
                    delo, delo_end, pos = self.delo(pos + 1, start, warnings)
                    refs.append(Reference(archive, fond, opis, delo, (), delo_end))
                pending = None
            elif self.starts_folios(pos) and fond is not None:
                # folios of a whole opis, e.g. of its preface
                folios, pos = self.folios(pos, warnings)
                refs.append(Reference(archive, fond, opis, None, folios))
                pending = None
            else:
                raise Failed(f"{self.snippet(pos, pos + 2)!r}: expected f., op., d. or l.")

            pos = self.skip_gloss(pos)  # "f. r-100 (Gubispolkom)", "op. 3 (Politburo)"
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
            # GOST order in either script ("F. 24. Op. 5.") puts a full stop before a
            # capitalised unit; before a small one ("op. 1. d. 287") it is a slip
            if full_stop and not russian and self.toks[nxt].text[:1].islower():
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

    def ibid(self, pos: int, last_kind: str | None) -> tuple[str, int]:
        """What follows an Ibid, and where: 'folios' | 'pages' | 'chain' | 'book' | 'bare'."""
        j = pos + 1
        while self.is_punct(j, ",", ".", ":"):
            j += 1
        if self.starts_folios(j):
            return "folios", j
        if self.is_kw(j, "op") and self.is_word(j + 1, {"cit"}):
            return "book", j  # "Ibid., op. cit."
        if self.is_kw(j, "f", "op", "d", "dd") and self.is_num(j + 1):
            return "chain", j  # "Ibid., d. 71" (but not "op. cit.")
        if self.is_kw(j, "f") and self.tok(j + 2) is not None and self.tok(j + 2).kind == "dash":
            return "chain", j  # "Ibid., f. r-34"
        if self.is_page_kw(j) and last_kind == "archival":
            # "Ibid., p. 14." right after an archival citation: Ibid repeats the file, so
            # its pages are the file's folios (books are cited by page, files are not)
            return "pages", j
        t = self.tok(j)
        if t is not None and (
            (t.kind == "kw" and t.kw in ("p", "pp", "vol"))
            or (t.kind == "word" and t.text.lower() in _BOOK_WORDS)
            or t.kind == "num"  # "Ibid. 20 July 2016": a dated source, not a folio
        ):
            return "book", j
        return "bare", j

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
            warnings = [anchor.warning] if anchor.warning else []
            try:
                if self.is_kw(anchor.pos, "f"):
                    refs, pos = self.chain(anchor.archive, anchor.pos, warnings)
                else:
                    refs, pos = self.shorthand(anchor.archive, anchor.pos, warnings)
            except Failed as exc:
                out.errors.append(str(exc))
                pos = anchor.pos + 1
                continue
            out.references.extend(refs)
            out.warnings.extend(warnings)
            out.last_kind = "archival"
            out.spans.append((t.start, self.toks[pos - 1].end))
            previous = refs[-1]
        return out

    def scan_ibid(self, pos: int, out: Scan, previous: Reference | None) -> int:
        kind, j = self.ibid(pos, out.last_kind)
        if kind == "book" or (kind == "bare" and out.last_kind == "book"):
            out.last_kind = "book"
            return j
        if previous is None:
            if kind in ("folios", "chain", "pages"):
                end = j + 2
                if kind != "chain":
                    try:
                        end = self.folios(j, [])[1]
                    except Failed:
                        pass
                out.errors.append(
                    f"{self.snippet(pos, end)!r}: Ibid with no earlier archival reference"
                )
            else:
                out.unresolved_ibid = True
            return j
        warnings: list[str] = []
        try:
            if kind in ("folios", "pages"):
                folios, end = self.folios(j, warnings)
                refs = [with_folios(previous, folios)]
            elif kind == "chain":
                refs, end = self.chain(previous.archive, j, warnings, previous.fond, previous.opis)
            else:
                refs, end = [previous], j
        except Failed as exc:
            out.errors.append(str(exc))
            return pos + 1
        out.references.extend(refs)
        out.warnings.extend(warnings)
        out.last_kind = "archival"
        out.spans.append((self.toks[pos].start, self.toks[max(end, pos + 1) - 1].end))
        return end


def latin_delo(number: str) -> str:
    return number[:-1] + latin_letter(number[-1]) if number[-1].isalpha() else number


def with_folios(ref: Reference, folios: tuple[Folio, ...]) -> Reference:
    """The same file, other folios."""
    return Reference(ref.archive, ref.fond, ref.opis, ref.delo, folios, ref.delo_end)
