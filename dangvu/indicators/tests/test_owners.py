"""A department acts only in its own domain (issue 13, item 2): each indicator belongs to
the department that answers for it, and only that department — or the committee
leadership — enters or overrides its values, through every path: the entry grid, the
SoLieu sheet of the exchange workbook, the service itself."""

from __future__ import annotations

import html
import io
from datetime import date, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.messages import get_messages

from dangvu.accounts.models import Department
from dangvu.accounts.scope import build_scope, today
from dangvu.accounts.services import account_create, role_grant
from dangvu.core.errors import DomainError
from dangvu.exchange.services import SHEET_NOT_ALLOWED, workbook_import
from dangvu.indicators.catalogue import raw
from dangvu.indicators.models import EnteredValue, Indicator
from dangvu.indicators.services import NOT_YOURS
from dangvu.indicators.tests.helpers import enter

ENTRY = "/so-lieu/nhap/"
HISTORY = "ky=2019&ca_chi_tieu_tinh=1"


def refusal(code: str, owner: str, unit: str) -> str:
    return NOT_YOURS.format(code=code, owner=owner, unit=unit)


def stored() -> list[tuple[str, str, str, str, Decimal, str | None]]:
    return list(
        EnteredValue.objects.order_by("indicator__code", "key", "unit__code").values_list(
            "indicator__code", "key", "unit__code", "period", "value", "entered_by__username"
        )
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def grid_rows(response) -> list[str]:
    return [indicator.code for indicator, _ in response.context["form"].rows]


def so_lieu(*rows: list[object]) -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "SoLieu"
    sheet.append(["Mã chỉ tiêu", "Mã đơn vị", "Kỳ", "Giá trị", "Ghi chú"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def import_as(user, data: io.BytesIO) -> list[tuple[str, int, str, str]]:
    report = workbook_import(file=data, actor=user, scope=build_scope(user), file_name="x.xlsx")
    return [(e.sheet, e.row, e.column, e.reason) for e in report.errors]


# -- the catalogue: every indicator has its department ------------------------------------
def test_it_gives_every_indicator_the_department_that_answers_for_it(world):
    owners = dict(Indicator.objects.values_list("code", "owner"))

    assert {owners[c] for c in owners if c.startswith("org.")} == {Department.ORGANISATION}
    assert {owners[c] for c in owners if c.startswith("inspection.")} == {Department.INSPECTION}
    assert {owners[c] for c in owners if c.startswith("supervision.")} == {Department.FRONT}
    assert {owners[c] for c in owners if c.startswith(("review.", "rating.", "meeting."))} == {
        Department.ORGANISATION
    }
    assert {owners[c] for c in owners if c.startswith(("study.", "media.", "propaganda."))} == {
        Department.PROPAGANDA
    }
    assert owners["plan.units_with_plan"] == Department.OFFICE
    assert owners["survey.implementation_rounds"] == Department.PROPAGANDA  # the seed says so
    assert len(owners) == len(raw()["indicators"])


# -- the entry grid ---------------------------------------------------------------------------
def test_it_refuses_the_front_the_provinces_member_count_on_the_grid(world):
    enter(world, "org.members", "DN", "2019", 28210)

    response = world.client("mattran").post(
        f"{ENTRY}?don_vi=DN&{HISTORY}",
        {"v__org.members__": "1", "v__inspection.member_disciplined__": "0"},
    )

    assert response.status_code == 200
    expected = [
        refusal("org.members", "Tổ chức", "DN"),
        refusal("inspection.member_disciplined", "Kiểm tra", "DN"),
    ]
    assert messages_of(response) == expected
    assert expected[0] in html.unescape(response.content.decode())
    assert stored() == [("org.members", "", "DN", "2019", Decimal("28210.00"), None)]


def test_it_shows_the_front_only_the_fronts_indicators(world):
    response = world.client("mattran").get(f"{ENTRY}?don_vi=DN&{HISTORY}")

    assert grid_rows(response) == ["supervision.front_total", "supervision.front_by_level"]


def test_it_lets_the_front_enter_its_supervision_figures(world):
    response = world.client("mattran").post(
        f"{ENTRY}?don_vi=DN&{HISTORY}",
        {"v__supervision.front_total__": "899", "v__supervision.front_by_level__commune": "745"},
    )

    assert response.status_code == 302
    assert stored() == [
        ("supervision.front_by_level", "commune", "DN", "2019", Decimal("745.00"), "mattran"),
        ("supervision.front_total", "", "DN", "2019", Decimal("899.00"), "mattran"),
    ]


def test_it_lets_the_inspector_enter_inspection_figures_in_her_district_only(world):
    client = world.client("huong")
    disciplined = {"v__inspection.member_disciplined__": "3"}

    page = client.get(f"{ENTRY}?don_vi=DN.DAKMIL&{HISTORY}")
    assert {c.split(".")[0] for c in grid_rows(page)} == {"inspection"}
    assert client.post(f"{ENTRY}?don_vi=DN.DAKMIL&{HISTORY}", disciplined).status_code == 302
    assert client.post(f"{ENTRY}?don_vi=DN.CUJUT&{HISTORY}", disciplined).status_code == 404
    assert client.post(f"{ENTRY}?don_vi=DN&{HISTORY}", disciplined).status_code == 404
    refused = client.post(
        f"{ENTRY}?don_vi=DN.DAKMIL&{HISTORY}", {"v__org.members__": "1", **disciplined}
    )
    assert messages_of(refused) == [refusal("org.members", "Tổ chức", "DN.DAKMIL")]
    assert stored() == [
        ("inspection.member_disciplined", "", "DN.DAKMIL", "2019", Decimal("3.00"), "huong")
    ]
    with pytest.raises(DomainError) as error:
        enter(
            world,
            "inspection.member_disciplined",
            "DN.CUJUT",
            "2019",
            1,
            actor=world.users["huong"],
        )
    assert error.value.message == refusal("inspection.member_disciplined", "Kiểm tra", "DN.CUJUT")


def test_it_lets_the_organisation_enter_organisation_figures_but_not_inspection_ones(world):
    client = world.client("tochuc")

    rows = grid_rows(client.get(f"{ENTRY}?don_vi=DN&{HISTORY}"))
    assert "org.members" in rows and "rating.members" in rows
    assert not [c for c in rows if c.startswith(("inspection.", "supervision.", "media."))]
    refused = client.post(
        f"{ENTRY}?don_vi=DN&{HISTORY}",
        {"v__org.members__": "28210", "v__inspection.org_violated__": "37"},
    )
    assert messages_of(refused) == [refusal("inspection.org_violated", "Kiểm tra", "DN")]
    assert stored() == []
    saved = client.post(f"{ENTRY}?don_vi=DN&{HISTORY}", {"v__org.members__": "28210"})
    assert saved.status_code == 302
    assert stored() == [("org.members", "", "DN", "2019", Decimal("28210.00"), "tochuc")]


def test_it_keeps_another_departments_value_when_the_grid_is_saved(world):
    enter(world, "inspection.org_violated", "DN", "2019", 37)

    response = world.client("tochuc").post(f"{ENTRY}?don_vi=DN&{HISTORY}", {"v__org.members__": ""})

    assert response.status_code == 302
    assert stored() == [("inspection.org_violated", "", "DN", "2019", Decimal("37.00"), None)]


def test_it_lets_the_leadership_enter_every_figure(world, leader):
    response = world.client("thuongtruc").post(
        f"{ENTRY}?don_vi=DN&{HISTORY}",
        {"v__inspection.org_violated__": "37", "v__org.members__": "28210"},
    )

    assert response.status_code == 302
    assert [(code, user) for code, *_, user in stored()] == [
        ("inspection.org_violated", "thuongtruc"),
        ("org.members", "thuongtruc"),
    ]


def test_it_lets_the_administrator_enter_no_figure(world):
    client = world.client("quantri")

    assert grid_rows(client.get(f"{ENTRY}?don_vi=DN&{HISTORY}")) == []
    response = client.post(f"{ENTRY}?don_vi=DN&{HISTORY}", {"v__org.members__": "1"})
    assert messages_of(response) == [refusal("org.members", "Tổ chức", "DN")]
    assert stored() == []


def test_it_refuses_a_role_that_has_ended(world):
    former = account_create(
        username="cu", password="mat-khau-thu-nghiem", full_name="Cũ", check_password=False
    )
    role_grant(
        user=former,
        unit=world.units["DN"],
        department=Department.ORGANISATION,
        valid_from=date(2018, 1, 1),
        valid_to=today() - timedelta(days=1),
    )

    with pytest.raises(DomainError) as error:
        enter(world, "org.members", "DN", "2019", 1, actor=former)

    assert error.value.message == refusal("org.members", "Tổ chức", "DN")
    assert stored() == []


# -- the SoLieu sheet of the exchange workbook ------------------------------------------------
def test_it_refuses_the_organisation_inspection_figures_in_the_workbook(world):
    errors = import_as(
        world.users["tochuc"],
        so_lieu(
            ["org.members", "DN", "2019", 28210, None],
            ["inspection.member_disciplined", "DN", "2019", 1, None],
            ["supervision.front_total", "DN", "2019", 1, None],
        ),
    )

    assert errors == [
        ("SoLieu", 3, "Mã chỉ tiêu", refusal("inspection.member_disciplined", "Kiểm tra", "DN")),
        (
            "SoLieu",
            4,
            "Mã chỉ tiêu",
            refusal("supervision.front_total", "Mặt trận, đoàn thể", "DN"),
        ),
    ]
    assert stored() == []


def test_it_imports_the_organisations_own_figures(world):
    errors = import_as(world.users["tochuc"], so_lieu(["org.members", "DN", "2019", 28210, None]))

    assert errors == []
    assert stored() == [("org.members", "", "DN", "2019", Decimal("28210.00"), "tochuc")]


def test_it_refuses_the_administrator_any_figure_in_the_workbook(world):
    enter(world, "org.members", "DN", "2019", 28210)

    errors = import_as(world.users["quantri"], so_lieu(["org.members", "DN", "2019", 1, None]))

    assert errors == [("SoLieu", 2, "Mã chỉ tiêu", refusal("org.members", "Tổ chức", "DN"))]
    assert stored() == [("org.members", "", "DN", "2019", Decimal("28210.00"), None)]


def test_it_refuses_the_front_the_member_count_in_the_workbook(world):
    enter(world, "org.members", "DN", "2019", 28210)

    errors = import_as(world.users["mattran"], so_lieu(["org.members", "DN", "2019", 1, None]))

    assert errors == [("SoLieu", 0, "", SHEET_NOT_ALLOWED)]
    assert stored() == [("org.members", "", "DN", "2019", Decimal("28210.00"), None)]
