"""The archives the grammar knows: abbreviations in both scripts and misspellings met."""

from __future__ import annotations

import re

# Canonical abbreviation -> Russian abbreviation, for the archives the corpus knows.
ARCHIVES_RU = {
    "TsGAIPD": "ЦГАИПД СПб",
    "RGAVMF": "РГАВМФ",
    "RGASPI": "РГАСПИ",
    "GARF": "ГАРФ",
}

# Spellings met (folded to lower case, "SPb" dropped) -> (canonical, is it a typo?).
ARCHIVE_SPELLINGS: dict[str, tuple[str, bool]] = {
    "tsgaipd": ("TsGAIPD", False),
    "rgavmf": ("RGAVMF", False),
    "rgvamf": ("RGAVMF", True),
    "rgavmg": ("RGAVMF", True),
    "rgaspi": ("RGASPI", False),
    "garf": ("GARF", False),
}
for _canon, _ru in ARCHIVES_RU.items():
    ARCHIVE_SPELLINGS[_ru.split()[0].lower()] = (_canon, False)

CITY = {"spb", "спб"}  # "TsGAIPD SPb": the city is part of the name, not a separate token

# An abbreviation we do not know is still an archive if it looks like one (two capitals or
# more, letters only) and is followed by "f.": the thesis could cite GARF or TsGA tomorrow.
ABBREVIATION = re.compile(r"^(?=(?:.*[A-ZА-ЯЁ]){2})[A-Za-zА-Яа-яЁё]{2,12}$")


def russian_abbreviation(archive: str) -> str:
    """The Cyrillic abbreviation of an archive cited by its Latin one (itself if unknown)."""
    return ARCHIVES_RU.get(archive, archive)
