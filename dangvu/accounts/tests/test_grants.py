"""Who may give whom which access (accounts/grants.py), on the pages and in the services.

Nobody grants themselves; the ordinary departments come from the account managers; the
inspection and leadership departments from their own holders, or from the administrator or
the organisation officer with a holder's confirmation; every grant, request, decision,
revocation and refusal is in the grant log.
"""

from __future__ import annotations

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.contrib.messages import get_messages
from django.test import Client

from dangvu.accounts import grants, services
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
from dangvu.conftest import PASSWORD, ROLES_FROM
from dangvu.inspection.models import InspectionCase
from dangvu.inspection.services import CaseSpec, case_open

INSPECTION = Department.INSPECTION
DUCMINH = "DN.DAKMIL.DUCMINH"


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _roles(user: User) -> list[tuple[str, str, date]]:
    return sorted(user.roles.values_list("department", "unit__code", "valid_to"))


def _refusals() -> list[tuple[str | None, str, str, str]]:
    return list(
        GrantEvent.objects.filter(kind=GrantEventKind.REFUSED)
        .order_by("pk")
        .values_list("actor__username", "username", "department", "message")
    )


def _fresh_installation() -> None:
    """An installation where nobody ever held inspection: the world's only inspector,
    Hương, never had her role (no role, no line of the grant log)."""
    GrantEvent.objects.filter(department=INSPECTION).delete()
    Role.objects.filter(department=INSPECTION).delete()


#: The one-time password a holder sets to hand an account over (used only when she grants
#: or confirms a guarded role; anyone else's is ignored).
HANDOVER = "Trao-tan-tay-2026"
OWN = "Mat-khau-rieng-cua-nguoi-nhan-7"


def _grant(world, actor: str, account: User, unit: str, department: str = INSPECTION):
    return world.client(actor).post(
        f"/tai-khoan/{account.pk}/vai-tro/",
        {"unit_code": unit, "department": department, "handover_password": HANDOVER},
    )


def _confirm(world, actor: str, request: GrantRequest, password: str = HANDOVER):
    return world.client(actor).post(
        f"/tai-khoan/xac-nhan-cap-quyen/{request.pk}/dong-y/", {"handover_password": password}
    )


@pytest.fixture
def cuong(world) -> User:
    """Phạm Văn Cường's account, a member of a cell in Đắk Mil (huong's district)."""
    user = services.account_create(
        username="cuong",
        password=PASSWORD,
        member=world.members["cuong"],
        check_password=False,
    )
    services.role_grant(
        user=user,
        unit=world.units["DN.DAKMIL.DUCMINH.T1"],
        department=Department.MEMBER,
        valid_from=ROLES_FROM,
    )
    world.users["cuong"] = user
    return user


def _first_sign_in(username: str, password: str = HANDOVER) -> Client:
    """The person signs in with the one-time password handed to them and sets their own."""
    client = Client()
    signed = client.post(
        "/dang-nhap/", {"username": username, "password": password}, REMOTE_ADDR="10.0.0.2"
    )
    assert signed["Location"] == "/dang-nhap/doi-mat-khau/"
    own = client.post("/dang-nhap/doi-mat-khau/", {"new_password1": OWN, "new_password2": OWN})
    assert own.status_code == 302 and "_auth_user_id" in client.session
    return client


def _reads_cases(world, username: str, client: Client | None = None) -> bool:
    """The user's case list shows a case of Đắk Mil (made once)."""
    if not InspectionCase.objects.filter(code="KT-01").exists():
        case_open(
            spec=CaseSpec(
                code="KT-01",
                kind="signs",
                body=world.units["DN.DAKMIL"],
                opened_on=date(2022, 3, 1),
                subject_unit=world.units["DN.DAKMIL.DUCMINH.T1"],
            )
        )
    client = client or world.client(username)
    return "KT-01" in client.get("/kiem-tra-giam-sat/").content.decode()


# -- nobody grants themselves ------------------------------------------------------------


def test_it_refuses_the_organisation_officer_granting_herself_inspection(world):
    tochuc = world.users["tochuc"]
    before = _roles(tochuc)

    response = _grant(world, "tochuc", tochuc, "DN")

    assert response.status_code == 302
    assert _messages(response) == [grants.SELF_GRANT]
    assert _roles(tochuc) == before
    assert not GrantRequest.objects.exists()
    assert not _reads_cases(world, "tochuc")
    assert _refusals() == [("tochuc", "tochuc", INSPECTION, grants.SELF_GRANT)]


