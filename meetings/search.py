"""Text search: one interface, the same answers on SQLite and PostgreSQL.

Every searchable record keeps a ``search_text`` column: its words folded by
:func:`meetings.names.search_key`, so Кирьянов, Kir'ianov and Kiryanov are one word. A
query is folded the same way and every folded query word must occur in the record.
"""

from __future__ import annotations

from django.db.models import QuerySet

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


def query_words(q: str) -> list[str]:
    return [w for w in search_key(q).split() if w]


def filter_text(qs: QuerySet, q: str, field: str = "search_text") -> QuerySet:
    """Records whose folded text holds every folded word of ``q`` (prefix-insensitive)."""
    for word in query_words(q):
        qs = qs.filter(**{f"{field}__contains": word})
    return qs
