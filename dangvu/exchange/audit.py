"""Audit entries for bulk writes, which bypass django-auditlog's signals."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models

from dangvu.accounts.models import User


def log_bulk(
    model: type[models.Model],
    changes: Iterable[tuple[models.Model, dict[str, list[Any]] | None]],
    *,
    actor: User | None,
    created: bool,
    note: str,
) -> int:
    """One LogEntry per object: `changes` maps field -> [before, after] (None when created)."""
    content_type = ContentType.objects.get_for_model(model)
    action = LogEntry.Action.CREATE if created else LogEntry.Action.UPDATE
    entries = []
    for obj, diff in changes:
        entries.append(
            LogEntry(
                content_type=content_type,
                object_pk=str(obj.pk),
                object_id=obj.pk,
                object_repr=str(obj)[:200],
                action=action,
                changes=diff or {},
                actor=actor,
                additional_data={"source": note},
            )
        )
    LogEntry.objects.bulk_create(entries, batch_size=2000)
    return len(entries)


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
