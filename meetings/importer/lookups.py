"""Keys to rows: everything a file's records refer to, loaded in a few queries.

Reference records (archives to campaigns) are few and loaded whole once per file; people
and meetings are loaded by the keys a chunk of records names. Records a file creates are
added as they are written, so later records find them.
"""

from __future__ import annotations

from django.db import models

from ..citations import format_folio_list
from ..models import (
    Archive,
    Campaign,
    Cell,
    Citation,
    Delo,
    Fond,
    Opis,
    Organisation,
    Person,
    PersonName,
)

BATCH = 1000


def batched(items, size=BATCH):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Lookups:
    def __init__(self, writer):
        self.writer = writer
        self.archives = {a.abbreviation: a for a in Archive.objects.all()}
        self.fonds = {(f.archive_id, f.number): f for f in Fond.objects.all()}
        self.opisi = {(o.fond_id, o.number): o for o in Opis.objects.all()}
        self.dela = {(d.opis_id, d.number): d for d in Delo.objects.all()}
        self.organisations = {o.slug: o for o in Organisation.objects.all()}
        self.cells = {c.slug: c for c in Cell.objects.all()}
        self.cells_by_pk = {c.pk: c for c in self.cells.values()}
        self.campaigns = {c.slug: c for c in Campaign.objects.all()}
        self.campaigns_by_pk = {c.pk: c for c in self.campaigns.values()}
        self.people: dict[str, Person] = {}
        self.people_by_pk: dict[int, Person] = {}
        self.missing_people: set[str] = set()

    # -- people ----------------------------------------------------------------
    def remember_person(self, person: Person) -> None:
        self.people[person.slug] = person
        self.people_by_pk[person.pk] = person
        self.missing_people.discard(person.slug)

    def load_people(self, keys=(), pks=()) -> None:
        """People by key or id, with their spellings (for search text), in a few queries."""
        keys = {k for k in keys if k not in self.people and k not in self.missing_people}
        pks = {p for p in pks if p and p not in self.people_by_pk}
        found = []
        for batch in batched(keys):
            found += Person.objects.filter(slug__in=batch)
        for batch in batched(pks):
            found += Person.objects.filter(pk__in=batch)
        variants: dict[int, list] = {p.pk: [] for p in found}
        for batch in batched(variants):
            for v in PersonName.objects.filter(person_id__in=batch).order_by("name", "pk"):
                variants[v.person_id].append(v)
        for person in found:
            person._prefetched_objects_cache = {"variants": variants[person.pk]}
            self.remember_person(person)
        self.missing_people |= keys - set(self.people)

    # -- the archive's hierarchy -------------------------------------------------
    def archive(self, abbreviation: str) -> Archive:
        """An archive by its Latin abbreviation: stored, or made from the registry
        (``fixtures/archives.yaml``; flagged ``in_registry=False`` if it is not there)."""
        archive = self.archives.get(abbreviation)
        if archive is None:
            archive = Archive.objects.from_registry(abbreviation)
            self.writer.report.count(Archive, "created")
            self.archives[abbreviation] = archive
        return archive

    def hierarchy(self, ref) -> tuple[Opis, Delo | None]:
        """The opis and delo a reference names, created (with history) where missing."""
        save = self.writer.save
        archive = self.archive(ref.archive)
        fond = self.fonds.get((archive.pk, ref.fond))
        if fond is None:
            fond = save(Fond(archive=archive, number=ref.fond), True)
            self.fonds[(archive.pk, ref.fond)] = fond
        opis = self.opisi.get((fond.pk, ref.opis))
        if opis is None:
            opis = save(Opis(fond=fond, number=ref.opis), True)
            self.opisi[(fond.pk, ref.opis)] = opis
        if not ref.delo:
            return opis, None
        delo = self.dela.get((opis.pk, ref.delo))
        if delo is None:
            delo = save(Delo(opis=opis, number=ref.delo), True)
            self.dela[(opis.pk, ref.delo)] = delo
        return opis, delo

    def citation_key(self, ref, chapter, footnote) -> tuple:
        opis, delo = self.hierarchy(ref)
        return (opis.pk, delo.pk if delo else None, format_folio_list(ref.folios), chapter,
                footnote, ref.delo_end or "")  # fmt: skip

    def load_citations(self, keys) -> dict[tuple, Citation]:
        """Existing citations for these keys ``(opis, delo, folios, chapter, footnote,
        delo_end)``."""
        found = {}
        keys = list(set(keys))
        opis_ids = {k[0] for k in keys}
        for batch in batched(sorted({k[2] for k in keys})):
            for c in Citation.objects.filter(opis_id__in=opis_ids, folios__in=batch):
                found[(c.opis_id, c.delo_id, c.folios, c.chapter, c.footnote, c.delo_end)] = c
        return found


def changed_fields(obj: models.Model, values: dict) -> list[str]:
    """Set ``values`` on ``obj``; the names of those that differ."""
    changed = []
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed
