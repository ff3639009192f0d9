"""Reads of the tree: always as some user, on some day, within that user's scope."""

from __future__ import annotations

from datetime import date

import pytest
from django.http import Http404

from dangvu.units import selectors, services
from dangvu.units.models import UnitKind

BEFORE = date(2020, 12, 31)
DAY = date(2021, 1, 1)
LATER = date(2022, 1, 1)

EATLING = "DN.CUJUT.EATLING"
TDP1 = "DN.CUJUT.EATLING.TDP1"
TDP2 = "DN.CUJUT.EATLING.TDP2"


def root_codes(world, username: str, day: date) -> list[str]:
    return [v.unit.code for v in selectors.tree_roots(user=world.users[username], day=day)]


def rows(children) -> list[tuple[str, int, int]]:
    return [(c.unit.code, c.member_count, c.child_count) for c in children]


@pytest.mark.parametrize(
    ("username", "roots"),
    [
        ("tochuc", ["DN"]),
        ("tuyengiao", ["DN"]),
        ("mattran", ["DN"]),
        ("quantri", ["DN"]),
        ("huong", ["DN.DAKMIL"]),
        ("hoa", [TDP1]),
        ("kbinh", ["DN.TUYDUC.QUANGTRUC.BP"]),
        ("ybhiong", []),
    ],
)
def test_it_roots_the_tree_where_the_users_reach_begins(world, username, roots):
    assert root_codes(world, username, DAY) == roots


def test_it_roots_todays_roles_on_days_before_they_began(world):
    # A role in force reaches its unit's whole history; a role that has ended, nothing.
    assert root_codes(world, "tochuc", date(2017, 12, 31)) == ["DN"]
    assert root_codes(world, "hoa", date(2017, 12, 31)) == [TDP1]
    assert root_codes(world, "quantri", date(2017, 12, 31)) == ["DN"]
    assert root_codes(world, "tuyduc.cu", date(2024, 6, 1)) == []


def test_it_follows_a_cell_secretary_to_where_her_cell_moved(world):
    u = world.units
    services.unit_move(unit=u[EATLING], new_parent=u["DN.DAKMIL"], effective_on=DAY)

    (before,) = selectors.tree_roots(user=world.users["hoa"], day=BEFORE)
    (after,) = selectors.tree_roots(user=world.users["hoa"], day=DAY)

    assert before.unit == after.unit == u[TDP1]
    assert before.path.startswith(u["DN.CUJUT"].version_on(BEFORE).path)
    assert after.path.startswith(u["DN.DAKMIL"].version_on(DAY).path)


def test_it_lists_children_with_member_and_child_counts(world):
    u = world.units
    tochuc = world.users["tochuc"]

    districts = selectors.children_of(user=tochuc, version=u["DN"].version_on(DAY), day=DAY)
    cells = selectors.children_of(user=tochuc, version=u[EATLING].version_on(DAY), day=DAY)

    assert rows(districts) == [("DN.CUJUT", 5, 1), ("DN.DAKMIL", 2, 2), ("DN.TUYDUC", 2, 1)]
    assert rows(cells) == [(TDP1, 4, 0), (TDP2, 1, 0)]


def test_it_counts_children_as_they_stood_on_the_day(world):
    u = world.units
    tochuc = world.users["tochuc"]
    services.unit_move(unit=u[EATLING], new_parent=u["DN.DAKMIL"], effective_on=DAY)

    before = selectors.children_of(user=tochuc, version=u["DN"].version_on(BEFORE), day=BEFORE)
    after = selectors.children_of(user=tochuc, version=u["DN"].version_on(DAY), day=DAY)

    assert rows(before) == [("DN.CUJUT", 5, 1), ("DN.DAKMIL", 2, 2), ("DN.TUYDUC", 2, 1)]
    assert rows(after) == [("DN.CUJUT", 0, 0), ("DN.DAKMIL", 7, 3), ("DN.TUYDUC", 2, 1)]


def test_it_lists_only_children_within_scope(world):
    u = world.units

    children = selectors.children_of(
        user=world.users["huong"], version=u["DN"].version_on(DAY), day=DAY
    )

    assert rows(children) == [("DN.DAKMIL", 2, 2)]


