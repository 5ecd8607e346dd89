"""The archive registry (fixtures/archives.yaml) as the grammar reads it."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meetings.citations import Folio, Reference, parse
from meetings.citations.registry import RegistryError, load_registry, registry, transliterate


def test_registry_loads_and_is_consistent():
    reg = registry()
    assert len(reg) >= 60
    for entry in reg:
        assert entry.abbreviation_ru, f"{entry.abbreviation} has no Cyrillic abbreviation"
        if entry.successor:
            assert reg.get(entry.successor) is not None
        assert entry.ambiguous or entry.name, f"{entry.abbreviation} has no English name"


@pytest.mark.parametrize(
    "former, successor",
    [
        ("LPA", "TsGAIPD"),
        ("LGAORSS", "TsGA SPb"),
        ("TsGAOR SSSR", "GARF"),
        ("TsPA", "RTsKhIDNI"),
        ("RTsKhIDNI", "RGASPI"),
        ("TsKhSD", "RGANI"),
        ("TsGANKh", "RGAE"),
        ("OR GPB", "OR RNB"),
    ],
)
def test_former_names_point_to_successors(former, successor):
    assert registry().get(former).successor == successor


@pytest.mark.parametrize(
    "cyrillic, latin",
    [("ЦГА СПб", "TsGA SPb"), ("ОГАЧО", "OGAChO"), ("ЛГАОРСС", "LGAORSS"), ("ЦХСД", "TsKhSD")],
)
def test_transliteration_is_the_thesis_scheme(cyrillic, latin):
    assert transliterate(cyrillic) == latin
    assert registry().lookup(cyrillic).abbreviation == latin


def test_a_reference_keeps_the_name_as_cited():
    [ref] = parse("ЛГАОРСС. Ф. 1000. Оп. 9. Д. 19. Л. 8.").references
    assert ref.archive == "LGAORSS"
    assert ref.russian().startswith("ЛГАОРСС. Ф. 1000.")


def test_unknown_archive_is_read_transliterated_and_flagged():
    result = parse("ГАКО. Ф. 5. Оп. 1. Д. 2. Л. 3.")
    assert result.references[0].archive == "GAKO"
    assert "not in the registry" in result.warnings[0] and "GAKO" in result.warnings[0]


def test_russian_form_uses_the_cyrillic_abbreviation():
    ref = Reference("TsA FSB", "3", "4", "152", (Folio(2),))
    assert ref.russian() == "ЦА ФСБ России. Ф. 3. Оп. 4. Д. 152. Л. 2."
    assert ref.canonical() == "TsA FSB, f. 3, op. 4, d. 152, l. 2"


@pytest.mark.parametrize(
    "text, problem",
    [
        ("- {name: x}\n", "needs an abbreviation"),
        ("- {abbreviation: A1}\n- {abbreviation: A1}\n", "twice"),
        ("- {abbreviation: A1, successor: B2}\n", "successor B2"),
        ("- {abbreviation: A1, colour: red}\n", "unknown fields"),
        ("- {abbreviation: AB}\n- {abbreviation: CD, spellings: [ab]}\n", "names both"),
    ],
)
def test_malformed_registry_is_refused(tmp_path, text, problem):
    path = tmp_path / "archives.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RegistryError, match=problem):
        load_registry(path)


# ---------------------------------------------------------------------------
# properties: every archive of the registry, written either way, reads back the same

_numbers = st.integers(min_value=1, max_value=9999)
_letters = st.sampled_from(["", "", "a", "b"])
_archives = st.sampled_from(sorted(e.abbreviation for e in registry()) + ["GAKO", "TsDNI TO"])


@st.composite
def folios(draw):
    start = draw(st.integers(min_value=1, max_value=999))
    letter, verso = draw(_letters), draw(st.booleans())
    if draw(st.booleans()):
        return Folio(start, verso, start_letter=letter)
    end = draw(st.integers(min_value=start + 1, max_value=start + 500))
    return Folio(start, verso, end, draw(st.booleans()), letter, draw(_letters))


@st.composite
def references(draw):
    fond = draw(
        st.one_of(  # 1012, r-34, 4p (a party fond of NARB)
            st.builds(str, _numbers),
            st.builds(lambda p, n: f"{p}{n}", st.sampled_from(["r-", "p-"]), _numbers),
            st.builds(lambda n: f"{n}p", _numbers),
        )
    )
    opis = draw(st.one_of(st.none(), st.builds(lambda n, s: f"{n}{s}", _numbers, _letters)))
    delo = delo_end = None
    if opis is not None and draw(st.booleans()):
        number = draw(_numbers)
        delo = f"{number}{draw(_letters)}"
        if draw(st.integers(0, 4)) == 0:
            delo_end = str(number + draw(st.integers(1, 50)))
    folios_ = tuple(draw(st.lists(folios(), max_size=3))) if delo_end is None else ()
    return Reference(draw(_archives), fond, opis, delo, folios_, delo_end)


@settings(max_examples=300)
@given(references())
def test_english_round_trip_over_the_registry(ref):
    assert parse(ref.canonical()).references == [ref]


@settings(max_examples=300)
@given(references())
def test_russian_round_trip_over_the_registry(ref):
    assert parse(ref.russian()).references == [ref]
