"""The reorganisation services: every change to the tree, effective from a date."""

from __future__ import annotations

from datetime import date

import pytest

from dangvu.core.effective import END_OF_TIME
from dangvu.core.errors import DomainError
from dangvu.members.models import Membership, MembershipReason
from dangvu.members.services import member_leave, member_transfer
from dangvu.units import services
from dangvu.units.models import (
    Reorganisation,
    ReorganisationKind,
    Unit,
    UnitKind,
    UnitSuccession,
    UnitVersion,
)
from dangvu.units.selectors import member_counts
from dangvu.units.services import UnitSpec

FOUNDED = date(2004, 1, 1)
BEFORE = date(2020, 12, 31)
DAY = date(2021, 1, 1)
LATER = date(2022, 1, 1)

EATLING = "DN.CUJUT.EATLING"
TDP1 = "DN.CUJUT.EATLING.TDP1"
TDP2 = "DN.CUJUT.EATLING.TDP2"
EATLING_NAME = "Đảng bộ thị trấn Ea T'Ling"


def tree_state() -> tuple[object, ...]:
    """Every row a reorganisation may touch, to show that a refused one touched none."""
    return (
        list(Unit.objects.order_by("pk").values_list("pk", "code", "founded_on", "dissolved_on")),
        list(
            UnitVersion.objects.order_by("pk").values_list(
                "pk",
                "unit_id",
                "name",
                "kind",
                "parent_id",
                "path",
                "depth",
                "valid_from",
                "valid_to",
            )
        ),
        list(
            Membership.objects.order_by("pk").values_list(
                "pk", "member_id", "unit_id", "valid_from", "valid_to", "reason_in", "reason_out"
            )
        ),
        Reorganisation.objects.count(),
        UnitSuccession.objects.count(),
    )


def member_ids(unit: Unit, day: date) -> set[int]:
    return set(Membership.objects.as_of(day).filter(unit=unit).values_list("member_id", flat=True))


def ids(world, *keys: str) -> set[int]:
    return {world.members[key].pk for key in keys}


def codes_under(path: str, day: date) -> set[str]:
    return set(UnitVersion.objects.as_of(day).under(path).values_list("unit__code", flat=True))


def district_counts(world, day: date) -> dict[str, int]:
    root = world.units["DN"].version_on(day)
    districts = list(UnitVersion.objects.as_of(day).filter(parent=world.units["DN"]))
    counts = member_counts(districts, day, within=root.path)
    return {v.unit.code: counts[v.unit_id] for v in districts}


def refused(call, message: str, **kwargs: object) -> None:
    """Run a service that must refuse with exactly `message`, changing nothing."""
    state = tree_state()
    with pytest.raises(DomainError) as error:
        call(**kwargs)
    assert error.value.message == message
    assert tree_state() == state


# -- unit_create ------------------------------------------------------------------------


def test_it_founds_a_unit_under_its_parent_from_the_date(world):
    eatling = world.units[EATLING]
    unit = services.unit_create(
        code="DN.CUJUT.EATLING.TDP3",
        name="Chi bộ Tổ dân phố 3",
        kind=UnitKind.CELL,
        parent=eatling,
        valid_from=DAY,
        actor=world.users["tochuc"],
        decision="12-QĐ/ĐU",
    )

    version = unit.versions.get()
    assert version.path == f"{eatling.version_on(DAY).path}{unit.pk}/"
    assert (version.depth, version.parent_id, version.kind) == (3, eatling.pk, UnitKind.CELL)
    assert (version.valid_from, version.valid_to) == (DAY, END_OF_TIME)
    assert unit.founded_on == DAY and not unit.is_dissolved
    assert unit.version_on(BEFORE) is None
    event = Reorganisation.objects.get(units=unit)
    assert (event.kind, event.effective_on, event.decision, event.created_by) == (
        ReorganisationKind.CREATE,
        DAY,
        "12-QĐ/ĐU",
        world.users["tochuc"],
    )


def test_it_tidies_the_code_and_the_name(world):
    unit = services.unit_create(
        code="  DN.CUJUT.CQ_1-a ",
        name="  Chi  bộ\tCơ quan   Huyện ủy ",
        kind=UnitKind.GRASSROOTS_CELL,
        parent=world.units["DN.CUJUT"],
        valid_from=DAY,
    )

    assert unit.code == "DN.CUJUT.CQ_1-a"
    assert unit.versions.get().name == "Chi bộ Cơ quan Huyện ủy"


@pytest.mark.parametrize("code", ["", "   ", "DN CUJUT", "DN.ĐỨCMINH", "DN/1", "DN,2"])
def test_it_refuses_an_invalid_code(world, code):
    refused(
        services.unit_create,
        services.CODE_INVALID,
        code=code,
        name="Chi bộ mới",
        kind=UnitKind.CELL,
        parent=world.units[EATLING],
        valid_from=DAY,
    )


def test_it_refuses_an_empty_name(world):
    refused(
        services.unit_create,
        services.NAME_REQUIRED,
        code="DN.CUJUT.MOI",
        name="  \t ",
        kind=UnitKind.GRASSROOTS_COMMITTEE,
        parent=world.units["DN.CUJUT"],
        valid_from=DAY,
    )


