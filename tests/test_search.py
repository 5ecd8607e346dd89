"""Search in any script: names and ships however typed, with facets, ranking, highlight.

The same tests run on SQLite and on PostgreSQL (``DATABASE_URL=postgres://... pytest``);
on PostgreSQL the trigram indexes of migration 0003 answer the same ``LIKE`` filter.
"""

from __future__ import annotations

import pytest
from django.db import connection

from meetings import search
from meetings.models import Meeting, Person
from tests import factories as f

KIRIANOV_SPELLINGS = [
    "Кирьянов",
    "кирьянов",
    "КИРЬЯНОВ",
    "Kir'ianov",
    "Kir'yanov",
    "Kiryanov",
    "Kir'janov",
    "kirianov",
    "KIRYANOV",
    "Kir’ianov",  # typographic apostrophe
]
SHIP_SPELLINGS = [
    "Oktiabr'skaia Revoliutsiia",
    "Oktyabrskaya Revolyutsiya",
    "Октябрьская революция",
    "октябрьская РЕВОЛЮЦИЯ",
    "Oktjabr'skaja Revoljutsija",
]


@pytest.fixture
def ship_corpus(small_corpus):
    fleet = f.OrganisationFactory(slug="baltic-fleet", name="Red-Banner Baltic Fleet", kind="fleet")
    ship = f.CellFactory(
        organisation=fleet,
        name="Battleship Oktiabr'skaia Revoliutsiia",
        slug="oktiabrskaia-revoliutsiia",
    )
    ship.name_ru = "линкор «Октябрьская революция»"
    ship.other_names = "Oktyabrskaya Revolyutsiya"
    ship.save()
    meeting = f.MeetingFactory(
        date="1939-12-01",
        organisation=fleet,
        cell=ship,
        title="General assembly on board",
        summary="The crew discussed the Winter War.",
    )
    meeting.refresh_search_text()
    return {**small_corpus, "ship": ship, "ship_meeting": meeting}


def ids(response_or_qs):
    qs = (
        response_or_qs.context["page"].object_list
        if hasattr(response_or_qs, "context")
        else response_or_qs
    )
    return sorted(o.pk for o in qs)


@pytest.mark.parametrize("q", KIRIANOV_SPELLINGS)
def test_speaker_found_in_any_script(client, small_corpus, q):
    response = client.get("/speakers/", {"q": q})
    assert response.status_code == 200
    assert ids(response) == [small_corpus["kirianov"].pk]


@pytest.mark.parametrize("q", KIRIANOV_SPELLINGS)
def test_meetings_where_kirianov_spoke_or_was_asked(client, small_corpus, q):
    m = small_corpus["meetings"]
    response = client.get("/meetings/", {"q": q})
    assert ids(response) == sorted([m["t1"].pk, m["f2"].pk])


@pytest.mark.parametrize("q", KIRIANOV_SPELLINGS[:5])
def test_zapiski_addressed_to_kirianov(client, small_corpus, q):
    response = client.get("/zapiski/", {"q": q})
    assert len(response.context["page"].object_list) == 1


@pytest.mark.parametrize("q", SHIP_SPELLINGS)
def test_ship_names_in_any_script(client, ship_corpus, q):
    response = client.get("/meetings/", {"q": q})
    assert ids(response) == [ship_corpus["ship_meeting"].pk]


def test_partial_word_and_no_match(client, small_corpus):
    assert len(client.get("/meetings/", {"q": "kirian"}).context["page"].object_list) == 2
    assert ids(client.get("/meetings/", {"q": "Zhdanov"})) == []
    assert ids(client.get("/meetings/", {"q": "Kiryanov Zhdanov"})) == []


