"""Reading an import file: bounded YAML, record by record.

The file is parsed by libyaml (``yaml.CSafeLoader``) as a stream of events, and each record
of each section is built and handed on as soon as it ends, so memory holds one record, not
the file. While building, it refuses what is ambiguous or unbounded:

- duplicate keys in a mapping, keys that are not text (``1: x``, ``~: 1``);
- tags other than YAML's plain ones (no ``!!python/...``, no ``!!binary``, no merge keys);
- nesting deeper than :data:`MAX_DEPTH` (a list nested 5,000 deep);
- aliases that would expand past :data:`MAX_ALIAS_NODES` (the "billion laughs"): refused
  at once, before anything is expanded;
- a file larger than ``settings.IMPORT_MAX_BYTES``.

Dates stay text (``1929-02-30`` is handed to the one date reader, which says what is wrong,
instead of crashing YAML's timestamp constructor).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml
from django.conf import settings
from yaml import events as ev
from yaml.nodes import ScalarNode

from .problems import Problems

MAX_DEPTH = 32  # the format needs 6: file > section > record > list > row > list
MAX_ALIAS_NODES = 10_000  # values an alias may stand for, in all, in one file
DEFAULT_MAX_BYTES = 200 * 2**20

STR, NULL, BOOL, INT, FLOAT = (
    f"tag:yaml.org,2002:{t}" for t in ("str", "null", "bool", "int", "float")
)
PLAIN_TAGS = {STR, NULL, BOOL, INT, FLOAT}
COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}

Loader = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader


class BoundedLoader(Loader):
    """libyaml's safe loader without timestamps or merge keys: dates stay text."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag in PLAIN_TAGS]
        for first, resolvers in Loader.yaml_implicit_resolvers.items()
    }


def max_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


@dataclass
class RawRecord:
    section: str
    index: int
    line: int
    value: Any


class _Stop(Exception):
    pass


