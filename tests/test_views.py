"""Public pages: cross-filtered facets, permalinks, 400s, read-only, fixed query counts."""

import csv
import io
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f

# Distinct folios for every citation the tests add (PostgreSQL enforces uniqueness).
FOLIOS = itertools.count(100)


def facet(response, name):
    """{option value: count} for one facet of a list page."""
    for fac in response.context["facets"]:
        if fac.name == name:
            return {o.value: o.count for o in fac.options}
    raise AssertionError(f"no facet {name}")


def titles(response):
    return sorted(m.title for m in response.context["page"].object_list)


@pytest.mark.django_db
class TestCrossFilter:
    def test_unfiltered_counts(self, client, small_corpus):
        r = client.get("/meetings/")
        assert r.status_code == 200
        assert r.context["page"].paginator.count == 5
        assert facet(r, "year") == {"1929": 3, "1930": 1, "1935": 1}
        assert facet(r, "cell") == {"tractor": 3, "forge": 2}
        assert facet(r, "campaign") == {"purge-1929": 4, "stakhanovism": 1}

    def test_campaign_and_cell_narrow_the_other_facets(self, client, small_corpus):
        r = client.get("/meetings/?campaign=purge-1929&cell=tractor")
        m = small_corpus["meetings"]
        assert titles(r) == sorted([m["t1"].title, m["t2"].title, m["t3"].title])
        # The year facet shows where the purge meetings of the tractor shop fall...
        assert facet(r, "year") == {"1929": 2, "1930": 1}
        # ...the cell facet counts under the campaign only, so another cell can be added...
        assert facet(r, "cell") == {"tractor": 3, "forge": 1}
        # ...and the campaign facet counts under the cell only.
        assert facet(r, "campaign") == {"purge-1929": 3}

    def test_several_values_of_one_facet_are_ored(self, client, small_corpus):
        r = client.get("/meetings/?year=1930&year=1935")
        assert r.context["page"].paginator.count == 2
        assert facet(r, "year") == {"1929": 3, "1930": 1, "1935": 1}

    def test_archive_facet(self, client, small_corpus):
        r = client.get("/meetings/?archive=rgavmf")
        assert titles(r) == [small_corpus["meetings"]["f1"].title]
        # The archive facet counts under the other filters only: both archives stay visible.
        assert facet(r, "archive") == {"rgavmf": 1, "tsgaipd": 1}

    def test_selected_option_is_marked_and_links_toggle(self, client, small_corpus):
        r = client.get("/meetings/?cell=tractor")
        html = r.content.decode()
        assert 'aria-current="true"' in html
        assert 'href="?"' in html  # toggling the only filter off returns to the full list

    def test_children_lists_filter_through_their_meeting(self, client, small_corpus):
        r = client.get("/zapiski/?cell=tractor&year=1929")
        assert r.context["page"].paginator.count == 1
        assert client.get("/zapiski/?cell=forge").context["page"].paginator.count == 0
        r = client.get("/resolutions/?kind=expulsion")
        assert r.context["page"].paginator.count == 1
        assert facet(r, "year") == {"1929": 1}

    def test_speakers_filter_and_count_people(self, client, small_corpus):
        r = client.get("/speakers/?year=1935")
        assert [p.name for p in r.context["page"].object_list] == ["Kir'ianov"]
        assert facet(r, "year") == {"1929": 1, "1935": 1}

    def test_sorting_and_pagination_are_in_the_query_string(self, client, small_corpus):
        r = client.get("/meetings/?sort=-date&per_page=2")
        dates = [m.date for m in r.context["page"].object_list]
        assert dates == ["1935-11-02", "1930"]
        assert r.context["page"].paginator.num_pages == 3
        r2 = client.get("/meetings/?sort=-date&per_page=2&page=2")
        assert [m.date for m in r2.context["page"].object_list] == ["1929-09-01", "1929-06"]


