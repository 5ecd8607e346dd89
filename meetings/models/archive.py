"""The archival hierarchy (Archive > Fond > Opis > Delo) and the citations into it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .. import citations
from ..citations import (
    Reference,
    format_folio_list,
    parse_folios,
)
from .base import FoliosMixin, latin_slug, number_sort_key

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

    history = HistoricalRecords()

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

    history = HistoricalRecords()

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

    history = HistoricalRecords()

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

    history = HistoricalRecords()

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

    history = HistoricalRecords()

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
