"""Text search: one interface, the same answers on SQLite and PostgreSQL.

Every searchable record keeps a ``search_text`` column (``search_key`` for people): its
words folded by :func:`meetings.names.search_key`, so Кирьянов, Kir'ianov and Kiryanov are
one word. Each query word is read in every transliteration scheme
(:func:`meetings.names.query_keys`: Shdanow may be German for Zhdanov) and one of its
keys must begin a word of the record (``kirian`` finds Kir'ianov).

- :func:`filter_text` is that filter: on PostgreSQL full-text search (GIN index on
  ``to_tsvector('simple', search_text)``, prefix queries) and, for names, trigram
  matching (GIN ``gin_trgm_ops`` on ``Person.search_key``); on SQLite the equivalent
  ``LIKE`` (migration 0003 makes the indexes, on PostgreSQL only).
- :func:`by_relevance` orders matches: whole-word hits before hits inside a longer word,
  then the earlier the first hit in the record (title and summary come first), then the
  list's own order. Plain SQL (``INSTR``/``STRPOS``), so both databases rank alike.
- :func:`snippet` finds the first passage of a record's own text that matches and wraps
  the hits in ``<mark>``, for the list pages (template filter ``snippet``).
- :func:`suggest_people` offers the nearest names when a search finds nothing.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

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

from .names import Nearness, query_keys, search_key


def _join(*parts) -> str:
    return " ".join(p for p in parts if p)


def person_names(person) -> str:
    return " ".join(person.all_names()) if person is not None else ""


def _rows(record, relation: str, *joined):
    """A relation's rows: the prefetched ones when loaded (``reindex``), else one query."""
    manager = getattr(record, relation)
    if relation in getattr(record, "_prefetched_objects_cache", {}):
        return manager.all()
    return manager.select_related(*joined) if joined else manager.all()


def meeting_document(meeting) -> str:
    """Everything a historian might search for in one meeting, folded."""
    return compose_meeting_document(
        meeting,
        campaigns=meeting.campaigns.all(),
        agenda=_rows(meeting, "agenda_items", "reporter"),
        speeches=_rows(meeting, "speeches", "person"),
        zapiski=_rows(meeting, "zapiski"),
        resolutions=_rows(meeting, "resolutions"),
        mentions=_rows(meeting, "mentions", "person"),
    )


def compose_meeting_document(
    meeting, *, campaigns, agenda, speeches, zapiski, resolutions, mentions
) -> str:
    """The meeting's document from its parts, in order (the importer passes them from
    memory; related people must be loaded with their variants)."""
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
    parts += [c.name for c in campaigns]
    for item in agenda:
        parts += [item.title, item.notes, person_names(item.reporter)]
    for speech in speeches:
        parts += [speech.speaker_display, person_names(speech.person), speech.role]
        parts += [speech.summary, speech.quotation]
    for zapiska in zapiski:
        parts.append(zapiska.search_text)
    for resolution in resolutions:
        parts.append(resolution.search_text)
    for mention in mentions:
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
    """The distinct folded words of ``q`` as stored (each word's first key), in order, at
    most :data:`MAX_QUERY_WORDS`."""
    return [keys[0] for keys in query_terms(q)]


def query_terms(q: str) -> list[tuple[str, ...]]:
    """Each distinct word of ``q`` with the keys of its readings in every scheme (any one
    matches), at most :data:`MAX_QUERY_WORDS`."""
    terms = {keys[0]: keys for keys in query_keys(q[: MAX_QUERY_CHARS * 2])}
    return list(terms.values())[:MAX_QUERY_WORDS]


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
    """Records in which every word of ``q``, in one of its readings, begins a word.

    ``Kirian`` finds Kir'ianov; ``ianov`` does not (a word's start, as historians type);
    ``Shdanow`` finds Zhdanov through its German reading. PostgreSQL answers from a
    full-text GIN index (``to_tsvector('simple', ...)`` with prefix queries
    ``(key:* | key:*) & ...``) for the ``search_text`` columns, and from a trigram GIN index
    for people's ``search_key`` (``LIKE 'key%' OR LIKE '% key%'``); SQLite runs that same
    ``LIKE`` everywhere. The keys are ``[a-z0-9]`` only, so both forms mean the same and
    nothing needs escaping.
    """
    field = field or search_field(qs.model)
    terms = query_terms(q)
    if not terms:
        return qs
    if connection.vendor == "postgresql" and field == "search_text":
        return _full_text(qs, field, terms)
    for keys in terms:
        condition = Q()
        for key in keys:
            condition |= Q(**{f"{field}__startswith": key}) | Q(**{f"{field}__contains": f" {key}"})
        qs = qs.filter(condition)
    return qs


