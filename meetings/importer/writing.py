"""Writing in bulk, with history: every row created, changed or deleted gets its
django-simple-history record, with the user (when known) and a change reason naming the
path and the file (``import_protocols: ch1a.yaml``, ``admin upload: batch.yaml``).

Reference records (archives, cells, ...) are few and saved one by one (their ``save()``
derives sort keys and search keys; simple-history's signals write their history). People,
meetings and everything in a meeting are written in bulk: ``bulk_create``/``bulk_update``
and one ``bulk_create`` of their historical rows per model and chunk.
"""

from __future__ import annotations

from django.db import models
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
        created = model.objects.bulk_create(objs, batch_size=BATCH)
        self.history(model, created, "+")
        self.report.count(model, "created", len(created))
        return created

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

    def history(self, model, objs, history_type: str):
        """Historical rows for ``objs`` as they are now (simple-history's own fields)."""
        manager = getattr(model, "history", None)
        if manager is None or not objs:
            return []
        history_model = manager.model
        tracked = [f.attname for f in history_model.tracked_fields]
        rows = [
            history_model(
                history_date=self.date,
                history_user_id=self.user_id,
                history_change_reason=self.reason,
                history_type=history_type,
                **{name: getattr(obj, name) for name in tracked},
            )
            for obj in objs
        ]
        return history_model.objects.bulk_create(rows, batch_size=BATCH)

    def m2m_history(self, model, field_name: str, history_rows, values_of) -> None:
        """Snapshot an m2m field (simple-history ``m2m_fields``) for new historical rows.

        ``values_of(pk)`` gives ``(related id, through row id)`` for what the object holds now.
        """
        history_model = model.history.model
        descriptor = getattr(history_model, field_name, None)
        if descriptor is None:
            return
        m2m_model = descriptor.model
        through = model._meta.get_field(field_name).remote_field.through
        source = next(
            f.name for f in through._meta.fields if f.is_relation and f.related_model is model
        )
        target = next(
            f.name for f in through._meta.fields if f.is_relation and f.related_model is not model
        )
        rows = [
            m2m_model(history_id=h.pk, id=row_id, **{f"{source}_id": h.id, f"{target}_id": related})
            for h in history_rows
            for related, row_id in values_of(h.id)
        ]
        m2m_model.objects.bulk_create(rows, batch_size=BATCH)
