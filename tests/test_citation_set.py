"""The citation test set (tests/data/citations.yaml): every case, and the accuracy command."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from meetings.citations.checking import check_case, load_cases

SET = Path(__file__).parent / "data" / "citations.yaml"
CASES = load_cases(SET)


def test_the_set_is_large_enough():
    assert len(CASES) >= 150


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(
            case,
            marks=[pytest.mark.xfail(reason=case["known_failure"], strict=True)]
            if case.get("known_failure")
            else [],
            id=f"{i + 1}",
        )
        for i, case in enumerate(CASES)
    ],
)
def test_case(case):
    outcome = check_case(case)
    assert outcome.ok, f"{case['text']!r}: {outcome.problem}"


def test_check_command_prints_accuracy():
    out = StringIO()
    call_command("parse_citation", "--check", str(SET), stdout=out)
    right = sum(check_case(c).ok for c in CASES)
    assert f"{right} of {len(CASES)} citations read right" in out.getvalue()


def test_check_command_names_a_bad_file(tmp_path):
    bad = tmp_path / "set.yaml"
    bad.write_text("- {refs: []}\n", encoding="utf-8")
    with pytest.raises(Exception, match="case 1 needs text"):
        call_command("parse_citation", "--check", str(bad), stdout=StringIO())
