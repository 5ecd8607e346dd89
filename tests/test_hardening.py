"""Hostile input answers 4xx with a message, never 500 (issue 11), on both databases."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from meetings import citations, search
from meetings.models import Meeting
from meetings.params import BadNumber, bounded_int

LISTS = ["/meetings/", "/speakers/", "/zapiski/", "/resolutions/"]
EXPORTS = [f"{url}export.csv" for url in LISTS]

UNICODE_DIGITS = ["%C2%B2", "%E2%91%A0", "%C2%B9%E2%81%B9%C2%B2%E2%81%B9", "%D9%A3"]  # ² ① ¹⁹²⁹ ٣
HUGE = "9" * 10_000


class TestBoundedInt:
    @pytest.mark.parametrize("text", ["²", "①", "¹⁹²⁹", "٣", HUGE, "-1", "1e3", "", " ", "0x10"])
    def test_refused(self, text):
        with pytest.raises(BadNumber):
            bounded_int(text, 0, 10**6)

    def test_accepted(self):
        assert bounded_int(" 0042 ", 1, 100) == 42

    @given(st.text(max_size=50))
    def test_any_text_is_a_number_in_range_or_refused(self, text):
        try:
            value = bounded_int(text, 1, 5000)
        except BadNumber as exc:
            assert "whole number from 1 to 5000" in str(exc)
        else:
            assert 1 <= value <= 5000


@pytest.mark.parametrize(
    "text",
    [
        "TsGAIPD, f. 1012, op. 1, d. 268, l. " + "9" * 5000,
        "TsGAIPD, f. 1012, op. 1, d. 268, ll. 10-" + "9" * 5000,
        "TsGAIPD, f. 1012, op. 1, d. 268, l. 99999999999",
    ],
)
def test_a_huge_folio_is_a_citation_error_not_a_crash(text):
    # Pasted in the admin or written in an import file: a message, never a ValueError.
    with pytest.raises(citations.CitationError, match="whole number from 0 to"):
        citations.parse(text)


@pytest.mark.django_db
class TestNumbersInTheQueryString:
    @pytest.mark.parametrize("url", LISTS + EXPORTS)
    @pytest.mark.parametrize("digits", UNICODE_DIGITS)
    def test_unicode_digits_in_year_are_400(self, client, small_corpus, url, digits):
        r = client.get(f"{url}?year={digits}")
        assert r.status_code == 400
        assert "not a year" in r.content.decode()

    @pytest.mark.parametrize("url", LISTS + ["/campaigns/purge-1929/", "/cells/tractor/"])
    @pytest.mark.parametrize("param", ["page", "per_page"])
    @pytest.mark.parametrize("digits", [*UNICODE_DIGITS, HUGE])
    def test_unicode_and_huge_page_numbers_are_400(self, client, small_corpus, url, param, digits):
        r = client.get(f"{url}?{param}={digits}")
        if param == "per_page" and url not in LISTS:
            assert r.status_code == 200  # detail pages have a fixed page size
            return
        assert r.status_code == 400
        assert "whole number" in r.content.decode()

    def test_huge_year_is_400(self, client, small_corpus):
        r = client.get(f"/meetings/?year={HUGE}")
        assert r.status_code == 400
        assert "not a year" in r.content.decode()

    def test_page_past_the_cap_is_400(self, client, small_corpus, settings):
        r = client.get(f"/meetings/?page={settings.CORPUS_MAX_PAGE + 1}")
        assert r.status_code == 400
        assert f"from 1 to {settings.CORPUS_MAX_PAGE}" in r.content.decode()


@pytest.mark.django_db
class TestLongSearches:
    @pytest.mark.parametrize("url", LISTS + EXPORTS)
    def test_two_thousand_words_are_400_without_a_query(self, client, small_corpus, url):
        q = "+".join(f"w{i}" for i in range(2000))
        with CaptureQueriesContext(connection) as queries:
            r = client.get(f"{url}?q={q}")
        assert r.status_code == 400
        assert "characters long" in r.content.decode()
        assert len(queries) == 0

    def test_too_many_words_are_400(self, client, small_corpus):
        q = " ".join(f"w{i}" for i in range(search.MAX_QUERY_WORDS + 1))
        r = client.get("/meetings/", {"q": q})
        assert r.status_code == 400
        assert f"at most {search.MAX_QUERY_WORDS}" in r.content.decode()

    def test_a_repeated_word_counts_once(self, client, small_corpus):
        # The issue's /meetings/?q=a+a+a+... (100 times): one distinct word, well in the caps.
        r = client.get("/meetings/", {"q": " ".join(["a"] * 99)})
        assert r.status_code == 200

    @pytest.mark.parametrize("url", LISTS)
    def test_the_most_words_allowed_search_and_rank(self, client, small_corpus, url):
        meeting = small_corpus["meetings"]["t1"]
        words = meeting.search_text.split()[: search.MAX_QUERY_WORDS]
        r = client.get(url, {"q": " ".join(words)})
        assert r.status_code == 200

    def test_relevance_is_one_flat_sum(self, small_corpus):
        words = " ".join(f"w{i}" for i in range(search.MAX_QUERY_WORDS))
        qs = search.by_relevance(Meeting.objects.all(), words)
        sql = str(qs.query)
        # (CASE .. END + CASE .. END + ...): one level, whatever the number of words.
        assert sql.count("END + CASE WHEN") == search.MAX_QUERY_WORDS - 1
        assert {m.search_rank for m in qs} == {search.MAX_QUERY_WORDS}  # 1 point a word

    def test_query_words_never_pass_the_cap(self):
        words = search.query_words(" ".join(f"w{i}" for i in range(5000)))
        assert len(words) == search.MAX_QUERY_WORDS


@pytest.mark.django_db
class TestControlCharacters:
    @pytest.mark.parametrize(
        "url",
        [
            "/archives/rgaspi/f/%00/",
            "/archives/tsgaipd/f/1012/op/%00/",
            "/archives/tsgaipd/f/1012/op/1/d/%00/",
            "/cells/%00/",
            "/archives/tsgaipd/f/a%01b/",
        ],
    )
    def test_in_the_path_is_404(self, client, small_corpus, url):
        assert client.get(url).status_code == 404

    @pytest.mark.parametrize(
        "url",
        [
            "/meetings/?q=%00",
            "/meetings/?cell=%00",
            "/meetings/?year=19%0029",
            "/speakers/export.csv?q=kir%00",
            "/meetings/?sort=%1b",
            "/meetings/?%00=1",
            "/admin/meetings/meeting/?q=%00",
        ],
    )
    def test_in_a_query_value_is_400(self, client, small_corpus, url):
        r = client.get(url)
        assert r.status_code == 400
        assert "control character" in r.content.decode()
