"""Footnotes of the thesis text (a PDF conversion), for citation ingestion.

The conversion keeps the page layout, which is what makes footnotes findable:

* a page's footnotes follow a separator line made only of spaces (the footnote rule);
* a footnote starts with its number, ``31 TsGAIPD, f. 1012, ...``; numbers increase by one
  and restart at 1 in each chapter;
* a page may end with its number alone on a line;
* the next page's body text starts with a line indented by one space (`` that the lack...``),
  so the footnote zone ends there; a footnote cut by a page break continues at the top
  of the next page's footnote zone, with that page's body text in between.

Body text can begin with a number too (a year, "1929 was..."), and so can a footnote's
continuation line ("2000. Ibid. l. 45."); only the expected next number starts a footnote.
Chapter headings (``Introduction: ...``, `` 1. Bolshevik bargaining ...``, ``Conclusion: ...``)
restart the numbering; the introduction is chapter 0 and the conclusion the one after the
last numbered chapter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from .citations import CitationResolver, ParseResult

# How far the numbering may jump inside a page's footnotes (a footnote lost in the
# conversion). The first footnote after a footnote rule may jump further: whole runs of
# footnotes are missing from the conversion (the introduction goes from 19 to 46), and
# the rule line is good evidence that a footnote follows.
MAX_GAP = 3
MAX_GAP_AFTER_RULE = 100

_SEPARATOR = re.compile(r"^ {20,}$")
# "31 TsGAIPD, ..."; also "43Pravda, ..." with the space lost (only before a capital, so
# "1929 was" and "2000. Ibid." never match).
_FOOTNOTE = re.compile(r"^ ?(\d{1,3})(?:\s+(\S.*)|([A-Z“‘].*))$")
_PAGE_START = re.compile(r"^ +\S")
_PAGE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")
_INTRODUCTION = re.compile(r"^ ?Introduction:")
_CONCLUSION = re.compile(r"^ ?Conclusion:")
_CHAPTER = re.compile(r"^ ?([1-9])\. [A-Z]")


class Footnote(NamedTuple):
    chapter: int
    number: int | None  # None: a fragment whose footnote's first line the conversion lost
    text: str  # its lines joined with newlines, trimmed
    line: int  # 1-based line of the footnote's first line


def _heading(line: str, chapter: int | None) -> int | None:
    """The chapter a heading line opens, if it is one (numbered chapters must come in order)."""
    if _INTRODUCTION.match(line):
        return 0
    if _CONCLUSION.match(line):
        return (chapter or 0) + 1
    m = _CHAPTER.match(line)
    if m and int(m.group(1)) == (chapter or 0) + 1:
        return int(m.group(1))
    return None


def iter_footnotes(lines: Iterable[str]) -> Iterator[Footnote]:
    """Yield the footnotes of the thesis, in order, as (chapter, number, text, line)."""
    lines = [line.rstrip("\n") for line in lines]
    chapter: int | None = None
    last = 0  # last footnote number in this chapter
    in_zone = after_rule = False
    current: tuple[int, int | None, int] | None = None  # (chapter, number, first line)
    parts: list[str] = []
    # Page starts since the current footnote's page: a footnote continues onto the next
    # page only, so text at the top of a later page's footnotes belongs to a footnote
    # whose start was lost (the conversion dropped a page's footnotes, rule and all).
    pages_since = 0

    def flush() -> Iterator[Footnote]:
        nonlocal current, parts
        if current is not None:
            yield Footnote(current[0], current[1], "\n".join(parts).strip(), current[2])
        current, parts = None, []

    def starts_footnote(line: str, gap: int = MAX_GAP) -> re.Match | None:
        m = _FOOTNOTE.match(line)
        if m and last < int(m.group(1)) <= last + gap:
            return m
        return None

    def next_nonblank(i: int) -> str:
        for later in lines[i + 1 :]:
            if later.strip():
                return later
        return ""

    for i, line in enumerate(lines):
        if _SEPARATOR.match(line):
            in_zone = after_rule = True
            continue
        new_chapter = _heading(line, chapter)
        if new_chapter is not None:
            yield from flush()
            chapter, last, in_zone = new_chapter, 0, False
            continue
        if not in_zone:
            pages_since += bool(_PAGE_START.match(line))
            continue
        if not line.strip():
            continue
        if _PAGE_NUMBER.match(line):  # the page's footer: its body text follows
            in_zone = False
            continue
        m = starts_footnote(line, MAX_GAP_AFTER_RULE if after_rule else MAX_GAP)
        if m is None and _PAGE_START.match(line):
            # the next page's body begins, unless a footnote follows straight on
            # (a continuation line that happens to be indented: " December 2014.")
            if not starts_footnote(next_nonblank(i)):
                in_zone = after_rule = False
                pages_since += 1
                continue
        if m is not None:
            yield from flush()
            last = int(m.group(1))
            current = (chapter or 0, last, i + 1)
            parts = [(m.group(2) or m.group(3)).rstrip()]
            pages_since = 0
        elif after_rule and pages_since > 1:
            yield from flush()
            current = (chapter or 0, None, i + 1)
            parts = [line.strip()]
            pages_since = 0
        elif current is not None:
            parts.append(line.strip())
        after_rule = False
    yield from flush()


def read_footnotes(path: str | Path) -> list[Footnote]:
    """All footnotes of the thesis file at path."""
    with open(path, encoding="utf-8") as fh:
        return list(iter_footnotes(fh))


def resolve_footnotes(footnotes: Iterable[Footnote]) -> Iterator[tuple[Footnote, ParseResult]]:
    """Each footnote with its archival references, Ibid resolved against earlier footnotes.

    Ibid reaches back only to the footnote before it: a new chapter, or footnotes missing
    from the conversion (a gap in the numbering, a fragment whose start was lost), leave
    nothing to repeat, so an Ibid with folios after one is reported as an error instead of
    being resolved against the wrong file.
    """
    resolver = CitationResolver()
    before: Footnote | None = None
    for note in footnotes:
        follows = (
            before is not None
            and before.chapter == note.chapter
            and before.number is not None
            and note.number == before.number + 1
        )
        if not follows:
            resolver.reset()
        result = resolver.feed(note.text)
        if not follows and before is not None and before.chapter == note.chapter:
            lost = (
                "a footnote's start"
                if note.number is None or before.number is None
                else (
                    f"footnotes {before.number + 1}-{note.number - 1}"
                    if note.number - before.number > 2
                    else f"footnote {before.number + 1}"
                )
            )
            result.errors = [f"{e} ({lost} missing from the text)" for e in result.errors]
        yield note, result
        before = note