class RecordReader:
    """Turns a YAML stream into ``RawRecord``s: ``{section: [record, ...], ...}``."""

    def __init__(self, stream, problems: Problems):
        self.loader = BoundedLoader(stream)
        self.problems = problems
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.alias_nodes = 0
        self.section = ""
        self.index = None
        self._resolvers = BoundedLoader.yaml_implicit_resolvers
        self._get = self.loader.get_event  # YAML errors are caught once, in records()

    # -- helpers ------------------------------------------------------------
    def _line(self, event) -> int | None:
        mark = getattr(event, "start_mark", None)
        return mark.line + 1 if mark is not None else None

    def _problem(self, message, event=None, field=""):
        self.problems.add(
            message,
            section=self.section,
            index=self.index,
            field=field,
            line=self._line(event) if event is not None else None,
        )

    def _fatal(self, message, event=None):
        return self.problems.fatal(
            message,
            section=self.section,
            index=self.index,
            line=self._line(event) if event is not None else None,
        )

    def _yaml_error(self, exc):
        """A YAML syntax or encoding error: fatal (the parser cannot go on), located."""
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        what = getattr(exc, "problem", None) or str(exc)
        if isinstance(exc, yaml.reader.ReaderError):
            what = f"not UTF-8 text ({exc.reason})"
        else:
            what = f"not valid YAML: {what}"
        return self.problems.fatal(what, section=self.section, index=self.index, line=line)

    def scalar(self, event):
        value = event.value
        tag = event.tag
        if tag not in (None, "!"):
            if tag not in PLAIN_TAGS:
                self._problem(f"the tag {tag} is not allowed: write plain values", event)
                return value
        elif event.implicit[0]:  # plain (unquoted): resolve as YAML 1.1 would
            first = value[:1]
            tag = STR
            for candidate, regexp in self._resolvers.get(first or "", ()):
                if regexp.match(value):
                    tag = candidate
                    break
        else:
            return value
        if tag == STR:
            return value
        if tag == NULL:
            return None
        node = ScalarNode(tag, value)
        try:
            if tag == BOOL:
                return self.loader.construct_yaml_bool(node)
            if tag == INT:
                return self.loader.construct_yaml_int(node)
            return self.loader.construct_yaml_float(node)
        except (ValueError, yaml.YAMLError):
            self._problem(f"{value!r} is not a valid {tag.rsplit(':', 1)[-1]}", event)
            return value

    # -- building one value (a record or anything in it) ---------------------
    def build(self, event, depth: int) -> tuple[Any, int]:
        """The value starting at ``event``, and how many values it holds (for aliases)."""
        kind = type(event)
        if kind is ev.ScalarEvent:
            value = self.scalar(event)
            if event.anchor:
                self.anchors[event.anchor] = (value, 1)
            return value, 1
        if kind is ev.AliasEvent:
            if event.anchor not in self.anchors:
                raise self._fatal(f"unknown alias *{event.anchor}", event)
            value, size = self.anchors[event.anchor]
            self.alias_nodes += size
            if self.alias_nodes > MAX_ALIAS_NODES:
                raise self._fatal(
                    f"aliases expand to more than {MAX_ALIAS_NODES:,} values: refused "
                    "(write the values out instead of *aliases)",
                    event,
                )
            return value, size
        if depth > MAX_DEPTH:
            raise self._fatal(f"nested more than {MAX_DEPTH} levels deep: refused", event)
        if kind is ev.SequenceStartEvent:
            self._check_collection_tag(event)
            items, size = [], 1
            while True:
                nxt = self._get()
                if type(nxt) is ev.SequenceEndEvent:
                    break
                value, n = self.build(nxt, depth + 1)
                items.append(value)
                size += n
            if event.anchor:
                self.anchors[event.anchor] = (items, size)
            return items, size
        if kind is ev.MappingStartEvent:
            self._check_collection_tag(event)
            mapping, size = {}, 1
            while True:
                key_event = self._get()
                if type(key_event) is ev.MappingEndEvent:
                    break
                key, n = self.build(key_event, depth + 1)
                value, m = self.build(self._get(), depth + 1)
                size += n + m
                if not isinstance(key, str):
                    shown = "~ (null)" if key is None else repr(key)
                    self._problem(f"the key {shown} is not text: keys are field names", key_event)
                    continue
                if key in mapping:
                    self._problem(
                        f"the key {key!r} appears twice in one mapping: which one is meant?",
                        key_event,
                        field=key,
                    )
                    continue
                mapping[key] = value
            if event.anchor:
                self.anchors[event.anchor] = (mapping, size)
            return mapping, size
        raise self._fatal(f"unexpected YAML event {kind.__name__}", event)

    def _check_collection_tag(self, event):
        if event.tag not in (None, "!") and event.tag not in COLLECTION_TAGS:
            self._problem(f"the tag {event.tag} is not allowed: write plain values", event)

    # -- the file's frame: {section: [record, ...]} ---------------------------
    def records(self, sections) -> Iterator[RawRecord]:
        try:
            yield from self._records(sections)
        except yaml.YAMLError as exc:
            raise self._yaml_error(exc) from None

    def _records(self, sections) -> Iterator[RawRecord]:
        get = self._get
        if type(get()) is not ev.StreamStartEvent:  # pragma: no cover - libyaml always starts so
            raise self._fatal("not a YAML stream")
        event = get()
        if type(event) is ev.StreamEndEvent:
            return  # an empty file: nothing to do
        get_doc = event  # DocumentStartEvent
        top = get()
        if type(top) is not ev.MappingStartEvent:
            self.build(top, 1)
            raise self._fatal(
                "the file must be a mapping of sections (meetings:, people:, ...)", top
            )
        seen = set()
        while True:
            key_event = get()
            if type(key_event) is ev.MappingEndEvent:
                break
            name, _ = self.build(key_event, 1)
            value_event = get()
            self.section, self.index = "", None
            if not isinstance(name, str) or name not in sections:
                self.build(value_event, 1)
                self._problem(
                    f"unknown section {name!r}; expected one of: {', '.join(sections)}",
                    key_event,
                )
                continue
            if name in seen:
                self.section = name
                self._problem("this section appears twice in the file", key_event)
            seen.add(name)
            self.section = name
            if type(value_event) is ev.ScalarEvent and self.scalar(value_event) is None:
                continue  # "people:" with nothing under it
            if type(value_event) is not ev.SequenceStartEvent:
                self.build(value_event, 2)
                self._problem("must be a list of records (each line starting with '- ')",
                              value_event)  # fmt: skip
                continue
            index = 0
            while True:
                item = get()
                if type(item) is ev.SequenceEndEvent:
                    break
                self.index = index
                value, _ = self.build(item, 3)
                yield RawRecord(name, index, self._line(item), value)
                index += 1
            self.index = None
        self.section = ""
        end = get()  # DocumentEndEvent
        if type(get()) is not ev.StreamEndEvent:
            raise self._fatal("one document per file: remove the second '---'", end)
        del get_doc


def read_records(raw_or_stream, source: str, problems: Problems, sections) -> Iterator[RawRecord]:
    """The records of a file (bytes or a binary file object), refusing an oversized one."""
    size = len(raw_or_stream) if isinstance(raw_or_stream, bytes | bytearray) else None
    if size is None and hasattr(raw_or_stream, "seek"):
        size = raw_or_stream.seek(0, 2)
        raw_or_stream.seek(0)
    limit = max_bytes()
    if size is not None and size > limit:
        raise problems.fatal(
            f"the file is {size / 2**20:.1f} MB; at most {limit / 2**20:.0f} MB can be imported "
            "at once: split it (one file per chapter, year or section)"
        )
    reader = RecordReader(raw_or_stream, problems)
    try:
        yield from reader.records(sections)
    except RecursionError:  # pragma: no cover - MAX_DEPTH stops far earlier
        raise problems.fatal("nested too deeply: refused") from None
    finally:
        reader.loader.dispose()


def load_yaml(raw: bytes, source: str = "<input>") -> dict:
    """A whole (small) file as ``{section: [records]}``, with the same checks; for tests."""
    from . import SECTIONS

    problems = Problems(source)
    data: dict = {}
    for record in read_records(raw, source, problems, SECTIONS):
        data.setdefault(record.section, []).append(record.value)
    problems.raise_if_any()
    return data
