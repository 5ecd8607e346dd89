"""Writing a reference out: the English form the thesis uses and the Russian (GOST) form."""

from __future__ import annotations

import re

from .folios import cyrillic_letter, folio_phrase
from .registry import russian_abbreviation


def fond_ru(fond: str) -> str:
    """``r-34`` -> ``Р-34``; ``4p`` -> ``4п``."""
    match = re.fullmatch(r"([a-z])-(\d+\w?)", fond)
    if match:
        return f"{cyrillic_letter(match[1]).upper()}-{number_ru(match[2])}"
    return number_ru(fond)


def number_ru(number: str) -> str:
    """An opis or delo number's letter in Cyrillic: ``985a`` -> ``985а``."""
    if number and number[-1].isalpha():
        return number[:-1] + cyrillic_letter(number[-1])
    return number


delo_ru = number_ru


def _delo_part(ref, single: str, several: str, number=lambda n: n) -> str:
    if ref.delo_end:
        return f"{several} {number(ref.delo)}-{number(ref.delo_end)}"
    return f"{single} {number(ref.delo)}"


def english(ref) -> str:
    """English form: ``TsGAIPD, f. 1012, op. 1, d. 268, l. 10``."""
    parts = [ref.archive, f"f. {ref.fond}"]
    if ref.opis is not None:
        parts.append(f"op. {ref.opis}")
    if ref.delo is not None:
        parts.append(_delo_part(ref, "d.", "dd."))
    if ref.folios:
        parts.append(folio_phrase(ref.folios, "l.", "ll.", "ob."))
    return ", ".join(parts)


def russian(ref) -> str:
    """Russian form: ``ЦГАИПД СПб. Ф. 1012. Оп. 1. Д. 268. Л. 10.``"""
    parts = [russian_abbreviation(ref.archive), f"Ф. {fond_ru(ref.fond)}"]
    if ref.opis is not None:
        parts.append(f"Оп. {number_ru(ref.opis)}")
    if ref.delo is not None:
        parts.append(_delo_part(ref, "Д.", "Д.", number_ru))
    if ref.folios:
        parts.append(folio_phrase(ref.folios, "Л.", "Лл.", "об.", cyrillic_letter))
    return ". ".join(p.rstrip(".") for p in parts) + "."
