"""The shipped corpus (fixtures/corpus/*.yaml): imports cleanly, idempotently, passes the
integrity checks, and the public pages find what the thesis describes."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings

from meetings.importer import import_file
from meetings.integrity import run_checks
from meetings.models import Meeting

CORPUS = sorted((Path(settings.BASE_DIR) / "fixtures" / "corpus").glob("*.yaml"))


def import_corpus():
    return [import_file(path, commit=True) for path in CORPUS]


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker):
    """The whole corpus, imported once for the module and removed afterwards."""
    with django_db_blocker.unblock():
        reports = import_corpus()
        yield reports
        wipe()


def wipe():
    """Delete everything the import wrote, so later test modules start from an empty corpus."""
    from django.apps import apps
    from django.db.models import ProtectedError, RestrictedError

    from meetings.models import Cell

    Cell.objects.update(parent=None)  # cells protect their sub-cells
    remaining = list(apps.get_app_config("meetings").get_models())
    for _ in range(len(remaining) + 1):
        left = []
        for model in remaining:
            try:
                model.objects.all().delete()
            except (ProtectedError, RestrictedError):
                left.append(model)
        if not left:
            return
        remaining = left
    raise AssertionError(f"could not clear {remaining}")


def keys(response):
    return {m.key for m in response.context["page"].object_list}


pytestmark = pytest.mark.django_db


def test_corpus_files_present():
    names = [p.name for p in CORPUS]
    assert names[0] == "00-reference.yaml"
    assert len(names) >= 7


def test_import_creates_meetings(corpus):
    created = sum(r.counts[("meetings", "created")] for r in corpus)
    assert created == Meeting.objects.count() > 100


def test_importing_twice_changes_nothing(corpus):
    before = Meeting.objects.count()
    for report in import_corpus():
        assert not report.counts[("meetings", "created")], report.source
        assert not report.counts[("meetings", "updated")], report.source
        assert not report.counts[("people", "created")], report.source
        assert not report.counts[("people", "updated")], report.source
    assert Meeting.objects.count() == before


def test_integrity_checks_pass(corpus):
    problems = {c.name: c.problems for c in run_checks() if c.problems}
    assert problems == {}


def test_each_meeting_key_lives_in_one_file():
    seen = {}
    for path in CORPUS:
        for record in yaml.safe_load(path.read_text(encoding="utf-8")).get("meetings") or []:
            assert record["key"] not in seen, f"{record['key']} in {seen.get(record['key'])}"
            seen[record["key"]] = path.name


def test_merged_meetings_carry_every_chapter(corpus):
    def chapters(key):
        m = Meeting.objects.get(key=key)
        return set(m.citation_links.values_list("citation__chapter", flat=True))

    assert chapters("kp-1926-05-27-general-assembly") == {1, 2, 3}
    assert chapters("kp-1926-02-09-expanded-bureau") == {1, 2}
    assert chapters("kp-1928-11-18-first-conference") == {1, 2}
    assert chapters("kp-1938-04-19-conference") == {1, 2, 3}
    assert chapters("kp-1937-mech3-shop-meeting") == {1, 2}
    speakers = set(
        Meeting.objects.get(key="kp-1926-02-09-expanded-bureau").speeches.values_list(
            "person__slug", flat=True
        )
    )
    assert {"anushenko", "nazimov", "gubanov", "kirianov", "glushkov", "gaza"} <= speakers


def test_purge_1929_campaign(client, corpus):
    r = client.get("/meetings/?campaign=purge-1929&per_page=100")
    assert r.status_code == 200
    found = keys(r)
    assert {
        "kp-1929-purge-tractor-shop-mass-meeting",  # the first, ceremonial round
        "kp-1929-11-14-conference",  # the 4th conference on the results
        "bf-1929-coastal-defence-party-group",  # the purge on the Fleet
    } <= found
    assert "kp-1933-purge-ivanova" not in found  # the 1933 purge is another campaign


def test_tractor_cell(client, corpus):
    r = client.get("/meetings/?cell=tractor&per_page=100")
    assert r.status_code == 200
    found = keys(r)
    assert {"kp-1926-04-30-anniversary", "kp-1929-purge-tractor-shop-mass-meeting"} <= found
    assert all(m.cell.slug == "tractor" for m in r.context["page"].object_list)


def test_marat_cell(client, corpus):
    r = client.get("/meetings/?cell=marat&per_page=100")
    assert r.status_code == 200
    found = keys(r)
    assert {
        "bf-1931-02-marat-disciplinary-review",
        "bf-1931-marat-general-keek",
        "bf-1937-marat-electoral",
        "bf-1938-marat-party-meeting",
    } <= found
    assert all(m.organisation.slug == "baltic-fleet" for m in r.context["page"].object_list)


def test_every_meeting_detail_page(client, corpus):
    for pk in Meeting.objects.values_list("pk", flat=True):
        assert client.get(f"/meetings/{pk}/").status_code == 200, pk


@pytest.mark.parametrize("chapter", [1, 2, 3, 4])
def test_each_chapter_has_cited_meetings(corpus, chapter):
    cited = Meeting.objects.filter(citation_links__citation__chapter=chapter).distinct()
    assert cited.count() >= 10


@pytest.mark.parametrize(
    "query, slug",
    [
        ("Kiryanov", "kirianov"),  # another transliteration of Kir'yanov
        ("Кирьянов", "kirianov"),
        ("Orts", "ots"),  # the misprint of ch. 1, n. 154
        ("Tutnev", "trutnev"),  # the ch. 3 spelling
        # Issue 7 §2: other schemes and traditions (ISO 9, German)
        ("Ždanov", "zhdanov"),
        ("Shdanow", "zhdanov"),
        ("Tolkačev", "tolkachev"),
        ("Tolkatschew", "tolkachev"),
    ],
)
def test_speaker_search_finds_variant_spellings(client, corpus, query, slug):
    r = client.get("/speakers/", {"q": query})
    assert r.status_code == 200
    assert slug in {p.slug for p in r.context["page"].object_list}


@pytest.mark.parametrize("query, name", [("Zdanov", "Zhdanov"), ("Tolkacev", "Tolkachev")])
def test_speaker_search_offers_the_nearest_corpus_name(client, corpus, query, name):
    r = client.get("/speakers/", {"q": query})
    assert not r.context["page"].object_list
    assert r.context["suggestions"][0].name == name


def roles(slug):
    from meetings.models import Person

    return sorted(
        (r.role, r.year_from, r.year_to) for r in Person.objects.get(slug=slug).roles.all()
    )


def test_one_role_per_office_across_chapter_files(corpus):
    # The same office, described in several chapter files, is one role (issue 7, §3.6).
    assert roles("gaza") == [("party secretary", 1926, 1928)]
    assert roles("ots") == [("factory director", 1930, 1936)]
    assert [r for r in roles("eskov") if "secretary" in r[0]] == [("partkom secretary", 1938, 1938)]


def test_namesakes_are_two_people(corpus):
    # Two Sokolovs, 1928 and 1935, are not one man on the strength of a surname (§3.1).
    def meetings_of(slug):
        return set(
            Meeting.objects.filter(speeches__person__slug=slug).values_list("key", flat=True)
        )

    assert meetings_of("sokolov") == {"kp-1928-general-meeting-april-plenum"}
    assert meetings_of("sokolov-cast-iron") == {"kp-1935-02-10-general-closed"}


def test_chapter_one_context_mentions_and_series(client, corpus):
    # Local meetings point to the national meeting they answered (issue 7, §3.2).
    conference = Meeting.objects.get(key="kp-1938-04-19-conference")
    assert set(conference.context.values_list("key", flat=True)) == {"ussr-cc-plenum-1938-01"}
    assert conference.date == "1938-04-19/1938-04-25"
    plenum = Meeting.objects.get(key="ussr-cc-plenum-1929-11")
    assert "kp-1929-11-28-general-assembly" in set(plenum.responses.values_list("key", flat=True))
    # The accused who never speaks is listed on his page (§3.8).
    from meetings.models import Person

    accused = Person.objects.get(slug="vetiutnev")
    page = client.get(f"/speakers/{accused.pk}/")
    assert page.status_code == 200
    assert "3rd mechanical shop meeting" in page.content.decode()
    # The 1938-39 conferences are one record standing for a series (§3.3).
    series = Meeting.objects.get(key="kp-1938-1939-production-stakhanovite-conferences")
    assert series.series
    assert {c.delo.number for c in series.citations.all()} == {"1099", "1707"}
    # The thesis gives d. 1060 in two opisi: both kept, flagged (§3.5).
    shop = Meeting.objects.get(key="kp-1937-mech3-shop-meeting")
    assert shop.needs_review and "op. 1" in shop.review_note and "op. 2" in shop.review_note
    assert {c.opis.number for c in shop.citations.all()} == {"1", "2"}
