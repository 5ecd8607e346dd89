"""Dates as records and people write them: partial, approximate, or a span.

A meeting known only as "1929" must never become 1 January 1929, and "c. October 1931" must
stay approximate. Two layers, plain Python (no Django), shared by the models, the admin, the
importer and the filters:

- :class:`PartialDate`: one ISO 8601 partial date (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``) with
  the earliest and latest day it can mean.
- :class:`RecordDate`: what a record's date field holds: a partial date, or a span of two
  (a series of meetings, "May-July 1933"), possibly approximate. :func:`read` is the ONE
  reader of what people type (``12 March 1929``, ``12 марта 1929``, ``12.03.1929``,
  ``c. 1931``, ``ca. October 1931``, ``около 1931``, ``May–July 1933``...). Its normalised
  form is EDTF-like: ``1931-10~`` (approximate), ``1933-05/1933-07`` (a span).

Sorting and filtering use the earliest and latest day; an approximate date keeps its nominal
span (the flag is shown, never silently widened).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

DAY, MONTH, YEAR, UNKNOWN = "day", "month", "year", "unknown"
PRECISIONS = (DAY, MONTH, YEAR, UNKNOWN)

# Years a party record can carry: wide enough for context records, narrow enough to catch typos.
YEAR_MIN, YEAR_MAX = 1800, 2100

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

ACCEPTED_FORMS = (
    "1929-03-12, 1929-03, 1929, 12 March 1929, March 12, 1929, March 1929, 12 марта 1929, "
    "март 1929, 12.03.1929, 03.1929; approximate: c. 1931, ca. October 1931, около 1931, 1931~; "
    "a span: 1933-05/1933-07, May–July 1933, 1938–1941"
)


class PartialDateError(ValueError):
    """A date that cannot be read, or is not a real date; the message shows accepted forms."""


@dataclass(frozen=True)
class PartialDate:
    """A date known to the day, the month or only the year."""

    year: int | None
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, value: str | None) -> PartialDate:
        """Strict ISO partial date (``YYYY[-MM[-DD]]``); see :func:`read` for what people type."""
        if value is None or str(value).strip() in {"", "unknown", "?"}:
            return cls(None)
        text = str(value).strip()
        m = _ISO.match(text)
        if not m:
            raise PartialDateError(
                f"{text!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD (e.g. 1929-05-14)"
            )
        return cls.of(int(m["y"]), int(m["m"]) if m["m"] else None, int(m["d"]) if m["d"] else None)

    @classmethod
    def of(cls, year: int, month: int | None = None, day: int | None = None) -> PartialDate:
        """A checked partial date from numbers (a real month, a real day)."""
        shown = "-".join(f"{n:02d}" for n in (year, month, day) if n is not None)
        if not YEAR_MIN <= year <= YEAR_MAX:
            raise PartialDateError(f"{shown!r}: year {year} is outside {YEAR_MIN}–{YEAR_MAX}")
        if month is not None and not 1 <= month <= 12:
            raise PartialDateError(f"{shown!r}: month {month} does not exist")
        if day is not None:
            try:
                dt.date(year, month, day)
            except ValueError as exc:
                raise PartialDateError(f"{shown!r}: {exc}") from None
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


@dataclass(frozen=True)
class RecordDate:
    """A record's date: a partial date or a span of two, possibly approximate."""

    start: PartialDate
    end: PartialDate | None = None  # the last day of a span (a series of meetings)
    approximate: bool = False

    @property
    def known(self) -> bool:
        return self.start.year is not None

    @property
    def is_span(self) -> bool:
        return self.end is not None

    @property
    def precision(self) -> str:
        return self.start.precision

    @property
    def year(self) -> int | None:
        return self.start.year

    @property
    def earliest(self) -> dt.date | None:
        return self.start.earliest

    @property
    def latest(self) -> dt.date | None:
        return (self.end or self.start).latest

    @property
    def normalised(self) -> str:
        """EDTF-like: ``1929-03-12``, ``1931-10~``, ``1933-05/1933-07``, ``""`` if unknown."""
        if not self.known:
            return ""
        mark = "~" if self.approximate else ""
        text = self.start.iso + mark
        if self.end is not None:
            text += "/" + self.end.iso + mark
        return text

    def display(self) -> str:
        """'c. October 1931', 'May – July 1933', '12 March 1929', 'date unknown'."""
        if not self.known:
            return "date unknown"
        text = self.start.display()
        if self.end is not None:
            text = _span_display(self.start, self.end)
        return f"c. {text}" if self.approximate else text

    def __str__(self) -> str:
        return self.display()