def test_it_refuses_a_code_already_used(world):
    refused(
        services.unit_create,
        services.CODE_TAKEN.format(code="DN.CUJUT"),
        code=" DN.CUJUT ",
        name="Huyện ủy Cư Jút mới",
        kind=UnitKind.DIRECT,
        parent=world.units["DN"],
        valid_from=DAY,
    )


def test_it_refuses_a_parent_that_does_not_exist_on_the_date(world):
    refused(
        services.unit_create,
        services.NOT_ACTIVE.format(name=EATLING, day="31/12/2003"),
        code="DN.CUJUT.EATLING.TDP3",
        name="Chi bộ Tổ dân phố 3",
        kind=UnitKind.CELL,
        parent=world.units[EATLING],
        valid_from=date(2003, 12, 31),
    )

    gone = services.unit_create(
        code="DN.CUJUT.EAPO",
        name="Đảng bộ xã Ea Pô",
        kind=UnitKind.GRASSROOTS_COMMITTEE,
        parent=world.units["DN.CUJUT"],
        valid_from=FOUNDED,
    )
    services.unit_dissolve(unit=gone, effective_on=DAY)
    refused(
        services.unit_create,
        services.NOT_ACTIVE.format(name="DN.CUJUT.EAPO", day="01/01/2021"),
        code="DN.CUJUT.EAPO.T1",
        name="Chi bộ Thôn 1",
        kind=UnitKind.CELL,
        parent=gone,
        valid_from=DAY,
    )


@pytest.mark.parametrize(
    ("parent", "name"),
    [(TDP1, "Chi bộ Tổ dân phố 1"), ("DN.DAKMIL.UBKT", "Chi bộ Cơ quan Ủy ban Kiểm tra")],
)
def test_it_refuses_a_sub_unit_under_a_cell(world, parent, name):
    refused(
        services.unit_create,
        services.PARENT_IS_CELL.format(name=name),
        code=f"{parent}.TO1",
        name="Tổ đảng 1",
        kind=UnitKind.CELL,
        parent=world.units[parent],
        valid_from=DAY,
    )


@pytest.mark.parametrize("kind", [k for k in UnitKind.values if k != UnitKind.PROVINCE])
def test_it_lets_only_a_province_stand_without_a_parent(world, kind):
    refused(
        services.unit_create,
        services.ROOT_NEEDS_KIND,
        code="LD",
        name="Đảng bộ Lâm Đồng",
        kind=kind,
        parent=None,
        valid_from=DAY,
    )


def test_it_founds_a_province_at_the_root(world):
    unit = services.unit_create(
        code="LD", name="Đảng bộ tỉnh Lâm Đồng", kind=UnitKind.PROVINCE, parent=None, valid_from=DAY
    )

    version = unit.versions.get()
    assert (version.path, version.depth, version.parent_id) == (f"/{unit.pk}/", 0, None)


# -- unit_rename ------------------------------------------------------------------------


def test_it_renames_from_the_date_and_keeps_the_old_name_before(world):
    eatling = world.units[EATLING]
    path = eatling.version_on(DAY).path

    version = services.unit_rename(unit=eatling, name="Đảng bộ xã Ea T'Ling", effective_on=DAY)

    assert version.name == "Đảng bộ xã Ea T'Ling"
    assert UnitVersion.objects.as_of(BEFORE).get(unit=eatling).name == EATLING_NAME
    assert UnitVersion.objects.as_of(DAY).get(unit=eatling).name == "Đảng bộ xã Ea T'Ling"
    history = eatling.versions.order_by("valid_from").values_list(
        "name", "kind", "path", "valid_from", "valid_to"
    )
    assert list(history) == [
        (EATLING_NAME, UnitKind.GRASSROOTS_COMMITTEE, path, FOUNDED, DAY),
        ("Đảng bộ xã Ea T'Ling", UnitKind.GRASSROOTS_COMMITTEE, path, DAY, END_OF_TIME),
    ]
    assert world.units[TDP1].versions.count() == 1
    assert eatling.reorganisations.filter(kind=ReorganisationKind.RENAME, effective_on=DAY).exists()


def test_it_edits_a_second_change_on_the_same_day_in_place(world):
    eatling = world.units[EATLING]

    services.unit_rename(unit=eatling, name="Đảng bộ xã Ea T'Linh", effective_on=DAY)
    services.unit_rename(unit=eatling, name="Đảng bộ xã Ea T'Ling", effective_on=DAY)

    history = eatling.versions.order_by("valid_from").values_list("name", "valid_from", "valid_to")
    assert list(history) == [
        (EATLING_NAME, FOUNDED, DAY),
        ("Đảng bộ xã Ea T'Ling", DAY, END_OF_TIME),
    ]
    assert eatling.reorganisations.filter(kind=ReorganisationKind.RENAME).count() == 2


def test_it_changes_the_kind_with_the_name(world):
    eatling = world.units[EATLING]

    services.unit_rename(
        unit=eatling, name=EATLING_NAME, kind=UnitKind.PARTIAL_COMMITTEE, effective_on=DAY
    )

    assert eatling.version_on(BEFORE).kind == UnitKind.GRASSROOTS_COMMITTEE
    assert eatling.version_on(DAY).kind == UnitKind.PARTIAL_COMMITTEE


