"""Partial dates: a date as the record gives it, at the precision it gives.

A meeting known only as "spring 1929" or "1929" must never become 1 January 1929.
We keep an ISO 8601 partial date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) and derive the
earliest and latest day it can mean, which is what filters and sorting use.
Plain Python, no Django, so the importer and the models share it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

DAY, MONTH, YEAR, UNKNOWN = "day", "month", "year", "unknown"
PRECISIONS = (DAY, MONTH, YEAR, UNKNOWN)

_ISO = re.compile(r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?$")

MONTH_NAMES = [
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


class PartialDateError(ValueError):
    """A date string that is not YYYY, YYYY-MM or YYYY-MM-DD, or not a real date."""


@dataclass(frozen=True)
class PartialDate:
    """A date known to the day, the month or only the year."""

    year: int | None
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, value: str | None) -> PartialDate:
        if value is None or str(value).strip() in {"", "unknown", "?"}:
            return cls(None)
        text = str(value).strip()
        m = _ISO.match(text)
        if not m:
            raise PartialDateError(
                f"{text!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD (e.g. 1929-05-14)"
            )
        year = int(m["y"])
        month = int(m["m"]) if m["m"] else None
        day = int(m["d"]) if m["d"] else None
        if month is not None and not 1 <= month <= 12:
            raise PartialDateError(f"{text!r}: month {month} does not exist")
        if day is not None:
            try:
                dt.date(year, month, day)
            except ValueError as exc:
                raise PartialDateError(f"{text!r}: {exc}") from None
        return cls(year, month, day)

    @property
    def precision(self) -> str:
        if self.year is None:
            return UNKNOWN
        if self.month is None:
            return YEAR
        if self.day is None:
            return MONTH
        return DAY

    @property
    def iso(self) -> str:
        if self.year is None:
            return ""
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
        if self.day:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)

    @property
    def earliest(self) -> dt.date | None:
        if self.year is None:
            return None
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> dt.date | None:
        if self.year is None:
            return None
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return dt.date(self.year, month, day)

    def display(self) -> str:
        """As a historian writes it: '14 May 1929', 'May 1929', '1929', 'date unknown'."""
        if self.year is None:
            return "date unknown"
        if self.month is None:
            return str(self.year)
        if self.day is None:
            return f"{MONTH_NAMES[self.month]} {self.year}"
        return f"{self.day} {MONTH_NAMES[self.month]} {self.year}"

    def __str__(self) -> str:
        return self.display()
