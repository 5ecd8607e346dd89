"""The one date reader: dates as people write them, partial, approximate or a span."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meetings import dates


@pytest.mark.parametrize(
    "typed, normalised, precision, approximate",
    [
        ("12 March 1929", "1929-03-12", "day", False),
        ("March 12, 1929", "1929-03-12", "day", False),
        ("March 1929", "1929-03", "month", False),
        ("Sept. 1930", "1930-09", "month", False),
        ("12 марта 1929", "1929-03-12", "day", False),
        ("12 марта 1929 г.", "1929-03-12", "day", False),
        ("март 1929", "1929-03", "month", False),
        ("в мае 1929 года", "1929-05", "month", False),
        ("12.03.1929", "1929-03-12", "day", False),
        ("03.1929", "1929-03", "month", False),
        ("1929-03-12", "1929-03-12", "day", False),
        ("1929", "1929", "year", False),
        ("c. 1931", "1931~", "year", True),
        ("ca. October 1931", "1931-10~", "month", True),
        ("около 1931", "1931~", "year", True),
        ("1929?", "1929~", "year", True),
        ("1931-10~", "1931-10~", "month", True),
        ("", "", "unknown", False),
        ("unknown", "", "unknown", False),
    ],
)
def test_reads_what_people_type(typed, normalised, precision, approximate):
    reading = dates.read(typed)
    assert (reading.normalised, reading.precision, reading.approximate) == (
        normalised,
        precision,
        approximate,
    )


@pytest.mark.parametrize(
    "typed, normalised, earliest, latest, shown",
    [
        ("1933-05/1933-07", "1933-05/1933-07", "1933-05-01", "1933-07-31", "May – July 1933"),
        ("May–July 1933", "1933-05/1933-07", "1933-05-01", "1933-07-31", "May – July 1933"),
        ("May 1933 – July 1933", "1933-05/1933-07", "1933-05-01", "1933-07-31", "May – July 1933"),
        ("1938–41", "1938/1941", "1938-01-01", "1941-12-31", "1938 – 1941"),
        (
            "12–14 March 1929",
            "1929-03-12/1929-03-14",
            "1929-03-12",
            "1929-03-14",
            "12–14 March 1929",
        ),
        ("c. 1931–1932", "1931~/1932~", "1931-01-01", "1932-12-31", "c. 1931 – 1932"),
    ],
)
def test_spans(typed, normalised, earliest, latest, shown):
    reading = dates.read(typed)
    assert reading.normalised == normalised
    assert (str(reading.earliest), str(reading.latest)) == (earliest, latest)
    assert reading.display() == shown


def test_a_hyphen_and_two_digits_is_a_month_not_a_span():
    assert dates.read("1938-12").normalised == "1938-12"
    with pytest.raises(dates.PartialDateError, match="month 41 does not exist"):
        dates.read("1938-41")


@pytest.mark.parametrize(
    "bad, why",
    [
        ("1929-13-01", "month 13 does not exist"),
        ("1929-02-30", "day is out of range"),
        ("29", "is not a date I can read"),
        ("12 Marchh 1929", "is not a date I can read"),
        ("1933-07/1933-05", "ends (May 1933) before it starts (July 1933)"),
        ("0929", "outside"),
    ],
)
def test_refuses_what_it_cannot_read_and_shows_accepted_forms(bad, why):
    with pytest.raises(dates.PartialDateError) as raised:
        dates.read(bad)
    assert why in str(raised.value)
    if "before it starts" not in why:
        assert "accepted forms: 1929-03-12" in str(raised.value)


def test_display_never_invents_a_day():
    assert dates.read("1929").display() == "1929"
    assert dates.read("1929-05").display() == "May 1929"
    assert dates.read("1931-10~").display() == "c. October 1931"


def test_overlaps_uses_the_possible_span():
    may_july = dates.read("1933-05/1933-07")
    assert dates.overlaps(may_july, dt.date(1933, 7, 31), None)
    assert not dates.overlaps(may_july, dt.date(1933, 8, 1), None)
    assert dates.overlaps(may_july, None, dt.date(1933, 5, 1))
    assert not dates.overlaps(dates.read(""), None, None)


@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(1999, 12, 31)),
    st.sampled_from(["day", "month", "year"]),
    st.booleans(),
)
def test_normalised_form_reads_back_to_itself(day, precision, approximate):
    start = dates.PartialDate(
        day.year,
        day.month if precision != "year" else None,
        day.day if precision == "day" else None,
    )
    reading = dates.RecordDate(start, None, approximate)
    again = dates.read(reading.normalised)
    assert again == reading
    assert dates.read(reading.display()) == reading
