"""The public entry points: parse a citation, find the citations in prose, resolve Ibid.

``Ibid`` repeats the last archival reference (with new folios when given), but the thesis
also uses it for books: an ``Ibid`` followed by ``p.``/``pp.``/``vol.``/``passim``, or a bare
``Ibid`` whose last citation was a book, is not archival. :class:`CitationResolver` carries
that state from one footnote to the next.
"""

from __future__ import annotations

from .errors import CitationError
from .grammar import Scan, Scanner
from .reference import ParseResult, Reference
from .tokens import clean, tokenize


def _scan(text: str, previous: Reference | None, last_kind: str | None) -> Scan:
    """Scan text; OCR mendings are reported only where they touch a citation read."""
    cleaned, mendings = clean(text or "")
    scan = Scanner(cleaned, tokenize(cleaned)).scan(previous, last_kind)
    touched = [
        message for start, end, message in mendings if any(a <= start < b for a, b in scan.spans)
    ]
    scan.warnings[:0] = touched
    return scan


def find_references(text: str, previous: Reference | None = None) -> ParseResult:
    """Every archival reference in a piece of prose (a footnote), in order.

    Returns no references (and no error) for text that cites nothing archival; citations
    that start like archival ones but cannot be read are listed in ``errors``.
    """
    scan = _scan(text, previous, None)
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
        scan = _scan(text, self.previous, self.last_kind)
        if scan.references:
            self.previous = scan.references[-1]
        self.last_kind = scan.last_kind
        return ParseResult(scan.references, scan.warnings, scan.errors, scan.unresolved_ibid)
