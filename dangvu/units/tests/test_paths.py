"""Rebuilding materialised paths after versions were written wholesale (an import)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvu.core.effective import END_OF_TIME
from dangvu.units import services
from dangvu.units.models import UnitKind, UnitVersion
from dangvu.units.services.paths import PathProblem, rebuild_paths
from dangvu.units.signals import paths_changed

FOUNDED = date(2004, 1, 1)
BEFORE = date(2020, 12, 31)
DAY = date(2021, 1, 1)

EATLING = "DN.CUJUT.EATLING"
TDP1 = "DN.CUJUT.EATLING.TDP1"
TDP2 = "DN.CUJUT.EATLING.TDP2"
CYCLE = "cấp trên tạo thành vòng lặp (đơn vị trực thuộc chính nó)"


def all_versions() -> list[tuple[object, ...]]:
    return list(
        UnitVersion.objects.order_by("pk").values_list(
            "pk", "unit_id", "name", "kind", "parent_id", "path", "depth", "valid_from", "valid_to"
        )
    )


def history(unit) -> list[tuple[object, ...]]:
    return list(
        unit.versions.order_by("valid_from").values_list(
            "name", "parent_id", "path", "depth", "valid_from", "valid_to"
        )
    )


def codes_under(path: str, day: date) -> set[str]:
    return set(UnitVersion.objects.as_of(day).under(path).values_list("unit__code", flat=True))


def test_it_changes_nothing_when_the_paths_are_right(world):
    versions = all_versions()

    assert rebuild_paths() == []

    assert all_versions() == versions


def test_it_recomputes_paths_and_splits_a_version_where_its_parent_moved(world):
    u = world.units
    eatling, tdp1, cujut, dakmil = u[EATLING], u[TDP1], u["DN.CUJUT"], u["DN.DAKMIL"]
    cujut_path = cujut.version_on(DAY).path
    dakmil_path = dakmil.version_on(DAY).path
    untouched = list(u["DN.DAKMIL.DUCMINH.T1"].versions.values_list("pk", flat=True))
    # What an import writes: Ea T'Ling's history says who its parent was when, no paths.
    eatling.versions.all().delete()
    for start, end, parent in ((FOUNDED, DAY, cujut), (DAY, END_OF_TIME, dakmil)):
        UnitVersion(
            unit=eatling,
            name="Đảng bộ thị trấn Ea T'Ling",
            kind=UnitKind.GRASSROOTS_COMMITTEE,
            parent=parent,
            path="",
            valid_from=start,
            valid_to=end,
        ).save()

    assert rebuild_paths() == []

    assert history(eatling) == [
        ("Đảng bộ thị trấn Ea T'Ling", cujut.pk, f"{cujut_path}{eatling.pk}/", 2, FOUNDED, DAY),
        (
            "Đảng bộ thị trấn Ea T'Ling",
            dakmil.pk,
            f"{dakmil_path}{eatling.pk}/",
            2,
            DAY,
            END_OF_TIME,
        ),
    ]
    assert history(tdp1) == [
        (
            "Chi bộ Tổ dân phố 1",
            eatling.pk,
            f"{cujut_path}{eatling.pk}/{tdp1.pk}/",
            3,
            FOUNDED,
            DAY,
        ),
        (
            "Chi bộ Tổ dân phố 1",
            eatling.pk,
            f"{dakmil_path}{eatling.pk}/{tdp1.pk}/",
            3,
            DAY,
            END_OF_TIME,
        ),
    ]
    assert all(v.name_sort and v.name_search for v in tdp1.versions.all())
    assert codes_under(cujut_path, BEFORE) == {"DN.CUJUT", EATLING, TDP1, TDP2}
    assert codes_under(cujut_path, DAY) == {"DN.CUJUT"}
    assert {EATLING, TDP1, TDP2} <= codes_under(dakmil_path, DAY)
    assert list(u["DN.DAKMIL.DUCMINH.T1"].versions.values_list("pk", flat=True)) == untouched
    assert rebuild_paths() == []


def test_it_keeps_one_version_when_the_parent_only_changed_its_name(world):
    u = world.units
    eatling, tdp1 = u[EATLING], u[TDP1]
    services.unit_rename(unit=eatling, name="Đảng bộ xã Ea T'Ling", effective_on=DAY)
    expected = history(tdp1)
    tdp1.versions.update(path="/sai/", depth=9)

    assert rebuild_paths() == []

    assert history(tdp1) == expected
    assert len(expected) == 1


def test_it_reports_a_parent_that_is_gone_over_part_of_the_interval(world):
    u = world.units
    eapo = services.unit_create(
        code="DN.CUJUT.EAPO",
        name="Đảng bộ xã Ea Pô",
        kind=UnitKind.GRASSROOTS_COMMITTEE,
        parent=u["DN.CUJUT"],
        valid_from=FOUNDED,
    )
    services.unit_dissolve(unit=eapo, effective_on=DAY)
    u[TDP2].versions.update(parent=eapo)
    versions = all_versions()

    problems = rebuild_paths()

    assert problems == [
        PathProblem(
            u[TDP2].pk,
            FOUNDED,
            "đơn vị cấp trên DN.CUJUT.EAPO không tồn tại trong khoảng 01/01/2021 – nay",
        )
    ]
    assert all_versions() == versions


@pytest.mark.no_tallies  # versions replaced by hand, outside the services
def test_it_reports_a_parent_founded_after_the_version_began(world):
    # The interval ends on its last day (31/12/2018), not on the exclusive end (fixed).
    u = world.units
    eapo = services.unit_create(
        code="DN.CUJUT.EAPO",
        name="Đảng bộ xã Ea Pô",
        kind=UnitKind.GRASSROOTS_COMMITTEE,
        parent=u["DN.CUJUT"],
        valid_from=DAY,
    )
    tdp2 = u[TDP2]
    tdp2.versions.all().delete()
    switch = date(2019, 1, 1)
    for start, end, parent in ((FOUNDED, switch, eapo), (switch, END_OF_TIME, u[EATLING])):
        UnitVersion(
            unit=tdp2,
            name="Chi bộ Tổ dân phố 2",
            kind=UnitKind.CELL,
            parent=parent,
            path="",
            valid_from=start,
            valid_to=end,
        ).save()
    versions = all_versions()

    problems = rebuild_paths()

    assert problems == [
        PathProblem(
            tdp2.pk,
            FOUNDED,
            "đơn vị cấp trên DN.CUJUT.EAPO không tồn tại trong khoảng 01/01/2004 – 31/12/2018",
        )
    ]
    assert all_versions() == versions


def test_it_reports_a_cycle(world):
    u = world.units
    u["DN.CUJUT"].versions.update(parent=u[EATLING])
    versions = all_versions()

    problems = rebuild_paths()

    cycles = [p for p in problems if p.reason == CYCLE]
    assert len(cycles) == 1
    assert cycles[0].unit_id in {u["DN.CUJUT"].pk, u[EATLING].pk}
    assert all_versions() == versions


def test_it_reports_a_cell_parent_and_a_root_that_is_not_a_province(world):
    u = world.units
    u[TDP2].versions.update(parent=u[TDP1])
    u["DN.TUYDUC"].versions.update(parent=None)
    versions = all_versions()

    problems = rebuild_paths()

    assert sorted(problems, key=lambda p: p.unit_id) == [
        PathProblem(u[TDP2].pk, FOUNDED, "cấp trên DN.CUJUT.EATLING.TDP1 là chi bộ"),
        PathProblem(u["DN.TUYDUC"].pk, FOUNDED, "chỉ đảng bộ tỉnh mới không có cấp trên"),
    ]
    assert all_versions() == versions


def _other_province(world):
    """A second province beside Đắk Nông, with a district beneath it."""
    lamdong = services.unit_create(
        code="LD",
        name="Đảng bộ tỉnh Lâm Đồng",
        kind=UnitKind.PROVINCE,
        parent=None,
        valid_from=FOUNDED,
    )
    baoloc = services.unit_create(
        code="LD.BAOLOC",
        name="Thành ủy Bảo Lộc",
        kind=UnitKind.DIRECT,
        parent=lamdong,
        valid_from=FOUNDED,
    )
    return lamdong, baoloc


def test_it_rebuilds_the_units_given_and_those_beneath_them_only(world):
    u = world.units
    eatling, cujut, dakmil = u[EATLING], u["DN.CUJUT"], u["DN.DAKMIL"]
    _, baoloc = _other_province(world)
    eatling.versions.all().delete()
    for start, end, parent in ((FOUNDED, DAY, cujut), (DAY, END_OF_TIME, dakmil)):
        UnitVersion(
            unit=eatling,
            name="Đảng bộ thị trấn Ea T'Ling",
            kind=UnitKind.GRASSROOTS_COMMITTEE,
            parent=parent,
            path="",
            valid_from=start,
            valid_to=end,
        ).save()
    # Wrong paths outside the subtree stay wrong: they are not rebuilt.
    baoloc.versions.update(path="/sai/")
    u["DN.TUYDUC"].versions.update(path="/sai/")
    told: list[set[int]] = []

    def listen(sender, *, unit_ids, since, **_):
        told.append(set(unit_ids))

    paths_changed.connect(listen)
    try:
        assert rebuild_paths([eatling.pk]) == []
    finally:
        paths_changed.disconnect(listen)

    dakmil_path = dakmil.version_on(DAY).path
    assert eatling.version_on(DAY).path == f"{dakmil_path}{eatling.pk}/"
    assert u[TDP1].version_on(DAY).path == f"{dakmil_path}{eatling.pk}/{u[TDP1].pk}/"
    assert told == [{eatling.pk, u[TDP1].pk, u[TDP2].pk}]
    assert set(baoloc.versions.values_list("path", flat=True)) == {"/sai/"}
    assert set(u["DN.TUYDUC"].versions.values_list("path", flat=True)) == {"/sai/"}


def test_it_reads_no_unit_outside_the_subtree_it_rebuilds(world):
    u = world.units
    lamdong, baoloc = _other_province(world)
    # A fault only a read of the other province would find.
    baoloc.versions.update(parent=None)
    u[TDP1].versions.update(path="", depth=0)

    with CaptureQueriesContext(connection) as queries:
        problems = rebuild_paths([u[TDP1].pk])

    assert problems == []
    assert u[TDP1].version_on(DAY).path.endswith(f"/{u[EATLING].pk}/{u[TDP1].pk}/")
    # The tree's reads (the tallies, told of the moved paths, read their own tables).
    selects = [
        sql
        for sql in (q["sql"] for q in queries.captured_queries)
        if sql.startswith("SELECT") and 'FROM "units_unit' in sql
    ]
    assert all(" WHERE " in sql for sql in selects)  # no table read whole
    asked = {
        int(key)
        for sql in selects
        for keys in re.findall(r" IN \(([^)]*)\)", sql)
        for key in re.findall(r"\d+", keys)
    }
    assert asked and not asked & {lamdong.pk, baoloc.pk, u["DN.TUYDUC"].pk}
    assert rebuild_paths() == [
        PathProblem(baoloc.pk, FOUNDED, "chỉ đảng bộ tỉnh mới không có cấp trên")
    ]