def test_it_refuses_the_administrator_granting_himself_inspection(world):
    quantri = world.users["quantri"]

    response = _grant(world, "quantri", quantri, "DN")

    assert _messages(response) == [grants.SELF_GRANT]
    assert not quantri.roles.exists()
    assert not GrantRequest.objects.exists()
    assert not _reads_cases(world, "quantri")
    assert _refusals() == [("quantri", "quantri", INSPECTION, grants.SELF_GRANT)]


def test_it_refuses_widening_or_extending_ones_own_ordinary_role(world, cuong):
    tochuc = world.users["tochuc"]
    before = _roles(tochuc)

    wider = _grant(world, "tochuc", tochuc, "DN", Department.PROPAGANDA)
    with pytest.raises(services.DomainError) as error:
        services.role_grant(
            user=tochuc,
            unit=world.units["DN"],
            department=Department.ORGANISATION,
            valid_from=date(2010, 1, 1),
            actor=tochuc,
        )

    assert _messages(wider) == [grants.SELF_GRANT]
    assert error.value.message == grants.SELF_GRANT
    assert _roles(tochuc) == before
    assert len(_refusals()) == 2


def test_it_offers_no_role_form_on_ones_own_account(world):
    tochuc = world.users["tochuc"]

    body = world.client("tochuc").get(f"/tai-khoan/{tochuc.pk}/").content.decode()

    assert "Không ai được tự cấp, mở rộng hay gia hạn vai trò của chính mình" in body
    assert f'action="/tai-khoan/{tochuc.pk}/vai-tro/"' not in body


def test_it_lets_one_end_ones_own_role(world):
    tochuc = world.users["tochuc"]
    role = tochuc.roles.get()

    services.role_revoke(role=role, actor=tochuc)

    role.refresh_from_db()
    assert role.valid_to == today()
    assert GrantEvent.objects.get(kind=GrantEventKind.REVOKED).actor == tochuc


# -- the administrator never holds a guarded department -------------------------------------


def test_it_refuses_inspection_for_an_administrator_account(world):
    other_admin = services.account_create(
        username="quantri2", password=PASSWORD, is_admin=True, check_password=False
    )
    huong = world.users["huong"]

    requested = _grant(world, "quantri", other_admin, "DN.DAKMIL")
    with pytest.raises(services.DomainError) as by_holder:
        services.role_grant(
            user=world.users["quantri"],
            unit=world.units["DN.DAKMIL"],
            department=INSPECTION,
            actor=huong,
        )

    message = grants.ADMIN_GUARDED.format(department="Kiểm tra")
    assert _messages(requested) == [message]
    assert by_holder.value.message == message
    assert not Role.objects.filter(user__is_superuser=True).exists()
    assert not GrantRequest.objects.exists()
    assert [r[0] for r in _refusals()] == ["quantri", "huong"]


# -- the organisation officer asks; a holder confirms ----------------------------------------


@pytest.mark.parametrize("unit", ["DN", DUCMINH, "DN.CUJUT"])
def test_it_lets_the_organisation_officer_only_ask_for_inspection(world, unit):
    hoa = world.users["hoa"]

    response = _grant(world, "tochuc", hoa, unit)

    assert response.status_code == 302
    assert _messages(response) == [services.REQUESTED.format(department="Kiểm tra")]
    assert _roles(hoa) == [(Department.SECRETARY, "DN.CUJUT.EATLING.TDP1", date(9999, 12, 31))]
    request = GrantRequest.objects.get()
    assert (request.user, request.unit.code, request.status, request.role) == (
        hoa,
        unit,
        GrantStatus.PENDING,
        None,
    )
    assert request.requested_by == world.users["tochuc"]
    assert not request.without_confirmation
    assert not _reads_cases(world, "hoa")
    event = GrantEvent.objects.exclude(actor=None).get()
    assert (event.kind, event.actor, event.request) == (
        GrantEventKind.REQUESTED,
        world.users["tochuc"],
        request,
    )


def test_it_refuses_leadership_asked_outside_the_officers_reach(world):
    officer = services.account_create(
        username="tochuc.cujut", password=PASSWORD, check_password=False
    )
    services.role_grant(
        user=officer,
        unit=world.units["DN.CUJUT"],
        department=Department.ORGANISATION,
        valid_from=ROLES_FROM,
    )

    with pytest.raises(services.DomainError) as error:
        services.role_grant(
            user=world.users["hoa"],
            unit=world.units["DN.DAKMIL"],
            department=Department.LEADERSHIP,
            actor=officer,
        )

    assert error.value.message == grants.OUT_OF_SCOPE
    assert not GrantRequest.objects.exists()
    assert _refusals() == [("tochuc.cujut", "hoa", Department.LEADERSHIP, grants.OUT_OF_SCOPE)]


