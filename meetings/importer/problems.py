"""What is wrong with an import file: one problem located by file, record and field, or many."""

from __future__ import annotations

# Past this many problems a file is hopeless; stop collecting so memory stays bounded.
MAX_PROBLEMS = 1000


class ImportProblem(Exception):
    """An error in an import file, located by file, section, record number, key and field."""

    def __init__(
        self, message: str, *, source="", section="", index=None, key="", field="", line=None
    ):
        self.message = message
        self.source, self.section, self.index = source, section, index
        self.key, self.field, self.line = key, field, line
        super().__init__(str(self))

    def where(self) -> str:
        where = [self.source or "<input>"]
        if self.section:
            record = f"{self.section} record {self.index + 1}" if self.index is not None else ""
            record = record or self.section
            if self.key:
                record += f" (key {self.key!r})"
            where.append(record)
        elif self.line:
            where.append(f"line {self.line}")
        if self.field:
            where.append(f"field {self.field!r}")
        return ": ".join(where)

    def __str__(self) -> str:
        text = f"{self.where()}: {self.message}"
        if self.line and self.section:
            text += f" (line {self.line})"
        return text


class ImportErrors(ImportProblem):
    """Every problem found in a file, raised at once; nothing from the file was saved.

    A subclass of :class:`ImportProblem`, so callers that catch one problem still work;
    ``problems`` holds them all and ``str()`` lists them all.
    """

    def __init__(self, problems: list[ImportProblem], *, source="", truncated=False):
        self.problems = list(problems)
        self.truncated = truncated
        first = self.problems[0]
        super().__init__(
            first.message,
            source=source or first.source,
            section=first.section,
            index=first.index,
            key=first.key,
            field=first.field,
            line=first.line,
        )

    def __str__(self) -> str:
        n = len(self.problems)
        if n == 1 and not self.truncated:
            return str(self.problems[0])
        more = f"; stopped after the first {n}" if self.truncated else ""
        head = f"{self.source or '<input>'}: {n} problems{more}, nothing saved:"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


class Problems:
    """Collects the problems of one file; raises them all at the end."""

    def __init__(self, source: str):
        self.source = source
        self.items: list[ImportProblem] = []
        self.truncated = False

    def add(self, message, **where) -> None:
        if len(self.items) >= MAX_PROBLEMS:
            self.truncated = True
            return
        self.items.append(ImportProblem(message, source=self.source, **where))

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def fatal(self, message, **where) -> ImportErrors:
        """A problem after which the file cannot be read further: all found so far."""
        self.items.append(ImportProblem(message, source=self.source, **where))
        return self.error()

    def error(self) -> ImportErrors:
        return ImportErrors(self.items, source=self.source, truncated=self.truncated)

    def raise_if_any(self) -> None:
        if self.items:
            raise self.error()