def test_it_refuses_to_make_a_cell_with_members_a_committee(world):
    refused(
        services.unit_rename,
        services.KIND_WITH_MEMBERS.format(name="Chi bộ Tổ dân phố 1"),
        unit=world.units[TDP1],
        name="Đảng bộ bộ phận Tổ dân phố 1",
        kind=UnitKind.PARTIAL_COMMITTEE,
        effective_on=DAY,
    )


def test_it_makes_a_cell_a_committee_once_its_members_have_gone(world):
    tdp2 = world.units[TDP2]
    member_transfer(
        member=world.members["anh"], to_cell=world.units[TDP1], effective_on=date(2020, 6, 1)
    )

    services.unit_rename(
        unit=tdp2,
        name="Đảng bộ bộ phận Tổ dân phố 2",
        kind=UnitKind.PARTIAL_COMMITTEE,
        effective_on=DAY,
    )

    assert tdp2.version_on(BEFORE).kind == UnitKind.CELL
    assert tdp2.version_on(DAY).kind == UnitKind.PARTIAL_COMMITTEE


@pytest.mark.parametrize("kind", [UnitKind.CELL, UnitKind.GRASSROOTS_CELL])
def test_it_refuses_to_make_a_committee_with_sub_units_a_cell(world, kind):
    refused(
        services.unit_rename,
        services.KIND_WITH_CHILDREN.format(name=EATLING_NAME),
        unit=world.units[EATLING],
        name="Chi bộ thị trấn Ea T'Ling",
        kind=kind,
        effective_on=DAY,
    )


def test_it_refuses_a_change_dated_before_a_later_recorded_change(world):
    eatling = world.units[EATLING]
    services.unit_rename(unit=eatling, name="Đảng bộ xã Ea T'Ling", effective_on=LATER)
    message = services.LATER_CHANGE.format(name=EATLING_NAME, later="01/01/2022")

    refused(services.unit_rename, message, unit=eatling, name="Tên khác", effective_on=DAY)
    refused(
        services.unit_move,
        message,
        unit=eatling,
        new_parent=world.units["DN.DAKMIL"],
        effective_on=DAY,
    )

    services.unit_rename(unit=eatling, name="Đảng bộ xã Ea Tling", effective_on=date(2023, 1, 1))
    assert eatling.versions.count() == 3


def test_it_refuses_a_rename_before_the_unit_existed(world):
    refused(
        services.unit_rename,
        services.NOT_ACTIVE.format(name=EATLING, day="01/01/2003"),
        unit=world.units[EATLING],
        name="Tên khác",
        effective_on=date(2003, 1, 1),
    )


def test_it_refuses_an_empty_new_name(world):
    refused(
        services.unit_rename,
        services.NAME_REQUIRED,
        unit=world.units[EATLING],
        name="   ",
        effective_on=DAY,
    )


# -- unit_move --------------------------------------------------------------------------


def test_it_moves_the_whole_subtree_from_the_date(world):
    u = world.units
    eatling, tdp1, dakmil = u[EATLING], u[TDP1], u["DN.DAKMIL"]
    cujut_path = u["DN.CUJUT"].version_on(DAY).path
    dakmil_path = dakmil.version_on(DAY).path
    moved = {EATLING, TDP1, TDP2}
    dakmil_before = {"DN.DAKMIL", "DN.DAKMIL.UBKT", "DN.DAKMIL.DUCMINH", "DN.DAKMIL.DUCMINH.T1"}

    services.unit_move(
        unit=eatling, new_parent=dakmil, effective_on=DAY, actor=world.users["tochuc"]
    )

    assert codes_under(cujut_path, BEFORE) == {"DN.CUJUT", *moved}
    assert codes_under(cujut_path, DAY) == {"DN.CUJUT"}
    assert codes_under(dakmil_path, BEFORE) == dakmil_before
    assert codes_under(dakmil_path, DAY) == dakmil_before | moved
    assert tdp1.version_on(BEFORE).path == f"{cujut_path}{eatling.pk}/{tdp1.pk}/"
    assert tdp1.version_on(DAY).path == f"{dakmil_path}{eatling.pk}/{tdp1.pk}/"
    assert tdp1.version_on(DAY).parent_id == eatling.pk
    assert tdp1.version_on(DAY).depth == 3
    assert eatling.version_on(BEFORE).parent_id == u["DN.CUJUT"].pk
    assert eatling.version_on(DAY).parent_id == dakmil.pk
    assert eatling.version_on(DAY).name == EATLING_NAME
    event = Reorganisation.objects.get(kind=ReorganisationKind.MOVE)
    assert set(event.units.all()) == {eatling, dakmil}
    assert event.created_by == world.users["tochuc"]


