"""The corpus: the archive's hierarchy, the meetings its files record, and what was said.

Names follow the sources (``Fond``, ``Opis``, ``Delo``, ``Zapiska``); each class docstring
gives the English sense. The citation grammar lives in :mod:`meetings.citations`, partial
dates in :mod:`meetings.dates`, name matching in :mod:`meetings.names`; models call them.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from unidecode import unidecode

from . import citations, dates, names
from .citations import (
    CitationError,
    Reference,
    first_folio_number,
    format_folio_list,
    parse_folios,
)
from .querysets import (
    MeetingQuerySet,
    PersonQuerySet,
    ResolutionQuerySet,
    SpeechQuerySet,
    ZapiskaQuerySet,
)

# ---------------------------------------------------------------------------
# helpers


def latin_slug(text: str, max_length: int = 80) -> str:
    """A URL slug that survives Cyrillic names (SayIt gave empty slugs for them)."""
    return slugify(unidecode(text or ""))[:max_length].strip("-")


_NUMBER = re.compile(r"(\d+)")


def number_sort_key(number: str) -> str:
    """Sort '985a' after '985' and before '986', and '12' before '100', as text.

    Digits are zero-padded to 8 places so the database sorts in the archive's order.
    """
    return _NUMBER.sub(lambda m: m.group(1).zfill(8), (number or "").lower())


class SluggedModel(models.Model):
    """A record with a stable, human-readable slug made from its name on first save."""

    slug = models.SlugField(max_length=100, unique=True, blank=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self.slug:
            base = latin_slug(self.slug_source()) or self.__class__.__name__.lower()
            slug, n = base, 2
            while type(self).objects.filter(slug=slug).exclude(pk=self.pk).exists():
                slug, n = f"{base}-{n}", n + 1
            self.slug = slug
        super().save(*args, **kwargs)

    def slug_source(self) -> str:
        return str(self)


# ---------------------------------------------------------------------------
# The archival hierarchy: Archive > Fond > Opis > Delo


class ArchiveQuerySet(models.QuerySet):
    def from_registry(self, abbreviation: str) -> Archive:
        """The archive of that Latin abbreviation, made from the registry when first met.

        An archive the registry does not know is still made, flagged ``in_registry=False``
        for an admin to add it to ``fixtures/archives.yaml``. A former name brings its
        successor along, so the link can be made.
        """
        archive = self.filter(abbreviation=abbreviation).first()
        if archive is not None:
            return archive
        entry = citations.registry().get(abbreviation)
        archive = self.model(abbreviation=abbreviation, slug=self.model.free_slug(abbreviation))
        if entry is not None:
            archive.apply(entry)
        archive.save()
        return archive

    def sync_registry(self, *, create_all: bool = False) -> dict[str, int]:
        """Bring the rows in line with the registry: names, spellings, successors, flags.

        Every stored archive is updated (and flagged if the registry does not know it);
        with ``create_all`` every registry entry gets a row. Returns counts by outcome.
        """
        reg = citations.registry()
        stored = list(self.select_related("successor"))
        counts = {"created": 0, "updated": 0, "unchanged": 0, "not in registry": 0}
        for archive in stored:
            entry = reg.get(archive.abbreviation)
            before = archive.state()
            if entry is None:
                archive.in_registry = False
                counts["not in registry"] += 1
            else:
                archive.apply(entry)
                counts["updated" if archive.state() != before else "unchanged"] += 1
            if archive.state() != before:
                archive.save()
        if create_all:
            for entry in reg:
                self.from_registry(entry.abbreviation)
        counts["created"] = self.count() - len(stored)
        return counts


class Archive(models.Model):
    """An archive (repository), e.g. TsGAIPD SPb; made from the registry, fixtures/archives.yaml."""

    abbreviation = models.CharField(
        max_length=30, unique=True, help_text="Latin, as cited (thesis transliteration): TsGAIPD"
    )
    abbreviation_ru = models.CharField(max_length=30, blank=True, help_text="e.g. ЦГАИПД СПб")
    name = models.CharField(max_length=255, blank=True)
    name_ru = models.CharField(max_length=255, blank=True)
    slug = models.SlugField(max_length=40, unique=True)
    other_spellings = models.TextField(blank=True, help_text="Other forms met in print, one a line")
    successor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="former_names",
        help_text="For a former name: the archive that holds the records now",
    )
    note = models.TextField(blank=True)
    in_registry = models.BooleanField(
        default=False,
        db_index=True,
        help_text="Unticked: cited, but not in fixtures/archives.yaml; an admin should add it",
    )

    objects = ArchiveQuerySet.as_manager()

    class Meta:
        ordering = ["abbreviation"]

    def __str__(self) -> str:
        return self.abbreviation

    def get_absolute_url(self) -> str:
        return reverse("archive-detail", args=[self.slug])

    @classmethod
    def free_slug(cls, abbreviation: str) -> str:
        base = latin_slug(abbreviation, 40) or "archive"
        slug, n = base, 2
        while cls.objects.filter(slug=slug).exists():
            slug, n = f"{base[:36]}-{n}", n + 1
        return slug

    def state(self) -> tuple:
        return (
            self.abbreviation_ru, self.name, self.name_ru, self.other_spellings,
            self.successor_id, self.note, self.in_registry,
        )  # fmt: skip

    def apply(self, entry) -> None:
        """Take names, spellings, note and successor from a registry entry (not saved)."""
        self.abbreviation_ru = entry.abbreviation_ru
        self.name = entry.name
        self.name_ru = entry.name_ru
        self.other_spellings = "\n".join(entry.spellings)
        self.note = entry.note
        self.in_registry = True
        self.successor = Archive.objects.from_registry(entry.successor) if entry.successor else None


class Fond(models.Model):
    """A fonds: all the records of one creator within an archive (f. 1012, f. r-34)."""

    archive = models.ForeignKey(Archive, on_delete=models.PROTECT, related_name="fonds")
    number = models.CharField(max_length=20, help_text="As the archive writes it: 1012, r-34")
    sort_key = models.CharField(max_length=40, editable=False, db_index=True)
    title = models.CharField(max_length=255, blank=True, help_text="The records' creator")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["archive__abbreviation", "sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["archive", "number"], name="fond_unique_in_archive")
        ]

    def __str__(self) -> str:
        return f"{self.archive}, f. {self.number}"

    def save(self, *args, **kwargs):
        self.sort_key = number_sort_key(self.number)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("fond-detail", args=[self.archive.slug, self.number])


class Opis(models.Model):
    """An opis: an inventory (series) within a fond."""

    fond = models.ForeignKey(Fond, on_delete=models.PROTECT, related_name="opisi")
    number = models.CharField(max_length=20)
    sort_key = models.CharField(max_length=40, editable=False, db_index=True)
    title = models.CharField(max_length=255, blank=True)
    covering_dates = models.CharField(max_length=100, blank=True, help_text="e.g. 1926-1933")

    class Meta:
        ordering = ["fond__sort_key", "sort_key"]
        verbose_name_plural = "opisi"
        constraints = [
            models.UniqueConstraint(fields=["fond", "number"], name="opis_unique_in_fond")
        ]

    def __str__(self) -> str:
        return f"{self.fond}, op. {self.number}"

    def save(self, *args, **kwargs):
        self.sort_key = number_sort_key(self.number)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("opis-detail", args=[self.fond.archive.slug, self.fond.number, self.number])


class Delo(models.Model):
    """A delo: one file (the physical unit) within an opis, e.g. a year's bureau minutes."""

    opis = models.ForeignKey(Opis, on_delete=models.PROTECT, related_name="dela")
    number = models.CharField(max_length=20, help_text="May carry a letter: 985a, 1385a")
    sort_key = models.CharField(max_length=40, editable=False, db_index=True)
    title = models.CharField(max_length=500, blank=True)
    covering_dates = models.CharField(max_length=100, blank=True, help_text="As known: 1929")
    year_from = models.PositiveSmallIntegerField(null=True, blank=True)
    year_to = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["opis__fond__sort_key", "opis__sort_key", "sort_key"]
        verbose_name_plural = "dela"
        constraints = [
            models.UniqueConstraint(fields=["opis", "number"], name="delo_unique_in_opis")
        ]

    def __str__(self) -> str:
        return f"{self.opis}, d. {self.number}"

    def save(self, *args, **kwargs):
        self.sort_key = number_sort_key(self.number)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        fond = self.opis.fond
        return reverse(
            "delo-detail", args=[fond.archive.slug, fond.number, self.opis.number, self.number]
        )


