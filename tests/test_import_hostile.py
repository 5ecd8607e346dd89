"""Hostile or broken import files (issue 11, items 5 and 6): refused with a message naming
file, record and field, never a crash, the same on SQLite and PostgreSQL, through the
command and through the admin upload; nothing is saved."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from meetings.importer import ImportErrors, ImportProblem, import_bytes
from meetings.models import Meeting, Organisation, Person

HEAD = """organisations:
  - {key: kp, name: Krasnyi Putilovets party organisation}
people:
  - {key: kirianov, name: "Kir'ianov"}
meetings:
  - key: kp-1929-05-14
    title: General assembly
    body: general_assembly
    organisation: kp
"""


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


BILLION_LAUGHS = """a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""

CASES = {
    # name: (file text, where the message points, what it says)
    "impossible unquoted date": (
        HEAD + "    date: 1929-02-30\n",
        "meetings record 1 (key 'kp-1929-05-14')",
        "day is out of range",
    ),
    "integer key": (HEAD + "    1: x\n", "meetings record 1", "the key 1 is not text"),
    "null key": (HEAD + "    ~: 1\n", "meetings record 1", "the key ~ (null) is not text"),
    "roles: 5": (
        HEAD.replace('name: "Kir\'ianov"}', 'name: "Kir\'ianov", roles: 5}'),
        "people record 1 (key 'kirianov'): field 'roles'",
        "must be a list of rows",
    ),
    "lists nested 5,000 deep": (
        HEAD + f"    summary: {nested(5000)}\n",
        "meetings record 1",
        "nest",
    ),
    "attendance: .inf": (
        HEAD + "    attendance: .inf\n",
        "field 'attendance'",
        "must be a whole number",
    ),
    "chapter: abc": (
        HEAD + '    citations: [{text: "TsGAIPD, f. 1012, op. 1, d. 268", chapter: abc}]\n',
        "field 'citations[1].chapter'",
        "must be a whole number",
    ),
    "chapter: 99999999": (
        HEAD + '    citations: [{text: "TsGAIPD, f. 1012, op. 1, d. 268", chapter: 99999999}]\n',
        "field 'citations[1].chapter'",
        "out of range (0–32,767)",
    ),
    "NUL in a string": (HEAD + '    summary: "a\\0b"\n', "field 'summary'", "NUL character"),
    "5,000-character variant": (
        HEAD.replace('name: "Kir\'ianov"}', f'name: "Kir\'ianov", variants: [{"x" * 5000}]}}'),
        "field 'variants[1].name'",
        "5,000 characters long; at most 255",
    ),
    "5,000-character title": (
        HEAD.replace("title: General assembly", f"title: {'y' * 5000}"),
        "field 'title'",
        "at most 300",
    ),
    "billion laughs": (BILLION_LAUGHS, "", "aliases expand to more than"),
    "duplicate key": (HEAD + "    title: Again\n", "field 'title'", "appears twice"),
    "python tag": (
        HEAD + "    summary: !!python/object/apply:os.system [echo hi]\n",
        "meetings record 1",
        "is not allowed",
    ),
    "a list where text belongs": (
        HEAD + "    summary: [a, b]\n",
        "field 'summary'",
        "must be text",
    ),
    "a number where text belongs": (
        HEAD + "    body_name: 12\n",
        "field 'body_name'",
        "must be text, not the number 12",
    ),
    "not UTF-8": (HEAD + "    summary: \xff\xfe\n", "", "not UTF-8"),
}


def as_bytes(text: str) -> bytes:
    return text.encode("latin-1") if "\xff" in text else text.encode()


def nothing_saved():
    return not (
        Meeting.objects.exists() or Organisation.objects.exists() or Person.objects.exists()
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(CASES))
def test_refused_with_file_record_and_field(name):
    text, where, says = CASES[name]
    with pytest.raises(ImportProblem) as raised:
        import_bytes(as_bytes(text), source="hostile.yaml", commit=True)
    message = str(raised.value)
    assert message.startswith("hostile.yaml")
    assert where in message and says in message, message
    assert nothing_saved()


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(CASES))
def test_refused_through_the_command(name, tmp_path, capsys):
    text, where, says = CASES[name]
    path = tmp_path / "hostile.yaml"
    path.write_bytes(as_bytes(text))
    with pytest.raises(CommandError):
        call_command("import_protocols", str(path), "--commit")
    err = capsys.readouterr().err
    assert "ERROR hostile.yaml" in err and where in err and says in err, err
    assert "Traceback" not in err
    assert nothing_saved()


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(CASES))
def test_refused_through_the_admin_upload(name, admin_client):
    import html

    text, where, says = CASES[name]
    upload = SimpleUploadedFile("hostile.yaml", as_bytes(text), content_type="application/x-yaml")
    r = admin_client.post("/admin/meetings/meeting/import/", {"files": [upload], "commit": "on"})
    assert r.status_code == 200
    page = html.unescape(r.content.decode())
    assert "Nothing from this file was saved" in page
    assert "hostile.yaml" in page and where in page and says in page
    assert not Meeting.objects.exists() and not Person.objects.exists()


@pytest.mark.django_db
def test_an_oversized_file_is_refused_before_it_is_read(settings):
    settings.IMPORT_MAX_BYTES = 1000
    with pytest.raises(ImportProblem) as raised:
        import_bytes((HEAD + "    summary: " + "z" * 2000 + "\n").encode(), source="big.yaml")
    assert "at most 0 MB" in str(raised.value) or "can be imported at once" in str(raised.value)


@pytest.mark.django_db
def test_aliases_of_small_values_still_load():
    text = HEAD.replace("title: General assembly", "title: &t General assembly") + (
        "    summary: *t\n"
    )
    report = import_bytes(text.encode(), source="ok.yaml", commit=True)
    assert report.counts[("meetings", "created")] == 1
    assert Meeting.objects.get().summary == "General assembly"


@pytest.mark.django_db
def test_every_problem_of_a_file_in_one_run():
    text = (
        HEAD
        + "    date: 1929-13-01\n"
        + "    record_type: rumour\n"
        + "    cell: atlantis\n"
        + "    speeches: [{person: nobody, kind: report}, {kind: shout, as_written: X}]\n"
        + "  - key: kp-1929-05-14\n    title: Twice\n    body: bureau\n    organisation: kp\n"
        + "  - key: kp-1929-06\n    title: Fine\n    body: bureau\n    organisation: kp\n"
        + "    dte: 1929\n"
    )
    with pytest.raises(ImportErrors) as raised:
        import_bytes(text.encode(), source="six.yaml", commit=True)
    problems = raised.value.problems
    fields = {p.field for p in problems}
    assert {"date", "record_type", "speeches[2].kind", "dte"} <= fields, problems
    message = str(raised.value)
    assert "valid: stenographic, protocol, report, other" in message
    assert "valid: report, coreport, floor" in message
    assert "meetings record 2" in message and "second meetings record with this key" in message
    assert "line " in message
    # references are checked too, in the same run, once the types are right
    fixed = (
        text.replace("    date: 1929-13-01\n    record_type: rumour\n", "")
        .replace("{kind: shout, as_written: X}", "{kind: floor, as_written: X}")
        .replace("    dte: 1929\n", "")
        .replace(
            "  - key: kp-1929-05-14\n    title: Twice\n    body: bureau\n    organisation: kp\n", ""
        )
    )
    with pytest.raises(ImportErrors) as raised:
        import_bytes(fixed.encode(), source="refs.yaml", commit=True)
    fields = {p.field for p in raised.value.problems}
    assert fields == {"cell", "speeches[1].person"}, raised.value.problems
    assert nothing_saved()