def test_q_combines_with_facets_and_the_counts_follow(client, small_corpus):
    m = small_corpus["meetings"]
    response = client.get("/meetings/", {"q": "Kiryanov", "cell": "forge"})
    assert ids(response) == [m["f2"].pk]
    facets = {facet.name: facet for facet in response.context["facets"]}
    # The year facet counts meetings matching q *and* cell=forge: only 1935.
    assert {o.value: o.count for o in facets["year"].options} == {"1935": 1}
    # The cell facet ignores its own filter but follows q: tractor 1, forge 1.
    cells = {o.value: o.count for o in facets["cell"].options}
    assert cells == {"tractor": 1, "forge": 1}
    # Without q the same cell facet counts every meeting.
    cells = {o.value: o.count for o in client.get("/meetings/").context["facets"][1].options}
    assert cells == {"tractor": 3, "forge": 2}


def test_csv_export_follows_q(client, small_corpus):
    response = client.get("/meetings/export.csv", {"q": "Кирьянов"})
    lines = b"".join(response.streaming_content).decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 3  # header and two meetings


def test_ranking_whole_word_and_earlier_hits_first(db):
    org = f.OrganisationFactory()
    late = f.MeetingFactory(organisation=org, title="Bureau", summary="Spoke: then Petrov.")
    inside = f.MeetingFactory(organisation=org, title="Petrovskii report", summary="")
    early = f.MeetingFactory(organisation=org, title="Petrov: report", summary="")
    for m in (late, inside, early):
        m.refresh_search_text()
    ranked = search.by_relevance(search.filter_text(Meeting.objects.all(), "Петров"), "Петров")
    assert [m.pk for m in ranked] == [early.pk, late.pk, inside.pk]
    # And the list page uses it when q is given, without a sort.
    from django.test import Client

    response = Client().get("/meetings/", {"q": "Petrov"})
    assert [m.pk for m in response.context["page"].object_list] == [early.pk, late.pk, inside.pk]
    assert response.context["sort"] == "relevance"
    # An explicit sort still wins.
    response = Client().get("/meetings/", {"q": "Petrov", "sort": "-date"})
    assert response.status_code == 200 and response.context["sort"] == "-date"


def test_snippet_marks_the_hit_in_the_original_script(small_corpus):
    person = small_corpus["kirianov"]
    assert search.snippet(person, "Kiryanov") == "<mark>Kir&#x27;ianov</mark>"
    person.name = "Kir'ianov"
    meeting = small_corpus["meetings"]["t1"]
    meeting.summary = "A long debate; then Кирьянов answered the notes about <bread>."
    text = search.snippet(meeting, "kir'yanov")
    assert "<mark>Кирьянов</mark>" in text
    assert "&lt;bread&gt;" in text  # the rest is escaped
    assert search.snippet(meeting, "Zhdanov") == ""


def test_highlight_on_the_list_pages(client, ship_corpus):
    response = client.get("/meetings/", {"q": "Oktyabrskaya"})
    assert "<mark>Oktiabr&#x27;skaia</mark>" in response.content.decode()
    response = client.get("/speakers/", {"q": "Кирьянов"})
    assert "<mark>" in response.content.decode()


def test_queries_per_search_page_do_not_grow(client, db):
    org = f.OrganisationFactory()
    kir = f.PersonFactory(name="Kir'ianov", name_ru="Кирьянов")
    for _ in range(12):
        meeting = f.MeetingFactory(organisation=org)
        for _speech in range(3):
            f.SpeechFactory(meeting=meeting, person=kir)
        meeting.refresh_search_text()
    from django.test.utils import CaptureQueriesContext

    counts = []
    for per_page in (2, 10):
        with CaptureQueriesContext(connection) as captured:
            client.get("/meetings/", {"q": "Kiryanov", "per_page": per_page})
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_person_search_key_index_lookup_uses_same_answers(db):
    person = f.PersonFactory(name="Kir'ianov", name_ru="Кирьянов")
    for q in KIRIANOV_SPELLINGS:
        assert list(search.filter_text(Person.objects.all(), q)) == [person]