def test_it_makes_the_role_when_the_inspector_confirms_the_administrators_request(world, cuong):
    requested = _grant(world, "quantri", cuong, DUCMINH)
    request = GrantRequest.objects.get()
    huong = world.client("huong")

    page = huong.get("/tai-khoan/xac-nhan-cap-quyen/")
    confirmed = huong.post(
        f"/tai-khoan/xac-nhan-cap-quyen/{request.pk}/dong-y/", {"handover_password": HANDOVER}
    )

    assert _messages(requested) == [services.REQUESTED.format(department="Kiểm tra")]
    assert page.status_code == 200
    assert page.context["review"].to_decide == [request]
    assert confirmed.status_code == 302
    assert _messages(confirmed) == [
        services.CONFIRMED,
        services.HANDED_OVER.format(username="cuong"),
    ]
    request.refresh_from_db()
    assert (request.status, request.decided_by) == (GrantStatus.CONFIRMED, world.users["huong"])
    role = cuong.roles.get(department=INSPECTION)
    assert (role.unit.code, role.valid_from, role.granted_by) == (
        DUCMINH,
        today(),
        world.users["quantri"],
    )
    assert request.role == role
    assert _reads_cases(world, "cuong", _first_sign_in("cuong"))
    assert list(
        GrantEvent.objects.exclude(actor=None).order_by("pk").values_list("kind", "actor__username")
    ) == [
        (GrantEventKind.REQUESTED, "quantri"),
        (GrantEventKind.CONFIRMED, "huong"),
        (GrantEventKind.HANDED_OVER, "huong"),
    ]


def test_it_leaves_nothing_when_the_inspector_refuses_the_request(world, cuong):
    _grant(world, "quantri", cuong, DUCMINH)
    request = GrantRequest.objects.get()

    refused = world.client("huong").post(f"/tai-khoan/xac-nhan-cap-quyen/{request.pk}/tu-choi/")

    assert _messages(refused) == [services.DECLINED]
    request.refresh_from_db()
    assert (request.status, request.decided_by, request.role) == (
        GrantStatus.DECLINED,
        world.users["huong"],
        None,
    )
    assert not cuong.roles.filter(department=INSPECTION).exists()
    assert not _reads_cases(world, "cuong")
    again = _confirm(world, "huong", request)
    assert again.status_code == 404
    assert not cuong.roles.filter(department=INSPECTION).exists()


@pytest.mark.parametrize("username", ["tochuc", "quantri", "hoa", "kbinh", "mattran"])
def test_it_lets_nobody_but_a_holder_confirm(world, cuong, username):
    _grant(world, "tochuc", cuong, DUCMINH)
    request = GrantRequest.objects.get()
    client = world.client(username)

    assert client.get("/tai-khoan/xac-nhan-cap-quyen/").status_code == 404
    assert client.post(f"/tai-khoan/xac-nhan-cap-quyen/{request.pk}/dong-y/").status_code == 404
    assert client.post(f"/tai-khoan/xac-nhan-cap-quyen/{request.pk}/tu-choi/").status_code == 404
    request.refresh_from_db()
    assert request.status == GrantStatus.PENDING
    assert not cuong.roles.filter(department=INSPECTION).exists()


def test_it_records_a_confirmation_refused_by_the_service(world, cuong):
    _grant(world, "tochuc", cuong, DUCMINH)
    request = GrantRequest.objects.get()

    with pytest.raises(services.DomainError) as by_requester:
        services.grant_request_confirm(request=request, actor=world.users["tochuc"])
    with pytest.raises(services.DomainError) as by_stranger:
        services.grant_request_confirm(request=request, actor=world.users["kbinh"])

    assert by_requester.value.message == grants.OWN_REQUEST
    assert by_stranger.value.message == grants.NOT_A_CONFIRMER.format(department="Kiểm tra")
    request.refresh_from_db()
    assert request.status == GrantStatus.PENDING
    assert not cuong.roles.filter(department=INSPECTION).exists()
    assert [r[0] for r in _refusals()] == ["tochuc", "kbinh"]


