"""The corpus: the archive's hierarchy, the meetings its files record, and what was said.

Names follow the sources (``Fond``, ``Opis``, ``Delo``, ``Zapiska``); each class docstring
gives the English sense. The citation grammar lives in :mod:`meetings.citations`, partial
dates in :mod:`meetings.dates`, name matching in :mod:`meetings.names`; models call them.
"""

from .archive import Archive, Citation, CitationQuerySet, Delo, Fond, Opis, hierarchy_for
from .base import FoliosMixin, SluggedModel, latin_slug, number_sort_key
from .bodies import Campaign, Cell, Organisation
from .meeting import (
    AgendaItem,
    Meeting,
    MeetingCitation,
    Mention,
    Resolution,
    Speech,
    Zapiska,
)
from .people import Person, PersonName, PersonRole

__all__ = [
    "AgendaItem",
    "Archive",
    "Campaign",
    "Cell",
    "Citation",
    "CitationQuerySet",
    "Delo",
    "FoliosMixin",
    "Fond",
    "Meeting",
    "MeetingCitation",
    "Mention",
    "Opis",
    "Organisation",
    "Person",
    "PersonName",
    "PersonRole",
    "Resolution",
    "SluggedModel",
    "Speech",
    "Zapiska",
    "hierarchy_for",
    "latin_slug",
    "number_sort_key",
]