def test_it_sums_a_unit_page(world):
    tochuc = world.users["tochuc"]

    province = selectors.unit_page(user=tochuc, code="DN", day=DAY)
    commune = selectors.unit_page(user=tochuc, code=EATLING, day=DAY)
    cell = selectors.unit_page(user=tochuc, code=TDP1, day=DAY)

    assert (province.member_total, province.direct_members) == (9, 0)
    assert province.kind_counts == [
        ("Đảng bộ trực thuộc", 3),
        ("Đảng bộ cơ sở", 3),
        ("Chi bộ cơ sở", 1),
        ("Chi bộ trực thuộc", 4),
    ]
    assert (commune.member_total, commune.direct_members, commune.is_cell) == (5, 0, False)
    assert commune.kind_counts == [("Chi bộ trực thuộc", 2)]
    assert rows(commune.children) == [(TDP1, 4, 0), (TDP2, 1, 0)]
    assert (cell.member_total, cell.direct_members, cell.is_cell) == (4, 4, True)


def test_it_shows_the_successor_of_a_merged_unit_on_a_later_day(world):
    u = world.units
    tochuc = world.users["tochuc"]
    services.unit_merge(sources=[u[TDP2]], target=u[TDP1], effective_on=DAY)
    services.unit_rename(unit=u[TDP1], name="Chi bộ Tổ dân phố 1-2", effective_on=LATER)

    gone = selectors.unit_page(user=tochuc, code=TDP2, day=date(2022, 6, 1))
    then = selectors.unit_page(user=tochuc, code=TDP2, day=BEFORE)
    heir = selectors.unit_page(user=tochuc, code=TDP1, day=date(2022, 6, 1))

    assert gone.version is None
    assert gone.latest.name == "Chi bộ Tổ dân phố 2"
    assert gone.children == [] and gone.member_total == 0
    assert [(s.successor, s.effective_on, v.name) for s, v in gone.successors] == [
        (u[TDP1], DAY, "Chi bộ Tổ dân phố 1-2")
    ]
    assert then.version is not None and then.version.name == "Chi bộ Tổ dân phố 2"
    assert then.member_total == 1
    assert [(s.predecessor, v.name) for s, v in heir.predecessors] == [
        (u[TDP2], "Chi bộ Tổ dân phố 2")
    ]
    assert heir.member_total == 5


def test_it_shows_the_successors_of_a_split_unit(world):
    u = world.units
    m = world.members
    parts = services.unit_split(
        unit=u[TDP1],
        parts=[
            services.UnitSpec("DN.CUJUT.EATLING.TDP1A", "Chi bộ Tổ dân phố 1A", UnitKind.CELL),
            services.UnitSpec("DN.CUJUT.EATLING.TDP1B", "Chi bộ Tổ dân phố 1B", UnitKind.CELL),
        ],
        children={},
        members={m["hoa"].pk: 0, m["binh"].pk: 0, m["ybhiong"].pk: 1, m["an"].pk: 1},
        effective_on=DAY,
    )

    page = selectors.unit_page(user=world.users["tochuc"], code=TDP1, day=DAY)

    assert page.version is None
    assert {s.successor for s, _ in page.successors} == set(parts)
    assert [v.name for v in page.history] == ["Chi bộ Tổ dân phố 1"]


@pytest.mark.parametrize(
    ("username", "code", "ancestors"),
    [
        (
            "tochuc",
            TDP1,
            [("DN", True), ("DN.CUJUT", True), (EATLING, True)],
        ),
        (
            "hoa",
            TDP1,
            [("DN", False), ("DN.CUJUT", False), (EATLING, False)],
        ),
        (
            "huong",
            "DN.DAKMIL.DUCMINH.T1",
            [("DN", False), ("DN.DAKMIL", True), ("DN.DAKMIL.DUCMINH", True)],
        ),
    ],
)
def test_it_links_ancestors_only_within_scope(world, username, code, ancestors):
    page = selectors.unit_page(user=world.users[username], code=code, day=DAY)

    assert [(v.unit.code, linkable) for v, linkable in page.ancestors] == ancestors


@pytest.mark.parametrize(
    ("username", "code"),
    [
        ("hoa", EATLING),
        ("hoa", TDP2),
        ("kbinh", TDP1),
        ("huong", "DN.CUJUT"),
        ("ybhiong", TDP1),
    ],
)
def test_it_hides_a_unit_outside_scope(world, username, code):
    with pytest.raises(Http404):
        selectors.unit_page(user=world.users[username], code=code, day=DAY)


def test_it_shows_no_state_on_a_day_outside_the_users_reach(world):
    u = world.units
    services.unit_move(unit=u[EATLING], new_parent=u["DN.DAKMIL"], effective_on=DAY)

    page = selectors.unit_page(user=world.users["huong"], code=TDP1, day=BEFORE)

    assert page.version is None
    assert page.ancestors == [] and page.children == []
