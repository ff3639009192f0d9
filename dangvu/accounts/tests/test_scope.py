"""Scope: what each persona reaches, by unit subtree, department and day."""

from __future__ import annotations

from datetime import date

import pytest
from django.http import Http404

from dangvu.accounts.models import Department
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import build_scope, today
from dangvu.accounts.services import account_create, role_grant, role_revoke
from dangvu.conftest import PASSWORD, ROLES_FROM
from dangvu.units.services import unit_dissolve, unit_merge, unit_move

MERGED = date(2025, 7, 1)
EVE = date(2025, 6, 30)
DAY = date(2024, 6, 1)


def _cards(members) -> set[str]:
    return set(members.values_list("card_number", flat=True))


def _codes(units) -> set[str]:
    return set(units.values_list("code", flat=True))


def _officer_at(world, code: str, department: str = Department.ORGANISATION):
    user = account_create(
        username=f"officer-{code.lower()}", password=PASSWORD, check_password=False
    )
    role_grant(user=user, unit=world.units[code], department=department, valid_from=ROLES_FROM)
    return user


def test_it_reaches_the_subtree_of_the_role_unit(world):
    huong = build_scope(world.users["huong"])

    assert _codes(huong.units(Capability.VIEW_UNITS)) == {
        "DN.DAKMIL",
        "DN.DAKMIL.UBKT",
        "DN.DAKMIL.DUCMINH",
        "DN.DAKMIL.DUCMINH.T1",
    }
    assert _cards(huong.members_on(Capability.VIEW_MEMBERS, DAY)) == {"67000006", "67000007"}


def test_it_reaches_nothing_once_the_role_unit_is_merged_away(world):
    unit_merge(
        sources=[world.units["DN.DAKMIL"]], target=world.units["DN.CUJUT"], effective_on=MERGED
    )
    huong = build_scope(world.users["huong"])
    ubkt = world.units["DN.DAKMIL.UBKT"]

    # A role ends with its unit: the history it covered is not read through it either.
    assert huong.reaches == []
    assert not huong.reaches_unit_on(Capability.VIEW_UNITS, ubkt, EVE)
    assert _cards(huong.members_on(Capability.VIEW_MEMBERS, EVE)) == set()
    assert huong.units(Capability.VIEW_UNITS).count() == 0
    assert _cards(huong.members(Capability.VIEW_MEMBERS)) == {"67000006"}  # her own record
    with pytest.raises(Http404):
        huong.get_unit(Capability.VIEW_UNITS, "DN.DAKMIL.UBKT")
    with pytest.raises(Http404):
        huong.get_member(Capability.VIEW_MEMBERS, "67000007")


def test_it_reads_the_history_of_the_unit_before_the_role_began(world):
    officer = account_create(username="tochuc.moi", password=PASSWORD, check_password=False)
    role_grant(
        user=officer,
        unit=world.units["DN.CUJUT"],
        department=Department.ORGANISATION,
        valid_from=date(2024, 1, 1),
    )
    scope = build_scope(officer)
    tdp1 = world.units["DN.CUJUT.EATLING.TDP1"]

    # Today's holder of the post keeps its records, the years before they took it too.
    assert scope.reaches_unit_on(Capability.VIEW_UNITS, tdp1, date(2019, 6, 1))
    assert "67000001" in _cards(scope.members_on(Capability.VIEW_MEMBERS, date(2019, 6, 1)))
    assert not scope.reaches_unit_on(Capability.VIEW_UNITS, world.units["DN.TUYDUC"], DAY)


def test_it_reaches_nothing_through_a_role_not_yet_begun(world):
    officer = account_create(username="tochuc.sau", password=PASSWORD, check_password=False)
    role_grant(
        user=officer,
        unit=world.units["DN.CUJUT"],
        department=Department.ORGANISATION,
        valid_from=date(2099, 1, 1),
    )

    assert build_scope(officer).reaches == []