@pytest.mark.django_db
class TestBadInput:
    @pytest.mark.parametrize(
        "url, words",
        [
            ("/meetings/?year=abc", "not a year"),
            ("/meetings/?year=19299", "not a year"),
            ("/meetings/?cell=no-such-shop", "no-such-shop"),
            ("/meetings/?campaign=x", "there is no campaign"),
            ("/meetings/?body=picnic", "picnic"),
            ("/meetings/?sort=colour", "sort"),
            ("/meetings/?page=abc", "page"),
            ("/meetings/?page=99", "only"),
            ("/meetings/?per_page=100000", "per_page"),
            ("/meetings/export.csv?year=abc", "not a year"),
            ("/zapiski/?cell=nowhere", "nowhere"),
            ("/resolutions/?kind=banquet", "banquet"),
            ("/speakers/?year=xx", "not a year"),
            ("/speakers/export.csv?campaign=zz", "zz"),
        ],
    )
    def test_bad_value_answers_400_with_a_message(self, client, small_corpus, url, words):
        r = client.get(url)
        assert r.status_code == 400
        assert words in r.content.decode()

    def test_unknown_records_are_404(self, client, small_corpus):
        assert client.get("/meetings/999999/").status_code == 404
        assert client.get("/cells/atlantis/").status_code == 404
        assert client.get("/archives/tsgaipd/f/9/op/9/d/9/").status_code == 404


@pytest.mark.django_db
class TestReadOnly:
    @pytest.mark.parametrize("url", ["/meetings/", "/meetings/export.csv", "/speakers/"])
    def test_public_pages_refuse_writes(self, client, small_corpus, url):
        assert client.post(url, {"title": "x"}).status_code == 405

    def test_anonymous_cannot_reach_the_admin(self, client, small_corpus):
        r = client.get("/admin/meetings/meeting/add/")
        assert r.status_code == 302 and "/admin/login/" in r["Location"]
        before = small_corpus["meetings"]["t1"].__class__.objects.count()
        client.post("/admin/meetings/meeting/add/", {"title": "forged", "body": "bureau"})
        assert small_corpus["meetings"]["t1"].__class__.objects.count() == before


def read_csv(response):
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())  # BOM: Excel opens it as UTF-8
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.mark.django_db
class TestCSV:
    def test_rows_equal_the_filtered_list_across_all_pages(self, client, small_corpus):
        query = "campaign=purge-1929&sort=-date&per_page=1"
        listed = []
        page = 1
        while True:
            r = client.get(f"/meetings/?{query}&page={page}")
            listed += [m.pk for m in r.context["page"].object_list]
            if not r.context["page"].has_next():
                break
            page += 1
        rows = read_csv(client.get(f"/meetings/export.csv?{query}"))
        assert [int(row["id"]) for row in rows] == listed
        assert len(rows) == 4

    def test_columns_are_the_documented_ones(self, client, small_corpus):
        from meetings.export import MEETING_COLUMNS

        r = client.get("/meetings/export.csv")
        assert r["Content-Type"].startswith("text/csv")
        assert "attachment" in r["Content-Disposition"]
        rows = read_csv(r)
        assert list(rows[0].keys()) == [c.name for c in MEETING_COLUMNS]
        t1 = next(row for row in rows if int(row["id"]) == small_corpus["meetings"]["t1"].pk)
        assert t1["date"] == "1929-05-14" and t1["cell"] == "tractor shop"
        assert t1["n_speeches"] == "1" and t1["n_zapiski"] == "1"
        assert t1["campaigns"] == "1929 purge"

    def test_cyrillic_survives(self, client, small_corpus):
        rows = read_csv(client.get("/speakers/export.csv"))
        assert rows[0]["name_ru"] == "Кирьянов"

    def test_spreadsheet_formulas_are_neutralised(self, client, small_corpus):
        rows = read_csv(client.get("/resolutions/export.csv"))
        assert rows[0]["summary"] == "'=1+1 expelled"

    @pytest.mark.parametrize("value", ["=cmd", "+1", "-2", "@SUM(A1)", "\tx"])
    def test_guard(self, value):
        from meetings.export import spreadsheet_safe

        assert spreadsheet_safe(value) == "'" + value
        assert spreadsheet_safe("plain") == "plain"


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
        if r.streaming:
            b"".join(r.streaming_content)
    assert r.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.django_db
