"""Errors of the citation grammar."""

from __future__ import annotations


class CitationError(ValueError):
    """A citation (or folio list) that cannot be read; the message names the bad part."""


class Failed(CitationError):
    """An anchor that started a citation but could not be read (becomes an error)."""
