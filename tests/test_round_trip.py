"""Round trip (issue 8 §7): the shipped corpus, exported with ``export_corpus`` and imported
into an empty database, gives the same four CSV exports row for row (ids aside: they are
the new database's), and exporting again gives the same files byte for byte."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

CORPUS = sorted((Path(settings.BASE_DIR) / "fixtures" / "corpus").glob("*.yaml"))
THESIS = Path(settings.BASE_DIR).parent / "shared" / "seed" / "thesis.txt"
LISTS = ("meetings", "speakers", "zapiski", "resolutions")
IDS = ("id", "url", "meeting_id")


def csv_rows(client: Client, name: str) -> list[dict]:
    response = client.get(f"/{name}/export.csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    return [{k: v for k, v in row.items() if k not in IDS} for row in rows]


def files(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.yaml"))}


@pytest.mark.django_db(transaction=True)
def test_export_then_import_into_an_empty_database_gives_the_same_csvs(tmp_path):
    call_command("import_protocols", *map(str, CORPUS), "--commit", verbosity=0)
    if THESIS.exists():  # the thesis's other footnotes: citations no meeting carries
        call_command("ingest_thesis", str(THESIS), verbosity=0)
    client = Client()
    before = {name: csv_rows(client, name) for name in LISTS}
    assert all(before.values())
    first = tmp_path / "first"
    call_command("export_corpus", str(first), verbosity=0)

    call_command("flush", interactive=False, verbosity=0)
    exported = sorted(map(str, first.glob("*.yaml")))
    call_command("import_protocols", *exported, "--commit", verbosity=0)

    for name in LISTS:
        after = csv_rows(client, name)
        assert len(after) == len(before[name]), name
        for n, (old, new) in enumerate(zip(before[name], after, strict=True)):
            assert old == new, f"{name} row {n + 1}"
    second = tmp_path / "second"
    call_command("export_corpus", str(second), verbosity=0)
    assert files(second) == files(first)


@pytest.mark.django_db
def test_every_field_of_a_meeting_round_trips(tmp_path):
    from meetings.importer import import_data
    from meetings.models import Meeting, Person
    from tests.test_importer import batch, meeting

    data = batch(
        meeting(1, key="ctx", cell=None, date="c. February 1937"),
        meeting(
            2, date="May–July 1933", series=True, series_count=12, venue="tractor",
            context=["ctx"], mentions=[{"person": "kirianov", "note": "accused"}],
            needs_review=True, review_note="two readings", closed=False, attendance=40,
            chair="kirianov", chair_display="Kir'ianov", source_note="thesis ch. 1",
        ),
    )  # fmt: skip
    data["people"][0].update(needs_review=True, review_note="which Kir'ianov?")
    data["people"][0]["variants"] = [
        "Kir'yanov",
        {"name": "Кирьянов", "kind": "cyrillic", "source": "ch. 2"},
    ]
    import_data(data, commit=True)
    call_command("export_corpus", str(tmp_path / "a"), verbosity=0)
    exported = (tmp_path / "a" / "meetings-1933.yaml").read_text(encoding="utf-8")
    for text in ("series: true", "series_count: 12", "venue: tractor", "- ctx", "closed: false",
                 "review_note: two readings", "date: 1933-05/1933-07", "mentions:"):  # fmt: skip
        assert text in exported, text
    people = (tmp_path / "a" / "01-people.yaml").read_text(encoding="utf-8")
    assert "kind: cyrillic" in people and "review_note: which Kir'ianov?" in people
    Meeting.objects.all().delete()
    Person.objects.all().delete()
    call_command("import_protocols", *sorted(map(str, (tmp_path / "a").glob("*.yaml"))),
                 "--commit", verbosity=0)  # fmt: skip
    call_command("export_corpus", str(tmp_path / "b"), verbosity=0)
    assert files(tmp_path / "b") == files(tmp_path / "a")
    assert Meeting.objects.get(key="ctx").date == "1937-02~"