def test_it_lets_no_one_confirm_a_grant_to_themselves(world):
    huong = world.users["huong"]
    provincial = services.account_create(
        username="kiemtra.tinh", password=PASSWORD, check_password=False
    )
    services.role_grant(user=provincial, unit=world.units["DN"], department=INSPECTION)
    services.role_grant(
        user=huong, unit=world.units[DUCMINH], department=INSPECTION, actor=world.users["tochuc"]
    )
    request = GrantRequest.objects.get()

    with pytest.raises(services.DomainError) as error:
        services.grant_request_confirm(request=request, actor=huong)

    assert error.value.message == grants.OWN_REQUEST
    assert huong.roles.count() == 1


def test_it_asks_any_holder_when_none_stands_at_or_above_the_unit(world):
    """Nobody holds inspection over Cư Jút: huong (Đắk Mil) is the second key, so the
    organisation officer still cannot grant it alone."""
    hoa = world.users["hoa"]
    _grant(world, "tochuc", hoa, "DN.CUJUT")
    request = GrantRequest.objects.get()

    confirmed = _confirm(world, "huong", request)

    assert _messages(confirmed) == [services.CONFIRMED, services.HANDED_OVER.format(username="hoa")]
    assert hoa.roles.filter(department=INSPECTION, unit__code="DN.CUJUT").exists()


# -- a holder grants her own department, inside her reach -------------------------------------


def test_it_lets_the_inspector_grant_inspection_inside_her_district(world, cuong):
    response = _grant(world, "huong", cuong, DUCMINH)

    assert _messages(response) == [services.GRANTED, services.HANDED_OVER.format(username="cuong")]
    role = cuong.roles.get(department=INSPECTION)
    assert (role.unit.code, role.granted_by) == (DUCMINH, world.users["huong"])
    assert not GrantRequest.objects.exists()
    assert _reads_cases(world, "cuong", _first_sign_in("cuong"))


@pytest.mark.parametrize(
    ("unit", "department", "message"),
    [
        ("DN.TUYDUC", INSPECTION, grants.OUT_OF_SCOPE),
        ("DN", INSPECTION, grants.OUT_OF_SCOPE),
        (DUCMINH, Department.LEADERSHIP, "Bạn không có quyền cấp vai trò Lãnh đạo"),
        (DUCMINH, Department.SECRETARY, "Bạn không có quyền cấp vai trò Bí thư, cấp ủy."),
    ],
)
def test_it_refuses_the_inspector_anything_else(world, cuong, unit, department, message):
    response = _grant(world, "huong", cuong, unit, department)

    assert _messages(response)[0].startswith(message)
    assert _roles(cuong) == [(Department.MEMBER, "DN.DAKMIL.DUCMINH.T1", date(9999, 12, 31))]
    assert not GrantRequest.objects.exists()
    assert [(r[0], r[2]) for r in _refusals()] == [("huong", department)]


def test_it_offers_the_inspector_only_her_department(world, cuong):
    response = world.client("huong").get(f"/tai-khoan/{cuong.pk}/")

    assert response.status_code == 200
    choices = list(response.context["form"].fields["department"].choices)
    assert choices == [(INSPECTION, "Kiểm tra")]


def test_it_refuses_a_grant_from_a_role_that_has_ended(world, cuong):
    huong = world.users["huong"]
    services.role_revoke(role=huong.roles.get(), effective_on=today())

    with pytest.raises(services.DomainError):
        services.role_grant(
            user=cuong, unit=world.units[DUCMINH], department=INSPECTION, actor=huong
        )

    assert not cuong.roles.filter(department=INSPECTION).exists()


def test_it_refuses_a_past_when_the_unit_stood_outside_the_grantors_subtree(world, cuong):
    """A role in force reaches its subtree's whole history, so backdating inside it is
    allowed; a day on which the unit stood elsewhere is not."""
    from dangvu.units.services import unit_move

    unit_move(
        unit=world.units[DUCMINH],
        new_parent=world.units["DN.TUYDUC"],
        effective_on=date(2019, 1, 1),
    )
    unit_move(
        unit=world.units[DUCMINH],
        new_parent=world.units["DN.DAKMIL"],
        effective_on=date(2020, 1, 1),
    )
    with pytest.raises(services.DomainError) as error:
        services.role_grant(
            user=cuong,
            unit=world.units[DUCMINH],
            department=INSPECTION,
            valid_from=date(2019, 6, 1),
            actor=world.users["huong"],
        )

    assert error.value.message == grants.OUT_OF_SCOPE
    assert not cuong.roles.filter(department=INSPECTION).exists()