def test_it_shifts_the_depth_when_moving_to_another_level(world):
    u = world.units
    ducminh, t1 = u["DN.DAKMIL.DUCMINH"], u["DN.DAKMIL.DUCMINH.T1"]
    root_path = u["DN"].version_on(DAY).path

    services.unit_move(unit=ducminh, new_parent=u["DN"], effective_on=DAY)

    assert (ducminh.version_on(DAY).path, ducminh.version_on(DAY).depth) == (
        f"{root_path}{ducminh.pk}/",
        1,
    )
    assert (t1.version_on(DAY).path, t1.version_on(DAY).depth) == (
        f"{root_path}{ducminh.pk}/{t1.pk}/",
        2,
    )
    assert t1.version_on(BEFORE).depth == 3


def test_it_moves_a_unit_founded_on_the_same_day_along(world):
    u = world.units
    tdp3 = services.unit_create(
        code="DN.CUJUT.EATLING.TDP3",
        name="Chi bộ Tổ dân phố 3",
        kind=UnitKind.CELL,
        parent=u[EATLING],
        valid_from=DAY,
    )

    services.unit_move(unit=u[EATLING], new_parent=u["DN.DAKMIL"], effective_on=DAY)

    version = tdp3.versions.get()
    assert version.path == f"{u[EATLING].version_on(DAY).path}{tdp3.pk}/"
    assert version.path.startswith(u["DN.DAKMIL"].version_on(DAY).path)


@pytest.mark.parametrize("new_parent", ["DN.CUJUT", EATLING, TDP1])
def test_it_refuses_to_move_a_unit_into_its_own_subtree(world, new_parent):
    refused(
        services.unit_move,
        services.MOVE_INTO_ITSELF.format(name="Huyện ủy Cư Jút"),
        unit=world.units["DN.CUJUT"],
        new_parent=world.units[new_parent],
        effective_on=DAY,
    )


def test_it_refuses_the_parent_a_unit_already_has(world):
    refused(
        services.unit_move,
        services.SAME_PARENT.format(name=EATLING_NAME, parent="Huyện ủy Cư Jút"),
        unit=world.units[EATLING],
        new_parent=world.units["DN.CUJUT"],
        effective_on=DAY,
    )


def test_it_refuses_a_cell_as_the_new_parent(world):
    refused(
        services.unit_move,
        services.PARENT_IS_CELL.format(name="Chi bộ Thôn 1"),
        unit=world.units[TDP2],
        new_parent=world.units["DN.DAKMIL.DUCMINH.T1"],
        effective_on=DAY,
    )


def test_it_refuses_a_new_parent_that_does_not_exist_on_the_date(world):
    lamdong = services.unit_create(
        code="LD",
        name="Đảng bộ tỉnh Lâm Đồng",
        kind=UnitKind.PROVINCE,
        parent=None,
        valid_from=LATER,
    )

    refused(
        services.unit_move,
        services.NOT_ACTIVE.format(name="LD", day="01/01/2021"),
        unit=world.units["DN.CUJUT"],
        new_parent=lamdong,
        effective_on=DAY,
    )


def test_it_counts_members_of_moved_cells_under_their_new_parent(world):
    u = world.units
    before = {"DN.CUJUT": 5, "DN.DAKMIL": 2, "DN.TUYDUC": 2}

    services.unit_move(unit=u[EATLING], new_parent=u["DN.DAKMIL"], effective_on=DAY)

    assert district_counts(world, BEFORE) == before
    assert district_counts(world, DAY) == {"DN.CUJUT": 0, "DN.DAKMIL": 7, "DN.TUYDUC": 2}
    eatling = u[EATLING].version_on(DAY)
    within = u["DN.DAKMIL"].version_on(DAY).path
    assert member_counts([eatling], DAY, within=within) == {eatling.unit_id: 5}


def test_it_refuses_a_move_when_a_sub_unit_changes_later(world):
    u = world.units
    services.unit_rename(unit=u[TDP1], name="Chi bộ Tổ dân phố Một", effective_on=LATER)

    refused(
        services.unit_move,
        services.LATER_CHANGE.format(name="Chi bộ Tổ dân phố 1", later="01/01/2022"),
        unit=u[EATLING],
        new_parent=u["DN.DAKMIL"],
        effective_on=DAY,
    )


def test_it_refuses_a_move_when_a_sub_unit_founded_that_day_changes_later(world):
    # Bug fixed in services._reparent: a sub-unit whose version starts on the day was
    # re-pathed in place even when it had a later version, which kept the old path.
    u = world.units
    tdp3 = services.unit_create(
        code="DN.CUJUT.EATLING.TDP3",
        name="Chi bộ Tổ dân phố 3",
        kind=UnitKind.CELL,
        parent=u[EATLING],
        valid_from=DAY,
    )
    services.unit_rename(unit=tdp3, name="Chi bộ Tổ dân phố Ba", effective_on=LATER)

    refused(
        services.unit_move,
        services.LATER_CHANGE.format(name="Chi bộ Tổ dân phố 3", later="01/01/2022"),
        unit=u[EATLING],
        new_parent=u["DN.DAKMIL"],
        effective_on=DAY,
    )


def test_it_refuses_a_move_when_a_sub_unit_is_founded_later(world):
    # Bug fixed in services._reparent: a unit founded inside the subtree after the day
    # kept the old path, so it fell out of the moved subtree.
    u = world.units
    services.unit_create(
        code="DN.CUJUT.EATLING.TDP3",
        name="Chi bộ Tổ dân phố 3",
        kind=UnitKind.CELL,
        parent=u[EATLING],
        valid_from=LATER,
    )

    refused(
        services.unit_move,
        services.LATER_CHANGE.format(name=EATLING_NAME, later="01/01/2022"),
        unit=u[EATLING],
        new_parent=u["DN.DAKMIL"],
        effective_on=DAY,
    )


