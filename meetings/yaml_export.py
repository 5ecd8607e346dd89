"""The whole database as YAML in the fixture format (``fixtures/README.md``): the backup a
historian can read and diff, and the way edits made in the admin go back into
``fixtures/corpus/``. ``import_protocols --commit`` of the files, in name order, into an
empty database gives the same records (the four CSV exports match row for row; ids are the
new database's).

Files, each in a stable order:

- ``00-reference.yaml``: archives, fonds, opisi, dela, organisations, cells (parents first),
  campaigns;
- ``01-people.yaml``: people with every spelling and role, in the order they were entered;
- ``02-citations.yaml``: citations no meeting carries (the thesis's other footnotes);
- ``03-context-meetings.yaml``: meetings other meetings name as their context;
- ``meetings-<year>.yaml`` (``meetings-undated.yaml``): every other meeting of that year,
  in the order they were entered (so records on one date keep their order in the lists).

Empty values and defaults are left out, as a person would write the files. A meeting with
no key is given ``meeting-<id>``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import yaml
from django.db.models import Prefetch

from .importer.schema import MEETING_CHILDREN, SECTIONS
from .models import (
    Archive,
    Campaign,
    Cell,
    Citation,
    Delo,
    Fond,
    Meeting,
    MeetingCitation,
    Opis,
    Organisation,
    Person,
    PersonName,
    PersonRole,
)

CHUNK = 1000
Dumper = getattr(yaml, "CSafeDumper", None) or yaml.SafeDumper


class ExportDumper(Dumper):
    """Long text as a folded block, text with line breaks as a literal block: diffable."""


def _text(dumper, value: str):
    style = None
    if "\n" in value:
        style = "|"
    elif len(value) > 80:
        style = ">"
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


ExportDumper.add_representer(str, _text)


def dump(records: list) -> str:
    return yaml.dump(
        records, Dumper=ExportDumper, allow_unicode=True, sort_keys=False, width=100,
        default_flow_style=False,
    )  # fmt: skip


def _default(model, attr):
    field = model._meta.get_field(attr)
    return field.get_default() if field.has_default() else ("" if not field.null else None)


def plain(obj, specs: dict, skip=()) -> dict:
    """The record's own fields (text, numbers, choices, dates), defaults left out."""
    out = {}
    for name, spec in specs.items():
        attr = spec.attr or name
        if name in skip or spec.kind not in ("text", "int", "bool", "choice", "date"):
            continue
        value = getattr(obj, attr)
        if value is None or value == "" or value == _default(type(obj), attr):
            continue
        out[name] = value
    return out