def _span_display(a: PartialDate, b: PartialDate) -> str:
    # Shorten where the parts share a year: "May – July 1933", "12–14 March 1929".
    if a.precision == b.precision == MONTH and a.year == b.year:
        return f"{MONTH_NAMES[a.month]} – {b.display()}"
    if a.precision == b.precision == DAY and (a.year, a.month) == (b.year, b.month):
        return f"{a.day}–{b.display()}"
    return f"{a.display()} – {b.display()}"


# ---------------------------------------------------------------------------
# The reader

# Month names and their usual abbreviations, English and Russian (every case a date uses:
# "март 1929", "12 марта 1929", "в марте 1929").
_MONTH_WORDS: dict[str, int] = {}
for _n, _name in enumerate(MONTH_NAMES[1:], start=1):
    _MONTH_WORDS[_name.lower()] = _n
    _MONTH_WORDS[_name[:3].lower()] = _n
_MONTH_WORDS["sept"] = 9
for _n, _stems in enumerate(
    [
        ("январ",),
        ("феврал",),
        ("март",),
        ("апрел",),
        ("ма",),
        ("июн",),
        ("июл",),
        ("август",),
        ("сентябр",),
        ("октябр",),
        ("ноябр",),
        ("декабр",),
    ],
    start=1,
):
    for _stem in _stems:
        for _ending in ("", "ь", "я", "е", "й", "а", "ю"):
            _MONTH_WORDS.setdefault(_stem + _ending, _n)
for _abbr, _n in {"янв": 1, "фев": 2, "мар": 3, "апр": 4, "авг": 8, "сен": 9, "сент": 9,
                  "окт": 10, "ноя": 11, "нояб": 11, "дек": 12}.items():  # fmt: skip
    _MONTH_WORDS[_abbr] = _n
del _MONTH_WORDS["ма"]  # a stem, not a word; "май", "мая", "мае" stay

_APPROX = re.compile(
    r"^(?:circa|approximately|approx\.|about|ca\.?|c\.|c(?=\s)|около|ок\.|примерно|приблизительно)\s*",
    re.IGNORECASE,
)
# Words around a date that carry nothing: "12 марта 1929 г.", "1929 года", "в марте 1929".
_NOISE = re.compile(r"(?:\s+(?:г\.?|гг\.?|года|год)|,)\s*$|^(?:в|во)\s+", re.IGNORECASE)
_DASH = r"\s*[-‐‑‒–—]\s*"
_SPACED_DASH = r"\s+[-‐‑‒–—]\s+|\s*[‐‑‒–—]\s*"

_DMY = re.compile(r"^(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m>[^\W\d_]+)\.?\s+(?P<y>\d{4})$")
_MDY = re.compile(r"^(?P<m>[^\W\d_]+)\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})$")
_MY = re.compile(r"^(?P<m>[^\W\d_]+)\.?,?\s+(?P<y>\d{4})$")
_DOTTED = re.compile(r"^(?:(?P<d>\d{1,2})\.)?(?P<m>\d{1,2})\.(?P<y>\d{4})$")
_YEAR_ONLY = re.compile(r"^\d{4}$")


def _month(word: str) -> int | None:
    return _MONTH_WORDS.get(word.lower().rstrip("."))