def test_it_refuses_moving_a_unit_founded_that_day_when_a_sub_unit_is_founded_later(world):
    u = world.units
    eapo = services.unit_create(
        code="DN.CUJUT.EAPO",
        name="Đảng bộ xã Ea Pô",
        kind=UnitKind.GRASSROOTS_COMMITTEE,
        parent=u["DN.CUJUT"],
        valid_from=DAY,
    )
    services.unit_create(
        code="DN.CUJUT.EAPO.T1",
        name="Chi bộ Thôn 1",
        kind=UnitKind.CELL,
        parent=eapo,
        valid_from=LATER,
    )

    refused(
        services.unit_move,
        services.LATER_CHANGE.format(name="Đảng bộ xã Ea Pô", later="01/01/2022"),
        unit=eapo,
        new_parent=u["DN.DAKMIL"],
        effective_on=DAY,
    )


# -- unit_merge -------------------------------------------------------------------------


def test_it_merges_a_cell_into_another_from_the_date(world):
    u = world.units
    tdp1, tdp2 = u[TDP1], u[TDP2]
    anh = world.members["anh"]

    services.unit_merge(
        sources=[tdp2], target=tdp1, effective_on=DAY, actor=world.users["tochuc"], decision="5-NQ"
    )

    tdp2.refresh_from_db()
    assert tdp2.dissolved_on == DAY and tdp2.is_dissolved
    assert tdp2.version_on(DAY) is None
    assert not tdp2.versions.filter(valid_to__gt=DAY).exists()
    assert member_ids(tdp2, BEFORE) == ids(world, "anh")
    assert member_ids(tdp2, DAY) == set()
    assert member_ids(tdp1, BEFORE) == ids(world, "hoa", "ybhiong", "binh", "an")
    assert member_ids(tdp1, DAY) == ids(world, "hoa", "ybhiong", "binh", "an", "anh")
    history = Membership.objects.filter(member=anh).order_by("valid_from")
    assert list(history.values_list("unit_id", "valid_to", "reason_in", "reason_out")) == [
        (tdp2.pk, DAY, MembershipReason.JOINED, MembershipReason.REORGANISED),
        (tdp1.pk, END_OF_TIME, MembershipReason.REORGANISED, ""),
    ]
    succession = UnitSuccession.objects.get()
    assert (succession.predecessor, succession.successor, succession.effective_on) == (
        tdp2,
        tdp1,
        DAY,
    )
    assert succession.reorganisation.kind == ReorganisationKind.MERGE
    assert set(succession.reorganisation.units.all()) == {tdp1, tdp2}
    assert tdp1.versions.count() == 1


def test_it_hands_sub_units_and_members_of_committees_to_the_target(world):
    u = world.units
    cujut, tuyduc, dakmil = u["DN.CUJUT"], u["DN.TUYDUC"], u["DN.DAKMIL"]
    cujut_path = cujut.version_on(DAY).path
    tuyduc_path = tuyduc.version_on(DAY).path
    dakmil_path = dakmil.version_on(DAY).path

    services.unit_merge(sources=[cujut, tuyduc], target=dakmil, effective_on=DAY)

    assert codes_under(cujut_path, BEFORE) == {"DN.CUJUT", EATLING, TDP1, TDP2}
    assert codes_under(tuyduc_path, BEFORE) == {
        "DN.TUYDUC",
        "DN.TUYDUC.QUANGTRUC",
        "DN.TUYDUC.QUANGTRUC.BP",
    }
    assert codes_under(cujut_path, DAY) == set()
    assert codes_under(dakmil_path, DAY) == {
        "DN.DAKMIL",
        "DN.DAKMIL.UBKT",
        "DN.DAKMIL.DUCMINH",
        "DN.DAKMIL.DUCMINH.T1",
        EATLING,
        TDP1,
        TDP2,
        "DN.TUYDUC.QUANGTRUC",
        "DN.TUYDUC.QUANGTRUC.BP",
    }
    assert u[EATLING].version_on(DAY).parent_id == dakmil.pk
    assert district_counts(world, BEFORE) == {"DN.CUJUT": 5, "DN.DAKMIL": 2, "DN.TUYDUC": 2}
    assert district_counts(world, DAY) == {"DN.DAKMIL": 9}
    assert member_ids(u[TDP1], DAY) == ids(world, "hoa", "ybhiong", "binh", "an")
    assert Unit.objects.filter(dissolved_on=DAY).count() == 2
    successions = UnitSuccession.objects.values_list("predecessor", "successor", "effective_on")
    assert set(successions) == {(cujut.pk, dakmil.pk, DAY), (tuyduc.pk, dakmil.pk, DAY)}


