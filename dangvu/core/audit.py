"""Audit entries for bulk writes, which bypass django-auditlog's signals: the bulk services
write them in their own transaction (`actor` is the acting user, None for the operator).

Inside a workbook import (`import_audit`, opened by `exchange.services.workbook_import`)
the records a bulk write *creates* are entered as one entry per model and write, with
their count, their ids and the import's id (its `ExchangeLog`, which keeps the workbook):
every value they were created with is in the kept workbook. A change to a record on file
is still one entry per record with its diff, since the value it overwrote is nowhere
else (docs/decisions.md, "The audit of an import").
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from dangvu.core.bulk import insert_rows


@dataclass
class ImportAudit:
    """The import being written: its `ExchangeLog` id and the sheet being loaded."""

    exchange_log: int
    file_name: str = ""
    sheet: str = ""


_IMPORT: ContextVar[ImportAudit | None] = ContextVar("dangvu_import_audit", default=None)

#: The object_repr of an import's entry: "<count> records created by import #<id> (<file>)".
IMPORT_REPR = "{count} bản ghi tạo bởi lượt nhập #{log} ({file})"


@contextmanager
def import_audit(*, exchange_log: int, file_name: str = "") -> Iterator[ImportAudit]:
    """Within: bulk writes enter the records they create as one entry per write."""
    audit = ImportAudit(exchange_log, file_name)
    token = _IMPORT.set(audit)
    try:
        yield audit
    finally:
        _IMPORT.reset(token)


def importing() -> bool:
    """Whether the records created now are entered once per write (`import_audit`)."""
    return _IMPORT.get() is not None


def id_ranges(pks: Iterable[int]) -> list[list[int]]:
    """Ids as [first, last] runs: a bulk write's new ids are one run (`core.bulk.next_ids`)."""
    runs: list[list[int]] = []
    for pk in sorted(pks):
        if runs and runs[-1][1] + 1 == pk:
            runs[-1][1] = pk
        elif not runs or runs[-1][1] != pk:
            runs.append([pk, pk])
    return runs


def log_created(
    model: type[models.Model],
    pks: Sequence[int],
    *,
    actor: models.Model | None,
    note: str,
) -> int:
    """Records created by a bulk write inside an import: one entry for all of them (their
    count, ids, sheet and the import's id), pointing at the import's kept workbook."""
    audit = _IMPORT.get()
    assert audit is not None, "log_created is for imports (import_audit)"
    if not pks:
        return 0
    repr_ = IMPORT_REPR.format(count=len(pks), log=audit.exchange_log, file=audit.file_name)
    row: tuple[Any, ...] = (
        ContentType.objects.get_for_model(model).pk,
        "",
        None,
        repr_[:200],
        LogEntry.Action.CREATE,
        {},
        "",
        actor.pk if actor is not None else None,
        timezone.now(),
        {
            "source": note,
            "import": audit.exchange_log,
            "sheet": audit.sheet,
            "created": len(pks),
            "ids": id_ranges(pks),
        },
    )
    return insert_rows(LogEntry, LOG_FIELDS, [row])


def log_bulk(
    model: type[models.Model],
    changes: Iterable[tuple[models.Model, dict[str, list[Any]] | None]],
    *,
    actor: models.Model | None,
    created: bool,
    note: str,
) -> int:
    """One LogEntry per object: `changes` maps field -> [before, after] (None when created).
    Inside an import the created are one entry (`log_created`); the changed carry the
    import's id."""
    audit = _IMPORT.get()
    if created and audit is not None:
        return log_created(model, [obj.pk for obj, _ in changes], actor=actor, note=note)
    content_type = ContentType.objects.get_for_model(model)
    action = LogEntry.Action.CREATE if created else LogEntry.Action.UPDATE
    now = timezone.now()
    actor_id = actor.pk if actor is not None else None
    extra: dict[str, Any] = {"source": note}
    if audit is not None:
        extra.update({"import": audit.exchange_log, "sheet": audit.sheet})
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