def test_it_gives_the_merged_unit_and_its_history_to_the_target(world):
    """Đắk Nông merged into Lâm Đồng: Lâm Đồng's officers read Đắk Nông's past. Here Đắk
    Mil merges into Cư Jút: Cư Jút's officer reads Đắk Mil before the merge too."""
    unit_merge(
        sources=[world.units["DN.DAKMIL"]], target=world.units["DN.CUJUT"], effective_on=MERGED
    )
    cujut = build_scope(_officer_at(world, "DN.CUJUT"))
    ubkt = world.units["DN.DAKMIL.UBKT"]

    assert cujut.reaches_unit_on(Capability.VIEW_UNITS, ubkt, EVE)
    assert cujut.reaches_unit_on(Capability.VIEW_UNITS, world.units["DN.DAKMIL"], DAY)
    assert cujut.reaches_unit_on(Capability.VIEW_UNITS, ubkt, MERGED)
    assert "67000007" in _cards(cujut.members_on(Capability.VIEW_MEMBERS, EVE))
    assert "67000007" in _cards(cujut.members_on(Capability.VIEW_MEMBERS, MERGED))
    assert not cujut.reaches_unit_on(Capability.VIEW_UNITS, world.units["DN.TUYDUC"], DAY)
    # What it inherited is read, never written: the merged unit has ended.
    assert not cujut.writable_units(Capability.VIEW_UNITS).filter(code="DN.DAKMIL").exists()


def test_it_passes_no_history_to_one_of_several_successors(world):
    """A district dissolved into several communes: none of them reads the district's past
    (each would read its neighbours'); the units that moved to it are its own from then."""
    for code in ("DN.DAKMIL.UBKT", "DN.DAKMIL.DUCMINH"):
        unit_move(unit=world.units[code], new_parent=world.units["DN.CUJUT"], effective_on=MERGED)
    unit_dissolve(
        unit=world.units["DN.DAKMIL"],
        effective_on=MERGED,
        successors=[world.units["DN.CUJUT"], world.units["DN.TUYDUC"]],
    )
    cujut = build_scope(_officer_at(world, "DN.CUJUT"))

    assert not cujut.reaches_unit_on(Capability.VIEW_UNITS, world.units["DN.DAKMIL"], DAY)
    assert not cujut.reaches_unit_on(Capability.VIEW_UNITS, world.units["DN.DAKMIL.UBKT"], DAY)
    assert cujut.reaches_unit_on(Capability.VIEW_UNITS, world.units["DN.DAKMIL.UBKT"], MERGED)
    assert "67000007" not in _cards(cujut.members_on(Capability.VIEW_MEMBERS, DAY))


def test_it_follows_merges_of_merges(world):
    """Tổ dân phố 2 merged into Tổ dân phố 1 in 2024, Tổ dân phố 1 into Đức Minh's Thôn 1
    in 2025: Thôn 1's secretary reads Tổ dân phố 2's past, not Ea T'Ling's above it."""
    unit_merge(
        sources=[world.units["DN.CUJUT.EATLING.TDP2"]],
        target=world.units["DN.CUJUT.EATLING.TDP1"],
        effective_on=DAY,
    )
    unit_merge(
        sources=[world.units["DN.CUJUT.EATLING.TDP1"]],
        target=world.units["DN.DAKMIL.DUCMINH.T1"],
        effective_on=MERGED,
    )
    heir = build_scope(_officer_at(world, "DN.DAKMIL.DUCMINH.T1", Department.SECRETARY))

    assert heir.reaches_unit_on(
        Capability.VIEW_UNITS, world.units["DN.CUJUT.EATLING.TDP2"], EVE.replace(year=2023)
    )
    assert not heir.reaches_unit_on(Capability.VIEW_UNITS, world.units["DN.CUJUT.EATLING"], EVE)


def test_it_opens_every_page_on_today(world):
    unit_merge(
        sources=[world.units["DN.DAKMIL"]], target=world.units["DN.CUJUT"], effective_on=MERGED
    )

    assert build_scope(world.users["huong"]).default_day() == today()
    assert build_scope(world.users["hoa"]).default_day() == today()
    assert build_scope(world.users["quantri"]).default_day() == today()
    assert build_scope(world.users["ybhiong"]).default_day() == today()