def test_it_keeps_a_later_departure_when_carrying_members_over(world):
    u = world.units
    anh = world.members["anh"]
    member_leave(member=anh, left_on=LATER)

    services.unit_merge(sources=[u[TDP2]], target=u[TDP1], effective_on=DAY)

    carried = Membership.objects.get(member=anh, unit=u[TDP1])
    assert (carried.valid_from, carried.valid_to) == (DAY, LATER)
    assert (carried.reason_in, carried.reason_out) == (
        MembershipReason.REORGANISED,
        MembershipReason.LEFT,
    )
    assert anh.pk in member_ids(u[TDP1], date(2021, 6, 1))
    assert anh.pk not in member_ids(u[TDP1], LATER)


def test_it_carries_over_a_membership_starting_on_the_day_in_place(world):
    u = world.units
    cuong = world.members["cuong"]
    member_transfer(member=cuong, to_cell=u[TDP2], effective_on=DAY)

    services.unit_merge(sources=[u[TDP2]], target=u[TDP1], effective_on=DAY)

    history = Membership.objects.filter(member=cuong).order_by("valid_from")
    assert list(history.values_list("unit__code", "valid_from", "valid_to", "reason_in")) == [
        ("DN.DAKMIL.DUCMINH.T1", date(2005, 3, 3), DAY, MembershipReason.JOINED),
        (TDP1, DAY, END_OF_TIME, MembershipReason.TRANSFER),
    ]


def test_it_refuses_to_merge_members_into_a_unit_that_is_not_a_cell(world):
    refused(
        services.unit_merge,
        services.MERGE_MEMBERS_TO_NON_CELL.format(
            name="Chi bộ Tổ dân phố 2", count=1, target=EATLING_NAME
        ),
        sources=[world.units[TDP2]],
        target=world.units[EATLING],
        effective_on=DAY,
    )


def test_it_changes_nothing_when_a_later_source_is_refused(world):
    u = world.units
    refused(
        services.unit_merge,
        services.MERGE_MEMBERS_TO_NON_CELL.format(
            name="Chi bộ Cơ quan Ủy ban Kiểm tra", count=1, target="Đảng bộ xã Đức Minh"
        ),
        sources=[u["DN.TUYDUC.QUANGTRUC"], u["DN.DAKMIL.UBKT"]],
        target=u["DN.DAKMIL.DUCMINH"],
        effective_on=DAY,
    )


def test_it_refuses_to_merge_sub_units_into_a_cell(world):
    # Bug fixed in services._empty_source: the sub-units of a merged committee were
    # placed under a cell target.
    refused(
        services.unit_merge,
        services.PARENT_IS_CELL.format(name="Chi bộ Cơ quan Ủy ban Kiểm tra"),
        sources=[world.units["DN.DAKMIL.DUCMINH"]],
        target=world.units["DN.DAKMIL.UBKT"],
        effective_on=DAY,
    )


def test_it_refuses_to_merge_a_unit_into_its_own_subtree(world):
    refused(
        services.unit_merge,
        services.MOVE_INTO_ITSELF.format(name=EATLING_NAME),
        sources=[world.units[EATLING]],
        target=world.units[TDP1],
        effective_on=DAY,
    )


@pytest.mark.parametrize("sources", [[], [TDP1]])
def test_it_needs_a_unit_to_merge(world, sources):
    refused(
        services.unit_merge,
        services.MERGE_NEEDS_SOURCES,
        sources=[world.units[code] for code in sources],
        target=world.units[TDP1],
        effective_on=DAY,
    )


def test_it_refuses_to_end_a_unit_that_a_member_joins_later(world):
    # Bug fixed in services._close: the later membership was left in the ended unit.
    u = world.units
    member_transfer(member=world.members["cuong"], to_cell=u[TDP2], effective_on=LATER)

    refused(
        services.unit_merge,
        services.LATER_CHANGE.format(name="Chi bộ Tổ dân phố 2", later="01/01/2022"),
        sources=[u[TDP2]],
        target=u[TDP1],
        effective_on=DAY,
    )


# -- unit_split -------------------------------------------------------------------------


def cell(code: str, name: str, kind: str = UnitKind.CELL) -> UnitSpec:
    return UnitSpec(code=code, name=name, kind=kind)


def test_it_splits_a_cell_into_two_new_cells(world):
    u = world.units
    tdp1 = u[TDP1]
    m = world.members

    parts = services.unit_split(
        unit=tdp1,
        parts=[
            cell("DN.CUJUT.EATLING.TDP1A", "Chi bộ Tổ dân phố 1A"),
            cell("DN.CUJUT.EATLING.TDP1B", "Chi bộ Tổ dân phố 1B"),
        ],
        children={},
        members={m["hoa"].pk: 0, m["binh"].pk: 0, m["ybhiong"].pk: 1, m["an"].pk: 1},
        effective_on=DAY,
        actor=world.users["tochuc"],
    )

    first, second = parts
    assert [p.code for p in parts] == ["DN.CUJUT.EATLING.TDP1A", "DN.CUJUT.EATLING.TDP1B"]
    assert member_ids(first, DAY) == ids(world, "hoa", "binh")
    assert member_ids(second, DAY) == ids(world, "ybhiong", "an")
    assert member_ids(tdp1, BEFORE) == ids(world, "hoa", "ybhiong", "binh", "an")
    assert member_ids(tdp1, DAY) == set()
    for part in parts:
        version = part.versions.get()
        assert (version.parent_id, version.valid_from, version.kind) == (
            u[EATLING].pk,
            DAY,
            UnitKind.CELL,
        )
        assert part.version_on(BEFORE) is None
    tdp1.refresh_from_db()
    assert tdp1.dissolved_on == DAY
    assert tdp1.version_on(DAY) is None
    successions = UnitSuccession.objects.values_list(
        "predecessor", "successor", "effective_on", "reorganisation__kind"
    )
    assert set(successions) == {
        (tdp1.pk, first.pk, DAY, ReorganisationKind.SPLIT),
        (tdp1.pk, second.pk, DAY, ReorganisationKind.SPLIT),
    }