def test_it_lets_the_inspector_end_inspection_in_her_district_only(world, cuong):
    services.role_grant(
        user=cuong, unit=world.units[DUCMINH], department=INSPECTION, valid_from=date(2024, 1, 1)
    )
    inspection = cuong.roles.get(department=INSPECTION)
    membership = cuong.roles.get(department=Department.MEMBER)
    page = world.client("huong").get(f"/tai-khoan/{cuong.pk}/").content.decode()

    ended = world.client("huong").post(f"/tai-khoan/{cuong.pk}/vai-tro/{inspection.pk}/thu-hoi/")
    kept = world.client("huong").post(f"/tai-khoan/{cuong.pk}/vai-tro/{membership.pk}/thu-hoi/")

    assert page.count("Thu hồi</button>") == 1
    assert _messages(ended) == ["Đã thu hồi vai trò."]
    assert _messages(kept) == [grants.OUT_OF_SCOPE]
    inspection.refresh_from_db()
    membership.refresh_from_db()
    assert inspection.valid_to == today()
    assert membership.is_open


# -- a fresh installation: granted without confirmation, shown to later holders ---------------


def test_it_grants_without_confirmation_when_nobody_holds_inspection(world, cuong):
    _fresh_installation()

    response = _grant(world, "quantri", cuong, DUCMINH)

    assert _messages(response) == [services.GRANTED_UNCONFIRMED.format(department="Kiểm tra")]
    role = cuong.roles.get(department=INSPECTION)
    request = GrantRequest.objects.get()
    assert (request.role, request.status, request.without_confirmation) == (
        role,
        GrantStatus.PENDING,
        True,
    )
    assert GrantEvent.objects.filter(
        kind=GrantEventKind.GRANTED_UNCONFIRMED, role=role, actor=world.users["quantri"]
    ).exists()
    detail = world.client("quantri").get(f"/tai-khoan/{cuong.pk}/").content.decode()
    assert "Cấp không qua xác nhận" in detail


def test_it_lets_a_later_holder_above_end_an_unconfirmed_grant(world, cuong):
    _fresh_installation()
    role = services.role_grant(
        user=cuong,
        unit=world.units[DUCMINH],
        department=INSPECTION,
        valid_from=date(2024, 1, 1),
        actor=world.users["quantri"],
    ).role
    request = GrantRequest.objects.get()
    later = services.account_create(
        username="kiemtra.tinh", password=PASSWORD, check_password=False
    )
    services.role_grant(user=later, unit=world.units["DN"], department=INSPECTION)
    world.users["kiemtra.tinh"] = later

    response = world.client("kiemtra.tinh").post(
        f"/tai-khoan/xac-nhan-cap-quyen/{request.pk}/tu-choi/"
    )

    assert _messages(response) == [services.UNCONFIRMED_ENDED]
    role.refresh_from_db()
    assert role.valid_to == today()
    request.refresh_from_db()
    assert (request.status, request.decided_by, request.without_confirmation) == (
        GrantStatus.DECLINED,
        later,
        True,
    )
    assert not _reads_cases(world, "cuong")


def test_it_lets_a_later_holder_above_confirm_an_unconfirmed_grant(world, cuong):
    _fresh_installation()
    role = services.role_grant(
        user=cuong,
        unit=world.units[DUCMINH],
        department=INSPECTION,
        valid_from=date(2024, 1, 1),
        actor=world.users["quantri"],
    ).role
    request = GrantRequest.objects.get()
    later = services.account_create(
        username="kiemtra.tinh", password=PASSWORD, check_password=False
    )
    services.role_grant(user=later, unit=world.units["DN"], department=INSPECTION)
    world.users["kiemtra.tinh"] = later

    response = _confirm(world, "kiemtra.tinh", request)

    assert _messages(response) == [
        services.UNCONFIRMED_KEPT,
        services.HANDED_OVER.format(username="cuong"),
    ]
    role.refresh_from_db()
    assert role.is_open
    request.refresh_from_db()
    assert (request.status, request.decided_by, request.role) == (
        GrantStatus.CONFIRMED,
        later,
        role,
    )
    assert Role.objects.filter(user=cuong, department=INSPECTION).count() == 1


# -- accounts created with their first role ---------------------------------------------------


