"""The `unit_name` filter: a unit as people read it, without a query a row in lists."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvu.conftest import World
from dangvu.core.templatetags.dangvu import unit_name
from dangvu.units.models import Unit

pytestmark = pytest.mark.django_db


def test_it_names_a_unit_on_a_day_with_or_without_prefetched_versions(world: World) -> None:
    plain = Unit.objects.get(code="DN.CUJUT")
    fetched = Unit.objects.prefetch_related("versions").get(code="DN.CUJUT")

    with CaptureQueriesContext(connection) as queries:
        name = unit_name(fetched, date(2020, 1, 1))
    assert name == unit_name(plain, date(2020, 1, 1)) == "Huyện ủy Cư Jút"
    assert len(queries) == 0
    # Before the unit stood: its last name, as without the prefetch.
    assert unit_name(fetched, date(1900, 1, 1)) == unit_name(plain, date(1900, 1, 1))
    assert unit_name(None) == "—"


def test_a_list_reads_each_units_name_without_a_query_a_row(world: World) -> None:
    units = list(Unit.objects.filter(code__startswith="DN.").prefetch_related("versions"))
    with CaptureQueriesContext(connection) as queries:
        names = [unit_name(u) for u in units]
    assert len(queries) == 0 and all(names)
