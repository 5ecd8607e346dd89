"""People as the records name them: every spelling, and the roles they held."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .. import names
from ..querysets import (
    PersonQuerySet,
)
from .base import SluggedModel
from .bodies import Cell, Organisation

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
    review_note = models.TextField(blank=True, help_text="Why it needs review")

    objects = PersonQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_key"])

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
        # Spellings loaded with the person (the importer's, even before it is saved).
        loaded = getattr(self, "_prefetched_objects_cache", {}).get("variants")
        if loaded is not None:
            found += [v.name for v in loaded]
        elif self.pk:
            found += [v.name for v in self.variants.all()]
        return [n for n in found if n]

    def folded_key(self) -> str:
        """The search key of every name and spelling (what ``search_key`` should hold)."""
        return names.search_key(" ".join(self.all_names()))

    def refresh_search_key(self, save=True):
        self.search_key = self.folded_key()
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

    history = HistoricalRecords()

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

    history = HistoricalRecords()

    class Meta:
        ordering = ["year_from", "role"]

    def __str__(self) -> str:
        years = ""
        if self.year_from or self.year_to:
            years = f" ({self.year_from or '?'}–{self.year_to or ''})"
        where = f", {self.cell}" if self.cell_id else ""
        return f"{self.role}{where}{years}"
