"""The citation grammar (meetings.citations): forms met in the thesis, typos, Ibid, properties."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meetings.citations import (
    CitationError,
    CitationResolver,
    Folio,
    Reference,
    find_references,
    first_folio_number,
    format_folio_list,
    parse,
    parse_folios,
)


def canon(text, previous=None):
    return [r.canonical() for r in parse(text, previous).references]


D266 = Reference("TsGAIPD", "1012", "1", "266", (Folio(42),))


# ---------------------------------------------------------------------------
# folios


@pytest.mark.parametrize(
    "text, expected",
    [
        ("10", "10"),
        ("131-132", "131-132"),
        ("103-5", "103-105"),  # abbreviated end
        ("143-6", "143-146"),
        ("100-1", "100-101"),
        ("3-4, 19, 96, 214", "3-4, 19, 96, 214"),
        ("12 ob.", "12ob"),
        ("12ob", "12ob"),
        ("12ob-13", "12ob-13"),
        ("l. 10", "10"),
        ("ll. 3-4", "3-4"),
        ("ll.73-76", "73-76"),
        ("Л. 10 об.", "10ob"),
        ("Лл. 3-4, 19", "3-4, 19"),
    ],
)
def test_parse_folios(text, expected):
    assert format_folio_list(parse_folios(text)) == expected


def test_folio_str():
    assert str(Folio(10)) == "10"
    assert str(Folio(12, True)) == "12ob"
    assert str(Folio(103, end=105)) == "103-105"
    assert str(Folio(12, True, 13)) == "12ob-13"


@pytest.mark.parametrize("text", ["", "abc", "10, x", "l. ", "20-10", "12-", "10 11"])
def test_parse_folios_rejects_junk(text):
    with pytest.raises(CitationError):
        parse_folios(text)


def test_range_ending_before_start_is_named():
    with pytest.raises(CitationError, match="ends before it starts"):
        parse_folios("20-10")


def test_first_folio_number():
    assert first_folio_number("3-4, 19") == 3
    assert first_folio_number("12ob") == 12
    assert first_folio_number("") is None


# ---------------------------------------------------------------------------
# forms from the thesis, chapter by chapter


@pytest.mark.parametrize(
    "text, expected",
    [
        # introduction, n. 61: a chain inheriting archive, fond and opis
        (
            "statistical reports available at TsGAIPD, f. 1012,\nop. 1, d. 480; op. 2, d. 1012; "
            "d. 1478, ll. 7, 14. The city-wide figure",
            [
                "TsGAIPD, f. 1012, op. 1, d. 480",
                "TsGAIPD, f. 1012, op. 2, d. 1012",
                "TsGAIPD, f. 1012, op. 2, d. 1478, ll. 7, 14",
            ],
        ),
        # chapter 1
        ("TsGAIPD, f. 1012, op. 1, d. 268, l. 10.", ["TsGAIPD, f. 1012, op. 1, d. 268, l. 10"]),
        (
            "TsGAIPD, f. 1012, op. 1, d. 418, ll. 131-132.",
            ["TsGAIPD, f. 1012, op. 1, d. 418, ll. 131-132"],
        ),
        (
            "called all workers to ‘battle against brak’. TsGAIPD, f. 1012,\n"
            "op. 2, d. 939, ll. 103-5.",
            ["TsGAIPD, f. 1012, op. 2, d. 939, ll. 103-105"],
        ),
        (
            "TsGAIPD, f. 1012, op. 1, d. 550, l. 25 and d. 710, l. 2.",
            ["TsGAIPD, f. 1012, op. 1, d. 550, l. 25", "TsGAIPD, f. 1012, op. 1, d. 710, l. 2"],
        ),
        (
            "late 1938 and 1939. TsGAIPD, f. 1012, op. 2, d. 1099 and d. 1707.",
            ["TsGAIPD, f. 1012, op. 2, d. 1099", "TsGAIPD, f. 1012, op. 2, d. 1707"],
        ),
        # chapter 2
        (
            "TsGAIPD, f. 1012, op. 1, d. 549, ll. 3-4, 19, 96, 214.",
            ["TsGAIPD, f. 1012, op. 1, d. 549, ll. 3-4, 19, 96, 214"],
        ),
        ("TsGAIPD, f. 1012, op. 1, d. 985b, l. 30.", ["TsGAIPD, f. 1012, op. 1, d. 985b, l. 30"]),
        (
            "TsGAIPD, f. 1012, op. 2, d. 1385a, ll. 1-2.",
            ["TsGAIPD, f. 1012, op. 2, d. 1385a, ll. 1-2"],
        ),
        ("TsGAIPD f. 1012, op. 1, d. 419, l. 77.", ["TsGAIPD, f. 1012, op. 1, d. 419, l. 77"]),
        (
            "TsGAIPD, f. 1012, op. 1, dd. 1121, 1122, 1124, 1164 containing reports",
            [f"TsGAIPD, f. 1012, op. 1, d. {d}" for d in (1121, 1122, 1124, 1164)],
        ),
        (
            "TsGAIPD, f. 1012, op. 1, d. 270, ll. 143-6, cited in Kostiuchenko, Istoriia, "
            "pp. 252-254.",
            ["TsGAIPD, f. 1012, op. 1, d. 270, ll. 143-146"],
        ),
        # chapter 3
        (
            "TsGAIPD, f. 1012, op. 2, dd. 1171, 1172, 1242.",
            [f"TsGAIPD, f. 1012, op. 2, d. {d}" for d in (1171, 1172, 1242)],
        ),
        (
            "TsGAIPD, f. 1012, op. 1, d. 675, ll. 6-8, 18-20; d. 679, ll. 29, 32-35; "
            "d. 710, ll. 2-4.",
            [
                "TsGAIPD, f. 1012, op. 1, d. 675, ll. 6-8, 18-20",
                "TsGAIPD, f. 1012, op. 1, d. 679, ll. 29, 32-35",
                "TsGAIPD, f. 1012, op. 1, d. 710, ll. 2-4",
            ],
        ),
        (
            "RGASPI, f. 17, op. 23, d. 2674, ll. 30-34.",
            ["RGASPI, f. 17, op. 23, d. 2674, ll. 30-34"],
        ),
        ("TsGAIPD, f. 1012, op. 2, d. 1012.", ["TsGAIPD, f. 1012, op. 2, d. 1012"]),
        # chapter 4
        ("RGAVMF, f. r-34, op. 2, d. 1303, l. 4", ["RGAVMF, f. r-34, op. 2, d. 1303, l. 4"]),
        (
            "RGAVMF, f. r-1893, op. 1, d. 39, ll. 25-26.",
            ["RGAVMF, f. r-1893, op. 1, d. 39, ll. 25-26"],
        ),
        (
            "RGAVMF, f. r-34, op. 2, d. 1303, l. 184; RGAVMF, f. r-34, op. 2, d. 1307, "
            "ll. 33-\n34.",
            [
                "RGAVMF, f. r-34, op. 2, d. 1303, l. 184",
                "RGAVMF, f. r-34, op. 2, d. 1307, ll. 33-34",
            ],
        ),
        (
            "See on this RGAVMF, f. r-34, op. 2, “Predislovie k\nopisi” l. 2.",
            ["RGAVMF, f. r-34, op. 2, l. 2"],
        ),
        ("TsGAIPD, f. 1012, op. 1", ["TsGAIPD, f. 1012, op. 1"]),  # a whole opis
    ],
)
def test_thesis_forms(text, expected):
    assert canon(text) == expected


def test_whole_opis_has_no_delo():
    [ref] = parse("TsGAIPD, f. 1012, op. 1").references
    assert ref.delo is None and ref.opis == "1" and ref.folios == ()


def test_reference_fields():
    [ref] = parse("RGAVMF, f. r-34, op. 2, d. 985a, ll. 3-4, 12 ob.").references
    assert ref == Reference("RGAVMF", "r-34", "2", "985a", (Folio(3, end=4), Folio(12, True)))


@pytest.mark.parametrize("fond", ["r-34", "R-34", "r34", "Р-34", "р-34"])
def test_fond_prefix_normalised(fond):
    assert parse(f"RGAVMF, f. {fond}, op. 2, d. 1").references[0].fond == "r-34"


def test_prose_around_citation():
    text = (
        "provoking him to denounce managerial incompetence in his contribution. TsGAIPD, "
        "f. 1012, op. 1, d. 418, l. 104. For a detailed discussion see Smith, p. 4."
    )
    assert canon(text) == ["TsGAIPD, f. 1012, op. 1, d. 418, l. 104"]


def test_archive_named_in_prose_is_not_a_citation():
    assert find_references("held at the Central State Archive (TsGAIPD).").references == []


def test_other_archives_kept_as_written():
    [ref] = parse("GARF, f. 5451, op. 3, d. 12, l. 4").references
    assert ref.archive == "GARF"


# ---------------------------------------------------------------------------
# Cyrillic


def test_cyrillic_citation():
    assert canon("ЦГАИПД СПб. Ф. 1012. Оп. 1. Д. 268. Л. 10.") == [
        "TsGAIPD, f. 1012, op. 1, d. 268, l. 10"
    ]


def test_cyrillic_prefix_suffix_and_verso():
    [ref] = parse("РГАВМФ. Ф. Р-34. Оп. 2. Д. 985а. Лл. 3-4, 12 об.").references
    assert ref == Reference("RGAVMF", "r-34", "2", "985a", (Folio(3, end=4), Folio(12, True)))


def test_russian_output():
    ref = Reference("TsGAIPD", "1012", "1", "268", (Folio(10),))
    assert ref.russian() == "ЦГАИПД СПб. Ф. 1012. Оп. 1. Д. 268. Л. 10."
    ref = Reference("RGAVMF", "r-34", "2", "1303", (Folio(12, True), Folio(3, end=4)))
    assert ref.russian() == "РГАВМФ. Ф. Р-34. Оп. 2. Д. 1303. Лл. 12 об., 3-4."
    assert ref.canonical() == "RGAVMF, f. r-34, op. 2, d. 1303, ll. 12 ob., 3-4"


# ---------------------------------------------------------------------------
# typos: normalised and reported


def test_misspelt_archives_warn():
    result = parse("RGVAMF, f. r-34, op. 2, d. 1348, l. 4.")
    assert result.references[0].archive == "RGAVMF"
    assert any("RGVAMF" in w for w in result.warnings)
    result = parse("RGAVMG, f. r-34, op. 2, d. 1346, l. 7.")
    assert result.references[0].archive == "RGAVMF"
    assert any("RGAVMG" in w for w in result.warnings)


def test_digit_one_for_l_warns():
    result = parse("RGVAMF, f. r-34, op. 2, d. 1334, 1. 55. During the same period")
    assert [r.canonical() for r in result.references] == ["RGAVMF, f. r-34, op. 2, d. 1334, l. 55"]
    assert any("'1. 55'" in w for w in result.warnings)


def test_l_before_range_warns():
    result = parse("RGAVMF, f. r-34, op. 2, d. 1310, l. 16-17.")
    assert result.references[0].folios == (Folio(16, end=17),)
    assert any("'l. 16-17'" in w for w in result.warnings)


def test_full_stop_inside_citation_warns():
    result = parse("TsGAIPD, f. 1012, op. 1. d. 287, ll. 22-24.")
    assert canon("TsGAIPD, f. 1012, op. 1. d. 287, ll. 22-24.") == [
        "TsGAIPD, f. 1012, op. 1, d. 287, ll. 22-24"
    ]
    assert any("full stop" in w for w in result.warnings)


@pytest.mark.parametrize(
    "text",
    [
        "TsGAIPD, f. 1012, op. 2 d. 616, ll. 4-6.",  # missing comma
        "TsGAIPD, f.1012, op. 2, d. 616, ll. 4-6.",  # missing space
        "TsGAIPD SPb, f. 1012, op. 2, d. 616, ll. 4-6.",
        "TsGAIPD, f. 1012, op.  2, d. 616, ll.4-6",
    ],
)
def test_harmless_slips_read_without_warning(text):
    result = parse(text)
    assert [r.canonical() for r in result.references] == [
        "TsGAIPD, f. 1012, op. 2, d. 616, ll. 4-6"
    ]
    assert result.warnings == []


# ---------------------------------------------------------------------------
# errors name the bad part


@pytest.mark.parametrize(
    "text, message",
    [
        ("TsGAIPD, f. abc", "'f. abc': fond number must be digits"),
        ("TsGAIPD, f. 1012, op. x", "'op. x': opis number must be digits"),
        ("TsGAIPD, f. 1012, op. 1, d. x", "'d. x': delo number must be digits"),
        ("TsGAIPD, f. 1012, op. 1, d. 5, ll. 20-10", "ends before it starts"),
        ("Nothing archival here.", "no archival citation found"),
        ("", "no archival citation found"),
    ],
)
def test_errors_name_the_part(text, message):
    with pytest.raises(CitationError, match=message):
        parse(text)


def test_citation_error_is_a_value_error():
    assert issubclass(CitationError, ValueError)


# ---------------------------------------------------------------------------
# Ibid


@pytest.mark.parametrize(
    "text, folios",
    [
        ("Ibid.", "42"),
        ("Ibid", "42"),
        ("Ibid, l. 43", "43"),
        ("Ibid., ll. 45-47", "45-47"),
        ("Ibid. ll 59-63.", "59-63"),
        ("Ibid,. 1. 3.", "3"),  # ch. 4, n. 34: digit one for l.
        ("‘Ne po nashemu proletarskomu karmanu’. Ibid., l. 43.", "43"),
        ("Ibid. First names and patronymics are not usually given in minutes.", "42"),
    ],
)
def test_ibid_resolves_against_previous(text, folios):
    [ref] = parse(text, previous=D266).references
    assert (ref.delo, format_folio_list(ref.folios)) == ("266", folios)


def test_ibid_without_previous():
    with pytest.raises(CitationError, match="Ibid with no earlier archival reference"):
        parse("Ibid, l. 43")
    with pytest.raises(CitationError, match="Ibid with no earlier archival reference"):
        parse("Ibid.")


@pytest.mark.parametrize(
    "text",
    [
        "Ibid., p. 25.",
        "Ibid, pp. 90-98.",
        "Ibid. pp, 280-1.",
        "Ibid, passim",
        "Ibid, vol. 4, p. 17.",
    ],
)
def test_ibid_of_a_book_is_not_archival(text):
    assert find_references(text, previous=D266).references == []
    with pytest.raises(CitationError, match="no archival citation"):
        parse(text, previous=D266)


def test_ibid_then_book_then_archival_in_one_note():
    # ch. 2, n. 157: a book Ibid, then a new archival citation
    assert canon("Ibid, p. 539; TsGAIPD, f. 1012, op. 2, d. 1954, l. 123.", D266) == [
        "TsGAIPD, f. 1012, op. 2, d. 1954, l. 123"
    ]


def test_resolver_tracks_books():
    resolver = CitationResolver()
    assert resolver.feed("TsGAIPD, f. 1012, op. 1, d. 266, l. 42.").references
    assert resolver.feed("Ibid.").references[0].folios == (Folio(42),)
    assert resolver.feed("Ibid, l. 43").references[0].folios == (Folio(43),)
    # a book cited: the next bare Ibid repeats the book, not the file
    assert resolver.feed("Kostiuchenko, Istoriia, p. 536.").references == []
    assert resolver.feed("Ibid.").references == []
    # folios make it archival again: the last archival reference is remembered
    [ref] = resolver.feed("Ibid, l. 60").references
    assert (ref.delo, ref.folios) == ("266", (Folio(60),))


def test_resolver_ibid_with_pages_after_a_file_means_its_folios():
    # Ibid repeats the citation just before it; after a file, its "pages" are folios
    resolver = CitationResolver()
    resolver.feed("TsGAIPD, f. 1012, op. 1, d. 266, l. 42.")
    result = resolver.feed("Ibid, pp. 90-98.")
    assert result.references[0].folios == (Folio(90, end=98),)
    assert "page numbers read as folios" in result.warnings[0]
    # after a book they stay pages of the book
    resolver.feed("Straus, Factory and Community, p. 7.")
    assert resolver.feed("Ibid, pp. 90-98.").references == []
    # and a Russian "С." is always a printed page
    resolver.feed("ГАРФ. Ф. 5446. Оп. 1. Д. 70. Л. 12.")
    assert resolver.feed("Там же. С. 5.").references == []


def test_resolver_newspaper_is_a_book():
    resolver = CitationResolver()
    resolver.feed("TsGAIPD, f. 1012, op. 1, d. 266, l. 42.")
    resolver.feed("Pravda, 7 October 1924.")
    assert resolver.feed("Ibid.").references == []


def test_resolver_commentary_does_not_break_ibid():
    resolver = CitationResolver()
    resolver.feed("TsGAIPD, f. 1012, op. 1, d. 268, l. 10.")
    resolver.feed("The recently defeated Zinoviev opposition had been particularly strong at KP.")
    assert resolver.feed("Ibid.").references[0].delo == "268"


def test_resolver_archival_after_book_in_same_note():
    resolver = CitationResolver()
    resolver.feed(
        "KPSS, p. 25. In KP 50% had joined in 1925. TsGAIPD, f. 1012, op. 1, d. 266, l. 60."
    )
    assert resolver.feed("Ibid.").references[0].folios == (Folio(60),)


def test_resolver_reset():
    resolver = CitationResolver()
    resolver.feed("TsGAIPD, f. 1012, op. 1, d. 268, l. 10.")
    resolver.reset()
    result = resolver.feed("Ibid, l. 11")
    assert result.references == [] and "no earlier archival reference" in result.errors[0]


# ---------------------------------------------------------------------------
# properties

_numbers = st.integers(min_value=1, max_value=9999)
_fonds = st.builds(lambda p, n: f"{p}{n}", st.sampled_from(["", "r-", "p-"]), _numbers)
_dela = st.builds(lambda n, s: f"{n}{s}", _numbers, st.sampled_from(["", "a", "b", "v"]))
_archives = st.sampled_from(["TsGAIPD", "RGAVMF", "RGASPI", "GARF", "RGAE", "TsGA SPb"])


@st.composite
def folios(draw):
    start = draw(st.integers(min_value=1, max_value=999))
    start_verso = draw(st.booleans())
    if draw(st.booleans()):
        return Folio(start, start_verso)
    end = draw(st.integers(min_value=start + 1, max_value=start + 500))
    return Folio(start, start_verso, end, draw(st.booleans()))


@st.composite
def references(draw):
    opis = draw(st.one_of(st.none(), st.builds(str, _numbers)))
    delo = draw(_dela) if opis is not None and draw(st.booleans()) else None
    return Reference(
        archive=draw(_archives),
        fond=draw(_fonds),
        opis=opis,
        delo=delo,
        folios=tuple(draw(st.lists(folios(), max_size=4))),
    )


@given(references())
def test_canonical_round_trip(ref):
    assert parse(ref.canonical()).references == [ref]


@given(references())
def test_russian_round_trip(ref):
    assert parse(ref.russian()).references == [ref]


@given(st.lists(folios(), min_size=1, max_size=6))
def test_folio_list_round_trip(items):
    stored = format_folio_list(items)
    assert parse_folios(stored) == tuple(items)
    assert format_folio_list(parse_folios(stored)) == stored


@settings(max_examples=300)
@given(st.text())
def test_parse_only_raises_citation_error(text):
    try:
        parse(text)
    except CitationError:
        pass


@settings(max_examples=300)
@given(st.text(alphabet="TsGAIPD RGAVMFЦГАИПД,.;-–fopdlLbЛДФ0123456789 ()“”Ibid\n"))
def test_parse_only_raises_citation_error_on_citation_like_text(text):
    try:
        parse(text, previous=D266)
    except CitationError:
        pass
    find_references(text)  # never raises


# ---------------------------------------------------------------------------
# forms beyond the thesis (issue 7); the test set in tests/data/citations.yaml has many more


def test_range_of_files_is_one_reference():
    [ref] = parse("ГАРФ. Ф. 5446. Оп. 1. Д. 10–25.").references
    assert (ref.delo, ref.delo_end) == ("10", "25")
    assert ref.canonical() == "GARF, f. 5446, op. 1, dd. 10-25"
    assert ref.russian() == "ГАРФ. Ф. 5446. Оп. 1. Д. 10-25."


def test_folio_letter_is_stored_in_latin_and_shown_in_the_script():
    [ref] = parse("ЦГАИПД СПб. Ф. 1012. Оп. 1. Д. 7а. Л. 7а об.").references
    assert ref.folios == (Folio(7, True, start_letter="a"),)
    assert format_folio_list(ref.folios) == "7aob"
    assert ref.russian().endswith("Д. 7а. Л. 7а об.")
    assert ref.canonical().endswith("d. 7a, l. 7a ob.")
    assert parse_folios("7aob") == ref.folios
    assert parse_folios("7, 7ob, 7a, 7aob, 8") == (
        Folio(7), Folio(7, True), Folio(7, start_letter="a"),
        Folio(7, True, start_letter="a"), Folio(8),
    )  # fmt: skip


def test_folio_range_with_letters_is_checked():
    assert parse_folios("7-7a") == (Folio(7, end=7, end_letter="a"),)
    with pytest.raises(CitationError, match="ends before it starts"):
        parse_folios("7a-7")


def test_stray_dash_is_refused_in_a_folio_field_but_read_in_a_citation():
    with pytest.raises(CitationError):
        parse_folios("12-")
    result = parse("GARF, f. 5446, op. 1, d. 70, l. 12-.")
    assert result.references[0].folios == (Folio(12),)
    assert "stray '-'" in result.warnings[0]


def test_ocr_mending_is_reported_only_inside_a_citation():
    result = parse("Слово с Latin-буквой: Зaвод. ГAРФ. Ф. 5446. Оп. 1. Д. 70. Л. 12.")
    assert result.references[0].archive == "GARF"
    assert len(result.warnings) == 1 and "'ГAРФ'" in result.warnings[0]


def test_ibid_naming_a_new_part_inherits_the_rest():
    resolver = CitationResolver()
    resolver.feed("ЦГАИПД СПб. Ф. 24. Оп. 5. Д. 2218. Л. 12.")
    [ref] = resolver.feed("Там же. Ф. 16. Оп. 2. Д. 100. Л. 6").references
    assert ref == Reference("TsGAIPD", "16", "2", "100", (Folio(6),))
    [ref] = resolver.feed("Ibid., d. 101").references
    assert ref == Reference("TsGAIPD", "16", "2", "101")


def test_ibid_op_cit_is_not_a_chain():
    assert find_references("Ibid., op. cit., p. 5.", previous=D266).references == []


@pytest.mark.parametrize(
    "text, message",
    [
        ("GARF, f. 5446, op. 1, d. 25-10", "'d. 25-10': range of files 25-10 ends before"),
        ("ГАРФ. Ф. 5446. Оп. x. Д. 70.", "'Оп. x': opis number must be digits"),
    ],
)
def test_new_errors_name_the_part(text, message):
    with pytest.raises(CitationError, match=message):
        parse(text)
