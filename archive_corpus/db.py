"""Database guards: a time limit on every statement a web request runs.

PostgreSQL has ``statement_timeout`` (set in settings through the connection's
``options``). SQLite has none, so :func:`sqlite_deadline` gives each statement a deadline
checked by SQLite's progress handler; past it the statement is interrupted. Both raise an
``OperationalError`` that :class:`archive_corpus.middleware.AnswerTimeouts` answers with 503.

The limit comes from ``DJANGO_STATEMENT_TIMEOUT_MS``, which ``wsgi.py`` (the web entry
point) sets by default; ``manage.py`` commands (imports, migrations, benchmarks) have none.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.db.backends.signals import connection_created
from django.dispatch import receiver

PROGRESS_STEPS = 10_000  # SQLite virtual-machine steps between two looks at the clock


@receiver(connection_created)
def sqlite_deadline(sender, connection, **kwargs):
    limit_ms = settings.STATEMENT_TIMEOUT_MS
    if connection.vendor != "sqlite" or not limit_ms:
        return
    state = {"deadline": None}

    def past_deadline() -> int:
        deadline = state["deadline"]
        return int(deadline is not None and time.monotonic() > deadline)

    def with_deadline(execute, sql, params, many, context):
        # Until the first row: a sort or a count does its work here. Rows fetched later
        # (a streamed CSV) are not cut short.
        state["deadline"] = time.monotonic() + limit_ms / 1000
        try:
            return execute(sql, params, many, context)
        finally:
            state["deadline"] = None

    connection.connection.set_progress_handler(past_deadline, PROGRESS_STEPS)
    if not any(getattr(w, "is_deadline", False) for w in connection.execute_wrappers):
        with_deadline.is_deadline = True
        connection.execute_wrappers.append(with_deadline)


def is_timeout(exc: BaseException) -> bool:
    """Whether a database error is a statement cut short by the time limit."""
    cause = exc.__cause__ or exc
    if getattr(cause, "pgcode", None) == "57014":  # query_canceled
        return True
    return "interrupted" in str(cause).lower()