class Exporter:
    """Writes the corpus to a folder; returns the files and their record counts."""

    def __init__(self):
        self.people = dict(Person.objects.values_list("pk", "slug"))
        self.cells = dict(Cell.objects.values_list("pk", "slug"))
        self.orgs = dict(Organisation.objects.values_list("pk", "slug"))
        self.campaigns = dict(Campaign.objects.values_list("pk", "slug"))
        self.keys = {
            pk: key or f"meeting-{pk}" for pk, key in Meeting.objects.values_list("pk", "key")
        }

    # -- files ----------------------------------------------------------------------
    def write(self, folder: Path, one_file: str | None = None) -> dict[str, int]:
        folder.mkdir(parents=True, exist_ok=True)
        written: dict[str, int] = {}
        targets = set(Meeting.context.through.objects.values_list("to_meeting_id", flat=True))
        groups = [
            ("00-reference.yaml", self.reference()),
            ("01-people.yaml", [("people", self.people_records())]),
            ("02-citations.yaml", [("citations", self.free_citations())]),
            ("03-context-meetings.yaml", [("meetings", self.meetings(pks=targets))]),
        ]
        years = (
            Meeting.objects.exclude(pk__in=targets)
            .order_by("year")
            .values_list("year", flat=True)
            .distinct()
        )
        for year in years:
            name = f"meetings-{year}.yaml" if year else "meetings-undated.yaml"
            groups.append((name, [("meetings", self.meetings(year=year, exclude=targets))]))
        if one_file:  # each section once: the context meetings, then the years
            merged: dict[str, list] = {}
            for _, sections in groups:
                for section, records in sections:
                    merged.setdefault(section, []).append(records)
            with (folder / one_file).open("w", encoding="utf-8") as out:
                for section, parts in merged.items():
                    written[section] = self.section(out, section, itertools.chain(*parts))
            return written
        for name, sections in groups:
            path = folder / name
            with path.open("w", encoding="utf-8") as out:
                out.write("# Exported by manage.py export_corpus (fixture format)\n")
                n = sum(self.section(out, section, records) for section, records in sections)
            if n:
                written[name] = n
            else:
                path.unlink()
        return written

    def section(self, out, name: str, records) -> int:
        n = 0
        batch = []
        for record in records:
            if n == 0:
                out.write(f"{name}:\n")
            batch.append(record)
            n += 1
            if len(batch) >= CHUNK:
                out.write(dump(batch))
                batch = []
        if batch:
            out.write(dump(batch))
        return n

    # -- reference sections ----------------------------------------------------------
    def reference(self):
        s = SECTIONS
        return [
            # archives in the registry (fixtures/archives.yaml) come from there, not the export
            ("archives", (plain(a, s["archives"])
                          for a in Archive.objects.filter(in_registry=False)
                          .order_by("abbreviation"))),
            ("fonds", (
                {"archive": f.archive.abbreviation, **plain(f, s["fonds"], skip=("archive",))}
                for f in Fond.objects.select_related("archive").order_by(
                    "archive__abbreviation", "sort_key", "number")
            )),
            ("opisi", (
                {"archive": o.fond.archive.abbreviation, "fond": o.fond.number,
                 **plain(o, s["opisi"], skip=("archive", "fond"))}
                for o in Opis.objects.select_related("fond__archive").order_by(
                    "fond__archive__abbreviation", "fond__sort_key", "sort_key", "number")
            )),
            ("dela", (
                {"citation": f"{d.opis.fond.archive.abbreviation}, f. {d.opis.fond.number}, "
                             f"op. {d.opis.number}, d. {d.number}", **plain(d, s["dela"])}
                for d in Delo.objects.select_related("opis__fond__archive").order_by(
                    "opis__fond__archive__abbreviation", "opis__fond__sort_key",
                    "opis__sort_key", "sort_key", "number")
                if plain(d, s["dela"])
            )),
            ("organisations", (
                {"key": o.slug, **plain(o, s["organisations"], skip=("key",))}
                for o in Organisation.objects.order_by("slug")
            )),
            ("cells", self.cell_records()),
            ("campaigns", (
                {"key": c.slug, **plain(c, s["campaigns"], skip=("key",))}
                for c in Campaign.objects.order_by("slug")
            )),
        ]  # fmt: skip

    def cell_records(self) -> Iterator[dict]:
        cells = list(Cell.objects.order_by("slug"))
        done: set[int] = set()
        ordered = []
        while len(ordered) < len(cells):  # parents first
            before = len(ordered)
            for c in cells:
                if c.pk not in done and (c.parent_id is None or c.parent_id in done):
                    ordered.append(c)
                    done.add(c.pk)
            if len(ordered) == before:  # a cycle: cannot happen through the admin
                ordered += [c for c in cells if c.pk not in done]
                break
        for c in ordered:
            record = {"key": c.slug, "organisation": self.orgs[c.organisation_id]}
            if c.parent_id:
                record["parent"] = self.cells[c.parent_id]
            record.update(plain(c, SECTIONS["cells"], skip=("key", "other_names")))
            if c.other_names:
                record["other_names"] = c.other_names.split("\n")
            yield record

    def people_records(self) -> Iterator[dict]:
        variant_specs = SECTIONS["people"]["variants"].rows
        role_specs = SECTIONS["people"]["roles"].rows
        qs = Person.objects.order_by("pk").prefetch_related(
            Prefetch("variants", queryset=PersonName.objects.order_by("name", "pk")),
            Prefetch("roles", queryset=PersonRole.objects.order_by("year_from", "role", "pk")),
        )
        for p in qs.iterator(chunk_size=CHUNK):
            record = {"key": p.slug, **plain(p, SECTIONS["people"], skip=("key",))}
            variants = []
            for v in p.variants.all():
                extra = plain(v, variant_specs, skip=("name",))
                variants.append({"name": v.name, **extra} if extra else v.name)
            if variants:
                record["variants"] = variants
            roles = []
            for r in p.roles.all():
                row = {"role": r.role}
                if r.organisation_id:
                    row["organisation"] = self.orgs[r.organisation_id]
                if r.cell_id:
                    row["cell"] = self.cells[r.cell_id]
                row.update(plain(r, role_specs, skip=("role",)))
                roles.append(row)
            if roles:
                record["roles"] = roles
            yield record

    # -- citations --------------------------------------------------------------------
    def citation_row(self, c: Citation) -> dict:
        text = c.canonical()
        row = {"text": text}
        if c.chapter is not None:
            row["chapter"] = c.chapter
        if c.footnote is not None:
            row["footnote"] = c.footnote
        if c.raw and c.raw != text:
            row["raw"] = c.raw
        if c.warnings:
            row["warnings"] = c.warnings
        if c.notes:
            row["notes"] = c.notes
        return row

    def free_citations(self) -> Iterator[dict]:
        qs = (
            Citation.objects.filter(meeting_links__isnull=True)
            .select_related("opis__fond__archive", "delo")
            .order_by("chapter", "footnote", "opis__fond__sort_key", "opis__sort_key",
                      "delo__sort_key", "first_folio", "pk")
        )  # fmt: skip
        for c in qs.iterator(chunk_size=CHUNK):
            yield self.citation_row(c)

    # -- meetings ------------------------------------------------------------------------
    def meetings(self, *, pks=None, year=None, exclude=()) -> Iterator[dict]:
        qs = Meeting.objects.order_by("pk")
        if pks is not None:
            qs = qs.filter(pk__in=pks)
        else:
            qs = qs.filter(year=year).exclude(pk__in=exclude)
        ids = list(qs.values_list("pk", flat=True))
        for start in range(0, len(ids), CHUNK):
            batch = ids[start : start + CHUNK]
            meetings = Meeting.objects.in_bulk(batch)
            rows = {s: {} for s in MEETING_CHILDREN}
            for section, model in MEETING_CHILDREN.items():
                for row in model.objects.filter(meeting_id__in=batch).order_by(
                    "meeting_id", "order", "id"
                ):
                    rows[section].setdefault(row.meeting_id, []).append(row)
            campaigns, context, links = {}, {}, {}
            through = Meeting.campaigns.through.objects.filter(meeting_id__in=batch)
            for r in through.select_related("campaign").order_by("campaign__slug"):
                campaigns.setdefault(r.meeting_id, []).append(self.campaigns[r.campaign_id])
            for r in Meeting.context.through.objects.filter(from_meeting_id__in=batch):
                context.setdefault(r.from_meeting_id, []).append(self.keys[r.to_meeting_id])
            for link in (
                MeetingCitation.objects.filter(meeting_id__in=batch)
                .select_related("citation__opis__fond__archive", "citation__delo")
                .order_by("meeting_id", "order", "id")
            ):
                links.setdefault(link.meeting_id, []).append(link.citation)
            for pk in batch:
                yield self.meeting_record(
                    meetings[pk], rows, campaigns.get(pk, []), sorted(context.get(pk, [])),
                    links.get(pk, []),
                )  # fmt: skip

    def meeting_record(self, m, rows, campaigns, context, citations) -> dict:
        specs = SECTIONS["meetings"]
        record = {"key": self.keys[m.pk]}
        for name, spec in specs.items():
            attr = spec.attr or name
            if name == "key":
                continue
            if spec.kind == "ref":
                pk = getattr(m, f"{attr}_id")
                if pk is not None:
                    table = (
                        self.people
                        if spec.target == "people"
                        else (self.orgs if spec.target == "organisations" else self.cells)
                    )
                    record[name] = table[pk]
            elif spec.kind in ("text", "int", "bool", "choice", "date"):
                value = getattr(m, attr)
                if attr == "body" or not (
                    value is None or value == "" or value == _default(Meeting, attr)
                ):
                    record[name] = value
            elif name == "campaigns" and campaigns:
                record[name] = campaigns
            elif name == "context" and context:
                record[name] = context
            elif name == "citations" and citations:
                record[name] = [self.citation_row(c) for c in citations]
            elif name in MEETING_CHILDREN:
                found = rows[name].get(m.pk)
                if found:
                    record[name] = [self.child_row(r, i, spec.rows) for i, r in enumerate(found)]
        return record

    def child_row(self, obj, position: int, specs: dict) -> dict:
        out = {}
        for name, spec in specs.items():
            attr = spec.attr or name
            if spec.kind == "ref":
                pk = getattr(obj, f"{attr}_id")
                if pk is not None:
                    out[name] = (self.people if spec.target == "people" else self.cells)[pk]
                continue
            value = getattr(obj, attr)
            if name == "order":
                if value != position:
                    out[name] = value
                continue
            if value is None or value == "" or value == _default(type(obj), attr):
                continue
            out[name] = value
        return out
