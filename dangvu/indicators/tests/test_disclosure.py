"""Small numbers give people away (issue 13, item 5): figures about persons' inspection,
discipline and ratings are shown as they are only to whoever reaches those records at the
unit; others see them in whole, ended years, never from 1 to 4, and never where
subtraction would give a withheld one back — on every page and in every export."""

from __future__ import annotations

import html
import io
import json
import math
from datetime import date, timedelta
from typing import Any

import docx
import openpyxl
import pytest
from django.core.management import call_command

from dangvu.accounts.models import Department
from dangvu.accounts.scope import build_scope, today
from dangvu.accounts.services import account_create, role_grant
from dangvu.conftest import ROLES_FROM, World
from dangvu.exchange.services import workbook_export
from dangvu.indicators.disclosure import NOTE, NOTE_NO_YEAR, WITHHELD_TEXT, withheld
from dangvu.indicators.models import Programme
from dangvu.indicators.tests.helpers import EATLING, T1, TDP1, TDP2, enter
from dangvu.inspection import services as inspection
from dangvu.reports.models import SummaryReport

SIGNS = "inspection.member_violation_signs"
DRILL = f"/so-lieu/chi-tieu/{SIGNS}/"
A_DAY = "2022-03-01..2022-03-01"
NOTE_2022 = NOTE.format(years="năm 2022")


@pytest.fixture(autouse=True)
def front_figures_entered_only() -> None:
    """Here the inspection figures are counted from the cases, as in production (the
    package's conftest makes them entered-only for the other indicator tests)."""


def open_cases(world: World, member: str, count: int, *, on: date = date(2022, 3, 1)) -> None:
    """`count` inspection cases of a member (violation signs), opened on `on`."""
    for _ in range(count):
        inspection.case_open(
            spec=inspection.CaseSpec(
                code=f"KT-{member}-{on:%Y%m%d}-{open_cases.counter}",
                kind="signs",
                body=world.units["DN"],
                opened_on=on,
                subject_member=world.members[member],
            )
        )
        open_cases.counter += 1


open_cases.counter = 0  # type: ignore[attr-defined]


def drill(world: World, user: str, unit: str, period: str) -> Any:
    response = world.client(user).get(DRILL, {"don_vi": unit, "ky": period})
    assert response.status_code == 200
    return response


def own(response: Any) -> float | None:
    (row,) = response.context["own"].values()
    return row[""]


def rows(response: Any) -> dict[str, float | None]:
    return {r.unit.code: next(iter(r.values.values()))[""] for r in response.context["rows"]}


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


# -- the secretary, a day, her own cell ------------------------------------------------------
def test_it_gives_the_secretary_no_figure_of_her_cell_for_a_day(world):
    open_cases(world, "binh", 1)

    response = drill(world, "hoa", TDP1, A_DAY)

    assert withheld(own(response))
    page = text(response)
    assert WITHHELD_TEXT in page
    assert NOTE_2022 in page
    assert response.context["published"].years == (2022, 2022)


def test_it_gives_the_secretary_the_count_of_a_year_with_five_or_more(world):
    open_cases(world, "binh", 3)
    open_cases(world, "an", 2, on=date(2022, 9, 1))

    for period in (A_DAY, "2022-03", "2022"):
        assert own(drill(world, "hoa", TDP1, period)) == 5  # the whole year, not the day


def test_it_shows_the_inspector_the_figure_of_a_day(world):
    open_cases(world, "cuong", 1)

    assert own(drill(world, "huong", T1, A_DAY)) == 1
    assert own(drill(world, "huong", "DN.DAKMIL.DUCMINH", A_DAY)) == 1
    assert WITHHELD_TEXT not in text(drill(world, "huong", T1, A_DAY))
    assert withheld(own(drill(world, "tochuc", T1, A_DAY)))  # who does not reach the cases


def test_it_withholds_a_year_not_yet_over(world):
    open_cases(world, "binh", 6, on=today())

    response = drill(world, "hoa", TDP1, str(today().year))

    assert withheld(own(response))
    assert NOTE_NO_YEAR in text(response)