def test_it_splits_a_committee_assigning_its_sub_units(world):
    u = world.units
    cujut_path = u["DN.CUJUT"].version_on(DAY).path

    first, second = services.unit_split(
        unit=u[EATLING],
        parts=[
            cell("DN.CUJUT.EATLING.BAC", "Đảng bộ Ea T'Ling Bắc", UnitKind.GRASSROOTS_COMMITTEE),
            cell("DN.CUJUT.EATLING.NAM", "Đảng bộ Ea T'Ling Nam", UnitKind.GRASSROOTS_COMMITTEE),
        ],
        children={u[TDP1].pk: 0, u[TDP2].pk: 1},
        members={},
        effective_on=DAY,
    )

    first_path = first.version_on(DAY).path
    second_path = second.version_on(DAY).path
    assert first_path.startswith(cujut_path) and second_path.startswith(cujut_path)
    assert codes_under(first_path, DAY) == {"DN.CUJUT.EATLING.BAC", TDP1}
    assert codes_under(second_path, DAY) == {"DN.CUJUT.EATLING.NAM", TDP2}
    assert u[TDP1].version_on(DAY).parent_id == first.pk
    assert u[TDP1].version_on(BEFORE).parent_id == u[EATLING].pk
    versions = [first.version_on(DAY), second.version_on(DAY)]
    assert member_counts(versions, DAY, within=cujut_path) == {first.pk: 4, second.pk: 1}
    assert codes_under(u[EATLING].version_on(BEFORE).path, BEFORE) == {EATLING, TDP1, TDP2}


def test_it_refuses_to_leave_members_unassigned(world):
    m = world.members
    state = tree_state()

    with pytest.raises(DomainError) as error:
        services.unit_split(
            unit=world.units[TDP1],
            parts=[
                cell("DN.CUJUT.EATLING.TDP1A", "Chi bộ Tổ dân phố 1A"),
                cell("DN.CUJUT.EATLING.TDP1B", "Chi bộ Tổ dân phố 1B"),
            ],
            children={},
            members={m["hoa"].pk: 0},
            effective_on=DAY,
        )

    assert error.value.message == services.SPLIT_UNASSIGNED.format(children=0, members=3)
    assert tree_state() == state
    assert not Unit.objects.filter(code__startswith="DN.CUJUT.EATLING.TDP1A").exists()


def test_it_refuses_to_leave_sub_units_unassigned(world):
    u = world.units
    refused(
        services.unit_split,
        services.SPLIT_UNASSIGNED.format(children=1, members=0),
        unit=u[EATLING],
        parts=[
            cell("DN.CUJUT.EATLING.BAC", "Đảng bộ Ea T'Ling Bắc", UnitKind.GRASSROOTS_COMMITTEE),
            cell("DN.CUJUT.EATLING.NAM", "Đảng bộ Ea T'Ling Nam", UnitKind.GRASSROOTS_COMMITTEE),
        ],
        children={u[TDP1].pk: 0},
        members={},
        effective_on=DAY,
    )


def test_it_refuses_an_assignment_to_an_undeclared_part(world):
    m = world.members
    refused(
        services.unit_split,
        services.SPLIT_BAD_PART.format(name="Chi bộ Tổ dân phố 1"),
        unit=world.units[TDP1],
        parts=[
            cell("DN.CUJUT.EATLING.TDP1A", "Chi bộ Tổ dân phố 1A"),
            cell("DN.CUJUT.EATLING.TDP1B", "Chi bộ Tổ dân phố 1B"),
        ],
        children={},
        members={m["hoa"].pk: 0, m["binh"].pk: 0, m["ybhiong"].pk: 1, m["an"].pk: 2},
        effective_on=DAY,
    )


def test_it_needs_two_parts_to_split(world):
    refused(
        services.unit_split,
        services.SPLIT_NEEDS_PARTS,
        unit=world.units[TDP2],
        parts=[cell("DN.CUJUT.EATLING.TDP2A", "Chi bộ Tổ dân phố 2A")],
        children={},
        members={world.members["anh"].pk: 0},
        effective_on=DAY,
    )


