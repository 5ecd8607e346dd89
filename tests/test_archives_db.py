"""Archives in the database come from the registry; ranges of files are one citation."""

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from meetings.citations import parse, registry
from meetings.importer import ImportProblem, import_data
from meetings.models import Archive, Citation, Delo


def cite(text, **kwargs):
    [ref] = parse(text).references
    return Citation.objects.from_reference(ref, **kwargs)[0]


@pytest.mark.django_db
def test_a_registry_archive_is_made_from_the_registry():
    cite("РГАСПИ. Ф. 17. Оп. 3. Д. 900. Л. 15.")
    archive = Archive.objects.get(abbreviation="RGASPI")
    assert archive.in_registry and archive.slug == "rgaspi"
    assert archive.abbreviation_ru == "РГАСПИ"
    assert archive.name_ru == "Российский государственный архив социально-политической истории"


@pytest.mark.django_db
def test_a_former_name_stays_as_cited_and_is_linked_to_its_successor():
    citation = cite("ЛГАОРСС. Ф. 1000. Оп. 9. Д. 19. Л. 8.")
    archive = citation.opis.fond.archive
    assert archive.abbreviation == "LGAORSS"
    assert archive.successor.abbreviation == "TsGA SPb"
    assert archive.successor.in_registry and archive.successor.slug == "tsga-spb"
    assert citation.russian() == "ЛГАОРСС. Ф. 1000. Оп. 9. Д. 19. Л. 8."


@pytest.mark.django_db
def test_an_archive_not_in_the_registry_is_flagged():
    citation = cite("ГАКО. Ф. 5. Оп. 1. Д. 2. Л. 3.")
    archive = citation.opis.fond.archive
    assert (archive.abbreviation, archive.in_registry) == ("GAKO", False)
    assert list(Archive.objects.filter(in_registry=False)) == [archive]


@pytest.mark.django_db
def test_range_of_files_is_one_citation():
    citation = cite("ГАРФ. Ф. 5446. Оп. 1. Д. 10–25.", chapter=1, footnote=3)
    assert (citation.delo.number, citation.delo_end) == ("10", "25")
    assert citation.canonical() == "GARF, f. 5446, op. 1, dd. 10-25"
    assert list(Delo.objects.values_list("number", flat=True)) == ["10"]  # not expanded
    single = cite("GARF, f. 5446, op. 1, d. 10.", chapter=1, footnote=3)
    assert single.pk != citation.pk  # the range and its first file are different citations
    again = cite("GARF, f. 5446, op. 1, dd. 10-25", chapter=1, footnote=3)
    assert again.pk == citation.pk


@pytest.mark.django_db
def test_range_needs_its_first_file():
    citation = cite("GARF, f. 5446, op. 1, d. 10.")
    citation.delo, citation.delo_end = None, "25"
    with pytest.raises(ValidationError, match="first file"):
        citation.full_clean()


@pytest.mark.django_db
def test_load_archives_refreshes_and_flags():
    cite("GARF, f. 5446, op. 1, d. 70.")
    Archive.objects.filter(abbreviation="GARF").update(name="old name", in_registry=False)
    Archive.objects.create(abbreviation="XYZ", slug="xyz", in_registry=True)
    out = StringIO()
    call_command("load_archives", stdout=out)
    assert Archive.objects.get(abbreviation="GARF").name == registry().get("GARF").name
    assert not Archive.objects.get(abbreviation="XYZ").in_registry
    assert "1 updated" in out.getvalue() and "XYZ" in out.getvalue()
    call_command("load_archives", "--all", stdout=StringIO())
    assert Archive.objects.filter(in_registry=True).count() == len(registry())
    assert Archive.objects.get(abbreviation="TsPA").successor.abbreviation == "RTsKhIDNI"


@pytest.mark.django_db
def test_importer_takes_registry_archives_from_the_registry():
    import_data(
        {"fonds": [{"archive": "TsGA SPb", "number": "7179", "title": "x"}]},
        source="f.yaml",
        commit=True,
    )
    assert Archive.objects.get(abbreviation="TsGA SPb").in_registry


@pytest.mark.django_db
def test_importer_refuses_to_redefine_a_registry_archive_and_flags_others():
    with pytest.raises(ImportProblem, match="in the archive registry"):
        import_data(
            {"archives": [{"abbreviation": "GARF", "name": "mine"}]}, source="f.yaml", commit=True
        )
    import_data(
        {"archives": [{"abbreviation": "GAKO", "name": "State Archive of Kursk Oblast"}]},
        source="f.yaml",
        commit=True,
    )
    assert not Archive.objects.get(abbreviation="GAKO").in_registry


@pytest.mark.django_db
def test_archive_page_names_successor_and_former_names(client):
    cite("LPA, f. 24, op. 1, d. 5, l. 3.")
    page = client.get("/archives/lpa/").content.decode()
    assert "now held by" in page and "TsGAIPD" in page
    page = client.get("/archives/tsgaipd/").content.decode()
    assert "former names" in page and "LPA" in page
