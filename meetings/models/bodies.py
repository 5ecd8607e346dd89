"""Who met: party organisations, their cells (shops, ships, units), and campaigns."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .. import dates, names
from .base import SluggedModel

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

    history = HistoricalRecords()

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

    history = HistoricalRecords(excluded_fields=["search_key"])

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="cell_unique_in_org")
        ]

    def __str__(self) -> str:
        return self.name

    def folded_key(self) -> str:
        """The search key of every name of the cell (what ``search_key`` should hold)."""
        return names.search_key(
            " ".join([self.name, self.name_ru, self.other_names.replace("\n", " ")])
        )

    def save(self, *args, **kwargs):
        self.search_key = self.folded_key()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("cell-detail", args=[self.slug])


class Campaign(SluggedModel):
    """A policy drive meetings were called for or argued about (the 1929 purge, Stakhanovism)."""

    name = models.CharField(max_length=255, unique=True)
    name_ru = models.CharField(max_length=255, blank=True)
    description = models.TextField(blank=True)
    date_start = models.CharField(
        max_length=40, blank=True, help_text="As written (1929, March 1929, c. 1935); stored ISO"
    )
    date_end = models.CharField(max_length=40, blank=True, help_text="As written; stored ISO")
    start = models.DateField(null=True, blank=True, editable=False)
    end = models.DateField(null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["start", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        for field in ("date_start", "date_end"):
            try:
                setattr(self, field, dates.read(getattr(self, field)).normalised)
            except dates.PartialDateError as exc:
                raise ValidationError({field: str(exc)}) from None

    def save(self, *args, **kwargs):
        self.start = dates.read(self.date_start).earliest
        self.end = dates.read(self.date_end).latest
        super().save(*args, **kwargs)

    @property
    def span(self) -> str:
        start = dates.read(self.date_start).display() if self.date_start else "?"
        end = dates.read(self.date_end).display() if self.date_end else ""
        return f"{start} – {end}" if end and end != start else start

    def get_absolute_url(self) -> str:
        return reverse("campaign-detail", args=[self.slug])