class FoliosMixin(models.Model):
    """Folios in the meeting's file, stored in canonical form and sortable."""

    folios = models.CharField(max_length=200, blank=True, help_text="e.g. 12 | 103-105 | 12ob")
    first_folio = models.PositiveIntegerField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.folios:
            try:
                self.folios = format_folio_list(parse_folios(self.folios))
            except CitationError as exc:
                raise ValidationError({"folios": str(exc)}) from None

    def save(self, *args, **kwargs):
        self.first_folio = first_folio_number(self.folios) if self.folios else None
        super().save(*args, **kwargs)


def hierarchy_for(ref):
    """The opis and delo (or None) a parsed reference names, created where missing."""
    archive = Archive.objects.from_registry(ref.archive)
    fond, _ = Fond.objects.get_or_create(archive=archive, number=ref.fond)
    if not ref.opis:
        raise ValidationError(f"{ref.canonical()}: a citation needs at least an opis")
    opis, _ = Opis.objects.get_or_create(fond=fond, number=ref.opis)
    delo = Delo.objects.get_or_create(opis=opis, number=ref.delo)[0] if ref.delo else None
    return opis, delo


class CitationQuerySet(models.QuerySet):
    def with_hierarchy(self):
        return self.select_related("opis__fond__archive", "delo")

    def from_reference(self, ref, *, chapter=None, footnote=None, raw="", warnings=()):
        """The citation for a parsed reference, creating its archive, fond, opis and delo.

        Keyed on (opis, delo, delo_end, folios, chapter, footnote), so the thesis ingestion, the
        protocol importer and the admin all land on the same row for the same footnote.
        Returns ``(citation, created)``.
        """
        opis, delo = hierarchy_for(ref)
        citation, created = self.get_or_create(
            opis=opis,
            delo=delo,
            delo_end=ref.delo_end or "",
            folios=format_folio_list(ref.folios),
            chapter=chapter,
            footnote=footnote,
            defaults={"raw": raw, "warnings": "\n".join(warnings)},
        )
        return citation, created