def test_it_shows_zero(world):
    assert own(drill(world, "hoa", TDP1, "2022")) == 0


# -- subtraction --------------------------------------------------------------------------
def test_it_withholds_a_sibling_so_the_small_one_cannot_be_subtracted(world):
    open_cases(world, "binh", 6)  # Tổ dân phố 1: six cases
    open_cases(world, "anh", 1)  # Tổ dân phố 2: one

    parent = drill(world, "tochuc", EATLING, "2022")

    assert own(parent) == 7
    assert {code: withheld(v) for code, v in rows(parent).items()} == {TDP1: True, TDP2: True}
    # The same on the cell's own pages: subtraction across pages gives nothing either.
    assert withheld(own(drill(world, "tochuc", TDP1, "2022")))
    overview = world.client("tochuc").get("/so-lieu/", {"don_vi": TDP1, "ky": "2022"})
    assert withheld(overview.context["report"].line(SIGNS).values["2022"][""])


def test_it_withholds_a_year_so_the_small_one_cannot_be_subtracted_from_the_period(world):
    open_cases(world, "binh", 6, on=date(2021, 5, 1))
    open_cases(world, "binh", 1, on=date(2022, 5, 1))
    query = {"don_vi": TDP1, "ky": "2021-01-01..2022-12-31"}
    client = world.client("tochuc")

    overview = client.get("/so-lieu/", query).context["report"]
    dashboard = client.get("/so-lieu/nhom/2.4/", query).context["charts"]

    assert overview.line(SIGNS).values == {query["ky"]: {"": 7}}
    chart = next(c for c in dashboard if c["indicator"].code == SIGNS)
    assert ">7</text>" not in chart["svg"] and ">6</text>" not in chart["svg"]
    assert ">1</text>" not in chart["svg"]
    assert chart["note"] == NOTE.format(years="năm 2021 – 2022")


def test_it_withholds_the_total_when_nothing_else_covers_the_small_one(world):
    """An officer who reaches the cases of Cư Jút (and the province's figures, not its
    cases) would get Đắk Mil's two from the province's six: the province's is withheld."""
    mixed = account_create(
        username="hai-vai",
        password="mat-khau-thu-nghiem",
        full_name="Hai vai",
        check_password=False,
    )
    role_grant(
        user=mixed, unit=world.units["DN"], department=Department.PROPAGANDA, valid_from=ROLES_FROM
    )
    role_grant(
        user=mixed,
        unit=world.units["DN.CUJUT"],
        department=Department.INSPECTION,
        valid_from=ROLES_FROM,
    )
    world.users["hai-vai"] = mixed
    open_cases(world, "binh", 4)
    open_cases(world, "cuong", 2)

    province = drill(world, "hai-vai", "DN", "2022")

    assert rows(province)["DN.CUJUT"] == 4  # her own district's cases, as they are
    assert withheld(rows(province)["DN.DAKMIL"])
    assert withheld(own(province))
    assert own(drill(world, "tochuc", "DN", "2022")) == 6  # no one's two to give away


# -- ratings: whoever reaches the members' reviews ------------------------------------------
def test_it_shows_the_ratings_of_her_cell_to_the_secretary_only(world):
    enter(world, "rating.members", TDP1, "2022", 1, key="failed")
    enter(world, "rating.members", TDP1, "2022", 3, key="good")

    mine = world.client("hoa").get("/so-lieu/", {"don_vi": TDP1, "ky": "2022"})
    front = world.client("mattran").get("/so-lieu/", {"don_vi": TDP1, "ky": "2022"})

    grades = mine.context["report"].line("rating.members").values["2022"]
    assert (grades["failed"], grades["good"]) == (1, 3)
    seen = front.context["report"].line("rating.members").values["2022"]
    assert withheld(seen["failed"]) and withheld(seen["good"])
    assert seen["excellent"] == 0
    assert "Không hoàn thành nhiệm vụ" in text(front)


