"""Writing the reference sections (archives to campaigns), people and free citations.

Reference records are few: each is checked by its model's own ``full_clean`` (uniqueness
included) and saved one by one. People are written in bulk; their spellings and roles add
to what is stored (a person appears in several chapter files, each adding what it knows).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from ..citations import registry
from ..models import (
    Archive,
    Campaign,
    Cell,
    Citation,
    Fond,
    Opis,
    Organisation,
    Person,
    PersonName,
    PersonRole,
    latin_slug,
)
from .lookups import batched, changed_fields
from .schema import SECTIONS


def yaml_name(section: str, attr: str, rows=None) -> str:
    """The YAML field that fills a model attribute (for messages)."""
    for name, spec in (rows or SECTIONS[section]).items():
        if (spec.attr or name) == attr or f"{spec.attr}_id" == attr:
            return name
    return attr


class SectionWriter:
    """Writes one file's reference sections and people; problems go to the validator."""

    def __init__(self, lookups, writer, validator):
        self.lookups = lookups
        self.writer = writer
        self.v = validator

    # -- helpers -------------------------------------------------------------------
    def at(self, section, index, line, clean):
        v = self.v
        v.section, v.index, v.line = section, index, line
        key = clean.get("slug") or clean.get("abbreviation") or clean.get("key") or ""
        v.key = key if isinstance(key, str) else ""

    def model_errors(self, exc: ValidationError, section: str, prefix="", rows=None):
        if not hasattr(exc, "error_dict"):
            self.v.problem("; ".join(exc.messages), prefix.rstrip("."))
            return
        for attr, errors in exc.error_dict.items():
            field = "" if attr == "__all__" else yaml_name(section, attr, rows)
            messages = "; ".join(m for e in errors for m in e.messages)
            self.v.problem(messages, f"{prefix}{field}".rstrip("."))

    def resolve(self, table: dict, key, section_of: str, field: str):
        if key is None:
            return None
        found = table.get(key)
        if found is None:
            self.v.problem(
                f"no {section_of} record with key {key!r} (define it in this file or in an "
                "earlier one, e.g. 00-reference.yaml)",
                field,
            )
        return found

    def archive(self, key):
        """The archive a fond or opis names: from the registry, or defined in a file."""
        if key is not None and registry().get(key) is not None:
            return self.lookups.archive(key)
        return self.resolve(self.lookups.archives, key, "archives", "archive")

    def upsert(self, section, obj, existing: bool, values: dict, exclude=()):
        """Validate with the model's own rules and save if new or changed."""
        changed = changed_fields(obj, values) if existing else None
        if existing and not changed:
            self.writer.unchanged(type(obj))
            return obj
        if not existing:
            for name, value in values.items():
                setattr(obj, name, value)
        try:
            obj.full_clean(exclude=list(exclude))
        except ValidationError as exc:
            self.model_errors(exc, section)
            return None
        return self.writer.save(obj, created=not existing)

    # -- sections ------------------------------------------------------------------
    def archives(self, index, line, c):
        """An archive outside the registry; one in it is edited in fixtures/archives.yaml."""
        self.at("archives", index, line, c)
        if registry().get(c["abbreviation"]) is not None:
            self.v.problem(
                f"{c['abbreviation']} is in the archive registry; edit it in "
                "fixtures/archives.yaml",
                "abbreviation",
            )
            return
        c = {**c, "in_registry": False}
        existing = self.lookups.archives.get(c["abbreviation"])
        obj = existing or Archive(slug=latin_slug(c["abbreviation"]))
        if not c.get("slug") and existing is None:
            c = {**c, "slug": latin_slug(c["abbreviation"])}
        elif "slug" in c and not c["slug"]:
            c = {k: v for k, v in c.items() if k != "slug"}
        saved = self.upsert("archives", obj, existing is not None, c)
        if saved is not None:
            self.lookups.archives[saved.abbreviation] = saved

    def fonds(self, index, line, c):
        self.at("fonds", index, line, c)
        archive = self.archive(c.pop("archive"))
        if archive is None:
            return
        existing = self.lookups.fonds.get((archive.pk, c["number"]))
        saved = self.upsert("fonds", existing or Fond(archive=archive), existing is not None, c)
        if saved is not None:
            self.lookups.fonds[(archive.pk, saved.number)] = saved

    def opisi(self, index, line, c):
        self.at("opisi", index, line, c)
        archive = self.archive(c.pop("archive"))
        number = c.pop("fond")
        if archive is None:
            return
        fond = self.lookups.fonds.get((archive.pk, number))
        if fond is None:
            self.v.problem(f"no fond {number!r} in {archive}", "fond")
            return
        existing = self.lookups.opisi.get((fond.pk, c["number"]))
        saved = self.upsert("opisi", existing or Opis(fond=fond), existing is not None, c)
        if saved is not None:
            self.lookups.opisi[(fond.pk, saved.number)] = saved

    def dela(self, index, line, c):
        self.at("dela", index, line, c)
        _, result = c.pop("citation")
        _, delo = self.lookups.hierarchy(result.references[0])
        self.upsert("dela", delo, True, c)

    def organisations(self, index, line, c):
        self.at("organisations", index, line, c)
        existing = self.lookups.organisations.get(c["slug"])
        saved = self.upsert("organisations", existing or Organisation(), existing is not None, c)
        if saved is not None:
            self.lookups.organisations[saved.slug] = saved

    def cells(self, index, line, c):
        self.at("cells", index, line, c)
        org = self.resolve(
            self.lookups.organisations, c.pop("organisation"), "organisations", "organisation"
        )
        values = {k: v for k, v in c.items() if k != "parent"}
        if org is not None:
            values["organisation_id"] = org.pk
        if "parent" in c:
            parent = self.resolve(self.lookups.cells, c["parent"], "cells", "parent")
            values["parent_id"] = parent.pk if parent else None
        if org is None:
            return
        existing = self.lookups.cells.get(c["slug"])
        saved = self.upsert("cells", existing or Cell(), existing is not None, values)
        if saved is not None:
            self.lookups.cells[saved.slug] = saved
            self.lookups.cells_by_pk[saved.pk] = saved

    def campaigns(self, index, line, c):
        self.at("campaigns", index, line, c)
        existing = self.lookups.campaigns.get(c["slug"])
        saved = self.upsert("campaigns", existing or Campaign(), existing is not None, c)
        if saved is not None:
            self.lookups.campaigns[saved.slug] = saved
            self.lookups.campaigns_by_pk[saved.pk] = saved

    def citations(self, index, line, c):
        """A citation no meeting needs to carry (a thesis footnote): created or updated."""
        self.at("citations", index, line, c)
        self.v.key = ""
        text, result = c["text"]
        for ref in result.references:
            key = self.lookups.citation_key(ref, c.get("chapter"), c.get("footnote"))
            existing = self.lookups.load_citations([key]).get(key)
            values = citation_values(c, text, result)
            if existing is None:
                obj = Citation(
                    opis_id=key[0], delo_id=key[1], folios=key[2], chapter=key[3],
                    footnote=key[4], delo_end=key[5], **values,
                )  # fmt: skip
                obj.derive_first_folio()
                self.writer.create(Citation, [obj])
            else:
                updates = {k: v for k, v in values.items() if k in c or k == "raw" and "raw" in c}
                changed = changed_fields(existing, updates)
                if changed:
                    self.writer.update(Citation, [existing], changed)
                else:
                    self.writer.unchanged(Citation)

    # -- people, in bulk ----------------------------------------------------------------
    def people(self, records):
        """``records``: (index, line, clean) of every person in the file."""
        lookups, writer = self.lookups, self.writer
        lookups.load_people(keys=[c["slug"] for _, _, c in records])
        existing_roles: dict[int, set] = {}
        ids = [lookups.people[c["slug"]].pk for _, _, c in records if c["slug"] in lookups.people]
        for batch in batched(ids):
            for r in PersonRole.objects.filter(person_id__in=batch):
                existing_roles.setdefault(r.person_id, set()).add(role_key(r))
        new, changed_people, changed_names = [], {}, set()
        variants_new, roles_new = [], []
        for index, line, c in records:
            self.at("people", index, line, c)
            values = {k: v for k, v in c.items() if k not in ("variants", "roles")}
            person = lookups.people.get(c["slug"])
            if person is None:
                person = Person(**values)
                person._prefetched_objects_cache = {"variants": []}
                new.append(person)
            else:
                changed = changed_fields(person, values)
                if changed:
                    changed_people.setdefault(person.slug, (person, set()))[1].update(changed)
            spellings = person._prefetched_objects_cache["variants"]
            known = {v.name: v for v in spellings}
            for row in c.get("variants") or []:
                name = row["name"]
                if name == person.name:
                    continue
                if name in known:
                    update = {k: v for k, v in row.items() if k != "name"}
                    if changed_fields(known[name], update):
                        writer.update(PersonName, [known[name]], list(update))
                    continue
                v = PersonName(person=person, **row)
                known[name] = v
                spellings.append(v)
                variants_new.append(v)
                changed_names.add(person.slug)
            roles = existing_roles.setdefault(person.pk, set()) if person.pk else set()
            for i, row in enumerate(c.get("roles") or []):
                prefix = f"roles[{i + 1}]."
                org = self.resolve(
                    lookups.organisations, row.get("organisation"), "organisations",
                    f"{prefix}organisation",
                )  # fmt: skip
                cell = self.resolve(lookups.cells, row.get("cell"), "cells", f"{prefix}cell")
                role = PersonRole(
                    person=person,
                    role=row["role"],
                    organisation=org,
                    cell=cell,
                    year_from=row.get("year_from"),
                    year_to=row.get("year_to"),
                    notes=row.get("notes", ""),
                )
                if role_key(role) in roles:
                    continue
                roles.add(role_key(role))
                roles_new.append(role)
        # Search keys from every name, then the rows.
        for person in [*new, *(lookups.people[s] for s in changed_names if s in lookups.people)]:
            person.refresh_search_key(save=False)
        for slug in changed_names:
            if slug in lookups.people and slug not in changed_people:
                person = lookups.people[slug]
                Person.objects.filter(pk=person.pk).update(search_key=person.search_key)
        if new:
            writer.create(Person, new)
            for person in new:
                lookups.remember_person(person)
        updated = [p for p, _ in changed_people.values()]
        fields = sorted({f for _, fs in changed_people.values() for f in fs} | {"search_key"})
        writer.update(Person, updated, fields)
        writer.unchanged(Person, len(records) - len(new) - len(updated))
        for v in variants_new:
            v.person_id = v.person.pk
        writer.create(PersonName, variants_new)
        for r in roles_new:
            r.person_id = r.person.pk
        writer.create(PersonRole, roles_new)


def role_key(role: PersonRole) -> tuple:
    return (role.role, role.organisation_id, role.cell_id, role.year_from, role.year_to)


def citation_values(c: dict, text: str, result) -> dict:
    """A citation's own text fields: as written (``raw``), corrections, notes."""
    return {
        "raw": c.get("raw") or text,
        "warnings": c["warnings"] if "warnings" in c else "\n".join(result.warnings),
        "notes": c.get("notes", ""),
    }