def test_it_lets_an_inspector_whose_district_is_gone_search_no_former_member(world):
    unit_merge(
        sources=[world.units["DN.DAKMIL"]], target=world.units["DN.CUJUT"], effective_on=MERGED
    )
    client = world.client("huong")

    for query in ({"q": "pham van cuong"}, {"q": "pham van cuong", "ca_cu": "1"}):
        for day in ("", "30/06/2025", "01/06/2024"):
            response = client.get("/dang-vien/", {**query, "ngay": day} if day else query)
            assert response.status_code == 404  # she holds the capability nowhere now
    assert client.get("/dang-vien/67000007/").status_code == 404
    assert client.get("/to-chuc/DN.DAKMIL/", {"ngay": "01/06/2024"}).status_code == 404


def test_it_stops_reaching_when_the_role_is_revoked(world):
    role = world.users["hoa"].roles.get()
    role_revoke(role=role, effective_on=date(2024, 1, 1))
    hoa = build_scope(world.users["hoa"])
    tdp1 = world.units["DN.CUJUT.EATLING.TDP1"]

    assert hoa.reaches == []
    assert not hoa.reaches_unit_on(Capability.MANAGE_MEMBERS, tdp1, date(2023, 12, 31))
    assert not hoa.writable_units(Capability.MANAGE_MEMBERS).exists()
    assert _cards(hoa.members(Capability.VIEW_MEMBERS)) == {"67000001"}  # her own record
    assert hoa.default_day() == today()


def test_it_lets_the_front_see_units_but_not_members(world):
    front = build_scope(world.users["mattran"])

    assert front.can(Capability.VIEW_UNITS)
    assert front.can(Capability.SUPERVISION)
    assert not front.can(Capability.VIEW_MEMBERS)
    assert front.units(Capability.VIEW_UNITS).count() == len(world.units)
    assert front.members(Capability.VIEW_MEMBERS).count() == 0
    assert front.members_on(Capability.VIEW_MEMBERS, DAY).count() == 0
    client = world.client("mattran")
    assert client.get("/to-chuc/DN.CUJUT/").status_code == 200
    assert client.get("/dang-vien/67000001/").status_code == 404


def test_it_lets_a_member_see_only_their_own_record(world):
    member = build_scope(world.users["ybhiong"])

    assert member.reaches == []
    assert not member.can(Capability.VIEW_UNITS)
    assert _cards(member.members(Capability.VIEW_MEMBERS)) == {"67000002"}
    assert member.units(Capability.VIEW_UNITS).count() == 0
    assert world.client("ybhiong").get("/to-chuc/DN.CUJUT.EATLING.TDP1/").status_code == 404


def test_it_gives_each_department_its_capabilities(world):
    hoa = build_scope(world.users["hoa"])
    huong = build_scope(world.users["huong"])
    tochuc = build_scope(world.users["tochuc"])
    tuyengiao = build_scope(world.users["tuyengiao"])

    assert hoa.can(Capability.MANAGE_MEMBERS) and not hoa.can(Capability.MANAGE_ACCOUNTS)
    assert huong.can(Capability.DISCIPLINE) and not huong.can(Capability.MANAGE_MEMBERS)
    assert tochuc.can(Capability.MANAGE_ACCOUNTS) and not tochuc.can(Capability.DISCIPLINE)
    assert tuyengiao.can(Capability.VIEW_MEMBERS)
    assert not tuyengiao.can(Capability.MANAGE_MEMBERS)
    assert _cards(tuyengiao.members_on(Capability.VIEW_MEMBERS, DAY)) == {
        m.card_number for m in world.members.values()
    }


