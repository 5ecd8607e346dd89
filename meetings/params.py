"""Reading values a visitor typed into an address: the one place that bounds them.

Every whole number taken from a query string goes through :func:`bounded_int`, so
``²``, ``①``, ``¹⁹²⁹`` (which ``str.isdigit`` accepts and ``int`` refuses) and a
10,000-digit number (past Python's limit on integer strings) are refused with a message,
never a 500. Control characters are refused by :mod:`meetings.middleware` before any view.
"""

from __future__ import annotations

import re

_ASCII_DIGITS = re.compile(r"[0-9]+")


class BadNumber(ValueError):
    """A value that is not a whole number within the allowed range; ``str()`` says why."""

    def __init__(self, shown: str, low: int, high: int):
        self.shown = shown  # the value as typed, cut to a readable length
        super().__init__(f"{shown!r}: give a whole number from {low} to {high}")


def shorten(text: str, limit: int = 40) -> str:
    """A typed value cut to a length a message can repeat."""
    return text if len(text) <= limit else text[:limit] + "…"


def bounded_int(text: str, low: int, high: int) -> int:
    """``text`` as an int if it is ASCII digits between ``low`` and ``high``, else BadNumber."""
    text = text.strip()
    # Leading zeros are harmless but a number longer than the bound's digits plus a few is
    # never in range: refuse it before int() has to read it.
    if (
        not _ASCII_DIGITS.fullmatch(text)
        or len(text) > len(str(high)) + 4
        or not low <= int(text) <= high
    ):
        raise BadNumber(shorten(text), low, high)
    return int(text)
