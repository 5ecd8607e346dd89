"""The citation grammar: archival references as historians write them.

This package is the one place that knows how ``TsGAIPD, f. 1012, op. 1, d. 268, l. 10.``
is read and written. It is plain Python (no Django) so the models, the forms, the importer,
the thesis ingestion and the commands all call it, always through the names below.

A citation names a place in the archival hierarchy::

    archive  f. FOND  op. OPIS  d. DELO  l. FOLIO        (English, as the thesis writes it)
    АРХИВ.   Ф. ФОНД. Оп. ОПИСЬ. Д. ДЕЛО. Л. ЛИСТ.       (Russian)

One module per concern:

- :mod:`.tokens`: cutting text into tokens;
- :mod:`.folios`: folios, their storage form and the folio reader;
- :mod:`.registry`: the archives known (``fixtures/archives.yaml``), in both scripts;
- :mod:`.anchors`: where a citation starts and which archive it names;
- :mod:`.grammar`: reading a citation from its anchor, chains and ``Ibid``;
- :mod:`.resolver`: the entry points and ``Ibid`` across footnotes;
- :mod:`.reference` and :mod:`.formatting`: the result, written in English or Russian;
- :mod:`.checking`: the grammar measured against a test set (``parse_citation --check``).
"""

from .errors import CitationError
from .folios import Folio, first_folio_number, format_folio_list, parse_folios
from .reference import ParseResult, Reference
from .registry import ArchiveEntry, registry, transliterate
from .resolver import CitationResolver, find_references, parse

__all__ = [
    "ArchiveEntry",
    "CitationError",
    "CitationResolver",
    "Folio",
    "ParseResult",
    "Reference",
    "find_references",
    "first_folio_number",
    "format_folio_list",
    "parse",
    "parse_folios",
    "registry",
    "transliterate",
]
