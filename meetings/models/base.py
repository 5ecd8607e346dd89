"""Shared pieces of the corpus models: slugs, archive-order sort keys, folios."""

from __future__ import annotations

import functools
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify
from unidecode import unidecode

from ..citations import (
    CitationError,
    first_folio_number,
    format_folio_list,
    parse_folios,
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


@functools.lru_cache(maxsize=50_000)  # imports check hundreds of thousands of rows
def canonical_folios(text: str) -> str:
    """Folios in canonical form (``12-13, 15ob``), or :class:`CitationError`."""
    return format_folio_list(parse_folios(text))


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
                self.folios = canonical_folios(self.folios)
            except CitationError as exc:
                raise ValidationError({"folios": str(exc)}) from None

    def derive_first_folio(self):
        """The sortable first folio, from the folios (save() and bulk writers call it)."""
        self.first_folio = first_folio_number(self.folios) if self.folios else None

    def save(self, *args, **kwargs):
        self.derive_first_folio()
        super().save(*args, **kwargs)
