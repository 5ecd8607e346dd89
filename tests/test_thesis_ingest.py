"""Footnote extraction (meetings.thesis) and the parse_citation / ingest_thesis commands."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from meetings.models import Archive, Citation, Delo, Fond
from meetings.thesis import iter_footnotes, resolve_footnotes

RULE = " " * 49  # the footnote rule as the PDF conversion writes it

# Two chapters laid out as the conversion lays them out: body lines double-spaced, a rule
# line, footnotes, the next page's body starting with one space. Footnote 2 runs on over a
# page break; the body of page 2 starts with a year; chapter 2 restarts the numbering.
SAMPLE = f"""\
 1. Bolshevik bargaining: the party rank-and-file

Body text of the first page.1 More body text.2

{RULE}
1 Kenneth M. Straus, Factory and Community (Pittsburgh, 1998), p. 7.
2 In addition to bureau members, this meeting was attended by communist foremen, organisers of

shop and sub-shop level bureaus. TsGAIPD, f. 1012,
 1929 was the year of the purge; body of page two.3

Still body text, with 4 workers.

{RULE}
op. 1, d. 268, l. 10.
3 Ibid. First names and patronymics are not usually given.
4 Ibid. l. 11.
5 Straus, Factory and Community, pp. 90-98.
6 Ibid.
7 RGVAMF, f. r-34, op. 2, d. 1334, 1. 55.
 Body of page three.

2. Conflict, Purges and Administration: Politics on the factory floor

Body.1

