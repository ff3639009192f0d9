"""`dangvu grant`: the operator's emergency grant of a guarded department when every holder
has left — a department once held is granted only on a holder's confirmation, so without it
nobody could ever grant it again. Recorded as the command line's act with its reason,
flagged "granted without confirmation" for later holders, and the account handed over."""

from __future__ import annotations

import re
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError
from django.test import Client

from dangvu import cli
from dangvu.accounts import grants, services
from dangvu.accounts.management.commands import grant_role
from dangvu.accounts.models import (
    Department,
    GrantEvent,
    GrantEventKind,
    GrantRequest,
    GrantStatus,
    Role,
    User,
)
from dangvu.accounts.scope import today
from dangvu.conftest import FOUNDED, PASSWORD
from dangvu.inspection.models import InspectionCase
from dangvu.inspection.services import CaseSpec, case_open
from dangvu.units.models import UnitKind
from dangvu.units.services import unit_create, unit_dissolve

INSPECTION = Department.INSPECTION
CREATED = "Tam-thoi-cua-to-chuc-1"
OWN = "Mat-khau-cua-nguoi-nhan-5"
REASON = "Toàn bộ cán bộ Ủy ban Kiểm tra nghỉ hưu; Thường trực Tỉnh ủy đề nghị bằng văn bản."
FIRST_URL = "/dang-nhap/doi-mat-khau/"


@pytest.fixture
def case(world) -> InspectionCase:
    return case_open(
        spec=CaseSpec(
            code="KT-01",
            kind="signs",
            body=world.units["DN.DAKMIL"],
            opened_on=date(2022, 3, 1),
            subject_unit=world.units["DN.DAKMIL.DUCMINH.T1"],
        )
    )


def _every_inspector_left(world) -> None:
    services.role_revoke(role=world.users["huong"].roles.get(), actor=world.users["tochuc"])
    assert not Role.objects.filter(department=INSPECTION, valid_to__gt=today()).exists()


def _grant(*args: str) -> str:
    out = StringIO()
    call_command("grant_role", *args, stdout=out)
    return out.getvalue()


def _state() -> tuple[object, ...]:
    return (
        sorted(Role.objects.values_list("pk", "user_id", "unit_id", "department", "valid_to")),
        sorted(GrantRequest.objects.values_list("pk", "status", "role_id", "by_operator")),
        sorted(User.objects.values_list("username", "password")),
    )


def test_it_grants_inspection_from_the_command_line_when_every_holder_has_left(world, case):
    _every_inspector_left(world)
    # The officer makes the new inspector's account; the request waits for a holder, and
    # there is none left.
    account, asked = services.account_create_with_role(
        username="kiemtra.tinh",
        password=CREATED,
        full_name="Cán bộ kiểm tra mới",
        unit=world.units["DN"],
        department=INSPECTION,
        actor=world.users["tochuc"],
    )
    assert asked.role is None and asked.request is not None
    officer = Client()
    officer.post("/dang-nhap/", {"username": "kiemtra.tinh", "password": CREATED})

    out = _grant("kiemtra.tinh", "--unit", "DN", "--department", "inspection", "--reason", REASON)

    role = account.roles.get(department=INSPECTION)
    assert (role.unit.code, role.valid_from, role.granted_by) == ("DN", today(), None)
    request = GrantRequest.objects.get()
    assert request.pk == asked.request.pk  # the waiting request is the one granted
    assert (request.role, request.status, request.without_confirmation) == (
        role,
        GrantStatus.PENDING,
        True,
    )
    assert (request.by_operator, request.reason) == (True, REASON)
    assert f"Đã cấp vai trò Kiểm tra tại DN cho kiemtra.tinh từ {today():%d/%m/%Y}" in out
    password = re.search(r"chỉ hiện lần này\): (\S+)", out)
    assert password is not None
    account.refresh_from_db()
    assert account.check_password(password.group(1)) and not account.check_password(CREATED)
    assert account.must_change_password
    # The grant log: the command line's act, with its reason, and the hand-over.
    events = list(
        GrantEvent.objects.filter(user=account)
        .order_by("pk")
        .values_list("kind", "actor", "message")
    )
    assert events[-2:] == [
        (GrantEventKind.OPERATOR_GRANTED, None, f"{services.OPERATOR}: {REASON}"),
        (
            GrantEventKind.HANDED_OVER,
            None,
            f"{services.OPERATOR}. {services.HANDOVER_LOG.format(devices=0, sessions=0)}",
        ),
    ]
    # The person handed the printed password signs in, sets their own and reads cases.
    person = Client()
    signed = person.post("/dang-nhap/", {"username": "kiemtra.tinh", "password": password.group(1)})
    assert signed["Location"] == FIRST_URL
    person.post(FIRST_URL, {"new_password1": OWN, "new_password2": OWN})
    assert "KT-01" in person.get("/kiem-tra-giam-sat/").content.decode()


