"""Writing in bulk, with history: every row created, changed or deleted gets its
django-simple-history record, with the user (when known) and a change reason naming the
path and the file (``import_protocols: ch1a.yaml``, ``admin upload: batch.yaml``).

Reference records (archives, cells, ...) are few and saved one by one (their ``save()``
derives sort keys and search keys; simple-history's signals write their history). People,
meetings and everything in a meeting are written in bulk: ``bulk_create``/``bulk_update``
and one ``bulk_create`` of their historical rows per model and chunk.
"""

from __future__ import annotations

from django.db import connection, models
from django.utils import timezone

from .report import ImportReport

BATCH = 1000
REASON_LENGTH = 100  # simple-history's history_change_reason is a CharField(100)


class Writer:
    """Writes rows and their history, and counts every outcome in the report."""

    def __init__(self, report: ImportReport, *, user=None, reason: str = ""):
        self.report = report
        self.user = user
        self.user_id = getattr(user, "pk", None)
        self.reason = reason[:REASON_LENGTH]
        self.date = timezone.now()
        self._next_ids: dict[str, int] = {}

    # -- one at a time (reference records) -----------------------------------
    def save(self, obj: models.Model, created: bool) -> models.Model:
        obj._change_reason = self.reason
        obj._history_user = self.user
        obj._history_date = self.date
        obj.save()
        self.report.count(type(obj), "created" if created else "updated")
        return obj

    def unchanged(self, model, n: int = 1) -> None:
        self.report.count(model, "unchanged", n)

    # -- in bulk --------------------------------------------------------------
    def create(self, model, objs: list) -> list:
        if not objs:
            return objs
        self.insert(model, objs)
        self.history(model, objs, "+")
        self.report.count(model, "created", len(objs))
        return objs

    def update(self, model, objs: list, fields: list[str], count=True) -> None:
        if not objs:
            return
        model.objects.bulk_update(objs, fields, batch_size=BATCH)
        self.history(model, objs, "~")
        if count:
            self.report.count(model, "updated", len(objs))

    def delete(self, model, objs: list) -> None:
        if not objs:
            return
        self.history(model, objs, "-")
        pks = [o.pk for o in objs]
        for start in range(0, len(pks), BATCH):
            model.objects.filter(pk__in=pks[start : start + BATCH])._raw_delete(model.objects.db)
        self.report.count(model, "deleted", len(objs))

    def insert(self, model, objs: list) -> None:
        """Insert new rows with ids reserved first (so children and history can point at
        them): one multi-row statement per batch, values adapted once per column kind."""
        if not objs:
            return
        if connection.vendor not in ("postgresql", "sqlite"):  # pragma: no cover
            model.objects.bulk_create(objs, batch_size=BATCH)
            return
        for obj, pk in zip(objs, self.reserve_ids(model, len(objs)), strict=True):
            obj.pk = pk
            obj._state.adding = False
            obj._state.db = connection.alias
        fields = model._meta.concrete_fields
        adapt = [_adapter(f) for f in fields]
        rows = [
            tuple(a(getattr(obj, f.attname)) for f, a in zip(fields, adapt, strict=True))
            for obj in objs
        ]
        _insert_rows(model._meta.db_table, [f.column for f in fields], rows)

    def reserve_ids(self, model, n: int) -> list[int]:
        """``n`` new ids for ``model``: from its sequence on PostgreSQL; on SQLite, past the
        largest (this import holds the write lock, so nobody else takes them)."""
        table = model._meta.db_table
        column = model._meta.pk.column
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [table, column, n],
                )
                return [row[0] for row in cursor.fetchall()]
            first = self._next_ids.get(table)
            if first is None:
                q = connection.ops.quote_name
                cursor.execute(f"SELECT max({q(column)}) FROM {q(table)}")
                largest = cursor.fetchone()[0] or 0
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                row = cursor.fetchone()
                first = max(largest, row[0] if row else 0) + 1
            self._next_ids[table] = first + n
            return list(range(first, first + n))

    def history(self, model, objs, history_type: str, ids=False) -> list[int]:
        """Historical rows for ``objs`` as they are now (simple-history's own columns);
        their ids when ``ids`` (for the m2m snapshot)."""
        manager = getattr(model, "history", None)
        if manager is None or not objs:
            return []
        history_model = manager.model
        fixed = {
            "history_date": self.date,
            "history_change_reason": self.reason,
            "history_type": history_type,
            "history_user": self.user_id,
        }
        fields = [f for f in history_model._meta.concrete_fields if ids or f.name != "history_id"]
        history_ids = self.reserve_ids(history_model, len(objs)) if ids else []
        adapt = [_adapter(f) for f in fields]
        rows = []
        for n, obj in enumerate(objs):
            row = []
            for f, a in zip(fields, adapt, strict=True):
                if f.name == "history_id":
                    row.append(history_ids[n])
                elif f.name in fixed:
                    row.append(a(fixed[f.name]))
                else:
                    row.append(a(getattr(obj, f.attname)))
            rows.append(tuple(row))
        _insert_rows(history_model._meta.db_table, [f.column for f in fields], rows)
        return history_ids

    def m2m_history(self, model, field_name: str, objs, history_ids, values_of) -> None:
        """Snapshot an m2m field (simple-history ``m2m_fields``) for new historical rows.

        ``values_of(pk)`` gives ``(related id, through row id)`` for what the object holds now.
        """
        descriptor = getattr(model.history.model, field_name, None)
        if descriptor is None or not objs:
            return
        m2m_model = descriptor.model
        through = model._meta.get_field(field_name).remote_field.through
        source = next(
            f.column for f in through._meta.fields if f.is_relation and f.related_model is model
        )
        target = next(
            f.column for f in through._meta.fields if f.is_relation and f.related_model is not model
        )
        history_column = m2m_model._meta.get_field("history").column
        columns = ["id", source, target, history_column]
        rows = [
            (row_id, obj.pk, related, history_id)
            for obj, history_id in zip(objs, history_ids, strict=True)
            for related, row_id in values_of(obj.pk)
        ]
        _insert_rows(m2m_model._meta.db_table, columns, rows)


def _adapter(field):
    """How a value goes to the driver: dates as the backend stores them, the rest as is."""
    kind = field.get_internal_type()
    ops = connection.ops
    if kind == "DateTimeField":
        return ops.adapt_datetimefield_value
    if kind == "DateField":
        return ops.adapt_datefield_value
    return _same


def _same(value):
    return value


def _insert_rows(table: str, columns: list[str], rows: list[tuple]) -> None:
    if not rows:
        return
    q = connection.ops.quote_name
    head = f"INSERT INTO {q(table)} ({', '.join(q(c) for c in columns)}) VALUES "
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg2.extras import execute_values

            execute_values(cursor.cursor, head + "%s", rows, page_size=BATCH)
            return
        # SQLite: one statement per batch, within its limit of bound variables.
        per = max(1, min(BATCH, 30000 // len(columns)))
        marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
        raw = cursor.cursor  # the driver's cursor: no debug logging of huge statements
        for start in range(0, len(rows), per):
            batch = rows[start : start + per]
            raw.execute(head + ", ".join([marks] * len(batch)), [v for row in batch for v in row])