def _full_text(qs: QuerySet, field: str, terms: list[tuple[str, ...]]) -> QuerySet:
    """PostgreSQL: the expression of migration 0003's GIN index, with prefix matching."""
    qn = connection.ops.quote_name
    column = f"{qn(qs.model._meta.db_table)}.{qn(field)}"
    query = " & ".join("(" + " | ".join(f"{k}:*" for k in keys) + ")" for keys in terms)
    condition = RawSQL(
        f"to_tsvector('simple'::regconfig, {column}) @@ to_tsquery('simple'::regconfig, %s)",
        (query,),
        output_field=BooleanField(),
    )
    return qs.filter(condition)


def by_relevance(qs: QuerySet, q: str, field: str | None = None, then=()) -> QuerySet:
    """``qs`` ordered by relevance to ``q``, ties broken by ``then`` and the primary key.

    Annotates ``search_rank`` (2 points per query word found as a whole word, in any of its
    readings, 1 as the start of a longer word) and ``search_position`` (where the first
    query word first occurs, in the first of its readings found).
    """
    field = field or search_field(qs.model)
    terms = query_terms(q)
    if not terms:
        return qs.order_by(*then, "pk")
    padded = Concat(Value(" "), field, Value(" "), output_field=TextField())
    points = []
    for keys in terms:
        whole = Q()
        for key in keys:
            whole |= Q(search_padded__contains=f" {key} ")
        points.append(
            Case(When(whole, then=Value(2)), default=Value(1), output_field=IntegerField())
        )
    # One flat sum (a + b + c), not nested pairs: no recursion per word in Django's
    # compiler or the database's parser.
    rank = Func(
        *points, template="(%(expressions)s)", arg_joiner=" + ", output_field=IntegerField()
    )
    position = Case(
        *(
            When(search_padded__contains=f" {key}", then=StrIndex(field, Value(key)))
            for key in terms[0]
        ),
        default=Value(0),
        output_field=IntegerField(),
    )
    qs = qs.annotate(search_padded=padded).annotate(search_rank=rank, search_position=position)
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
    words = [key for keys in query_terms(q or "") for key in keys]
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


# ---------------------------------------------------------------------------
# Did you mean

SUGGESTIONS = 5  # names offered at most
SUGGEST_SCAN = 5000  # people read at most for one suggestion


@dataclass(frozen=True)
class Suggestion:
    """A name near what was typed, and how near (0 to 1)."""

    name: str
    name_ru: str
    score: float


def _found_by(terms: list[tuple[str, ...]], key: str) -> bool:
    words = key.split()
    return any(w.startswith(k) for keys in terms for k in keys for w in words)


def suggest_people(q: str, limit: int = SUGGESTIONS) -> list[Suggestion]:
    """The people whose folded names are nearest to a word of ``q`` ("did you mean").

    One query, bounded: the people with a word that begins with the first letter of one of
    the query's keys (at most ``SUGGEST_SCAN`` of them, in primary-key order), read only as
    name and key. They are ranked in Python by :class:`meetings.names.Nearness` (difflib),
    so both databases give the same answers. People the query already finds are left out,
    and people of one name are offered once.
    """
    from .models import Person

    terms = query_terms(q)
    nearness = Nearness(terms)
    if not nearness.first_letters:
        return []
    condition = Q()
    for letter in nearness.first_letters:
        condition |= Q(search_key__startswith=letter) | Q(search_key__contains=f" {letter}")
    rows = (
        Person.objects.filter(condition)
        .order_by("pk")
        .values_list("name", "name_ru", "search_key")[:SUGGEST_SCAN]
    )
    best: dict[str, Suggestion] = {}
    for name, name_ru, key in rows:
        score = nearness(key)
        if not score or _found_by(terms, key):
            continue
        if name not in best or score > best[name].score:
            best[name] = Suggestion(name, name_ru, round(score, 3))
    return sorted(best.values(), key=lambda s: (-s.score, s.name))[:limit]
