"""Bulk inserts reserve their ids as every other insert does: never an id another
transaction holds."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connection, connections, transaction

from dangvu.core.bulk import insert_rows, next_ids
from dangvu.core.effective import END_OF_TIME
from dangvu.units.models import Unit


@pytest.mark.django_db(transaction=True)
def test_two_writers_at_once_reserve_different_ids():
    """An import reserves ids while another, not yet committed, holds some: the two must
    differ (counting on from the rows' maximum gave both the same, and a duplicate key at
    the second commit)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite writes one transaction at a time")
    other: list[int] = []

    def second_writer() -> None:
        try:
            with transaction.atomic():
                other.extend(next_ids(Unit, 5))
        finally:
            connections.close_all()

    with transaction.atomic():
        mine = next_ids(Unit, 5)
        thread = threading.Thread(target=second_writer)
        thread.start()
        thread.join()
    assert len(set(mine)) == len(set(other)) == 5
    assert not set(mine) & set(other)


@pytest.mark.django_db(transaction=True)
def test_rows_written_with_reserved_ids_leave_the_sequence_ahead():
    ids = next_ids(Unit, 3)
    rows = [(i, f"U{i}", date(2020, 1, 1), END_OF_TIME) for i in ids]
    insert_rows(Unit, ["id", "code", "founded_on", "dissolved_on"], rows)
    later = Unit.objects.create(code="LATER", founded_on=date(2020, 1, 1))
    assert later.pk > max(ids)
    assert next_ids(Unit, 1)[0] > later.pk
