"""The protocol importer and its command: validated, atomic per file, idempotent."""

import pytest
import yaml
from django.core.management import CommandError, call_command

from meetings.importer import ImportProblem, import_data, import_file
from meetings.models import Citation, Meeting, Person, Speech

REFERENCE = {
    "organisations": [{"key": "kp", "name": "Krasnyi Putilovets party organisation"}],
    "cells": [{"key": "tractor", "organisation": "kp", "name": "tractor shop"}],
    "campaigns": [{"key": "purge-1929", "name": "1929 purge", "date_start": "1929"}],
    "people": [{"key": "kirianov", "name": "Kir'ianov", "variants": ["Kir'yanov"]}],
}


def meeting(n: int, **extra) -> dict:
    record = {
        "key": f"kp-1929-{n:02d}",
        "title": f"Shop meeting {n}",
        "date": "1929-05",
        "body": "shop_cell",
        "organisation": "kp",
        "cell": "tractor",
        "campaigns": ["purge-1929"],
        "citations": [{"text": f"TsGAIPD, f. 1012, op. 1, d. 268, l. {n}", "chapter": 2,
                       "footnote": n}],
        "speeches": [{"person": "kirianov", "as_written": "Kir'yanov", "kind": "report",
                      "summary": "Reported on the purge.", "folios": f"{n}"}],
        "zapiski": [{"to": "kirianov", "text": "Why were the norms raised?"}],
        "resolutions": [{"kind": "reprimand", "summary": "Reprimanded the shop organiser."}],
    }  # fmt: skip
    record.update(extra)
    return record


def batch(*meetings) -> dict:
    return {**REFERENCE, "meetings": list(meetings)}


@pytest.mark.django_db
class TestImport:
    def test_loads_everything(self):
        report = import_data(batch(meeting(1), meeting(2)), source="t.yaml", commit=True)
        assert Meeting.objects.count() == 2
        m = Meeting.objects.get(key="kp-1929-01")
        assert m.date_precision == "month" and str(m.date_earliest) == "1929-05-01"
        assert m.cell.slug == "tractor" and [c.slug for c in m.campaigns.all()] == ["purge-1929"]
        assert m.primary_citation.canonical() == "TsGAIPD, f. 1012, op. 1, d. 268, l. 1"
        assert m.speeches.get().speaker_display == "Kir'yanov"
        assert "kirianov" in m.search_text
        assert report.counts[("meetings", "created")] == 2

    def test_twice_creates_no_duplicates(self):
        import_data(batch(meeting(1)), commit=True)
        report = import_data(batch(meeting(1)), commit=True)
        assert Meeting.objects.count() == 1
        assert Speech.objects.count() == 1 and Citation.objects.count() == 1
        assert Person.objects.count() == 1
        assert report.counts[("meetings", "unchanged")] == 1
        assert report.counts[("meetings", "created")] == 0

    def test_an_edit_updates_in_place(self):
        import_data(batch(meeting(1)), commit=True)
        pk = Meeting.objects.get().pk
        report = import_data(batch(meeting(1, title="Renamed")), commit=True)
        assert Meeting.objects.get().pk == pk and Meeting.objects.get().title == "Renamed"
        assert report.counts[("meetings", "updated")] == 1

    def test_dry_run_writes_nothing(self):
        report = import_data(batch(meeting(1)), commit=False)
        assert report.counts[("meetings", "created")] == 1
        assert Meeting.objects.count() == 0 and Person.objects.count() == 0

    @pytest.mark.parametrize(
        "bad, field, words",
        [
            ({"date": "1929-13"}, "date", "month 13"),
            ({"body": "picnic"}, "body", "picnic"),
            ({"cell": "atlantis"}, "cell", "atlantis"),
            ({"citations": [{"text": "TsGAIPD, f. abc, op. 1"}]}, "citations[1].text", "abc"),
            ({"speeches": [{"kind": "report"}]}, "speeches[1].person", "person key or as_written"),
            ({"zapiski": [{"folios": "12"}]}, "zapiski[1]", "text or a summary"),
            ({"speeches": [{"person": "kirianov", "folios": "9-3"}]}, "speeches[1].folios", ""),
            ({"dte": "1929"}, "dte", "unknown field"),
        ],
    )
    def test_an_error_in_record_57_saves_nothing_and_says_where(self, bad, field, words):
        meetings = [meeting(n) for n in range(1, 60)]
        meetings[56] = meeting(57, **bad)
        with pytest.raises(ImportProblem) as info:
            import_data(batch(*meetings), source="protocols.yaml", commit=True)
        message = str(info.value)
        assert message.startswith("protocols.yaml: meetings record 57 (key 'kp-1929-57')")
        assert f"field {field!r}" in message or field in message
        assert words in message
        assert Meeting.objects.count() == 0 and Person.objects.count() == 0


@pytest.mark.django_db
def test_command_dry_run_commit_and_refusal(tmp_path, capsys):
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(batch(meeting(1)), allow_unicode=True), encoding="utf-8")
    call_command("import_protocols", str(good))
    assert Meeting.objects.count() == 0
    assert "dry run" in capsys.readouterr().out
    call_command("import_protocols", str(good), "--commit")
    assert Meeting.objects.count() == 1

    broken = tmp_path / "broken.yaml"
    broken.write_text("meetings:\n  - key: [unclosed\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_protocols", str(broken), "--commit")
    err = capsys.readouterr().err
    assert "broken.yaml: meetings record 1" in err and "(line " in err


