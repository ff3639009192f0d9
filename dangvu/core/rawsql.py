"""Hand-written SQL for the few hot paths, read back exactly as the ORM would read it.

On this class of machine the ORM spends a millisecond or more compiling each query; the
quick assessment's token API runs a handful of fixed queries per request, tens of thousands
of times in one burst. `Columns` gives such a query its column list (quoted, table-aliased)
and turns a row into model instances through each field's own converters for the
connection (`from_db_value`, the backend's datetime and boolean converters), so a value
read here is the same Python value the ORM would have produced, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, models

Converter = Callable[[Any, Any, Any], Any]


class _Prepared:
    """A psycopg cursor whose statements are prepared on the server: after the first run on
    a connection PostgreSQL skips parsing and planning them."""

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        if not connection.queries_logged:
            self._cursor.execute(sql, params, prepare=True)
            return
        started = time.monotonic()  # logged like Django's own queries (DEBUG, tests)
        try:
            self._cursor.execute(sql, params, prepare=True)
        finally:
            connection.queries_log.append(
                {"sql": f"{sql} -- {list(params)!r}", "time": f"{time.monotonic() - started:.3f}"}
            )

    def fetchone(self) -> Any:
        return self._cursor.fetchone()

    def fetchall(self) -> list[Any]:
        return list(self._cursor.fetchall())

    @property
    def rowcount(self) -> int:
        return int(self._cursor.rowcount)


@contextmanager
def cursor() -> Iterator[Any]:
    """A cursor for the hot statements. On PostgreSQL, a server-side-binding psycopg
    cursor on Django's own connection (same transaction, same type loaders) with prepared
    statements, its errors wrapped as Django's so a broken connection is dropped at the end
    of the request; elsewhere Django's cursor. (Behind a transaction-pooling PgBouncer,
    prepared statements need its `max_prepared_statements`.)"""
    if connection.vendor != "postgresql":
        with connection.cursor() as django_cursor:
            yield django_cursor
        return
    import psycopg

    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as raw:
        yield _Prepared(raw)


class Columns:
    """The columns of one or more models, each under a table alias."""

    def __init__(self, *parts: tuple[type[models.Model], str, Sequence[str]]) -> None:
        self.parts: list[tuple[type[models.Model], list[models.Field[Any, Any]], str]] = []
        for model, alias, names in parts:
            wanted = set(names)
            fields = [f for f in model._meta.concrete_fields if f.attname in wanted]
            assert len(fields) == len(wanted), f"unknown fields of {model.__name__}: {names}"
            self.parts.append((model, fields, alias))
        self._converters: dict[str, list[tuple[list[Converter], Any]]] = {}

    def sql(self) -> str:
        quote = connection.ops.quote_name
        return ", ".join(
            f"{alias}.{quote(str(field.column))}"
            for _, fields, alias in self.parts
            for field in fields
        )

    def _for_connection(self) -> list[tuple[list[Converter], Any]]:
        vendor = connection.vendor
        if vendor not in self._converters:
            converters = []
            for _, fields, alias in self.parts:
                for field in fields:
                    column = field.get_col(alias)
                    converters.append(
                        (
                            connection.ops.get_db_converters(column)
                            + column.get_db_converters(connection),
                            column,
                        )
                    )
            self._converters[vendor] = converters
        return self._converters[vendor]

    def values(self, row: Sequence[Any]) -> list[Any]:
        out = []
        for value, (converters, column) in zip(row, self._for_connection(), strict=True):
            for convert in converters:
                value = convert(value, column, connection)
            out.append(value)
        return out

    def instances(self, row: Sequence[Any]) -> list[models.Model]:
        """One instance per model; fields not read are deferred, as with `.only()`."""
        values, start, out = self.values(row), 0, []
        for model, fields, _ in self.parts:
            chunk = values[start : start + len(fields)]
            start += len(fields)
            out.append(model.from_db(connection.alias, [f.attname for f in fields], chunk))
        return out


def prep(model: type[models.Model], name: str, value: Any) -> Any:
    """A parameter as the ORM would send it for that field (JSON, datetimes...)."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field.get_db_prep_save(value, connection)


def table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    return connection.ops.quote_name(str(field.column))