# -- exports ---------------------------------------------------------------------------------
@pytest.fixture
def day_report(world: World) -> SummaryReport:
    """A report of the secretary's cell for one day (written by someone who may)."""
    return SummaryReport.objects.create(
        programme=Programme.objects.get(code="DA05"),
        unit=world.units[TDP1],
        period=A_DAY,
        title="Báo cáo một ngày",
        issuer="Chi bộ Tổ dân phố 1",
    )


def test_it_withholds_the_figure_in_the_reports_json_xlsx_and_docx(world, day_report):
    open_cases(world, "binh", 1)
    client = world.client("hoa")
    base = f"/bao-cao/{day_report.pk}"

    payload = json.loads(client.get(f"{base}/bao-cao.json").content)
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"{base}/bao-cao.xlsx").content))
    document = docx.Document(io.BytesIO(client.get(f"{base}/bao-cao.docx").content))

    assert payload["indicators"][SIGNS] is None
    assert payload["disclosure"][SIGNS] == NOTE_2022
    sheet = [row for row in book["Nhom 2.4"].iter_rows(values_only=True) if row[0] == SIGNS]
    assert [c for c in sheet[0] if c is not None][-2:] == [WITHHELD_TEXT, "tính từ dữ liệu"]
    prose = "\n".join(p.text for p in document.paragraphs)
    assert "Trong năm 2022, Ủy ban kiểm tra các cấp đã kiểm tra dấu hiệu vi phạm" in prose
    assert "đối với (không công bố) đảng viên" in prose
    preview = text(client.get(f"{base}/"))
    assert "(không công bố) đảng viên" in preview


def test_it_gives_the_operator_every_figure(world, capsys):
    open_cases(world, "binh", 1)

    call_command(
        "report", "--org", TDP1, "--from", "2022-03-01", "--to", "2022-03-01", "--format", "json"
    )

    payload = json.loads(capsys.readouterr().out)
    assert payload["indicators"][SIGNS] == 1
    assert "disclosure" not in payload


def test_it_keeps_its_suppression_when_nothing_is_small(world):
    open_cases(world, "binh", 5)

    response = drill(world, "tochuc", EATLING, "2022")

    assert own(response) == 5
    assert rows(response) == {TDP1: 5, TDP2: 0}
    assert not any(isinstance(v, float) and math.isnan(v) for v in rows(response).values())


def test_it_widens_a_yesterday_to_its_year(world):
    yesterday = today() - timedelta(days=1)
    open_cases(world, "binh", 5, on=yesterday)

    response = drill(world, "hoa", TDP1, f"{yesterday}..{yesterday}")

    if yesterday.year < today().year:  # the first of January: last year is over
        assert own(response) == 5
    else:
        assert withheld(own(response))


def test_it_exports_an_entered_figure_about_persons_only_to_whoever_reaches_the_records(world):
    enter(world, "inspection.member_disciplined", T1, "2019", 1)
    enter(world, "org.members", T1, "2019", 12)

    def exported(user: str) -> list[str]:
        out = io.BytesIO()
        account = world.users[user]
        workbook_export(out=out, actor=account, scope=build_scope(account), org_code="")
        sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue()))["SoLieu"]
        return [row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]]

    assert exported("tochuc") == ["org.members"]
    assert exported("quantri") == ["org.members"]


def test_it_keeps_a_finding_about_persons_from_whoever_does_not_reach_the_records(world):
    enter(world, "inspection.member_disciplined", T1, "2019", 3)
    enter(world, "inspection.member_violated", T1, "2019", 2)  # fewer violated than disciplined

    def findings(user: str) -> list[str]:
        response = world.client(user).get("/so-lieu/", {"don_vi": "DN.DAKMIL", "ky": "2019"})
        return [f.rule for f in response.context["report"].findings]

    assert sorted(set(findings("huong"))) == [
        "member_disciplined_le_violated",
        "member_violated_le_signs",
    ]
    assert findings("tochuc") == []
