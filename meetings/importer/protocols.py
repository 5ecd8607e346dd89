"""Writing meetings in chunks: everything a chunk names is loaded in a few queries, compared
with what is stored, and written in bulk with history.

- A field a record leaves out keeps its stored value; a section it leaves out (``speeches:``)
  keeps the stored rows; an empty list clears them.
- Rows of a section are matched by position: a changed row is updated in place (its history
  shows the change field by field), extra rows are created, surplus rows deleted.
- The meeting's search text is composed in memory from the final rows
  (:func:`meetings.search.compose_meeting_document`, the same rule the models use).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models.base import ModelState

from ..models import Citation, Meeting, MeetingCitation, Speech
from ..search import compose_meeting_document, resolution_document, zapiska_document
from .lookups import batched, changed_fields
from .schema import MEETING_CHILDREN, SECTIONS
from .sections import citation_values, yaml_name

SCALARS = [
    spec.attr or name
    for name, spec in SECTIONS["meetings"].items()
    if spec.kind in ("text", "int", "bool", "choice", "date") and name != "key"
]
REFS = {"organisation": "organisations", "cell": "cells", "venue": "cells", "chair": "people"}
PERSON_REFS = ("person", "reporter", "addressed_to", "author")
DATE_FIELDS = ("date_approximate", "date_precision", "date_earliest", "date_latest", "year")
Through = Meeting.campaigns.through
Context = Meeting.context.through


def compare_fields(model) -> list[str]:
    skip = {"id", "meeting", "first_folio", "search_text"}
    return [f.attname for f in model._meta.concrete_fields if f.name not in skip]


COMPARE = {model: compare_fields(model) for model in MEETING_CHILDREN.values()}
DEFAULTS = {
    model: {f.attname: f.get_default() for f in model._meta.concrete_fields}
    for model in MEETING_CHILDREN.values()
}


def stored_rows(model, meeting_ids):
    """A section's stored rows for these meetings, in order, built without
    ``Model.__init__`` (the same instances the ORM would give, for compare and update)."""
    names = [f.attname for f in model._meta.concrete_fields]
    rows = model.objects.filter(meeting_id__in=meeting_ids).order_by("meeting_id", "order", "id")
    for values in rows.values_list(*names):
        obj = model.__new__(model)
        obj._state = ModelState()
        obj._state.adding = False
        obj._state.db = rows.db
        obj.__dict__.update(zip(names, values, strict=True))
        yield obj


def new_row(model, values: dict, related: dict):
    """A new, unsaved row without ``Model.__init__`` (the import builds hundreds of
    thousands): the field defaults, the values, and the related objects cached."""
    obj = model.__new__(model)
    obj._state = ModelState()
    obj.__dict__.update(DEFAULTS[model])
    obj.__dict__.update(values)
    obj._state.fields_cache.update(related)
    return obj


class Planned:
    """One meeting of a chunk: the row, what changed, and its final parts."""

    __slots__ = (
        "meeting", "new", "changed", "campaigns", "campaigns_changed", "citations", "parts",
        "children_changed", "index", "line",
    )  # fmt: skip

    def __init__(self, meeting, new, index, line):
        self.meeting, self.new, self.index, self.line = meeting, new, index, line
        self.changed: list[str] = []
        self.campaigns: list[int] | None = None
        self.campaigns_changed = False
        self.citations = None
        self.parts: dict = {}
        self.children_changed = False


class MeetingWriter:
    def __init__(self, lookups, writer, validator):
        self.lookups = lookups
        self.writer = writer
        self.v = validator
        self.context: list[tuple[int, list[str], int, int, str]] = []
        self.touched: set[int] = set()  # meetings counted as updated
        self.nulls_last = connection.vendor == "postgresql"

    # -- problems -----------------------------------------------------------------
    def at(self, index, line, key):
        v = self.v
        v.section, v.index, v.line, v.key = "meetings", index, line, key

    def model_errors(self, exc: ValidationError, prefix: str, rows=None):
        if not hasattr(exc, "error_dict"):
            self.v.problem("; ".join(exc.messages), prefix.rstrip("."))
            return
        for attr, errors in exc.error_dict.items():
            field = "" if attr == "__all__" else yaml_name("meetings", attr, rows)
            self.v.problem("; ".join(m for e in errors for m in e.messages),
                           f"{prefix}{field}".rstrip("."))  # fmt: skip

    def resolve(self, table, key, what, field):
        if key is None:
            return None
        found = table.get(key)
        if found is None:
            self.v.problem(
                f"no {what} record with key {key!r} (define it in this file or in an earlier "
                "one, e.g. 00-reference.yaml)",
                field,
            )
        return found

    # -- one chunk ------------------------------------------------------------------
    def chunk(self, records):
        """``records``: (index, line, clean) of up to a few thousand meetings."""
        lookups = self.lookups
        keys = [c["key"] for _, _, c in records]
        existing = {}
        for batch in batched(keys):
            existing.update((m.key, m) for m in Meeting.objects.filter(key__in=batch))
        ids = [m.pk for m in existing.values()]
        stored = {section: {} for section in MEETING_CHILDREN}
        stored_campaigns: dict[int, list[int]] = {}
        stored_links: dict[int, list] = {}
        for batch in batched(ids):
            for section, model in MEETING_CHILDREN.items():
                for row in stored_rows(model, batch):
                    stored[section].setdefault(row.meeting_id, []).append(row)
            for row in Through.objects.filter(meeting_id__in=batch).order_by("id"):
                stored_campaigns.setdefault(row.meeting_id, []).append(row)
            for row in MeetingCitation.objects.filter(meeting_id__in=batch).order_by(
                "meeting_id", "order", "id"
            ):
                stored_links.setdefault(row.meeting_id, []).append(row)
        # Everyone the chunk names, or whose stored rows its search text will show.
        person_keys = set()
        for _, _, c in records:
            person_keys.add(c.get("chair"))
            for section in MEETING_CHILDREN:
                for row in c.get(section) or ():
                    person_keys.update(row.get(a) for a in PERSON_REFS)
        person_keys.discard(None)
        person_ids = {m.chair_id for m in existing.values()}
        for rows_by_meeting in stored.values():
            for rows in rows_by_meeting.values():
                for row in rows:
                    person_ids.update(getattr(row, f"{a}_id", None) for a in PERSON_REFS)
        lookups.load_people(keys=person_keys - {None}, pks=person_ids - {None})

        plans = []
        for index, line, c in records:
            before = len(self.v.problems)
            self.at(index, line, c["key"])
            plan = self.plan(c, existing.get(c["key"]), index, line, stored,
                             stored_campaigns)  # fmt: skip
            if plan is not None and len(self.v.problems) == before:
                plans.append(plan)
        self.citations(plans, stored_links)
        self.write(plans, stored_campaigns)

    def plan(self, c, meeting, index, line, stored, stored_campaigns):
        lookups = self.lookups
        new = meeting is None
        values = {name: c[name] for name in SCALARS if name in c}
        related = {}
        for attr, section in REFS.items():
            if attr in c:
                table = lookups.people if section == "people" else getattr(lookups, section)
                obj = self.resolve(table, c[attr], section, attr)
                related[attr] = obj
                values[f"{attr}_id"] = obj.pk if obj is not None else None
        if new:
            meeting = Meeting(key=c["key"], **values)
        plan = Planned(meeting, new, index, line)
        if not new:
            plan.changed = changed_fields(meeting, values)
        for attr, obj in related.items():
            if obj is not None:
                setattr(meeting, attr, obj)  # the cache, for clean() and the search text
        self.cache_relations(meeting)
        meeting.derive_date_fields()
        try:
            meeting.clean()
        except ValidationError as exc:
            self.model_errors(exc, "")
            return None
        pk = meeting.pk
        # Campaigns: the list given, or what is stored.
        current = [row.campaign_id for row in stored_campaigns.get(pk, [])] if pk else []
        if "campaigns" in c:
            wanted = []
            for key in c["campaigns"]:
                campaign = self.resolve(lookups.campaigns, key, "campaigns", "campaigns")
                if campaign is not None:
                    wanted.append(campaign.pk)
            plan.campaigns = wanted
            plan.campaigns_changed = set(wanted) != set(current)
        else:
            plan.campaigns = current
        if "citations" in c:
            plan.citations = c["citations"]
        if "context" in c:
            self.context.append((meeting, c["context"], index, line, c["key"]))
        # Rows of each section: the list given (matched by position), or what is stored.
        for section, model in MEETING_CHILDREN.items():
            old = stored[section].get(pk, []) if pk else []
            for row in old:
                self.cache_relations(row)
            if section not in c:
                plan.parts[section] = (old, [], [], [])
                continue
            rows = []
            for i, row in enumerate(c[section]):
                obj = self.child(model, section, i, row)
                if obj is not None:
                    rows.append(obj)
            creates, updates, deletes, final = [], [], [], []
            for i, obj in enumerate(rows):
                if i < len(old):
                    mine = old[i]
                    differs = [a for a in COMPARE[model] if getattr(mine, a) != getattr(obj, a)]
                    if differs:
                        for a in differs:
                            setattr(mine, a, getattr(obj, a))
                        self.cache_relations(mine)
                        self.derive(mine)
                        updates.append((mine, differs))
                    final.append(mine)
                else:
                    self.derive(obj)
                    creates.append(obj)
                    final.append(obj)
            deletes = old[len(rows) :]
            if creates or updates or deletes:
                plan.children_changed = True
            plan.parts[section] = (final, creates, updates, deletes)
        return plan

    def child(self, model, section, i, row):
        """An unsaved row of a section, checked by its model's own rules."""
        prefix = f"{section}[{i + 1}]."
        rows = SECTIONS["meetings"][section].rows
        values = {"order": i}
        related = {}
        for name, spec in rows.items():
            attr = spec.attr or name
            if attr not in row:
                continue
            if spec.kind == "ref":
                section_of = spec.target
                table = self.lookups.people if section_of == "people" else self.lookups.cells
                target = self.resolve(table, row[attr], section_of, f"{prefix}{name}")
                related[attr] = target
                values[f"{attr}_id"] = target.pk if target is not None else None
            elif spec.kind == "choice" and row[attr] is None:
                continue  # the model's default
            else:
                values[attr] = row[attr]
        obj = new_row(model, values, related)
        if model is Speech and not (obj.person_id or obj.speaker_display):
            self.v.problem("a speech needs a person key or as_written", f"{prefix}person")
            return None
        try:
            obj.clean()
        except ValidationError as exc:
            self.model_errors(exc, prefix, rows)
            return None
        return obj

    def cache_relations(self, obj):
        """Related people and cells from the lookups, so nothing is fetched row by row."""
        lookups = self.lookups
        cache = obj._state.fields_cache
        for attr in (*PERSON_REFS, "chair"):
            pk = getattr(obj, f"{attr}_id", None)
            if pk is not None and pk in lookups.people_by_pk:
                cache[attr] = lookups.people_by_pk[pk]
        for attr in ("cell", "venue"):
            pk = getattr(obj, f"{attr}_id", None)
            if pk is not None and pk in lookups.cells_by_pk:
                cache[attr] = lookups.cells_by_pk[pk]
        if isinstance(obj, Meeting) and obj.organisation_id:
            org = next(
                (o for o in lookups.organisations.values() if o.pk == obj.organisation_id), None
            )
            if org is not None:
                cache["organisation"] = org

    @staticmethod
    def derive(obj):
        if hasattr(obj, "derive_first_folio"):
            obj.derive_first_folio()
        if hasattr(obj, "search_text"):
            if obj.__class__.__name__ == "Zapiska":
                obj.search_text = zapiska_document(obj)
            else:
                obj.search_text = resolution_document(obj)

    # -- citations, for the whole chunk at once -----------------------------------------
    def citations(self, plans, stored_links):
        lookups, writer = self.lookups, self.writer
        wanted_keys = {}
        for plan in plans:
            if plan.citations is None:
                continue
            keys = []
            for row in plan.citations:
                text, result = row["text"]
                for ref in result.references:
                    key = lookups.citation_key(ref, row.get("chapter"), row.get("footnote"))
                    keys.append((key, row, text, result))
            wanted_keys[id(plan)] = keys
        found = lookups.load_citations(k for keys in wanted_keys.values() for k, *_ in keys)
        missing, updates = {}, {}
        for keys in wanted_keys.values():
            for key, row, text, result in keys:
                values = citation_values(row, text, result)
                if key in found:
                    given = {k: v for k, v in values.items() if k in row}
                    obj = found[key]
                    changed = changed_fields(obj, given)
                    if changed:
                        updates.setdefault(obj.pk, (obj, set()))[1].update(changed)
                elif key not in missing:
                    obj = Citation(opis_id=key[0], delo_id=key[1], folios=key[2], chapter=key[3],
                                   footnote=key[4], delo_end=key[5], **values)  # fmt: skip
                    obj.derive_first_folio()
                    missing[key] = obj
        writer.create(Citation, list(missing.values()))
        found.update(missing)
        if updates:
            fields = sorted({f for _, fs in updates.values() for f in fs})
            writer.update(Citation, [o for o, _ in updates.values()], fields)
        for plan in plans:
            pk = plan.meeting.pk
            old = stored_links.get(pk, []) if pk else []
            if plan.citations is None:
                plan.citations = (None, [], [])
                continue
            wanted = list(dict.fromkeys(found[k].pk for k, *_ in wanted_keys[id(plan)]))
            if [link.citation_id for link in old] == wanted:
                plan.citations = (None, [], [])
                continue
            links = [MeetingCitation(citation_id=c, order=n) for n, c in enumerate(wanted)]
            plan.citations = (links, old, wanted)

    # -- writing ---------------------------------------------------------------------
    def document(self, plan) -> str:
        m = plan.meeting
        campaigns = [self.lookups.campaigns_by_pk[pk] for pk in plan.campaigns]
        campaigns.sort(key=self.campaign_order)
        final = {section: part[0] for section, part in plan.parts.items()}
        return compose_meeting_document(
            m, campaigns=campaigns, agenda=final["agenda"], speeches=final["speeches"],
            zapiski=final["zapiski"], resolutions=final["resolutions"],
            mentions=final["mentions"],
        )  # fmt: skip

    def campaign_order(self, c):
        # Campaign.Meta.ordering is (start, name); NULL sorts last on PostgreSQL, first on SQLite.
        missing = c.start is None
        return (missing if self.nulls_last else not missing, c.start or dt.date.min, c.name)

    def write(self, plans, stored_campaigns):
        writer = self.writer
        created = [p for p in plans if p.new]
        updated = [p for p in plans if not p.new and (p.changed or p.campaigns_changed)]
        quiet = [
            p for p in plans
            if not p.new and not (p.changed or p.campaigns_changed)
            and (p.children_changed or p.citations[0] is not None)
        ]  # fmt: skip
        for p in (*created, *updated, *quiet):
            p.meeting.search_text = self.document(p)
        # Meetings, then their campaigns, then their history (with the campaigns' snapshot).
        writer.insert(Meeting, [p.meeting for p in created])
        fields = {f for p in updated for f in p.changed} | {"search_text"}
        if "date" in fields:
            fields |= set(DATE_FIELDS)
        fields = sorted(f.removesuffix("_id") for f in fields)
        if updated:
            Meeting.objects.bulk_update([p.meeting for p in updated], fields, batch_size=1000)
        if quiet:
            Meeting.objects.bulk_update(
                [p.meeting for p in quiet], ["search_text"], batch_size=1000
            )
        through_new, through_gone = [], []
        campaigns_of: dict[int, list] = {}
        for p in (*created, *updated):
            pk = p.meeting.pk
            current = {r.campaign_id: r for r in stored_campaigns.get(pk, [])} if not p.new else {}
            rows = campaigns_of[pk] = []
            for campaign in p.campaigns:
                row = current.get(campaign) or Through(meeting_id=pk, campaign_id=campaign)
                if row.pk is None:
                    through_new.append(row)
                rows.append(row)
            through_gone += [r.pk for c, r in current.items() if c not in set(p.campaigns)]
        writer.insert(Through, through_new)
        if through_gone:
            Through.objects.filter(pk__in=through_gone).delete()
        campaigns_of = {
            pk: [(r.campaign_id, r.pk) for r in rows] for pk, rows in campaigns_of.items()
        }
        for group, kind, outcome in ((created, "+", "created"), (updated, "~", "updated")):
            objs = [p.meeting for p in group]
            history_ids = writer.history(Meeting, objs, kind, ids=True)
            writer.m2m_history(
                Meeting, "campaigns", objs, history_ids, lambda pk: campaigns_of.get(pk, [])
            )
            writer.report.count(Meeting, outcome, len(group))
        self.touched.update(p.meeting.pk for p in (*created, *updated))
        writer.unchanged(Meeting, len(plans) - len(created) - len(updated))
        # Rows of each section.
        for section, model in MEETING_CHILDREN.items():
            creates, updates, deletes = [], [], []
            for p in plans:
                _, c, u, d = p.parts[section]
                for obj in c:
                    obj.meeting_id = p.meeting.pk
                creates += c
                updates += u
                deletes += d
            writer.delete(model, deletes)
            if updates:
                fields = sorted({f for _, fs in updates for f in fs})
                fields = [f.removesuffix("_id") if f.endswith("_id") else f for f in fields]
                extra = [f for f in ("first_folio", "search_text") if hasattr(model, f)]
                writer.update(model, [o for o, _ in updates], fields + extra)
            writer.create(model, creates)
            unchanged = sum(len(p.parts[section][0]) for p in plans) - len(creates) - len(updates)
            writer.unchanged(model, unchanged)
        # Citation links: replaced as a whole when the list differs.
        gone, links = [], []
        for p in plans:
            new_links, old, _ = p.citations
            if new_links is None:
                continue
            gone += old
            for link in new_links:
                link.meeting_id = p.meeting.pk
            links += new_links
        writer.delete(MeetingCitation, gone)
        writer.create(MeetingCitation, links)

    # -- after every chunk: context links, which may point forward in the file ----------
    def finish_context(self):
        if not self.context:
            return
        keys = {k for _, ks, *_ in self.context for k in ks}
        pks = {}
        for batch in batched(keys):
            pks.update(Meeting.objects.filter(key__in=batch).values_list("key", "pk"))
        ids = [m.pk for m, *_ in self.context if m.pk]
        stored: dict[int, set] = {}
        for batch in batched(ids):
            for row in Context.objects.filter(from_meeting_id__in=batch):
                stored.setdefault(row.from_meeting_id, set()).add(row.to_meeting_id)
        new_rows, gone = [], []
        for meeting, wanted_keys, index, line, key in self.context:
            self.at(index, line, key)
            wanted = set()
            for k in wanted_keys:
                if k not in pks:
                    self.v.problem(f"no meeting with key {k!r} (in this file or stored)",
                                   "context")  # fmt: skip
                else:
                    wanted.add(pks[k])
            if meeting.pk is None:
                continue  # the meeting itself had problems
            current = stored.get(meeting.pk, set())
            if wanted == current:
                continue
            new_rows += [Context(from_meeting_id=meeting.pk, to_meeting_id=t)
                         for t in wanted - current]  # fmt: skip
            gone += [(meeting.pk, t) for t in current - wanted]
            if meeting.pk not in self.touched:  # its links changed, nothing else
                self.touched.add(meeting.pk)
                self.writer.report.count(Meeting, "updated")
                self.writer.report.count(Meeting, "unchanged", -1)
        self.writer.insert(Context, new_rows)
        for source, target in gone:
            Context.objects.filter(from_meeting_id=source, to_meeting_id=target).delete()
