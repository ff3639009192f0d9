"""Audit entries for bulk writes, which bypass django-auditlog's signals: the bulk services
write them in their own transaction (`actor` is the acting user, None for the operator)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from dangvu.core.bulk import insert_rows


def log_bulk(
    model: type[models.Model],
    changes: Iterable[tuple[models.Model, dict[str, list[Any]] | None]],
    *,
    actor: models.Model | None,
    created: bool,
    note: str,
) -> int:
    """One LogEntry per object: `changes` maps field -> [before, after] (None when created)."""
    content_type = ContentType.objects.get_for_model(model)
    action = LogEntry.Action.CREATE if created else LogEntry.Action.UPDATE
    now = timezone.now()
    actor_id = actor.pk if actor is not None else None
    extra = {"source": note}
    rows = [
        (
            content_type.pk,
            str(obj.pk),
            obj.pk,
            str(obj)[:200],
            action,
            diff or {},
            "",
            actor_id,
            now,
            extra,
        )
        for obj, diff in changes
    ]
    return insert_rows(LogEntry, LOG_FIELDS, rows)


LOG_FIELDS = (
    "content_type",
    "object_pk",
    "object_id",
    "object_repr",
    "action",
    "changes",
    "changes_text",
    "actor",
    "timestamp",
    "additional_data",
)


def diff_fields(obj: models.Model, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Fields whose value would change, as {field: [before, after]} in plain strings."""
    out: dict[str, list[Any]] = {}
    for name, value in values.items():
        before = getattr(obj, name)
        if before != value:
            out[name] = [_plain(before), _plain(value)]
    return out


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
