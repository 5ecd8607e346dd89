"""The one importer: validates and loads a batch of transcribed protocols.

The shipped corpus (``fixtures/corpus/*.yaml``), a file an admin uploads and the
``import_protocols`` command all come through :func:`import_file` / :func:`import_bytes`.
The format is described in ``fixtures/README.md``; one module per concern:

- :mod:`.reading`: bounded YAML, record by record (libyaml; duplicate keys, non-text keys,
  deep nesting, alias bombs and oversized files refused);
- :mod:`.schema` and :mod:`.validating`: types, lengths, ranges, choices, dates and citations
  from the model fields; every problem of the file collected;
- :mod:`.lookups`, :mod:`.sections`, :mod:`.protocols`, :mod:`.writing`: references
  resolved in a few queries, rows compared and written in bulk with their history;
- :mod:`.report` and :mod:`.problems`: what it did, per model, and what is wrong.

A file is one transaction: any problem saves nothing from it, and :class:`ImportErrors`
lists every problem, each with file, record, key, field and reason. Without ``commit`` it is
a dry run: written inside the transaction, counted, then rolled back, so the report says
exactly what a commit would create, update and delete (per model: what permissions it needs).
"""

from __future__ import annotations

from .problems import ImportErrors, ImportProblem
from .reading import load_yaml
from .report import ImportReport
from .running import SECTIONS, import_bytes, import_data, import_file

__all__ = [
    "SECTIONS",
    "ImportErrors",
    "ImportProblem",
    "ImportReport",
    "import_bytes",
    "import_data",
    "import_file",
    "load_yaml",
]