class Citation(FoliosMixin):
    """A reference to a delo (or a whole opis) and its folios, as a footnote gives it.

    A range of files (``dd. 10-25``) is one citation: ``delo`` is its first file and
    ``delo_end`` the number of its last, as the author wrote it; the files between are not
    made into rows, since nobody has said what they hold (nor which lettered files, 985a,
    lie between).
    """

    opis = models.ForeignKey(Opis, on_delete=models.PROTECT, related_name="citations")
    delo = models.ForeignKey(
        Delo, on_delete=models.PROTECT, related_name="citations", null=True, blank=True
    )
    delo_end = models.CharField(
        max_length=20, blank=True, help_text="Last file of a range of files (dd. 10-25)"
    )
    folios = models.CharField(  # as in FoliosMixin; only the help differs
        max_length=200, blank=True, help_text="Canonical folio list: 10 | 131-132 | 3-4, 19 | 12ob"
    )
    raw = models.TextField(blank=True, help_text="The citation exactly as written in the source")
    chapter = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    footnote = models.PositiveIntegerField(null=True, blank=True)
    warnings = models.TextField(blank=True, help_text="Corrections the parser made, one a line")
    notes = models.TextField(blank=True)

    objects = CitationQuerySet.as_manager()

    class Meta:
        ordering = ["opis__fond__sort_key", "opis__sort_key", "delo__sort_key", "first_folio"]
        indexes = [models.Index(fields=["chapter", "footnote"])]
        constraints = [
            models.UniqueConstraint(
                fields=["opis", "delo", "delo_end", "folios", "chapter", "footnote"],
                name="citation_unique_reference_per_footnote",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return self.canonical()

    def clean(self):
        super().clean()
        if self.delo_id and self.delo.opis_id != self.opis_id:
            raise ValidationError({"delo": "This delo belongs to another opis."})
        if self.delo_end and not self.delo_id:
            raise ValidationError({"delo_end": "A range of files needs its first file."})

    def reference(self):
        """This citation as a :class:`meetings.citations.Reference`."""
        fond = self.opis.fond
        return Reference(
            archive=fond.archive.abbreviation,
            fond=fond.number,
            opis=self.opis.number,
            delo=self.delo.number if self.delo_id else None,
            folios=parse_folios(self.folios) if self.folios else (),
            delo_end=self.delo_end or None,
        )

    def canonical(self) -> str:
        return self.reference().canonical()

    def russian(self) -> str:
        return self.reference().russian()

    @property
    def source_label(self) -> str:
        if self.footnote is None:
            return ""
        return f"thesis ch. {self.chapter}, n. {self.footnote}" if self.chapter else ""


# ---------------------------------------------------------------------------
# Who met: organisations, cells, campaigns


class Organisation(SluggedModel):
    """A party organisation: the KP/Kirov PPO, a Fleet unit's party collective, a raikom."""

    class Kind(models.TextChoices):
        PPO = "ppo", "primary party organisation"
        FLEET = "fleet", "Baltic Fleet party organisation"
        HIGHER = "higher", "higher party organ"
        OTHER = "other", "other"

    name = models.CharField(max_length=255, unique=True)
    short_name = models.CharField(max_length=50, blank=True)
    name_ru = models.CharField(max_length=255, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PPO)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class Cell(SluggedModel):
    """A shop cell (tsekhiacheika), department, ship or unit within an organisation."""

    class Kind(models.TextChoices):
        SHOP = "shop", "shop (tsekh)"
        SUBSHOP = "subshop", "sub-shop or section"
        DEPARTMENT = "department", "department"
        SHIP = "ship", "ship"
        UNIT = "unit", "unit or base"
        OTHER = "other", "other"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cells")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    name = models.CharField(max_length=255)
    name_ru = models.CharField(max_length=255, blank=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.SHOP)
    other_names = models.TextField(blank=True, help_text="Other spellings, one a line")
    description = models.TextField(blank=True)
    search_key = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="cell_unique_in_org")
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_key = names.search_key(
            " ".join([self.name, self.name_ru, self.other_names.replace("\n", " ")])
        )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("cell-detail", args=[self.slug])


class Campaign(SluggedModel):
    """A policy drive meetings were called for or argued about (the 1929 purge, Stakhanovism)."""

    name = models.CharField(max_length=255, unique=True)
    name_ru = models.CharField(max_length=255, blank=True)
    description = models.TextField(blank=True)
    date_start = models.CharField(
        max_length=10, blank=True, help_text="Partial ISO date: YYYY, YYYY-MM or YYYY-MM-DD"
    )
    date_end = models.CharField(max_length=10, blank=True, help_text="Partial ISO date")
    start = models.DateField(null=True, blank=True, editable=False)
    end = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["start", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        for field in ("date_start", "date_end"):
            try:
                dates.PartialDate.parse(getattr(self, field))
            except dates.PartialDateError as exc:
                raise ValidationError({field: str(exc)}) from None

    def save(self, *args, **kwargs):
        self.start = dates.PartialDate.parse(self.date_start).earliest
        self.end = dates.PartialDate.parse(self.date_end).latest
        super().save(*args, **kwargs)

    @property
    def span(self) -> str:
        start = dates.PartialDate.parse(self.date_start).display() if self.date_start else "?"
        end = dates.PartialDate.parse(self.date_end).display() if self.date_end else ""
        return f"{start} – {end}" if end and end != start else start

    def get_absolute_url(self) -> str:
        return reverse("campaign-detail", args=[self.slug])


# ---------------------------------------------------------------------------
# People


class Person(SluggedModel):
    """A speaker: a person as the records name them, with every spelling met."""

    name = models.CharField(
        max_length=255, db_index=True, help_text="Preferred form, thesis transliteration"
    )
    name_ru = models.CharField(max_length=255, blank=True, help_text="Cyrillic, where known")
    first_name = models.CharField(max_length=100, blank=True)
    patronymic = models.CharField(max_length=100, blank=True)
    description = models.CharField(
        max_length=255, blank=True, help_text="One line: who this was (e.g. KP party secretary)"
    )
    notes = models.TextField(blank=True)
    search_key = models.TextField(blank=True, editable=False)
    needs_review = models.BooleanField(default=False, db_index=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        if self.first_name:
            return (
                f"{self.name}, {self.first_name}{' ' + self.patronymic if self.patronymic else ''}"
            )
        return self.name

    def all_names(self) -> list[str]:
        found = [self.name, self.name_ru]
        if self.pk:
            found += [v.name for v in self.variants.all()]
        return [n for n in found if n]

    def refresh_search_key(self, save=True):
        self.search_key = names.search_key(" ".join(self.all_names()))
        if save:
            Person.objects.filter(pk=self.pk).update(search_key=self.search_key)

    def save(self, *args, **kwargs):
        self.refresh_search_key(save=False)
        super().save(*args, **kwargs)

    def slug_source(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("speaker-detail", args=[self.pk])


class PersonName(models.Model):
    """Another spelling of a person's name (transliteration variant, misprint, Cyrillic)."""

    class Kind(models.TextChoices):
        VARIANT = "variant", "transliteration variant"
        CYRILLIC = "cyrillic", "Cyrillic"
        MISSPELLING = "misspelling", "misspelling in a source"
        OTHER = "other", "other"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="variants")
    name = models.CharField(max_length=255)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.VARIANT)
    source = models.CharField(max_length=255, blank=True, help_text="Where this spelling occurs")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["person", "name"], name="person_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.person.refresh_search_key()


class PersonRole(models.Model):
    """A position a person held for a time: zavkom member, shop organiser, commissar."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=255)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cell = models.ForeignKey(
        Cell, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    year_from = models.PositiveSmallIntegerField(null=True, blank=True)
    year_to = models.PositiveSmallIntegerField(null=True, blank=True)
    notes = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["year_from", "role"]

    def __str__(self) -> str:
        years = ""
        if self.year_from or self.year_to:
            years = f" ({self.year_from or '?'}–{self.year_to or ''})"
        where = f", {self.cell}" if self.cell_id else ""
        return f"{self.role}{where}{years}"


# ---------------------------------------------------------------------------
# Meetings and what happened at them


class Meeting(models.Model):
    """A meeting (sobranie, zasedanie): one gathering of a party body, as its record gives it."""

    class Body(models.TextChoices):
        GENERAL_ASSEMBLY = "general_assembly", "general assembly (obshchee sobranie)"
        CONFERENCE = "conference", "party conference"
        BUREAU = "bureau", "bureau"
        EXPANDED_BUREAU = "expanded_bureau", "expanded bureau"
        PARTY_COMMITTEE = "party_committee", "party committee (partkom)"
        SHOP_CELL = "shop_cell", "shop-cell meeting (tsekhiacheika)"
        PARTY_GROUP = "party_group", "party group"
        PRODUCTION_CONFERENCE = "production_conference", "production conference"
        COMMISSION = "commission", "commission (purge, verification, party)"
        HIGHER_ORGAN = "higher_organ", "higher organ (raikom, gubkom, obkom)"
        OTHER = "other", "other"

    class RecordType(models.TextChoices):
        STENOGRAPHIC = "stenographic", "stenographic record"
        PROTOCOL = "protocol", "protocol (minutes)"
        REPORT = "report", "report"
        OTHER = "other", "other"

    title = models.CharField(max_length=300, help_text="Short descriptive title")
    date = models.CharField(
        max_length=10, blank=True, help_text="Partial ISO date: YYYY, YYYY-MM or YYYY-MM-DD"
    )
    date_precision = models.CharField(
        max_length=8,
        choices=[(p, p) for p in dates.PRECISIONS],
        default=dates.UNKNOWN,
        editable=False,
    )
    date_earliest = models.DateField(null=True, blank=True, editable=False, db_index=True)
    date_latest = models.DateField(null=True, blank=True, editable=False)
    year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False, db_index=True)
    date_note = models.CharField(max_length=255, blank=True, help_text="e.g. 'late May'")
    body = models.CharField(max_length=24, choices=Body.choices, db_index=True)
    body_name = models.CharField(
        max_length=255, blank=True, help_text="The body as the record names it"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="meetings"
    )
    cell = models.ForeignKey(
        Cell, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings"
    )
    attendance = models.PositiveIntegerField(null=True, blank=True)
    attendance_members = models.PositiveIntegerField(null=True, blank=True)
    attendance_candidates = models.PositiveIntegerField(null=True, blank=True)
    attendance_komsomol = models.PositiveIntegerField(null=True, blank=True)
    attendance_nonparty = models.PositiveIntegerField(null=True, blank=True)
    attendance_note = models.CharField(max_length=255, blank=True)
    closed = models.BooleanField(null=True, blank=True, help_text="Members only; blank if unknown")
    chair = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="chaired"
    )
    chair_display = models.CharField(max_length=255, blank=True, help_text="As the record names")
    record_type = models.CharField(
        max_length=14, choices=RecordType.choices, default=RecordType.PROTOCOL, db_index=True
    )
    summary = models.TextField(blank=True, help_text="In our own words")
    campaigns = models.ManyToManyField(Campaign, blank=True, related_name="meetings")
    source_note = models.CharField(
        max_length=500,
        blank=True,
        help_text="Where the meeting is known from when no archival file is cited "
        "(a published source; the thesis chapter and note)",
    )
    citations = models.ManyToManyField(
        Citation, through="MeetingCitation", blank=True, related_name="meetings"
    )
    key = models.CharField(
        max_length=100,
        unique=True,
        null=True,
        blank=True,
        help_text="Stable identifier used by imports (e.g. kp-1929-05-14-general)",
    )
    synthetic = models.BooleanField(default=False, db_index=True, editable=False)
    needs_review = models.BooleanField(default=False, db_index=True)
    search_text = models.TextField(
        blank=True, editable=False, help_text="Folded text of the meeting and all it holds"
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["date_earliest", "id"]
        indexes = [
            models.Index(fields=["year", "date_earliest"]),
            models.Index(fields=["cell", "date_earliest"]),
            models.Index(fields=["organisation", "date_earliest"]),
            models.Index(fields=["body", "date_earliest"]),
        ]

    def __str__(self) -> str:
        return f"{self.date_display}: {self.title}"

    @property
    def partial_date(self) -> dates.PartialDate:
        return dates.PartialDate.parse(self.date)

    @property
    def date_display(self) -> str:
        text = self.partial_date.display()
        return f"{text} ({self.date_note})" if self.date_note else text

    def clean(self):
        try:
            dates.PartialDate.parse(self.date)
        except dates.PartialDateError as exc:
            raise ValidationError({"date": str(exc)}) from None
        if (
            self.cell_id
            and self.organisation_id
            and self.cell.organisation_id != self.organisation_id
        ):
            raise ValidationError({"cell": "This cell belongs to another organisation."})

    def save(self, *args, **kwargs):
        pd = dates.PartialDate.parse(self.date)
        self.date = pd.iso
        self.date_precision = pd.precision
        self.date_earliest = pd.earliest
        self.date_latest = pd.latest
        self.year = pd.year
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("meeting-detail", args=[self.pk])

    @property
    def primary_citation(self):
        """The first citation of the meeting's record (uses the prefetched links)."""
        links = list(self.citation_links.all())
        return links[0].citation if links else None

    def cite_folios(self, folios: str) -> str:
        """The archival citation of some folios in the meeting's file, in canonical form."""
        from dataclasses import replace

        citation = self.primary_citation
        if citation is None or citation.delo_id is None:
            return ""
        try:
            return replace(citation.reference(), folios=parse_folios(folios)).canonical()
        except CitationError:
            return ""

    def refresh_search_text(self):
        """Recompute the folded search text from the meeting and everything in it."""
        from .search import meeting_document

        self.search_text = meeting_document(self)
        Meeting.objects.filter(pk=self.pk).update(search_text=self.search_text)


class MeetingCitation(models.Model):
    """The link between a meeting and a citation that documents it, in order."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="citation_links")
    citation = models.ForeignKey(Citation, on_delete=models.PROTECT, related_name="meeting_links")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "citation"], name="meeting_citation_unique")
        ]

    def __str__(self) -> str:
        return str(self.citation)


class AgendaItem(models.Model):
    """An item on a meeting's agenda (poriadok dnia), in order."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=500)
    reporter = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="agenda_reports"
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["meeting", "order", "id"]

    def __str__(self) -> str:
        return self.title


class Speech(FoliosMixin):
    """A contribution to a meeting by one speaker: report, co-report, floor speech, heckle."""

    class Kind(models.TextChoices):
        REPORT = "report", "report (doklad)"
        COREPORT = "coreport", "co-report (sodoklad)"
        FLOOR = "floor", "contribution from the floor (preniia)"
        CONCLUDING = "concluding", "concluding remarks (zakliuchitel'noe slovo)"
        HECKLE = "heckle", "heckle (replika)"
        STATEMENT = "statement", "statement"
        OTHER = "other", "other"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="speeches")
    order = models.PositiveIntegerField(default=0)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="speeches"
    )
    speaker_display = models.CharField(
        max_length=255, blank=True, help_text="The name as the record prints it"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.FLOOR)
    role = models.CharField(max_length=255, blank=True, help_text="The role spoken as")
    cell = models.ForeignKey(
        Cell,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="speeches",
        help_text="The shop the speaker spoke for",
    )
    summary = models.TextField(blank=True, help_text="In our own words")
    quotation = models.TextField(blank=True, help_text="A short quotation from the record")

    objects = SpeechQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "order", "id"]
        verbose_name_plural = "speeches"
        indexes = [models.Index(fields=["person", "meeting"])]

    def __str__(self) -> str:
        return f"{self.speaker_name}: {self.get_kind_display()}"

    @property
    def speaker_name(self) -> str:
        return self.speaker_display or (self.person.name if self.person_id else "unnamed")