def test_it_lets_the_administrator_see_everything_but_discipline(world):
    admin = build_scope(world.users["quantri"])

    assert admin.members(Capability.VIEW_MEMBERS).count() == len(world.members)
    assert admin.units(Capability.REORGANISE).count() == len(world.units)
    assert admin.can(Capability.MANAGE_ACCOUNTS)
    assert not admin.can(Capability.DISCIPLINE)
    assert admin.versions_on(Capability.DISCIPLINE, DAY).count() == 0
    assert admin.members_on(Capability.DISCIPLINE, DAY).count() == 0
    assert admin.units(Capability.DISCIPLINE).count() == 0


def test_it_answers_not_found_outside_the_scope(world):
    stranger = build_scope(world.users["kbinh"])

    with pytest.raises(Http404):
        stranger.get_unit(Capability.VIEW_UNITS, "DN.CUJUT")
    with pytest.raises(Http404):
        stranger.get_unit(Capability.VIEW_UNITS, "DN.KHONGCO")
    with pytest.raises(Http404):
        stranger.get_member(Capability.VIEW_MEMBERS, "67000001")
    assert stranger.get_unit(Capability.VIEW_UNITS, "DN.TUYDUC.QUANGTRUC.BP")
    assert stranger.get_member(Capability.VIEW_MEMBERS, "67000009") == world.members["hbia"]
    client = world.client("kbinh")
    assert client.get("/to-chuc/DN.CUJUT/").status_code == 404
    assert client.get("/dang-vien/67000001/").status_code == 404


def test_it_reaches_nothing_for_an_inactive_account(world):
    hoa = world.users["hoa"]
    hoa.is_active = False
    hoa.save()

    assert build_scope(hoa).reaches == []
    assert build_scope(hoa).members(Capability.VIEW_MEMBERS).count() == 0


def test_it_gives_a_moved_units_records_to_whoever_holds_it_today(world):
    from dangvu.units.services import unit_move

    tdp2 = world.units["DN.CUJUT.EATLING.TDP2"]
    unit_move(unit=tdp2, new_parent=world.units["DN.DAKMIL.DUCMINH"], effective_on=date(2023, 1, 1))
    cujut = build_scope(_officer_at(world, "DN.CUJUT"))
    dakmil = build_scope(_officer_at(world, "DN.DAKMIL"))
    manage = Capability.MANAGE_MEMBERS

    # Cư Jút still reads the cell's years under it, but writes nothing there any more.
    assert cujut.reaches_unit_on(manage, tdp2, date(2022, 6, 1))
    assert "DN.CUJUT.EATLING.TDP2" in _codes(cujut.units(manage))
    assert "DN.CUJUT.EATLING.TDP2" not in _codes(cujut.writable_units(manage))
    assert not cujut.writes_unit_on(manage, tdp2, date(2022, 6, 1))
    # Đắk Mil holds it today, its history included, but dates nothing back to before.
    assert "DN.CUJUT.EATLING.TDP2" in _codes(dakmil.writable_units(manage))
    assert dakmil.writes_unit_on(manage, tdp2, date(2023, 6, 1))
    assert not dakmil.writes_unit_on(manage, tdp2, date(2022, 6, 1))


def test_it_reads_a_members_records_of_the_years_they_stood_in_reach(world):
    from dangvu.members.services import member_transfer
    from dangvu.reviews.models import MemberReview
    from dangvu.reviews.services import MemberReviewSpec, member_review_save

    an = world.members["an"]
    member_review_save(spec=MemberReviewSpec(member=an, year=2023, outcome="reviewed"))
    member_transfer(
        member=an, to_cell=world.units["DN.CUJUT.EATLING.TDP2"], effective_on=date(2024, 1, 1)
    )
    member_review_save(spec=MemberReviewSpec(member=an, year=2024, outcome="reviewed"))
    tdp2 = build_scope(_officer_at(world, "DN.CUJUT.EATLING.TDP2", Department.SECRETARY))

    def years(scope) -> list[int]:
        readable = scope.member_record_filter(Capability.VIEW_MEMBERS, year="year")
        return sorted(
            MemberReview.objects.filter(readable, member=an).values_list("year", flat=True)
        )

    assert years(build_scope(world.users["hoa"])) == [2023]
    assert years(tdp2) == [2024]
    assert years(build_scope(world.users["tochuc"])) == [2023, 2024]
    assert years(build_scope(world.users["kbinh"])) == []
    assert years(build_scope(world.users["quantri"])) == [2023, 2024]
    readable = build_scope(world.users["hoa"]).member_record_filter(
        Capability.VIEW_MEMBERS, year=2024
    )
    assert not MemberReview.objects.filter(readable, member=an).exists()
    on_day = build_scope(world.users["hoa"]).member_record_filter(
        Capability.VIEW_MEMBERS, day=date(2023, 12, 31)
    )
    assert MemberReview.objects.filter(on_day, member=an).count() == 2  # the day is given