def _account_form(**overrides: str) -> dict[str, str]:
    data = {
        "username": "kiemtra.dakmil2",
        "full_name": "Cán bộ kiểm tra",
        "password": "Chi-bo-To-dan-pho-2",
        "member_card": "",
        "unit_code": DUCMINH,
        "department": INSPECTION,
        "title": "",
        "valid_from": "",
    }
    data.update(overrides)
    return data


def test_it_creates_the_account_and_asks_for_its_inspection_role(world):
    response = world.client("tochuc").post("/tai-khoan/moi/", _account_form())

    account = User.objects.get(username="kiemtra.dakmil2")
    assert response["Location"] == f"/tai-khoan/{account.pk}/"
    assert _messages(response) == [
        "Đã tạo tài khoản kiemtra.dakmil2.",
        services.REQUESTED.format(department="Kiểm tra"),
    ]
    assert not account.roles.exists()
    assert GrantRequest.objects.get().user == account
    # The officer still finds the account she made, with its request.
    page = world.client("tochuc").get(f"/tai-khoan/{account.pk}/")
    assert page.status_code == 200
    assert "Chờ xác nhận" in page.content.decode()


def test_it_records_a_refused_first_role_and_creates_no_account(world):
    officer = services.account_create(
        username="tochuc.cujut", password=PASSWORD, check_password=False
    )
    services.role_grant(
        user=officer,
        unit=world.units["DN.CUJUT"],
        department=Department.ORGANISATION,
        valid_from=ROLES_FROM,
    )
    world.users["tochuc.cujut"] = officer

    response = world.client("tochuc.cujut").post(
        "/tai-khoan/moi/", _account_form(unit_code="DN.TUYDUC", department=Department.OFFICE)
    )

    assert response.status_code == 200
    assert grants.OUT_OF_SCOPE in response.content.decode()
    assert not User.objects.filter(username="kiemtra.dakmil2").exists()
    assert _refusals() == [
        ("tochuc.cujut", "kiemtra.dakmil2", Department.OFFICE, grants.OUT_OF_SCOPE)
    ]


# -- the audit trail ----------------------------------------------------------------------------


def test_it_puts_grants_and_refusals_in_the_administrators_audit_trail(world, cuong):
    _grant(world, "tochuc", world.users["tochuc"], "DN")
    _grant(world, "huong", cuong, DUCMINH)

    response = world.client("quantri").get("/nhat-ky/", {"loai": "grantevent"})

    shown = [e.object_repr for e in response.context["page"]]
    assert "Bị từ chối: không đủ quyền: tochuc → tochuc, Kiểm tra @ DN" in shown
    assert "Cấp vai trò: huong → cuong, Kiểm tra @ DN.DAKMIL.DUCMINH" in shown
    role = cuong.roles.get(department=INSPECTION)
    assert LogEntry.objects.get_for_object(role).get().actor == world.users["huong"]


def test_it_commits_the_record_of_a_refusal(live_world):
    """Outside a test's own transaction too: the refusal is committed, the write is not."""
    tochuc = live_world.users["tochuc"]

    response = _grant(live_world, "tochuc", tochuc, "DN")

    assert _messages(response) == [grants.SELF_GRANT]
    assert _refusals() == [("tochuc", "tochuc", INSPECTION, grants.SELF_GRANT)]
    assert list(tochuc.roles.values_list("department", flat=True)) == [Department.ORGANISATION]


@pytest.mark.parametrize("actor", ["tochuc", "quantri"])
def test_it_asks_a_confirmation_even_after_ending_every_inspectors_role(world, cuong, actor):
    # Ending the only inspector's role (which an account manager may) does not make a fresh
    # installation: the grant still waits for a holder, however long none exists.
    revoked = world.client(actor).post(
        f"/tai-khoan/{world.users['huong'].pk}/vai-tro/{world.users['huong'].roles.get().pk}/thu-hoi/"
    )
    assert revoked.status_code == 302
    assert not Role.objects.filter(department=INSPECTION, valid_to__gt=today()).exists()

    response = _grant(world, actor, cuong, DUCMINH)

    assert _messages(response)[-1] == services.REQUESTED.format(department="Kiểm tra")
    assert not cuong.roles.filter(department=INSPECTION).exists()
    request = GrantRequest.objects.get()
    assert (request.role, request.status, request.without_confirmation) == (
        None,
        GrantStatus.PENDING,
        False,
    )
    assert not _reads_cases(world, "cuong")
