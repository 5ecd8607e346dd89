"""Corpus checks: the footnote coverage table behind ``check_corpus --coverage``."""

import pytest
from django.core.management import call_command

from meetings.integrity import footnote_coverage
from tests import factories as f


@pytest.mark.django_db
def test_coverage_counts_footnotes_a_meeting_cites(capsys):
    cited = f.CitationFactory(chapter=2, footnote=14, delo__number="268")
    f.CitationFactory(chapter=2, footnote=15, delo__number="269")  # a report, no meeting
    f.CitationFactory(chapter=1, footnote=3, delo__number="270")
    f.MeetingFactory(citations=[cited])

    rows = {r.chapter: r for r in footnote_coverage()}
    assert (rows[2].footnotes, rows[2].linked, rows[2].meetings) == (2, 1, 1)
    assert rows[2].unlinked == ["n. 15: TsGAIPD, f. 1012, op. 1, d. 269, l. 10"]
    assert (rows[1].footnotes, rows[1].linked) == (1, 0)

    call_command("check_corpus", "--coverage", verbosity=2)
    out = capsys.readouterr().out
    assert "| 2 | 2 | 1 | 50% | 1 |" in out
    assert "| all | 3 | 1 | 33% | |" in out
    assert "n. 15: TsGAIPD, f. 1012, op. 1, d. 269, l. 10" in out