def _read_one(text: str) -> PartialDate:
    """One partial date in any accepted form (no approximation mark, no span)."""
    text = text.strip()
    previous = None
    while previous != text:  # strip "г.", "года", "в", trailing commas
        previous, text = text, _NOISE.sub("", text).strip()
    if _ISO.match(text):
        return PartialDate.parse(text)
    for pattern in (_DMY, _MDY):
        m = pattern.match(text)
        if m and _month(m["m"]):
            return PartialDate.of(int(m["y"]), _month(m["m"]), int(m["d"]))
    m = _MY.match(text)
    if m and _month(m["m"]):
        return PartialDate.of(int(m["y"]), _month(m["m"]))
    m = _DOTTED.match(text)
    if m:
        return PartialDate.of(int(m["y"]), int(m["m"]), int(m["d"]) if m["d"] else None)
    raise PartialDateError(f"{text!r} is not a date I can read")


def _read_span(text: str) -> tuple[PartialDate, PartialDate] | None:
    """``A/B``, ``A – B``, ``May–July 1933``, ``12–14 March 1929``, ``1938–41``; else None."""
    if "/" in text:
        a, _, b = text.partition("/")
        return _read_one(a.rstrip("~")), _read_one(b.rstrip("~"))
    # 1938–1941, 1938–41; but "1938-12" with a hyphen is ISO for December 1938
    m = re.match(rf"^(\d{{4}})(?:{_DASH}(\d{{4}})|\s*[‒–—]\s*(\d{{2}}))$", text)
    if m:
        m = (None, m[1], m[2] or m[3])
        end = m[2] if len(m[2]) == 4 else m[1][:2] + m[2]
        return _read_one(m[1]), _read_one(end)
    m = re.match(rf"^([^\W\d_]+)\.?{_DASH}([^\W\d_]+\.?\s+\d{{4}})$", text)
    if m and _month(m[1]):  # May–July 1933
        end = _read_one(m[2])
        return PartialDate.of(end.year, _month(m[1])), end
    m = re.match(rf"^(\d{{1,2}}){_DASH}(\d{{1,2}}\s+[^\W\d_]+\.?\s+\d{{4}})$", text)
    if m:  # 12–14 March 1929
        end = _read_one(m[2])
        return PartialDate.of(end.year, end.month, int(m[1])), end
    parts = re.split(_SPACED_DASH, text)
    if len(parts) == 2 and not _ISO.match(text):  # "May 1933 – July 1933"
        return _read_one(parts[0]), _read_one(parts[1])
    return None


def read(value: str | None) -> RecordDate:
    """Read a date as people write it; raise :class:`PartialDateError` naming accepted forms."""
    text = " ".join(str(value or "").split())
    if text.lower() in {"", "unknown", "?", "n.d.", "s.d.", "б.д.", "без даты"}:
        return RecordDate(PartialDate(None))
    approximate = False
    m = _APPROX.match(text)
    if m:
        approximate, text = True, text[m.end() :].strip()
    if text.endswith("?") or text.endswith("~"):
        approximate, text = True, text.rstrip("?~").strip()
    if "~" in text:
        approximate = True
    try:
        span = _read_span(text.replace("~", ""))
        if span is None:
            return RecordDate(_read_one(text), None, approximate)
    except PartialDateError as exc:
        raise PartialDateError(f"{exc}; accepted forms: {ACCEPTED_FORMS}") from None
    start, end = span
    if end.latest < start.earliest:
        raise PartialDateError(
            f"{str(value).strip()!r}: the span ends ({end.display()}) before it starts "
            f"({start.display()})"
        )
    if start == end:
        return RecordDate(start, None, approximate)
    return RecordDate(start, end, approximate)


def overlaps(record: RecordDate, start: dt.date | None, end: dt.date | None) -> bool:
    """Does a record's possible span meet the range [start, end] (either end open)?"""
    if not record.known:
        return False
    return (start is None or record.latest >= start) and (end is None or record.earliest <= end)