def test_it_refuses_members_assigned_to_a_part_that_is_not_a_cell(world):
    m = world.members
    refused(
        services.unit_split,
        services.MERGE_MEMBERS_TO_NON_CELL.format(
            name="Chi bộ Tổ dân phố 1", count=2, target="Đảng bộ bộ phận 1B"
        ),
        unit=world.units[TDP1],
        parts=[
            cell("DN.CUJUT.EATLING.TDP1A", "Chi bộ Tổ dân phố 1A"),
            cell("DN.CUJUT.EATLING.TDP1B", "Đảng bộ bộ phận 1B", UnitKind.PARTIAL_COMMITTEE),
        ],
        children={},
        members={m["hoa"].pk: 0, m["binh"].pk: 0, m["ybhiong"].pk: 1, m["an"].pk: 1},
        effective_on=DAY,
    )


def test_it_refuses_sub_units_assigned_to_a_cell_part(world):
    u = world.units
    refused(
        services.unit_split,
        services.PARENT_IS_CELL.format(name="Chi bộ Ea T'Ling Nam"),
        unit=u[EATLING],
        parts=[
            cell("DN.CUJUT.EATLING.BAC", "Đảng bộ Ea T'Ling Bắc", UnitKind.GRASSROOTS_COMMITTEE),
            cell("DN.CUJUT.EATLING.NAM", "Chi bộ Ea T'Ling Nam", UnitKind.GRASSROOTS_CELL),
        ],
        children={u[TDP1].pk: 0, u[TDP2].pk: 1},
        members={},
        effective_on=DAY,
    )


# -- unit_dissolve ----------------------------------------------------------------------


def empty_commune(world, code: str = "DN.CUJUT.EAPO") -> Unit:
    return services.unit_create(
        code=code,
        name="Đảng bộ xã Ea Pô",
        kind=UnitKind.GRASSROOTS_COMMITTEE,
        parent=world.units["DN.CUJUT"],
        valid_from=date(2019, 1, 1),
    )


@pytest.mark.parametrize(
    ("code", "name", "children", "members"),
    [(EATLING, EATLING_NAME, 2, 0), (TDP1, "Chi bộ Tổ dân phố 1", 0, 4)],
)
def test_it_refuses_to_dissolve_a_unit_that_is_not_empty(world, code, name, children, members):
    refused(
        services.unit_dissolve,
        services.DISSOLVE_NOT_EMPTY.format(
            name=name, children=children, members=members, day="01/01/2021"
        ),
        unit=world.units[code],
        effective_on=DAY,
    )


def test_it_dissolves_an_empty_unit_naming_its_successor(world):
    u = world.units
    tdp1, tdp2 = u[TDP1], u[TDP2]
    moved_out = date(2020, 6, 1)
    member_transfer(member=world.members["anh"], to_cell=tdp1, effective_on=moved_out)

    services.unit_dissolve(
        unit=tdp2, effective_on=DAY, successors=[tdp1], actor=world.users["tochuc"]
    )

    tdp2.refresh_from_db()
    assert tdp2.dissolved_on == DAY
    assert tdp2.version_on(DAY) is None
    assert tdp2.version_on(BEFORE).parent_id == u[EATLING].pk
    assert member_ids(tdp2, date(2020, 5, 31)) == ids(world, "anh")
    succession = UnitSuccession.objects.get(predecessor=tdp2)
    assert (succession.successor, succession.effective_on) == (tdp1, DAY)
    assert succession.reorganisation.kind == ReorganisationKind.DISSOLVE
    assert set(succession.reorganisation.units.all()) == {tdp1, tdp2}


def test_it_dissolves_an_empty_unit_without_successors(world):
    unit = empty_commune(world)

    services.unit_dissolve(unit=unit, effective_on=DAY)

    unit.refresh_from_db()
    assert unit.dissolved_on == DAY
    assert list(unit.versions.values_list("valid_from", "valid_to")) == [(date(2019, 1, 1), DAY)]
    assert not UnitSuccession.objects.exists()
    assert unit.reorganisations.filter(kind=ReorganisationKind.DISSOLVE).exists()


def test_it_refuses_to_dissolve_a_unit_twice(world):
    unit = empty_commune(world)
    services.unit_dissolve(unit=unit, effective_on=DAY)

    refused(
        services.unit_dissolve,
        services.NOT_ACTIVE.format(name="DN.CUJUT.EAPO", day="01/01/2022"),
        unit=unit,
        effective_on=LATER,
    )


def test_it_refuses_to_dissolve_a_unit_on_the_day_it_changed(world):
    unit = empty_commune(world)
    services.unit_rename(unit=unit, name="Đảng bộ xã Ea Pô mới", effective_on=DAY)

    refused(
        services.unit_dissolve,
        services.LATER_CHANGE.format(name="Đảng bộ xã Ea Pô mới", later="01/01/2021"),
        unit=unit,
        effective_on=DAY,
    )


def test_it_refuses_to_dissolve_a_unit_with_a_sub_unit_founded_later(world):
    # Bug fixed in services._close: the later sub-unit was left under an ended parent.
    unit = empty_commune(world)
    services.unit_create(
        code="DN.CUJUT.EAPO.T1",
        name="Chi bộ Thôn 1",
        kind=UnitKind.CELL,
        parent=unit,
        valid_from=LATER,
    )

    refused(
        services.unit_dissolve,
        services.LATER_CHANGE.format(name="Đảng bộ xã Ea Pô", later="01/01/2022"),
        unit=unit,
        effective_on=DAY,
    )