class Zapiska(FoliosMixin):
    """A zapiska: a written question note passed from the floor to a speaker."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="zapiski")
    order = models.PositiveIntegerField(default=0)
    addressed_to = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="zapiski_received"
    )
    addressed_to_display = models.CharField(max_length=255, blank=True)
    anonymous = models.BooleanField(default=True)
    author = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="zapiski_written"
    )
    author_display = models.CharField(max_length=255, blank=True, help_text="Signature, if any")
    text = models.TextField(blank=True, help_text="Short quotation of the note, as written")
    summary = models.TextField(blank=True, help_text="In our own words")
    search_text = models.TextField(blank=True, editable=False)

    objects = ZapiskaQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "order", "id"]
        verbose_name = "zapiska"
        verbose_name_plural = "zapiski"

    def __str__(self) -> str:
        return (self.text or self.summary)[:80] or f"zapiska {self.pk}"

    def save(self, *args, **kwargs):
        from .search import zapiska_document

        self.search_text = zapiska_document(self)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if not (self.text or self.summary):
            raise ValidationError("A zapiska needs its text or a summary.")
        if self.anonymous and (self.author_id or self.author_display):
            raise ValidationError({"anonymous": "A signed zapiska cannot be anonymous."})


class Resolution(FoliosMixin):
    """A decision of a meeting: resolution, election, expulsion, reprimand, measure."""

    class Kind(models.TextChoices):
        RESOLUTION = "resolution", "resolution (postanovlenie)"
        ELECTION = "election", "election"
        EXPULSION = "expulsion", "expulsion from the party"
        REPRIMAND = "reprimand", "reprimand (vygovor)"
        MEASURE = "measure", "measure ordered"
        OTHER = "other", "other"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="resolutions")
    order = models.PositiveIntegerField(default=0)
    kind = models.CharField(
        max_length=12, choices=Kind.choices, default=Kind.RESOLUTION, db_index=True
    )
    text = models.TextField(blank=True, help_text="Short quotation of the wording")
    summary = models.TextField(blank=True, help_text="In our own words")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="resolutions"
    )
    person_display = models.CharField(max_length=255, blank=True)
    votes_for = models.PositiveIntegerField(null=True, blank=True)
    votes_against = models.PositiveIntegerField(null=True, blank=True)
    votes_abstained = models.PositiveIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=255, blank=True, help_text="e.g. adopted unanimously")
    search_text = models.TextField(blank=True, editable=False)

    objects = ResolutionQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "order", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {(self.summary or self.text)[:80]}"

    def save(self, *args, **kwargs):
        from .search import resolution_document

        self.search_text = resolution_document(self)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if not (self.text or self.summary):
            raise ValidationError("A resolution needs its text or a summary.")
