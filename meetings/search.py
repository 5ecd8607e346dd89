"""Text search: one interface, the same answers on SQLite and PostgreSQL.

Every searchable record keeps a ``search_text`` column (``search_key`` for people): its
words folded by :func:`meetings.names.search_key`, so Кирьянов, Kir'ianov and Kiryanov are
one word. A query is folded the same way and every folded query word must begin a word
of the record (``kirian`` finds Kir'ianov).

- :func:`filter_text` is that filter: on PostgreSQL full-text search (GIN index on
  ``to_tsvector('simple', search_text)``, prefix queries) and, for names, trigram
  matching (GIN ``gin_trgm_ops`` on ``Person.search_key``); on SQLite the equivalent
  ``LIKE`` (migration 0003 makes the indexes, on PostgreSQL only).
- :func:`by_relevance` orders matches: whole-word hits before hits inside a longer word,
  then the earlier the first hit in the record (title and summary come first), then the
  list's own order. Plain SQL (``INSTR``/``STRPOS``), so both databases rank alike.
- :func:`snippet` finds the first passage of a record's own text that matches and wraps
  the hits in ``<mark>``, for the list pages (template filter ``snippet``).
"""

from __future__ import annotations

import functools
import re

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Func,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat, StrIndex
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .names import search_key


def _join(*parts) -> str:
    return " ".join(p for p in parts if p)


def person_names(person) -> str:
    return " ".join(person.all_names()) if person is not None else ""


def meeting_document(meeting) -> str:
    """Everything a historian might search for in one meeting, folded."""
    parts = [
        meeting.title,
        meeting.body_name,
        meeting.get_body_display(),
        meeting.summary,
        meeting.date_note,
        meeting.chair_display,
        person_names(meeting.chair),
        str(meeting.organisation) if meeting.organisation_id else "",
        meeting.organisation.name if meeting.organisation_id else "",
    ]
    if meeting.cell_id:
        parts += [meeting.cell.name, meeting.cell.name_ru, meeting.cell.other_names]
    parts += [c.name for c in meeting.campaigns.all()]
    for item in meeting.agenda_items.select_related("reporter"):
        parts += [item.title, item.notes, person_names(item.reporter)]
    for speech in meeting.speeches.select_related("person"):
        parts += [speech.speaker_display, person_names(speech.person), speech.role]
        parts += [speech.summary, speech.quotation]
    for zapiska in meeting.zapiski.all():
        parts.append(zapiska.search_text)
    for resolution in meeting.resolutions.all():
        parts.append(resolution.search_text)
    for mention in meeting.mentions.select_related("person"):
        parts += [mention.person_display, person_names(mention.person), mention.note]
    return search_key(_join(*parts))


def zapiska_document(zapiska) -> str:
    return search_key(
        _join(
            zapiska.text,
            zapiska.summary,
            zapiska.addressed_to_display,
            person_names(zapiska.addressed_to),
            zapiska.author_display,
            person_names(zapiska.author),
        )
    )


def resolution_document(resolution) -> str:
    return search_key(
        _join(
            resolution.get_kind_display(),
            resolution.text,
            resolution.summary,
            resolution.outcome,
            resolution.person_display,
            person_names(resolution.person),
        )
    )


# A query costs one condition and one ranking term per word: beyond these caps a request
# would hold a worker (and SQLite's parser) for nothing a historian needs. The list views
# refuse a longer query with a 400 (:func:`validate_query`); query_words never passes more.
MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 10


def query_words(q: str) -> list[str]:
    """The distinct folded words of ``q``, in order, at most :data:`MAX_QUERY_WORDS`."""
    words = dict.fromkeys(w for w in search_key(q[: MAX_QUERY_CHARS * 2]).split() if w)
    return list(words)[:MAX_QUERY_WORDS]


def validate_query(q: str) -> None:
    """Refuse a query past the caps with a message saying what to shorten."""
    if len(q) > MAX_QUERY_CHARS:
        raise ValidationError(
            f"the search is {len(q)} characters long; give at most {MAX_QUERY_CHARS}"
        )
    n = len(dict.fromkeys(search_key(q).split()))
    if n > MAX_QUERY_WORDS:
        raise ValidationError(
            f"the search has {n} different words; give at most {MAX_QUERY_WORDS} "
            "(every word must match, so a few distinctive ones find the same records)"
        )


def search_field(model) -> str:
    """The folded column of a model: ``search_text``, or ``search_key`` for people."""
    names = {f.name for f in model._meta.get_fields()}
    return "search_text" if "search_text" in names else "search_key"


def filter_text(qs: QuerySet, q: str, field: str | None = None) -> QuerySet:
    """Records in which every folded word of ``q`` begins a word of the folded text.

    ``Kirian`` finds Kir'ianov; ``ianov`` does not (a word's start, as historians type).
    PostgreSQL answers from a full-text GIN index (``to_tsvector('simple', ...)`` with
    prefix queries ``word:*``) for the ``search_text`` columns, and from a trigram GIN
    index for people's ``search_key`` (``LIKE 'word%' OR LIKE '% word%'``); SQLite runs
    that same ``LIKE`` everywhere. The folded words are ``[a-z0-9]`` only, so both forms
    mean the same and nothing needs escaping.
    """
    field = field or search_field(qs.model)
    words = query_words(q)
    if not words:
        return qs
    if connection.vendor == "postgresql" and field == "search_text":
        return _full_text(qs, field, words)
    for word in words:
        qs = qs.filter(
            Q(**{f"{field}__startswith": word}) | Q(**{f"{field}__contains": f" {word}"})
        )
    return qs