def test_it_shows_the_emergency_grant_to_every_later_holder_to_confirm_or_end(world):
    _every_inspector_left(world)
    cuong = services.account_create(username="cuong", password=PASSWORD, check_password=False)
    _grant("cuong", "--unit", "DN", "--department", "inspection", "--reason", REASON)
    request = GrantRequest.objects.get()
    later = services.account_create(
        username="kiemtra.cujut", password=PASSWORD, check_password=False
    )
    services.role_grant(user=later, unit=world.units["DN.CUJUT"], department=INSPECTION)
    client = Client()
    client.force_login(later)

    page = client.get("/tai-khoan/xac-nhan-cap-quyen/")

    body = page.content.decode()
    assert page.context["review"].unconfirmed == [request]
    assert page.context["review"].to_decide == [request]
    assert "Người vận hành máy chủ (lệnh dangvu grant)" in body
    assert REASON in body
    ended = client.post(f"/tai-khoan/xac-nhan-cap-quyen/{request.pk}/tu-choi/")
    assert ended.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.decided_by) == (GrantStatus.DECLINED, later)
    assert not cuong.roles.exists()  # ended on its first day: gone (the log keeps it)


def test_it_starts_the_role_on_the_day_given(world):
    _every_inspector_left(world)
    services.account_create(username="cuong", password=PASSWORD, check_password=False)

    _grant(
        "cuong",
        "--unit",
        "DN.DAKMIL",
        "--department",
        "leadership",
        "--from",
        "01/07/2025",
        "--reason",
        REASON,
    )

    role = Role.objects.get(user__username="cuong")
    assert (role.department, role.valid_from) == (Department.LEADERSHIP, date(2025, 7, 1))


def test_it_keeps_the_credentials_of_an_account_already_vouched_for(world):
    """Hương holds inspection in Đắk Mil (vouched for) and nobody holds leadership: the
    operator gives her leadership without handing her account over."""
    out = _grant("huong", "--unit", "DN.DAKMIL", "--department", "leadership", "--reason", REASON)

    assert grant_role.KEPT in out
    assert "chỉ hiện lần này" not in out
    huong = User.objects.get(username="huong")
    assert huong.check_password(PASSWORD) and not huong.must_change_password
    assert huong.roles.filter(department=Department.LEADERSHIP).exists()


def _gone_unit(world) -> str:
    unit = unit_create(
        code="DN.CUJUT.CU",
        name="Đảng bộ cũ",
        kind=UnitKind.GRASSROOTS_COMMITTEE,
        parent=world.units["DN.CUJUT"],
        valid_from=FOUNDED,
    )
    unit_dissolve(unit=unit, effective_on=date(2024, 1, 1))
    return unit.code


@pytest.mark.parametrize(
    ("username", "unit", "department", "message"),
    [
        ("nobody", "DN", "inspection", grant_role.UNKNOWN_USER.format(name="nobody")),
        ("hoa", "DN.NOWHERE", "inspection", grant_role.UNKNOWN_UNIT.format(code="DN.NOWHERE")),
        ("quantri", "DN", "inspection", grants.ADMIN_GUARDED.format(department="Kiểm tra")),
        ("hoa", "gone", "inspection", grants.UNIT_GONE.format(code="DN.CUJUT.CU")),
        ("hoa", "DN", "organisation", "invalid choice: 'organisation'"),
    ],
)
def test_it_refuses_self_evident_misuse(world, username, unit, department, message):
    _every_inspector_left(world)
    code = _gone_unit(world) if unit == "gone" else unit
    before = _state()

    with pytest.raises(CommandError) as error:
        _grant(username, "--unit", code, "--department", department, "--reason", REASON)

    assert message in str(error.value)
    assert _state() == before


def test_it_refuses_while_a_holder_who_could_confirm_stands(world):
    before = _state()

    with pytest.raises(CommandError) as error:
        _grant(
            "hoa", "--unit", "DN.DAKMIL.DUCMINH", "--department", "inspection", "--reason", REASON
        )

    message = services.OPERATOR_HOLDERS_STAND.format(department="Kiểm tra", names="huong")
    assert str(error.value) == message
    assert _state() == before
    refusal = GrantEvent.objects.get(kind=GrantEventKind.REFUSED)
    assert (refusal.actor, refusal.username, refusal.message) == (
        None,
        "hoa",
        f"{services.OPERATOR}: {message}",
    )


@pytest.mark.parametrize(("reason", "active"), [("  ", True), (REASON, False)])
def test_it_refuses_without_a_reason_or_for_a_locked_account(world, reason, active):
    _every_inspector_left(world)
    User.objects.filter(username="hoa").update(is_active=active)
    before = _state()

    with pytest.raises(CommandError) as error:
        _grant("hoa", "--unit", "DN", "--department", "inspection", "--reason", reason)

    expected = (
        services.OPERATOR_REASON_NEEDED
        if active
        else services.OPERATOR_INACTIVE.format(username="hoa")
    )
    assert str(error.value) == expected
    assert _state() == before


def test_it_refuses_a_day_that_is_no_date(world):
    _every_inspector_left(world)

    with pytest.raises(CommandError) as error:
        _grant(
            "hoa",
            "--unit",
            "DN",
            "--department",
            "inspection",
            "--from",
            "31/02/2025",
            "--reason",
            REASON,
        )

    assert "không phải ngày hợp lệ" in str(error.value)
    assert not Role.objects.filter(user__username="hoa", department=INSPECTION).exists()


def test_it_is_a_verb_of_the_command_line():
    assert cli.VERBS["grant"] == "grant_role"
    assert "grant_role" in get_commands()
    assert "dangvu grant TÊN --unit MÃ --department inspection|leadership" in cli.USAGE
