"""The members' bulk writes (`members.services.bulk`): the workbook's DangVien sheet goes
through them, with the rules and the reach of the pages."""

from __future__ import annotations

from datetime import date

from auditlog.models import LogEntry

from dangvu.accounts.models import Department, User
from dangvu.accounts.services import account_create, role_grant
from dangvu.conftest import PASSWORD, ROLES_FROM
from dangvu.core.effective import END_OF_TIME
from dangvu.exchange.tests.helpers import DANG_VIEN, db_counts, member_row, run_import
from dangvu.members import services
from dangvu.members.models import Gender, Member, Membership, MembershipReason
from dangvu.members.services.bulk import (
    ROW_FULL_BEFORE_JOINED,
    ROW_JOINED_BEFORE_BIRTH,
    ROW_OUTSIDE_REACH,
    MemberData,
    MemberWrite,
    Stint,
    check_member_dates,
    members_write,
)

TDP1 = "DN.CUJUT.EATLING.TDP1"
T1 = "DN.DAKMIL.DUCMINH.T1"


def _cujut_officer(world) -> User:
    user = account_create(username="tochuc.cujut", password=PASSWORD, check_password=False)
    role_grant(
        user=user,
        unit=world.units["DN.CUJUT"],
        department=Department.ORGANISATION,
        valid_from=ROLES_FROM,
    )
    return user


def test_it_does_not_pull_in_a_member_who_left_for_another_district(world):
    # Trần Văn An left Tổ dân phố 1 (Cư Jút) for Thôn 1 (Đắk Mil) in 2021.
    an = world.members["an"]
    services.member_transfer(member=an, to_cell=world.units[T1], effective_on=date(2021, 3, 1))
    officer = _cujut_officer(world)
    before = db_counts()

    report = run_import(
        {"DangVien": [DANG_VIEN, member_row("67000004", "Trần Văn An", TDP1)]}, user=officer
    )

    # As for any cell or member outside the reach: nothing is told about him.
    assert [e.reason for e in report.errors] == [ROW_OUTSIDE_REACH]
    assert db_counts() == before
    current = Membership.objects.as_of(date(2026, 1, 1)).get(member=an)
    assert (current.unit, current.valid_to) == (world.units[T1], END_OF_TIME)


def test_the_dates_validator_is_the_pages_rule():
    problems = check_member_dates(
        key="67000100",
        birth_date=date(1990, 1, 1),
        joined_on=date(1989, 1, 1),
        full_member_on=date(1988, 1, 1),
        left_on=None,
    )

    assert [p.message for p in problems] == [ROW_JOINED_BEFORE_BIRTH, ROW_FULL_BEFORE_JOINED]


def test_it_writes_members_with_their_memberships_and_audit(world):
    cell = world.units[TDP1]
    data = MemberData(
        card_number="67000100",
        full_name="Võ Văn Hùng",
        birth_date=date(1980, 5, 17),
        gender=Gender.MALE,
        joined_on=date(2005, 3, 3),
    )
    stint = Stint(cell.pk, date(2005, 3, 3), END_OF_TIME, MembershipReason.JOINED, "")

    written = members_write(writes=[MemberWrite(data, [stint])], actor=world.users["tochuc"])

    member = Member.objects.get(card_number="67000100")
    assert written.created == [member]
    assert member.name_search  # derived fields filled
    assert [(m.unit_id, m.valid_from) for m in member.memberships.all()] == [
        (cell.pk, date(2005, 3, 3))
    ]
    assert LogEntry.objects.get_for_object(member).get().actor == world.users["tochuc"]


def test_it_leaves_memberships_alone_when_none_are_given(world):
    hoa = world.members["hoa"]
    data = MemberData(
        card_number=hoa.card_number,
        full_name="Nguyễn Thị Hòa",
        birth_date=hoa.birth_date,
        gender=hoa.gender,
        joined_on=hoa.joined_on,
        full_member_on=hoa.full_member_on,
        management_level=hoa.management_level,
        is_committee_member=hoa.is_committee_member,
    )
    before = list(hoa.memberships.values_list("pk", flat=True))

    written = members_write(writes=[MemberWrite(data, None, hoa)])

    assert written.updated == [hoa]
    assert Member.objects.get(pk=hoa.pk).full_name == "Nguyễn Thị Hòa"
    assert list(hoa.memberships.values_list("pk", flat=True)) == before
