"""Telling units apart when their names collide: after a merger, four "Chi bộ Thôn 1"."""

from __future__ import annotations

import html
from datetime import date

from dangvu.units.labels import labels, with_labels
from dangvu.units.models import UnitKind, UnitVersion
from dangvu.units.services import unit_create, unit_merge

FOUNDED = date(2004, 1, 1)
MERGED = date(2025, 7, 1)
AFTER = date(2025, 8, 1)
DUCMINH = "DN.DAKMIL.DUCMINH"
THUANAN = "DN.DAKMIL.THUANAN"


def cell(world, code: str, name: str, parent: str) -> None:
    world.units[code] = unit_create(
        code=code, name=name, kind=UnitKind.CELL, parent=world.units[parent], valid_from=FOUNDED
    )


def merger(world) -> None:
    """Xã Thuận An, with its own Thôn 1 and Thôn 2, merged into Đức Minh on 01/07/2025."""
    world.units[THUANAN] = unit_create(
        code=THUANAN,
        name="Đảng bộ xã Thuận An",
        kind=UnitKind.GRASSROOTS_COMMITTEE,
        parent=world.units["DN.DAKMIL"],
        valid_from=FOUNDED,
    )
    cell(world, f"{THUANAN}.T1", "Chi bộ Thôn 1", THUANAN)
    cell(world, f"{THUANAN}.T2", "Chi bộ Thôn 2", THUANAN)
    unit_merge(sources=[world.units[THUANAN]], target=world.units[DUCMINH], effective_on=MERGED)


def on(day: date, *codes: str) -> list[UnitVersion]:
    return [UnitVersion.objects.as_of(day).get(unit__code=code) for code in codes]


def test_it_names_units_whose_names_do_not_collide_by_their_name_alone(world):
    versions = on(AFTER, "DN.CUJUT.EATLING.TDP1", "DN.DAKMIL.DUCMINH.T1")
    assert sorted(labels(versions, AFTER).values()) == ["Chi bộ Thôn 1", "Chi bộ Tổ dân phố 1"]


def test_it_adds_the_parent_where_names_collide(world):
    cell(world, "DN.CUJUT.EATLING.T1", "Chi bộ Thôn 1", "DN.CUJUT.EATLING")
    versions = on(AFTER, "DN.DAKMIL.DUCMINH.T1", "DN.CUJUT.EATLING.T1", "DN.CUJUT.EATLING.TDP1")
    assert labels(versions, AFTER) == {
        world.units["DN.DAKMIL.DUCMINH.T1"].pk: "Chi bộ Thôn 1 — Đảng bộ xã Đức Minh",
        world.units["DN.CUJUT.EATLING.T1"].pk: "Chi bộ Thôn 1 — Đảng bộ thị trấn Ea T'Ling",
        world.units["DN.CUJUT.EATLING.TDP1"].pk: "Chi bộ Tổ dân phố 1",
    }


def test_it_climbs_further_while_parents_share_a_name(world):
    for district in ("DN.CUJUT", "DN.TUYDUC"):
        world.units[f"{district}.XA"] = unit_create(
            code=f"{district}.XA",
            name="Đảng bộ xã Tân Lập",
            kind=UnitKind.GRASSROOTS_COMMITTEE,
            parent=world.units[district],
            valid_from=FOUNDED,
        )
        cell(world, f"{district}.XA.T1", "Chi bộ Thôn 1", f"{district}.XA")
    versions = on(AFTER, "DN.CUJUT.XA.T1", "DN.TUYDUC.XA.T1")
    assert sorted(labels(versions, AFTER).values()) == [
        "Chi bộ Thôn 1 — Đảng bộ xã Tân Lập — Huyện ủy Cư Jút",
        "Chi bộ Thôn 1 — Đảng bộ xã Tân Lập — Huyện ủy Tuy Đức",
    ]


def test_it_tells_apart_merged_cells_by_their_former_commune(world):
    merger(world)
    versions = on(AFTER, "DN.DAKMIL.DUCMINH.T1", f"{THUANAN}.T1", f"{THUANAN}.T2")
    assert labels(versions, AFTER) == {
        world.units["DN.DAKMIL.DUCMINH.T1"].pk: "Chi bộ Thôn 1",
        world.units[f"{THUANAN}.T1"].pk: "Chi bộ Thôn 1 (trước thuộc Đảng bộ xã Thuận An)",
        world.units[f"{THUANAN}.T2"].pk: "Chi bộ Thôn 2",
    }
    # The picker always shows the parent; the former commune still tells them apart.
    assert sorted(labels(versions, AFTER, context=1).values()) == [
        "Chi bộ Thôn 1 — Đảng bộ xã Đức Minh",
        "Chi bộ Thôn 1 — Đảng bộ xã Đức Minh (trước thuộc Đảng bộ xã Thuận An)",
        "Chi bộ Thôn 2 — Đảng bộ xã Đức Minh",
    ]


def test_it_falls_back_on_the_code_when_nothing_else_differs(world):
    cell(world, "DN.DAKMIL.DUCMINH.T1B", "Chi bộ Thôn 1", DUCMINH)
    versions = with_labels(on(AFTER, "DN.DAKMIL.DUCMINH.T1", "DN.DAKMIL.DUCMINH.T1B"), AFTER)
    assert sorted(v.label for v in versions) == [
        "Chi bộ Thôn 1 (mã DN.DAKMIL.DUCMINH.T1)",
        "Chi bộ Thôn 1 (mã DN.DAKMIL.DUCMINH.T1B)",
    ]


def test_the_tree_and_the_unit_page_tell_merged_cells_apart(world):
    merger(world)
    client = world.client("tochuc")
    children = html.unescape(
        client.get(f"/to-chuc/{DUCMINH}/con/?ngay=01/08/2025").content.decode()
    )
    detail = html.unescape(client.get(f"/to-chuc/{DUCMINH}/?ngay=01/08/2025").content.decode())
    for page in (children, detail):
        assert ">Chi bộ Thôn 1</a>" in page
        assert ">Chi bộ Thôn 1 (trước thuộc Đảng bộ xã Thuận An)</a>" in page


def test_the_picker_tells_merged_cells_apart(world):
    merger(world)
    response = world.client("tochuc").get("/to-chuc/chon-don-vi/", {"q": "thon 1"})
    page = html.unescape(response.content.decode())
    assert 'data-unit-label="Chi bộ Thôn 1 — Đảng bộ xã Đức Minh"' in page
    assert (
        'data-unit-label="Chi bộ Thôn 1 — Đảng bộ xã Đức Minh (trước thuộc Đảng bộ xã Thuận An)"'
        in page
    )