def test_it_finds_the_unit_typed_into_a_form_when_written_on_the_day(world):
    from dangvu.accounts.scope import UNIT_NOT_WRITABLE_ON, UNIT_UNKNOWN
    from dangvu.core.errors import DomainError

    tdp2 = world.units["DN.CUJUT.EATLING.TDP2"]
    unit_move(unit=tdp2, new_parent=world.units["DN.DAKMIL.DUCMINH"], effective_on=date(2023, 1, 1))
    dakmil = build_scope(_officer_at(world, "DN.DAKMIL"))
    manage = Capability.MANAGE_MEMBERS

    assert dakmil.unit_typed(" DN.CUJUT.EATLING.TDP2 ", cap=manage, day=date(2023, 6, 1)) == tdp2
    with pytest.raises(DomainError) as before:
        dakmil.unit_typed("DN.CUJUT.EATLING.TDP2", cap=manage, day=date(2022, 6, 1))
    assert before.value.message == UNIT_NOT_WRITABLE_ON.format(
        code="DN.CUJUT.EATLING.TDP2", day="01/06/2022"
    )
    with pytest.raises(DomainError) as unknown:
        dakmil.unit_typed("DN.KHONGCO", cap=manage, day=date(2023, 6, 1))
    assert unknown.value.message == UNIT_UNKNOWN.format(codes="DN.KHONGCO")


def test_it_finds_the_unit_typed_for_a_write_today_with_one_message(world):
    from dangvu.accounts.scope import UNIT_NOT_WRITABLE
    from dangvu.core.errors import DomainError

    dakmil = build_scope(_officer_at(world, "DN.DAKMIL"))
    manage = Capability.MANAGE_MEMBERS

    assert dakmil.unit_typed("DN.DAKMIL.DUCMINH", cap=manage) == world.units["DN.DAKMIL.DUCMINH"]
    # Unknown or out of reach: the same words, so the form confirms nothing outside.
    for code in ("DN.CUJUT", "DN.KHONGCO"):
        with pytest.raises(DomainError) as refused:
            dakmil.unit_typed(code, cap=manage, what="Cấp ủy")
        assert refused.value.message == UNIT_NOT_WRITABLE.format(what="Cấp ủy", code=code)
    with pytest.raises(DomainError) as blank:
        dakmil.writable_unit(manage, "  ")
    assert blank.value.message == UNIT_NOT_WRITABLE.format(what="Đơn vị", code="(trống)")


def test_it_finds_any_unit_typed_when_the_service_judges_the_reach(world):
    from dangvu.accounts.scope import UNIT_UNKNOWN
    from dangvu.core.errors import DomainError

    dakmil = build_scope(_officer_at(world, "DN.DAKMIL"))

    assert dakmil.unit_typed("DN.CUJUT") == world.units["DN.CUJUT"]
    assert dakmil.units_typed("DN.CUJUT,\nDN.DAKMIL, DN.CUJUT") == [
        world.units["DN.CUJUT"],
        world.units["DN.DAKMIL"],
    ]
    with pytest.raises(DomainError) as missing:
        dakmil.units_typed("DN.KHONGCO, DN.CUJUT, DN.NOWHERE")
    assert missing.value.message == UNIT_UNKNOWN.format(codes="DN.KHONGCO, DN.NOWHERE")
