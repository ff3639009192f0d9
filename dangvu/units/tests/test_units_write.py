"""The tree's bulk writes (`units.services.bulk`): the workbook's DonVi sheet goes through
them, with the rules and the reach of the pages."""

from __future__ import annotations

from datetime import date

from auditlog.models import LogEntry

from dangvu.accounts.models import Department, User
from dangvu.accounts.services import account_create, role_grant
from dangvu.conftest import PASSWORD, ROLES_ENDED, ROLES_FROM
from dangvu.core.effective import END_OF_TIME
from dangvu.exchange.tests.helpers import DANG_VIEN, DON_VI, db_counts, member_row, run_import
from dangvu.members.models import Member
from dangvu.units.models import Unit, UnitKind
from dangvu.units.services.bulk import (
    ROW_DISSOLVED_BEFORE_CHANGE,
    ROW_OUTSIDE_REACH,
    ROW_ROOT_NEEDS_KIND,
    Period,
    UnitHistory,
    UnitRow,
    check_unit_row,
    units_write,
)

TDP1 = "DN.CUJUT.EATLING.TDP1"


def _former_district_officer(world) -> User:
    """Organisation officer of Huyện ủy Cư Jút until the 2025 reorganisation, and of the
    commune of Quảng Trực (Tuy Đức) since: a role in force, and one that has ended."""
    user = account_create(username="tochuc.cujut.cu", password=PASSWORD, check_password=False)
    role_grant(
        user=user,
        unit=world.units["DN.CUJUT"],
        department=Department.ORGANISATION,
        valid_from=ROLES_FROM,
        valid_to=ROLES_ENDED,
    )
    role_grant(
        user=user,
        unit=world.units["DN.TUYDUC.QUANGTRUC"],
        department=Department.ORGANISATION,
        valid_from=ROLES_ENDED,
    )
    return user


def test_it_refuses_a_rename_by_a_role_that_has_ended(world):
    user = _former_district_officer(world)
    before = db_counts()
    sheets = {
        "DonVi": [DON_VI, [TDP1, "Chi bộ Tổ dân phố Một", "Chi bộ trực thuộc", "DN.CUJUT.EATLING"]]
    }

    report = run_import(sheets, user=user)

    assert [e.reason for e in report.errors] == [ROW_OUTSIDE_REACH]
    assert db_counts() == before
    assert Unit.objects.get(code=TDP1).versions.get().name == "Chi bộ Tổ dân phố 1"


def test_it_refuses_a_member_renamed_by_a_role_that_has_ended(world):
    user = _former_district_officer(world)
    before = db_counts()

    report = run_import(
        {"DangVien": [DANG_VIEN, member_row("67000004", "Trần Văn Ân", TDP1)]}, user=user
    )

    assert [e.reason for e in report.errors] == [
        "chi bộ hoặc đảng viên ngoài phạm vi quản lý của bạn"
    ]
    assert db_counts() == before
    assert Member.objects.get(card_number="67000004").full_name == "Trần Văn An"


def test_the_row_validator_says_what_the_pages_say(world):
    row = UnitRow("DN.X", "Huyện ủy X", UnitKind.DIRECT, parent_code="")

    problems = check_unit_row(row, known={"DN"})

    assert [(p.field, p.message) for p in problems] == [("parent_code", ROW_ROOT_NEEDS_KIND)]


def test_it_founds_units_and_writes_their_audit_entries(world):
    history = UnitHistory(
        "DN.CUJUT.EATLING.TDP3",
        [
            Period(
                date(2010, 1, 1),
                END_OF_TIME,
                "Chi bộ Tổ dân phố 3",
                UnitKind.CELL,
                "DN.CUJUT.EATLING",
            )
        ],
    )
    existing = {u.code: u for u in Unit.objects.all()}

    written = units_write(histories=[history], existing=existing, actor=world.users["tochuc"])

    assert written.problems == []
    unit = Unit.objects.get(code="DN.CUJUT.EATLING.TDP3")
    version = unit.versions.get()
    assert version.path == f"{existing['DN.CUJUT.EATLING'].versions.get().path}{unit.pk}/"
    entry = LogEntry.objects.get_for_object(unit).get()
    assert entry.actor == world.users["tochuc"]


def test_it_refuses_a_dissolution_before_a_recorded_change(world):
    unit = world.units[TDP1]
    history = UnitHistory(
        TDP1,
        [
            Period(
                date(2004, 1, 1),
                date(2003, 1, 1),
                "Chi bộ Tổ dân phố 1",
                UnitKind.CELL,
                "DN.CUJUT.EATLING",
            )
        ],
        founded_given=False,
    )

    written = units_write(histories=[history], existing={TDP1: unit})

    assert [(p.key, p.field, p.message) for p in written.problems] == [
        (TDP1, "dissolved_on", ROW_DISSOLVED_BEFORE_CHANGE.format(day="01/01/2004"))
    ]
    assert written.created == written.updated == []
