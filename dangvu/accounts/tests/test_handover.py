"""A guarded role takes effect for a person, not for whoever knows the account's password
(accounts/grants.py, rule 6): when a holder grants inspection or leadership, or confirms a
request for it, the account is handed over — a one-time password she sets, its two-factor
devices removed, its sessions (and sign-ins begun) ended.

The attack it stops: the organisation officer creates an account (so she knows its one-time
password) and asks inspection for it; she signs in as it first, chooses its password and
enrols her own phone; the inspector who confirms sees only a name, and the cases open to
the officer.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangvu.accounts import grants, services, signin
from dangvu.accounts.models import (
    Department,
    GrantEvent,
    GrantEventKind,
    GrantRequest,
    GrantStatus,
    User,
    UserSession,
)
from dangvu.accounts.tests.helpers import code
from dangvu.accounts.views_signin import EXPIRED
from dangvu.conftest import PASSWORD
from dangvu.inspection.models import InspectionCase
from dangvu.inspection.services import CaseSpec, case_open

INSPECTION = Department.INSPECTION
DUCMINH = "DN.DAKMIL.DUCMINH"
CREATED = "Tam-thoi-cua-to-chuc-1"  # the one-time password the officer set at creation
CHOSEN = "Mat-khau-to-chuc-chon-2"  # the password she chose, signed in as the account
HANDOVER = "Trao-tan-tay-Duc-Minh-3"  # the one the inspector sets and hands over
OWN = "Mat-khau-cua-chinh-nguoi-nhan-4"  # the person's own
ENROL_URL = "/tai-khoan-cua-toi/xac-thuc-hai-buoc/"
CASES_URL = "/kiem-tra-giam-sat/"
FIRST_URL = "/dang-nhap/doi-mat-khau/"
CODE_URL = "/dang-nhap/ma-xac-thuc/"


@pytest.fixture(autouse=True)
def _no_waiting(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


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


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _password_step(client: Client, username: str, password: str):
    return client.post(
        "/dang-nhap/", {"username": username, "password": password}, REMOTE_ADDR="10.0.0.3"
    )


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _reads_cases(client: Client) -> bool:
    response = client.get(CASES_URL)
    return response.status_code == 200 and "KT-01" in response.content.decode()


def _officer_creates_and_takes(world) -> tuple[User, Client]:
    """The officer creates the account with a request for inspection at Đức Minh, signs in
    as it before anyone, chooses its password and enrols her own phone."""
    created = world.client("tochuc").post(
        "/tai-khoan/moi/",
        {
            "username": "kiemtra.ducminh",
            "full_name": "Cán bộ kiểm tra Đức Minh",
            "password": CREATED,
            "unit_code": DUCMINH,
            "department": INSPECTION,
        },
    )
    assert created.status_code == 302
    account = User.objects.get(username="kiemtra.ducminh")
    officer = Client()
    assert _password_step(officer, account.username, CREATED)["Location"] == FIRST_URL
    officer.post(FIRST_URL, {"new_password1": CHOSEN, "new_password2": CHOSEN})
    assert _signed_in(officer)
    officer.get(ENROL_URL)
    phone = TOTPDevice.objects.get(user=account)
    assert officer.post(ENROL_URL, {"code": code(phone)}).status_code == 200
    assert TOTPDevice.objects.filter(user=account, confirmed=True).exists()
    return account, officer


def test_it_takes_the_account_from_the_officer_who_created_it_when_the_inspector_confirms(
    world, case
):
    account, officer = _officer_creates_and_takes(world)
    phone = TOTPDevice.objects.get(user=account)
    # A second sign-in of hers, begun with the password she chose (waiting for the code).
    begun = Client()
    assert _password_step(begun, account.username, CHOSEN)["Location"] == CODE_URL
    request = GrantRequest.objects.get(user=account)
    huong = world.client("huong")

    page = huong.get(f"/tai-khoan/xac-nhan-cap-quyen/{request.pk}/dong-y/")
    confirmed = huong.post(
        f"/tai-khoan/xac-nhan-cap-quyen/{request.pk}/dong-y/", {"handover_password": HANDOVER}
    )

    body = page.content.decode()
    assert page.status_code == 200
    assert "Mật khẩu dùng một lần sẽ được đặt lại" in body
    assert "Thiết bị xác thực hai bước cũ bị gỡ" in body
    assert "đã bật xác thực hai bước" in body  # someone already uses the account
    assert 'name="handover_password"' in body
    assert confirmed.status_code == 302
    assert _messages(confirmed) == [
        services.CONFIRMED,
        services.HANDED_OVER.format(username="kiemtra.ducminh"),
    ]
    account.refresh_from_db()
    assert account.roles.get().department == INSPECTION
    # Her session on the account is gone, and with it the cases.
    assert not _signed_in(officer)
    assert officer.get(CASES_URL)["Location"].startswith("/dang-nhap/")
    assert not UserSession.objects.filter(user=account).exists()
    # Her phone is no longer the account's, nor are its recovery codes.
    assert not TOTPDevice.objects.filter(user=account).exists()
    assert not StaticDevice.objects.filter(user=account).exists()
    resumed = begun.post(CODE_URL, {"code": code(phone, steps_ahead=1)})
    assert resumed["Location"] == "/dang-nhap/"
    assert _messages(resumed) == [EXPIRED]
    taken = begun.post(FIRST_URL, {"new_password1": OWN, "new_password2": OWN})
    assert not _signed_in(begun) and taken["Location"] == "/dang-nhap/"
    # The password she knows no longer works.
    again = Client()
    refused = _password_step(again, account.username, CHOSEN)
    assert refused.status_code == 200 and not _signed_in(again)
    assert signin.PENDING_KEY not in again.session
    account.refresh_from_db()
    assert account.check_password(HANDOVER) and account.must_change_password
    # The person handed the one-time password signs in, sets their own, reads the cases.
    person = Client()
    assert _password_step(person, account.username, HANDOVER)["Location"] == FIRST_URL
    person.post(FIRST_URL, {"new_password1": OWN, "new_password2": OWN})
    assert _signed_in(person) and _reads_cases(person)
    event = GrantEvent.objects.get(kind=GrantEventKind.HANDED_OVER)
    assert (event.actor, event.user, event.request, event.role) == (
        world.users["huong"],
        account,
        request,
        account.roles.get(),
    )
    assert event.message == services.HANDOVER_LOG.format(devices=2, sessions=1)


def test_it_hands_the_account_over_when_the_inspector_grants_directly(world, case):
    # The officer gives an account of hers an ordinary role, signs in as it, then asks the
    # inspector to grant it inspection herself.
    account = services.account_create(
        username="kiemtra.ducminh", password=CREATED, actor=world.users["tochuc"]
    )
    services.role_grant(
        user=account,
        unit=world.units[DUCMINH],
        department=Department.PROPAGANDA,
        actor=world.users["tochuc"],
    )
    officer = Client()
    _password_step(officer, account.username, CREATED)
    officer.post(FIRST_URL, {"new_password1": CHOSEN, "new_password2": CHOSEN})
    assert _signed_in(officer)

    granted = world.client("huong").post(
        f"/tai-khoan/{account.pk}/vai-tro/",
        {"unit_code": DUCMINH, "department": INSPECTION, "handover_password": HANDOVER},
    )

    assert _messages(granted) == [
        services.GRANTED,
        services.HANDED_OVER.format(username="kiemtra.ducminh"),
    ]
    assert account.roles.filter(department=INSPECTION).exists()
    assert not _signed_in(officer) or not _reads_cases(officer)
    assert not UserSession.objects.filter(user=account).exists()
    account.refresh_from_db()
    assert account.check_password(HANDOVER) and not account.check_password(CHOSEN)
    assert account.must_change_password
    assert GrantEvent.objects.filter(
        kind=GrantEventKind.HANDED_OVER, actor=world.users["huong"], user=account
    ).exists()


def test_it_shows_the_hand_over_on_the_account_page_to_a_holder_only(world):
    hoa = world.users["hoa"]

    by_holder = world.client("huong")
    # hoa has no role in Đắk Mil: give her one the inspector reaches.
    services.role_grant(user=hoa, unit=world.units[DUCMINH], department=Department.OFFICE)
    holder_page = by_holder.get(f"/tai-khoan/{hoa.pk}/").content.decode()
    officer_page = world.client("tochuc").get(f"/tai-khoan/{hoa.pk}/").content.decode()

    assert 'name="handover_password"' in holder_page
    assert "mật khẩu dùng một lần sẽ được đặt lại" in holder_page
    assert 'name="handover_password"' not in officer_page


def test_it_confirms_nothing_without_a_one_time_password(world):
    account, officer = _officer_creates_and_takes(world)
    request = GrantRequest.objects.get(user=account)
    url = f"/tai-khoan/xac-nhan-cap-quyen/{request.pk}/dong-y/"
    huong = world.client("huong")

    empty = huong.post(url, {})
    weak = huong.post(url, {"handover_password": "12345678"})
    with pytest.raises(services.DomainError) as error:
        services.grant_request_confirm(request=request, actor=world.users["huong"])

    assert empty.status_code == 200 and weak.status_code == 200
    assert "Mật khẩu này quá phổ biến." in weak.content.decode()
    assert error.value.message == services.HANDOVER_PASSWORD_NEEDED.format(department="Kiểm tra")
    request.refresh_from_db()
    assert (request.status, request.role) == (GrantStatus.PENDING, None)
    assert not account.roles.exists()
    account.refresh_from_db()
    assert account.check_password(CHOSEN)
    assert TOTPDevice.objects.filter(user=account).exists() and _signed_in(officer)
    assert not GrantEvent.objects.filter(
        kind__in=(GrantEventKind.CONFIRMED, GrantEventKind.HANDED_OVER)
    ).exists()


def test_it_grants_nothing_directly_without_a_one_time_password(world):
    cuong = services.account_create(
        username="cuong", password=PASSWORD, member=world.members["cuong"], check_password=False
    )
    services.role_grant(
        user=cuong, unit=world.units["DN.DAKMIL.DUCMINH.T1"], department=Department.MEMBER
    )

    response = world.client("huong").post(
        f"/tai-khoan/{cuong.pk}/vai-tro/", {"unit_code": DUCMINH, "department": INSPECTION}
    )

    assert _messages(response) == [services.HANDOVER_PASSWORD_NEEDED.format(department="Kiểm tra")]
    assert not cuong.roles.filter(department=INSPECTION).exists()
    cuong.refresh_from_db()
    assert cuong.check_password(PASSWORD)


def test_it_never_uses_a_password_typed_by_who_only_asks(world):
    hoa = world.users["hoa"]

    response = world.client("tochuc").post(
        f"/tai-khoan/{hoa.pk}/vai-tro/",
        {"unit_code": DUCMINH, "department": INSPECTION, "handover_password": HANDOVER},
    )

    assert _messages(response) == [services.REQUESTED.format(department="Kiểm tra")]
    hoa.refresh_from_db()
    assert hoa.check_password(PASSWORD) and not hoa.must_change_password
    assert not GrantEvent.objects.filter(kind=GrantEventKind.HANDED_OVER).exists()


def test_it_keeps_the_credentials_of_an_account_already_vouched_for(world, case):
    """Hương holds inspection in Đắk Mil (vouched for): a further guarded role asked for her
    account is confirmed without handing it over again."""
    provincial = services.account_create(
        username="kiemtra.tinh", password=PASSWORD, check_password=False
    )
    services.role_grant(user=provincial, unit=world.units["DN"], department=INSPECTION)
    world.users["kiemtra.tinh"] = provincial
    huong = world.users["huong"]
    services.role_grant(
        user=huong, unit=world.units["DN.CUJUT"], department=INSPECTION, actor=world.users["tochuc"]
    )
    request = GrantRequest.objects.get(user=huong)
    own = world.client("huong")
    assert not grants.handover_due(huong)

    page = world.client("kiemtra.tinh").get(f"/tai-khoan/xac-nhan-cap-quyen/{request.pk}/dong-y/")
    confirmed = world.client("kiemtra.tinh").post(
        f"/tai-khoan/xac-nhan-cap-quyen/{request.pk}/dong-y/"
    )

    assert "mật khẩu và xác thực hai bước được giữ nguyên" in page.content.decode()
    assert 'name="handover_password"' not in page.content.decode()
    assert _messages(confirmed) == [services.CONFIRMED]
    assert huong.roles.filter(unit__code="DN.CUJUT").exists()
    huong.refresh_from_db()
    assert huong.check_password(PASSWORD) and not huong.must_change_password
    assert _reads_cases(own)
    assert not GrantEvent.objects.filter(kind=GrantEventKind.HANDED_OVER).exists()


def test_it_does_not_count_a_grant_made_without_confirmation_as_vouched_for(world):
    GrantEvent.objects.filter(department=INSPECTION).delete()
    huong = world.users["huong"]
    huong.roles.all().delete()  # a fresh installation
    services.role_grant(
        user=huong,
        unit=world.units["DN.DAKMIL"],
        department=INSPECTION,
        actor=world.users["quantri"],
    )
    assert GrantRequest.objects.get(user=huong).without_confirmation

    assert grants.handover_due(huong)


def test_it_makes_the_person_enrol_their_own_phone_at_the_first_sign_in(world, settings):
    account, _ = _officer_creates_and_takes(world)
    request = GrantRequest.objects.get(user=account)
    services.grant_request_confirm(
        request=request, actor=world.users["huong"], handover_password=HANDOVER
    )
    settings.TWO_FACTOR_REQUIRED = True  # as outside the demo
    person = Client()

    first = _password_step(person, account.username, HANDOVER)
    own = person.post(FIRST_URL, {"new_password1": OWN, "new_password2": OWN})

    assert first["Location"] == FIRST_URL  # no code asked: the officer's phone is gone
    assert own["Location"] == "/dang-nhap/bat-xac-thuc/"
    assert not _signed_in(person)
