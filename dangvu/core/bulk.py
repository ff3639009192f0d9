"""Fast bulk inserts for generated data (the demo set), on SQLite and PostgreSQL alike.

`bulk_create` compiles SQL per object; for hundreds of thousands of generated rows an
`executemany` of one prepared INSERT is several times faster. Values still go through
each field's own conversion for the connection, and ids are reserved here (from the
PostgreSQL sequence, as every insert's) so related rows can be inserted right after.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models


def next_ids(model: type[models.Model], count: int) -> list[int]:
    """Reserve `count` new ids of the model, in increasing order. On PostgreSQL they are
    taken from the table's sequence, like every other insert's: two imports at once, or an
    import and a page's single save, never get the same id (a maximum read and counted on
    from would give both the same). SQLite writes one transaction at a time: above the
    rows."""
    if count <= 0:
        return []
    if connection.vendor == "postgresql":
        opts = model._meta
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [opts.db_table, opts.pk.column, count],
            )
            return sorted(row[0] for row in cursor.fetchall())
    last = model._default_manager.aggregate(m=models.Max("pk"))["m"] or 0
    return list(range(last + 1, last + 1 + count))


def insert_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    batch_size: int = 5000,
) -> int:
    """INSERT rows (tuples in `fields` order, the primary key included when given)."""
    opts = model._meta
    columns: list[models.Field[Any, Any]] = []
    for name in fields:
        field = opts.get_field(name)
        assert isinstance(field, models.Field), name
        columns.append(field)
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(opts.db_table),
        ", ".join(quote(str(f.column)) for f in columns),
        ", ".join(["%s"] * len(columns)),
    )
    preparers = [_preparer(f) for f in columns]
    total = 0
    iterator = iter(rows)
    if connection.vendor == "postgresql":
        total = _copy(opts.db_table, [str(f.column) for f in columns], preparers, iterator)
        if opts.pk.name in fields:
            reset_sequences(model)
        return total
    with connection.cursor() as cursor:
        while chunk := list(islice(iterator, batch_size)):
            cursor.executemany(
                sql,
                [
                    tuple(prep(value) for prep, value in zip(preparers, row, strict=True))
                    for row in chunk
                ],
            )
            total += len(chunk)
    if opts.pk.name in fields:
        reset_sequences(model)
    return total


def _copy(
    table: str, columns: list[str], preparers: list[Any], rows: Iterable[Sequence[Any]]
) -> int:
    """PostgreSQL's COPY FROM STDIN: the fastest way in, one round trip for all rows."""
    quote = connection.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    total = 0
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row([prep(value) for prep, value in zip(preparers, row, strict=True)])
            total += 1
    return total


def analyze() -> None:
    """Refresh the PostgreSQL planner's statistics after a bulk load (no-op on SQLite)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _identity(value: Any) -> Any:
    return value


def _preparer(field: models.Field[Any, Any]) -> Any:
    """The cheapest correct conversion of a Python value for this column."""
    if isinstance(field, models.DateTimeField):
        return lambda value: field.get_db_prep_save(value, connection)
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    if isinstance(
        field,
        models.CharField
        | models.TextField
        | models.IntegerField
        | models.BooleanField
        | models.ForeignKey,
    ):
        return _identity
    return lambda value: field.get_db_prep_save(value, connection)


def insert_objects(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Insert unsaved model instances fast (every concrete field), giving them ids."""
    if not objs:
        return
    opts = model._meta
    ids = iter(next_ids(model, len(objs)))
    for obj in objs:
        if obj.pk is None:
            obj.pk = next(ids)
        obj._state.adding = False
    fields = [f for f in opts.concrete_fields]
    insert_rows(
        model,
        [f.name for f in fields],
        ([getattr(obj, f.attname) for f in fields] for obj in objs),
    )


def update_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """UPDATE many rows by primary key: each row is (pk, *values in `fields` order)."""
    opts = model._meta
    quote = connection.ops.quote_name
    columns: list[models.Field[Any, Any]] = []
    for name in fields:
        field = opts.get_field(name)
        assert isinstance(field, models.Field), name
        columns.append(field)
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        quote(opts.db_table),
        ", ".join(f"{quote(str(f.column))} = %s" for f in columns),
        quote(str(opts.pk.column)),
    )
    preparers = [_preparer(f) for f in columns]
    with connection.cursor() as cursor:
        cursor.executemany(
            sql,
            [
                (*(prep(v) for prep, v in zip(preparers, row[1:], strict=True)), row[0])
                for row in rows
            ],
        )


def reset_sequences(*models_: type[models.Model]) -> None:
    """Move each model's sequence past its rows written with ids of their own (copied, or
    the demo's), never back: ids from `next_ids` are behind it already, and another
    transaction may hold later ones it has not committed."""
    if connection.vendor != "postgresql":
        statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in models_:
            opts = model._meta
            cursor.execute(
                "SELECT setval(s.seq, m.top) FROM "
                "(SELECT pg_get_serial_sequence(%s, %s)::regclass AS seq) s, "
                f"(SELECT MAX({quote(str(opts.pk.column))}) AS top FROM {quote(opts.db_table)}) m "
                "WHERE m.top > COALESCE(pg_sequence_last_value(s.seq), 0)",
                [opts.db_table, opts.pk.column],
            )
