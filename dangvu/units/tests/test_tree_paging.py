"""The tree pages: the administrator's tree costs the same number of queries whatever the
number of provinces, and the sub-units of a unit come a page at a time."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvu.members.models import Gender
from dangvu.members.services import member_create
from dangvu.units import selectors
from dangvu.units.models import UnitKind
from dangvu.units.services import unit_create

FOUNDED = date(2004, 1, 1)
DAY = date(2024, 6, 1)


def _province(n: int) -> None:
    province = unit_create(
        code=f"P{n}",
        name=f"Đảng bộ tỉnh Thử {n}",
        kind=UnitKind.PROVINCE,
        parent=None,
        valid_from=FOUNDED,
    )
    district = unit_create(
        code=f"P{n}.H",
        name=f"Huyện ủy Thử {n}",
        kind=UnitKind.DIRECT,
        parent=province,
        valid_from=FOUNDED,
    )
    cell = unit_create(
        code=f"P{n}.H.C",
        name=f"Chi bộ Thử {n}",
        kind=UnitKind.GRASSROOTS_CELL,
        parent=district,
        valid_from=FOUNDED,
    )
    member_create(
        card_number=f"9900{n:04d}",
        full_name=f"Người Thử {n}",
        birth_date=date(1980, 1, 1),
        gender=Gender.MALE,
        joined_on=date(2010, 1, 1),
        cell=cell,
    )


def _tree_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/to-chuc/?ngay=01/06/2024")
    assert response.status_code == 200
    return len(queries)


def test_the_administrators_tree_costs_the_same_for_more_provinces(world):
    client = world.client("quantri")
    for n in range(2):
        _province(n)
    few = _tree_queries(client)  # the demo world's DN and two more
    for n in range(2, 6):
        _province(n)
    many = _tree_queries(client)
    assert many == few
    page = client.get("/to-chuc/?ngay=01/06/2024").content.decode()
    for n in range(6):
        assert f"Đảng bộ tỉnh Thử {n}" in page
    # Each province opens on demand, its sub-units counted within it.
    opened = client.get("/to-chuc/P3/con/?ngay=01/06/2024").content.decode()
    assert "Huyện ủy Thử 3" in opened and "1 đảng viên" in opened


def test_a_province_officer_sees_her_province_open_with_its_members_counted(world):
    _province(0)
    page = world.client("tochuc").get("/to-chuc/?ngay=01/06/2024").content.decode()
    assert "Đảng bộ tỉnh Thử 0" not in page  # another province: out of her reach
    assert "Huyện ủy Cư Jút" in page  # her province's first page of districts, open


def test_the_roots_come_a_page_at_a_time(world, monkeypatch):
    monkeypatch.setattr(selectors, "ROOTS_PAGE", 2)
    for n in range(3):
        _province(n)
    user = world.users["quantri"]
    first = selectors.tree(user=user, day=DAY, page=1)
    second = selectors.tree(user=user, day=DAY, page=2)
    assert first.page.paginator.num_pages == 2
    names = [b.root.name for b in first.branches + second.branches]
    assert len(names) == 4 and len(set(names)) == 4
    assert all(b.children is None for b in first.branches)


@pytest.mark.parametrize("size", [1, 2])
def test_the_sub_units_come_a_page_at_a_time(world, size):
    dn = world.units["DN"].version_on(DAY)
    user = world.users["tochuc"]
    everything = [v.unit_id for v in selectors.children_of(user=user, version=dn, day=DAY)]
    assert len(everything) == 3
    seen, start = [], 0
    while start is not None:
        found = selectors.children_page(user=user, version=dn, day=DAY, start=start, size=size)
        seen += [v.unit_id for v in found.children]
        start = found.next_start
    assert seen == everything


def test_the_more_button_loads_the_next_sub_units(world, monkeypatch):
    monkeypatch.setattr(selectors, "CHILDREN_PAGE", 2)
    client = world.client("tochuc")
    first = client.get("/to-chuc/DN/con/?ngay=01/06/2024").content.decode()
    assert "Xem thêm đơn vị trực thuộc" in first and "tu=2" in first
    rest = client.get("/to-chuc/DN/con/?ngay=01/06/2024&tu=2").content.decode()
    assert "Huyện ủy Tuy Đức" in rest and "Xem thêm" not in rest and "<ul" not in rest