@pytest.mark.django_db
def test_import_file_reads_utf8_yaml(tmp_path):
    path = tmp_path / "ru.yaml"
    data = batch(meeting(1))
    data["people"][0]["name_ru"] = "Кирьянов"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    import_file(path, commit=True)
    assert Person.objects.get().name_ru == "Кирьянов"


@pytest.mark.django_db
def test_series_approximate_dates_venue_context_and_mentions():
    data = batch(
        meeting(1, key="ussr-cc-plenum-1937-02", date="c. February 1937", cell=None),
        meeting(
            2,
            date="May–July 1933",
            series=True,
            series_count=12,
            venue="tractor",
            cell=None,
            context=["ussr-cc-plenum-1937-02"],
            mentions=[{"person": "kirianov", "note": "accused of rightism"}],
            needs_review=True,
            review_note="ch. 2 n. 5 gives June",
        ),
    )
    import_data(data, source="t.yaml", commit=True)
    plenum = Meeting.objects.get(key="ussr-cc-plenum-1937-02")
    assert (plenum.date, plenum.date_approximate, plenum.date_precision) == (
        "1937-02~",
        True,
        "month",
    )
    series = Meeting.objects.get(key="kp-1929-02")
    assert (series.date, str(series.date_earliest), str(series.date_latest)) == (
        "1933-05/1933-07",
        "1933-05-01",
        "1933-07-31",
    )
    assert (series.series, series.series_count, series.venue.slug) == (True, 12, "tractor")
    assert list(series.context.all()) == [plenum]
    assert [(m.person.slug, m.note) for m in series.mentions.all()] == [
        ("kirianov", "accused of rightism")
    ]
    assert series.review_note == "ch. 2 n. 5 gives June"
    assert "kirianov" in series.search_text
    # The same file again changes nothing: the date compares in its normalised form.
    report = import_data(data, source="t.yaml", commit=True)
    assert report.counts[("meetings", "unchanged")] == 2


@pytest.mark.django_db
def test_an_unreadable_date_names_the_record_and_the_accepted_forms():
    with pytest.raises(ImportProblem) as raised:
        import_data(batch(meeting(1), meeting(2, date="spring-ish 1929")), source="t.yaml")
    message = str(raised.value)
    assert "meetings record 2" in message and "field 'date'" in message
    assert "accepted forms" in message


@pytest.mark.django_db
def test_a_section_left_out_keeps_the_stored_rows_and_an_empty_list_clears_them():
    import_data(batch(meeting(1)), commit=True)
    record = meeting(1, title="Renamed")
    del record["speeches"], record["zapiski"]
    report = import_data(batch(record), commit=True)
    m = Meeting.objects.get()
    assert m.title == "Renamed" and m.speeches.count() == 1 and m.zapiski.count() == 1
    assert report.counts[("speeches", "deleted")] == 0
    report = import_data(batch(meeting(1, speeches=[], title="Renamed")), commit=True)
    assert m.speeches.count() == 0 and m.zapiski.count() == 1
    assert report.counts[("speeches", "deleted")] == 1
    assert "meetings.delete_speech" in report.permissions_needed()


@pytest.mark.django_db
def test_a_changed_speech_is_updated_in_place_with_its_history():
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("archivist")
    import_data(batch(meeting(1)), source="a.yaml", commit=True, user=user)
    speech = Speech.objects.get()
    changed = meeting(1)
    changed["speeches"][0]["summary"] = "Reported on the purge, and on wages."
    report = import_data(batch(changed), source="b.yaml", commit=True, via="admin")
    assert report.counts[("speeches", "updated")] == 1
    assert report.permissions_needed() == {"meetings.change_speech"}
    assert Speech.objects.get().pk == speech.pk
    history = list(speech.history.order_by("history_date", "history_id"))
    assert [h.history_type for h in history] == ["+", "~"]
    assert history[0].history_change_reason == "import_protocols: a.yaml"
    assert history[0].history_user == user
    assert history[1].history_change_reason == "admin upload: b.yaml"
    assert history[1].summary == "Reported on the purge, and on wages."
    m = Meeting.objects.get()
    first = m.history.earliest("history_date")
    assert first.history_type == "+" and first.history_change_reason == "import_protocols: a.yaml"
    assert [c.campaign.slug for c in first.campaigns.all()] == ["purge-1929"]
    assert Person.objects.get().history.get().history_change_reason == "import_protocols: a.yaml"


@pytest.mark.django_db
def test_the_dry_run_report_says_what_a_commit_would_write():
    report = import_data(batch(meeting(1)), commit=False)
    writes = {m._meta.model_name: outcomes for m, outcomes in report.writes().items()}
    assert writes["meeting"] == {"created": 1} and writes["speech"] == {"created": 1}
    assert "meetings.add_person" in report.permissions_needed()
    assert not Meeting.objects.exists()