{RULE}
1 TsGAIPD, f. 1012, op. 1, dd. 1171, 1172.
2 Ibid, l. 5.
"""


def notes(text=SAMPLE):
    return list(iter_footnotes(text.splitlines()))


# ---------------------------------------------------------------------------
# footnote extraction


def test_footnotes_found_in_order():
    found = notes()
    assert [(n.chapter, n.number) for n in found] == [(1, i) for i in range(1, 8)] + [
        (2, 1),
        (2, 2),
    ]


def test_footnote_continues_over_a_page_break():
    second = notes()[1]
    assert second.line == 7
    assert second.text.endswith("TsGAIPD, f. 1012,\nop. 1, d. 268, l. 10.")
    assert "1929" not in second.text  # the next page's body is not part of it


def test_body_numbers_are_not_footnotes():
    text = f" 1. Chapter\n\nbody\n{RULE}\n1 A note.\n2000. still note 1\n1929 again\n 12 body\n"
    found = notes(text)
    assert [(n.number, n.text) for n in found] == [(1, "A note.\n2000. still note 1\n1929 again")]


def test_introduction_and_conclusion_chapters():
    text = (
        f" Introduction: Theory\n\nx\n{RULE}\n1 Intro note.\n"
        f" 1. Bolshevik bargaining\n\nx\n{RULE}\n1 Chapter note.\n2 Another.\n"
        f" Conclusion: the vanguard\n\ny\n{RULE}\n1 Last note.\n"
    )
    # the conclusion is numbered after the last chapter (5 in the thesis)
    assert [(n.chapter, n.number) for n in notes(text)] == [(0, 1), (1, 1), (1, 2), (2, 1)]


def test_numbering_may_jump_after_a_rule():
    # footnotes 20-45 are missing from the converted introduction
    text = f" Introduction: x\n\nb\n{RULE}\n19 Note.\n page\n\nb\n{RULE}\n46 Later note.\n"
    assert [n.number for n in notes(text)] == [19, 46]


def test_page_number_ends_the_footnotes():
    text = f" 1. Chapter\n\nb\n{RULE}\n1 Note.\n\n \n64\n \nBody of the next page.\n"
    assert [n.text for n in notes(text)] == ["Note."]


def test_resolve_footnotes_resolves_ibid_and_books():
    resolved = {(n.chapter, n.number): r for n, r in resolve_footnotes(notes())}
    assert resolved[1, 1].references == []  # a book
    [ref] = resolved[1, 2].references
    assert ref.canonical() == "TsGAIPD, f. 1012, op. 1, d. 268, l. 10"
    assert resolved[1, 3].references == [ref]
    assert resolved[1, 4].references[0].canonical().endswith("l. 11")
    assert resolved[1, 5].references == []  # a book
    assert resolved[1, 6].references == []  # bare Ibid after a book
    assert resolved[1, 7].references[0].archive == "RGAVMF"
    assert len(resolved[1, 7].warnings) == 2
    assert [r.delo for r in resolved[2, 1].references] == ["1171", "1172"]
    assert resolved[2, 2].references[0].delo == "1172"


def test_resolve_footnotes_does_not_bridge_lost_footnotes():
    text = (
        f" 1. Chapter\n\nb\n{RULE}\n1 TsGAIPD, f. 1012, op. 1, d. 264, l. 1.\n"
        f" page\n\nb\n{RULE}\n33 Ibid., l. 70.\n"
    )
    resolved = [r for _, r in resolve_footnotes(notes(text))]
    assert resolved[1].references == []
    assert "missing from the text" in resolved[1].errors[0]


# ---------------------------------------------------------------------------
# parse_citation


def run_parse_citation(lines):
    out = StringIO()
    call_command("parse_citation", stdin=StringIO("\n".join(lines) + "\n"), stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_parse_citation_json_shape():
    records = run_parse_citation(
        [
            "TsGAIPD, f. 1012, op. 2, d. 939, ll. 103-5.",
            "Ibid., ll. 3-4, 19",
            "RGVAMF, f. r-34, op. 2, d. 1334, l. 12 ob.",
            "ЦГАИПД СПб. Ф. 1012. Оп. 1. Д. 985а. Л. 10.",
            "not a citation",
        ]
    )
    assert records[0] == {
        "input": "TsGAIPD, f. 1012, op. 2, d. 939, ll. 103-5.",
        "references": [
            {
                "archive": "TsGAIPD",
                "fond": "1012",
                "opis": "2",
                "delo": "939",
                "delo_end": None,
                "folios": ["103-105"],
                "canonical": "TsGAIPD, f. 1012, op. 2, d. 939, ll. 103-105",
            }
        ],
        "warnings": [],
        "error": None,
    }
    assert records[1]["references"][0]["folios"] == ["3-4", "19"]
    assert records[1]["references"][0]["delo"] == "939"  # Ibid: the line before
    assert records[2]["references"][0]["folios"] == ["12ob"]
    assert records[2]["references"][0]["fond"] == "r-34"
    assert records[2]["warnings"]
    assert records[3]["references"][0]["delo"] == "985a"
    assert records[4]["references"] == [] and "no archival citation" in records[4]["error"]


def test_parse_citation_keeps_cyrillic_unescaped():
    out = StringIO()
    call_command("parse_citation", stdin=StringIO("ЦГАИПД СПб. Ф. 1012. Оп. 1.\n"), stdout=out)
    assert "ЦГАИПД" in out.getvalue()


def test_parse_citation_reports_errors():
    [record] = run_parse_citation(["TsGAIPD, f. abc"])
    assert record["error"].startswith("'f. abc': fond number")


# ---------------------------------------------------------------------------
# ingest_thesis


@pytest.fixture
def sample_thesis(tmp_path):
    path = tmp_path / "thesis.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    return path


def ingest(path, *args):
    out = StringIO()
    call_command("ingest_thesis", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_ingest_sample_is_idempotent(sample_thesis):
    first = ingest(sample_thesis)
    # 1.2, 1.3 (same file and folio: one citation per footnote), 1.4, 1.7, 2.1 (x2), 2.2
    assert Citation.objects.count() == 7
    assert "References found: 7 (7 created, 0 already present)" in first
    second = ingest(sample_thesis)
    assert Citation.objects.count() == 7
    assert "(0 created, 7 already present)" in second


@pytest.mark.django_db
def test_ingest_sample_records(sample_thesis):
    ingest(sample_thesis)
    citation = Citation.objects.get(chapter=1, footnote=2)
    assert citation.canonical() == "TsGAIPD, f. 1012, op. 1, d. 268, l. 10"
    assert citation.raw.startswith("In addition to bureau members")
    fleet = Citation.objects.get(chapter=1, footnote=7)
    assert fleet.opis.fond.number == "r-34" and fleet.opis.fond.archive.abbreviation == "RGAVMF"
    assert "RGVAMF" in fleet.warnings and "'1. 55'" in fleet.warnings
    assert not Citation.objects.filter(chapter=1, footnote__in=[1, 5, 6]).exists()
    assert set(Archive.objects.values_list("abbreviation", flat=True)) == {"TsGAIPD", "RGAVMF"}


@pytest.mark.django_db
def test_ingest_dry_run_rolls_back(sample_thesis):
    out = ingest(sample_thesis, "--dry-run")
    assert "Dry run" in out
    assert Citation.objects.count() == 0 and Delo.objects.count() == 0


@pytest.mark.django_db
def test_ingest_verbose_lists_warnings(sample_thesis):
    out = ingest(sample_thesis, "--verbose")
    assert "Warnings: 2" in out
    assert "ch. 1, n. 7" in out and "misspelt archive" in out


# ---------------------------------------------------------------------------
# the real thesis

THESIS = Path(settings.BASE_DIR).parent / "shared" / "seed" / "thesis.txt"


@pytest.mark.skipif(not THESIS.exists(), reason="the thesis text is not available")
@pytest.mark.django_db
def test_ingest_real_thesis():
    out = ingest(THESIS)
    assert Citation.objects.count() > 100
    chapters = set(Citation.objects.values_list("chapter", flat=True))
    assert {1, 2, 3, 4} <= chapters
    fonds = set(Fond.objects.values_list("archive__abbreviation", "number"))
    assert {("TsGAIPD", "1012"), ("RGAVMF", "r-34"), ("RGASPI", "17")} <= fonds
    assert Delo.objects.filter(number="985a").exists()
    assert Delo.objects.filter(number="985b").exists()
    # footnote 116 of chapter 1: two files in one footnote
    assert set(
        Citation.objects.filter(chapter=1, footnote=116).values_list("delo__number", flat=True)
    ) == {"550", "710"}
    # chapter 4, n. 24: "RGVAMF ... 1. 55" read and reported
    fleet = Citation.objects.get(chapter=4, footnote=24, delo__number="1334")
    assert fleet.folios == "55" and "digit '1'" in fleet.warnings
    assert "Footnotes read:" in out
    again = ingest(THESIS)
    assert "0 created" in again
