"""Writing a reference out: the English form the thesis uses and the Russian (GOST) form."""

from __future__ import annotations

import re

from .folios import folio_phrase
from .registry import russian_abbreviation

# Letter prefixes of fond numbers (Р-34 is the Soviet-period series) and letter suffixes of
# delo numbers (985а) in both scripts. Only the letters archives actually use are mapped;
# anything else is kept as written.
CYR_TO_LAT = {"р": "r", "п": "p", "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e"}
LAT_TO_CYR = {lat: cyr for cyr, lat in CYR_TO_LAT.items()}


def latin_letter(ch: str) -> str:
    """The storage (Latin, lower-case) form of a number's letter prefix or suffix."""
    ch = ch.lower()
    return CYR_TO_LAT.get(ch, ch)


def fond_ru(fond: str) -> str:
    match = re.fullmatch(r"([a-z])-(\d+)", fond)
    if match:
        return f"{LAT_TO_CYR.get(match[1], match[1]).upper()}-{match[2]}"
    return fond


def delo_ru(delo: str) -> str:
    if delo and delo[-1].isalpha():
        return delo[:-1] + LAT_TO_CYR.get(delo[-1], delo[-1])
    return delo


def english(ref) -> str:
    """English form: ``TsGAIPD, f. 1012, op. 1, d. 268, l. 10``."""
    parts = [ref.archive, f"f. {ref.fond}"]
    if ref.opis is not None:
        parts.append(f"op. {ref.opis}")
    if ref.delo is not None:
        parts.append(f"d. {ref.delo}")
    if ref.folios:
        parts.append(folio_phrase(ref.folios, "l.", "ll.", "ob."))
    return ", ".join(parts)


def russian(ref) -> str:
    """Russian form: ``ЦГАИПД СПб. Ф. 1012. Оп. 1. Д. 268. Л. 10.``"""
    parts = [russian_abbreviation(ref.archive), f"Ф. {fond_ru(ref.fond)}"]
    if ref.opis is not None:
        parts.append(f"Оп. {ref.opis}")
    if ref.delo is not None:
        parts.append(f"Д. {delo_ru(ref.delo)}")
    if ref.folios:
        parts.append(folio_phrase(ref.folios, "Л.", "Лл.", "об."))
    return ". ".join(p.rstrip(".") for p in parts) + "."