def _full_text(qs: QuerySet, field: str, words: list[str]) -> QuerySet:
    """PostgreSQL: the expression of migration 0003's GIN index, with prefix matching."""
    qn = connection.ops.quote_name
    column = f"{qn(qs.model._meta.db_table)}.{qn(field)}"
    condition = RawSQL(
        f"to_tsvector('simple'::regconfig, {column}) @@ to_tsquery('simple'::regconfig, %s)",
        (" & ".join(f"{w}:*" for w in words),),
        output_field=BooleanField(),
    )
    return qs.filter(condition)


def by_relevance(qs: QuerySet, q: str, field: str | None = None, then=()) -> QuerySet:
    """``qs`` ordered by relevance to ``q``, ties broken by ``then`` and the primary key.

    Annotates ``search_rank`` (2 points per query word found as a whole word, 1 as the
    start of a longer word) and ``search_position`` (where the first query word first occurs).
    """
    field = field or search_field(qs.model)
    words = query_words(q)
    if not words:
        return qs.order_by(*then, "pk")
    padded = Concat(Value(" "), field, Value(" "), output_field=TextField())
    points = [
        Case(
            When(search_padded__contains=f" {word} ", then=Value(2)),
            default=Value(1),
            output_field=IntegerField(),
        )
        for word in words
    ]
    # One flat sum (a + b + c), not nested pairs: no recursion per word in Django's
    # compiler or the database's parser.
    rank = Func(
        *points, template="(%(expressions)s)", arg_joiner=" + ", output_field=IntegerField()
    )
    qs = qs.annotate(search_padded=padded).annotate(
        search_rank=rank, search_position=StrIndex(field, Value(words[0]))
    )
    return qs.order_by("-search_rank", "search_position", *then, "pk")


# ---------------------------------------------------------------------------
# The matched passage

_TOKEN = re.compile(r"[\w\'\u2019\u02bc\u02b9]+")
SNIPPET_WORDS = 12  # words of context either side of the first hit


def _record_texts(record) -> list[str]:
    """A record's own text fields, in the order a reader meets them (no extra queries
    beyond what :func:`prefetch_for_snippets` loaded)."""
    from .models import Meeting, Person, Resolution, Zapiska

    def names(person):  # the loaded columns only: variants would cost a query a row
        return f"{person.name} {person.name_ru}" if person is not None else ""

    if isinstance(record, Meeting):
        texts = [record.title, record.summary, record.body_name, record.chair_display]
        if record.cell_id:
            texts += [record.cell.name, record.cell.name_ru, record.cell.other_names]
        texts += [c.name for c in record.campaigns.all()]
        cache = getattr(record, "_prefetched_objects_cache", {})
        for item in cache.get("agenda_items", ()):
            texts += [item.title, item.notes]
        for speech in cache.get("speeches", ()):
            who = speech.speaker_display or (speech.person.name if speech.person_id else "")
            texts.append(f"{who}: {speech.summary} {speech.quotation}".strip())
            if speech.person_id:
                texts.append(names(speech.person))
        for zapiska in cache.get("zapiski", ()):
            texts += [zapiska.text, zapiska.summary]
        for resolution in cache.get("resolutions", ()):
            texts += [resolution.text, resolution.summary, resolution.person_display]
        return texts
    if isinstance(record, Zapiska):
        return [
            record.text,
            record.summary,
            record.addressed_to_display,
            names(record.addressed_to),
            record.author_display,
            names(record.author),
        ]
    if isinstance(record, Resolution):
        return [
            record.text,
            record.summary,
            record.outcome,
            record.person_display,
            names(record.person),
        ]
    if isinstance(record, Person):
        return [record.name, record.name_ru, *(v.name for v in record.variants.all())]
    return [str(record)]


def prefetch_for_snippets(objects) -> None:
    """Load what :func:`snippet` reads on a page of meetings: a fixed few queries."""
    from django.db.models import prefetch_related_objects

    from .models import Meeting, Speech

    objects = list(objects)
    if objects and isinstance(objects[0], Meeting):
        prefetch_related_objects(
            objects,
            "agenda_items",
            Prefetch("speeches", queryset=Speech.objects.select_related("person")),
            "zapiski",
            "resolutions",
        )


@functools.lru_cache(maxsize=100_000)
def _fold_token(token: str) -> str:
    """One word of a record's text, folded (cached: names and words recur endlessly)."""
    return " " + search_key(token)


def _hits(tokens: list[str], words: list[str]) -> list[bool]:
    # A hit: a query word begins a folded word of the token, as in filter_text.
    return [any(f" {w}" in _fold_token(t) for w in words) for t in tokens]


def snippet(record, q: str, context: int = SNIPPET_WORDS) -> str:
    """The first passage of ``record``'s text that matches ``q``, hits in ``<mark>``.

    Each word of the text is folded like the index (any script, any transliteration), so
    ``Kiryanov`` marks Кирьянов. Empty when no single text field holds a hit.
    """
    words = query_words(q or "")
    if not words:
        return ""
    for text in _record_texts(record):
        if not text:
            continue
        spans = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
        hits = _hits([text[a:b] for a, b in spans], words)
        if not any(hits):
            continue
        first = hits.index(True)
        lo, hi = max(0, first - context), min(len(spans), first + context + 1)
        start = spans[lo][0] if lo > 0 else 0
        end = spans[hi - 1][1] if hi < len(spans) else len(text)
        out, pos = [], start
        for (a, b), hit in zip(spans[lo:hi], hits[lo:hi], strict=True):
            if hit:
                out += [escape(text[pos:a]), "<mark>", escape(text[a:b]), "</mark>"]
                pos = b
        out.append(escape(text[pos:end]))
        prefix = "… " if start > 0 else ""
        suffix = " …" if end < len(text) else ""
        return mark_safe(prefix + "".join(out) + suffix)  # noqa: S308 - escaped above
    return ""