class TestQueryCounts:
    """The number of queries a page makes does not grow with its size."""

    def grow(self, corpus, n):
        cell, purge = corpus["cells"]["tractor"], corpus["campaigns"]["purge"]
        person = corpus["kirianov"]
        delo = f.DeloFactory(number="268")
        for i in range(n):
            m = f.MeetingFactory(
                date=f"19{30 + i % 9}",
                cell=cell,
                campaigns=[purge],
                citations=[f.CitationFactory(delo=delo, folios=str(next(FOLIOS)))],
            )
            f.SpeechFactory(meeting=m, person=person, folios=str(i + 1))
            f.SpeechFactory(meeting=m)
            f.ZapiskaFactory(meeting=m, addressed_to=person)
            f.ResolutionFactory(meeting=m, person=person)
        return delo

    @pytest.mark.parametrize(
        "url",
        [
            "/meetings/?per_page={n}",
            "/meetings/?per_page={n}&campaign=purge-1929&cell=tractor&year=1929&year=1931",
            "/meetings/?per_page={n}&q=assembly",
            "/speakers/?per_page={n}",
            "/zapiski/?per_page={n}&cell=tractor",
            "/resolutions/?per_page={n}",
            "/",
            "/archives/",
        ],
    )
    def test_lists(self, client, small_corpus, url):
        few = count_queries(client, url.format(n=3))
        self.grow(small_corpus, 12)
        many = count_queries(client, url.format(n=20))
        assert few == many

    def test_detail_pages(self, client, small_corpus):
        person = small_corpus["kirianov"]
        delo = self.grow(small_corpus, 1)
        meeting = delo.citations.first().meetings.first()
        urls = [meeting.get_absolute_url(), person.get_absolute_url(), delo.get_absolute_url()]
        few = [count_queries(client, u) for u in urls]
        self.grow(small_corpus, 10)
        # The same meeting gains nothing, so give it more rows of every kind directly.
        for _ in range(5):
            f.SpeechFactory(meeting=meeting, person=person)
            f.ZapiskaFactory(meeting=meeting)
            f.ResolutionFactory(meeting=meeting)
        many = [count_queries(client, u) for u in urls]
        assert few == many

    def test_csv_export(self, client, small_corpus):
        few = count_queries(client, "/meetings/export.csv")
        self.grow(small_corpus, 12)
        assert count_queries(client, "/meetings/export.csv") == few


@pytest.mark.django_db
def test_meeting_page_shows_everything_with_citations(client, small_corpus):
    m = small_corpus["meetings"]["f1"]
    f.SpeechFactory(meeting=m, person=small_corpus["kirianov"], folios="12 ob.", quotation="Q")
    html = client.get(m.get_absolute_url()).content.decode()
    assert "RGAVMF, f. r-34, op. 1, d." in html  # citation ready to copy
    assert "l. 12 ob." in html  # the speech's folios as a full citation
    assert "1 September 1929" in html


@pytest.mark.django_db
def test_partial_dates_are_not_first_of_january(client, small_corpus):
    t3 = small_corpus["meetings"]["t3"]
    assert t3.date == "1930" and t3.date_precision == "year"
    assert str(t3.date_latest) == "1930-12-31"
    html = client.get(t3.get_absolute_url()).content.decode()
    assert "1 January" not in html and "known to the year" in html


@pytest.mark.django_db
def test_cyrillic_names_get_working_slugs_and_pages(client):
    cell = f.CellFactory(name="Тракторный цех", slug="")
    assert cell.slug == "traktornyi-tsekh"
    assert client.get(cell.get_absolute_url()).status_code == 200
