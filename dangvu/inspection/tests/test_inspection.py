"""Inspection and discipline: the cases, the forms the rule allows each subject, the
indicators, the sheet — and the walls around the most sensitive records of the system,
with every read written down."""

from __future__ import annotations

import io
from datetime import date

import pytest

from dangvu.accounts.models import Department
from dangvu.accounts.services import account_create, role_grant
from dangvu.conftest import World
from dangvu.core.errors import DomainError
from dangvu.exchange.services import workbook_export
from dangvu.exchange.tests.helpers import read, run_import, where
from dangvu.indicators.engine import evaluate
from dangvu.indicators.models import Indicator
from dangvu.inspection import services
from dangvu.inspection.models import CaseRead, InspectionCase
from dangvu.lib.periods import parse_period

T1 = "DN.DAKMIL.DUCMINH.T1"
HEADERS = [
    "Mã vụ việc",
    "Loại kiểm tra",
    "Đối tượng",
    "Loại đối tượng",
    "Ngày kết luận",
    "Có vi phạm",
    "Hình thức kỷ luật",
    "Phức tạp",
]


def open_case(world: World, code: str = "KT-1", **kw: object) -> InspectionCase:
    spec = dict(
        code=code,
        kind="signs",
        body=world.units["DN.DAKMIL"],
        opened_on=date(2022, 3, 1),
        subject_member=world.members["cuong"],
    )
    spec.update(kw)
    return services.case_open(spec=services.CaseSpec(**spec))  # type: ignore[arg-type]


def test_it_opens_concludes_and_disciplines_a_case(world: World) -> None:
    case = open_case(world)
    assert case.unit.code == T1 and case.subject_kind == "member"
    case = services.case_conclude(
        case=case, concluded_on=date(2022, 4, 1), violation=True, conclusion="Vi phạm quy chế."
    )
    case = services.case_discipline(
        case=case, form_code="warning", decision_number="12-QĐ/UBKT", decision_on=date(2022, 4, 10)
    )
    assert case.discipline.label == "Cảnh cáo" and case.discipline.rule.code == "102-QĐ/TW"  # type: ignore[union-attr]
    later = open_case(world, "KT-2", opened_on=date(2022, 9, 1))
    services.case_conclude(
        case=later, concluded_on=date(2022, 9, 20), violation=True, conclusion=""
    )
    later = services.case_discipline(
        case=later,
        form_code="expulsion",
        decision_number="30-QĐ/UBKT",
        decision_on=date(2022, 10, 1),
    )
    assert later.discipline.rule.code == "69-QĐ/TW"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("subject", "form", "allowed"),
    [
        ("org", "expulsion", "khiển trách, cảnh cáo, giải tán"),
        ("probationary", "removal", "khiển trách, cảnh cáo"),
        ("full", "dissolution", "khiển trách, cảnh cáo, cách chức, khai trừ"),
    ],
)
def test_it_allows_only_the_forms_the_rule_gives_each_subject(
    world: World, subject: str, form: str, allowed: str
) -> None:
    if subject == "org":
        case = open_case(world, subject_member=None, subject_unit=world.units["DN.DAKMIL.DUCMINH"])
    else:
        member = world.members["cuong"]
        member.full_member_on = None if subject == "probationary" else date(2006, 3, 3)
        member.save()
        case = open_case(world)
    services.case_conclude(case=case, concluded_on=date(2022, 4, 1), violation=True, conclusion="")
    with pytest.raises(DomainError, match=f"chỉ có thể bị: {allowed}\\."):
        services.case_discipline(
            case=case, form_code=form, decision_number="1", decision_on=date(2022, 8, 1)
        )
    assert InspectionCase.objects.get().discipline is None


def test_it_refuses_what_cannot_be(world: World) -> None:
    with pytest.raises(DomainError, match="không phải cấp ủy cấp trên"):
        open_case(world, body=world.units["DN.CUJUT"])
    case = open_case(world)
    with pytest.raises(DomainError, match="không được trước ngày quyết định kiểm tra"):
        services.case_conclude(
            case=case, concluded_on=date(2022, 2, 1), violation=True, conclusion=""
        )
    services.case_conclude(case=case, concluded_on=date(2022, 4, 1), violation=False, conclusion="")
    with pytest.raises(DomainError, match="Chỉ thi hành kỷ luật khi kết luận có vi phạm"):
        services.case_discipline(
            case=case, form_code="warning", decision_number="1", decision_on=date(2022, 5, 1)
        )
    with pytest.raises(DomainError, match="đã có"):
        open_case(world)


def test_it_counts_the_seeds_figures_from_cases(world: World) -> None:
    signs = open_case(world, "KT-1")
    services.case_conclude(case=signs, concluded_on=date(2022, 4, 1), violation=True, conclusion="")
    services.case_discipline(
        case=signs, form_code="reprimand", decision_number="1", decision_on=date(2022, 4, 5)
    )
    open_case(
        world,
        "KT-2",
        kind="task",
        subject_member=None,
        subject_unit=world.units["DN.DAKMIL.DUCMINH"],
    )
    open_case(
        world,
        "KT-3",
        complex=True,
        subject_member=world.members["huong"],
        body=world.units["DN.DAKMIL"],
    )
    indicators = list(Indicator.objects.filter(code__startswith="inspection."))
    ev = evaluate(targets=[world.units["DN"]], period=parse_period("2022"), indicators=indicators)
    got = {
        code: ev.of(code, world.units["DN"].pk)["2022"][""] for code in (i.code for i in indicators)
    }
    assert got["inspection.member_violation_signs"] == 2
    assert got["inspection.member_violated"] == 1
    assert got["inspection.member_disciplined"] == 1
    assert got["inspection.org_task_inspected"] == 1
    assert got["inspection.complex_cases"] == 1


# -- the walls ---------------------------------------------------------------------------
def test_it_shows_cases_to_the_inspection_role_and_records_every_read(world: World) -> None:
    case = open_case(world)
    inspector = world.client("huong")
    listed = inspector.get("/kiem-tra-giam-sat/").content.decode()
    assert "KT-1" in listed and "Phạm Văn Cường" in listed
    detail = inspector.get(f"/kiem-tra-giam-sat/{case.pk}/").content.decode()
    assert "Huyện ủy Đắk Mil (cấp huyện)" in detail
    reads = list(
        CaseRead.objects.order_by("pk").values_list("user__username", "case__code", "what")
    )
    assert reads == [("huong", "KT-1", "list"), ("huong", "KT-1", "detail")]


@pytest.mark.parametrize("persona", ["hoa", "tuyengiao", "tochuc", "quantri", "kbinh", "ybhiong"])
def test_it_shows_nothing_of_the_cases_to_anyone_else(world: World, persona: str) -> None:
    """A cell secretary, the propaganda and organisation officers, the administrator, another
    district: every page a 404, nothing in the member's record, nothing read."""
    case = open_case(world)
    client = world.client(persona)
    for url in ("/kiem-tra-giam-sat/", f"/kiem-tra-giam-sat/{case.pk}/", "/kiem-tra-giam-sat/moi/"):
        assert client.get(url).status_code == 404, (persona, url)
    assert "KT-1" not in client.get("/dang-vien/67000007/").content.decode()
    assert not CaseRead.objects.exists()


def test_it_keeps_the_leadership_of_another_district_out(world: World) -> None:
    leader = account_create(
        username="lanhdao-tuyduc", password="x", full_name="Lãnh đạo Tuy Đức", check_password=False
    )
    role_grant(
        user=leader,
        unit=world.units["DN.TUYDUC"],
        department=Department.LEADERSHIP,
        valid_from=date(2018, 1, 1),
    )
    world.users["lanhdao-tuyduc"] = leader
    case = open_case(world)
    client = world.client("lanhdao-tuyduc")
    assert "KT-1" not in client.get("/kiem-tra-giam-sat/").content.decode()
    assert client.get(f"/kiem-tra-giam-sat/{case.pk}/").status_code == 404
    own = account_create(
        username="lanhdao-dakmil", password="x", full_name="Lãnh đạo Đắk Mil", check_password=False
    )
    role_grant(
        user=own,
        unit=world.units["DN.DAKMIL"],
        department=Department.LEADERSHIP,
        valid_from=date(2018, 1, 1),
    )
    world.users["lanhdao-dakmil"] = own
    assert world.client("lanhdao-dakmil").get(f"/kiem-tra-giam-sat/{case.pk}/").status_code == 200


def test_it_exports_cases_only_to_whom_they_are_open(world: World) -> None:
    open_case(world)
    for user, expected in (("tochuc", 0), ("huong", 1)):
        out = io.BytesIO()
        from dangvu.accounts.scope import build_scope

        workbook_export(out=out, actor=world.users[user], scope=build_scope(world.users[user]))
        assert len(read(out.getvalue())["KiemTra"]) - 1 == expected, user
    assert list(CaseRead.objects.values_list("user__username", "what")) == [("huong", "export")]


def test_it_imports_the_sheet_only_for_the_inspection_role_and_all_or_nothing(world: World) -> None:
    rows = [
        HEADERS,
        [
            "KT-A",
            "Dấu hiệu vi phạm",
            "67000007",
            "Đảng viên",
            "01/04/2022",
            "Có",
            "Khiển trách",
            "Không",
        ],
        [
            "KT-B",
            "Dấu hiệu vi phạm",
            "DN.DAKMIL.DUCMINH",
            "Tổ chức đảng",
            "01/04/2022",
            "Có",
            "Khai trừ",
            "Có",
        ],
        ["KT-C", "Thi hành kỷ luật", "99999999", "Đảng viên", "01/04/2022", "", "", ""],
    ]
    refused = run_import({"KiemTra": rows}, user=world.users["tochuc"])
    assert [str(e) for e in refused.errors] == ["KiemTra: Bạn không có quyền nhập trang này."]
    bad = run_import({"KiemTra": rows}, user=world.users["huong"])
    assert where(bad) == {("KiemTra", 3, "Hình thức kỷ luật"), ("KiemTra", 4, "Đối tượng")}
    assert not InspectionCase.objects.exists()
    good = run_import({"KiemTra": rows[:2]}, user=world.users["huong"])
    assert good.ok, good.errors
    case = InspectionCase.objects.get()
    assert (case.violation, case.discipline.label, case.body.code) == (
        True,
        "Khiển trách",
        "DN.DAKMIL",
    )  # type: ignore[union-attr]


def test_it_shows_discipline_beside_a_rating_only_to_whom_cases_are_open(world: World) -> None:
    case = open_case(world)
    services.case_conclude(case=case, concluded_on=date(2022, 4, 1), violation=True, conclusion="")
    services.case_discipline(
        case=case, form_code="reprimand", decision_number="7-QĐ", decision_on=date(2022, 4, 9)
    )
    url = f"/kiem-diem/{T1}/2022/67000007/"
    shown = world.client("huong").get(url).content.decode()
    assert "Kiểm tra, kỷ luật trong năm" in shown and "khiển trách (quyết định 7-QĐ)" in shown
    assert CaseRead.objects.filter(what="evidence").count() == 1
    hidden = world.client("tochuc").get(url).content.decode()
    assert "Kiểm tra, kỷ luật trong năm" not in hidden and "7-QĐ" not in hidden
    assert CaseRead.objects.filter(what="evidence").count() == 1


def test_it_keeps_cases_out_of_the_general_audit_trail(world: World) -> None:
    from auditlog.models import LogEntry

    case = open_case(world)
    services.case_conclude(
        case=case, concluded_on=date(2022, 4, 1), violation=True, conclusion="Vi phạm."
    )
    assert not LogEntry.objects.filter(content_type__model="inspectioncase").exists()
    page = world.client("quantri").get("/nhat-ky/").content.decode()
    assert "KT-1" not in page and "Vi phạm." not in page


def test_it_closes_the_cases_to_an_inspector_whose_role_has_ended(world: World) -> None:
    from dangvu.accounts.models import Role
    from dangvu.accounts.services import role_revoke

    case = open_case(world)
    role_revoke(role=Role.objects.get(user=world.users["huong"]), effective_on=date(2023, 1, 1))
    client = world.client("huong")
    assert "KT-1" not in client.get("/kiem-tra-giam-sat/").content.decode()
    assert client.get(f"/kiem-tra-giam-sat/{case.pk}/").status_code == 404
    assert not CaseRead.objects.exists()


def test_it_refuses_an_import_row_that_would_take_over_another_districts_case(world: World) -> None:
    other = open_case(
        world,
        "KT-TD",
        subject_member=None,
        subject_unit=world.units["DN.TUYDUC.QUANGTRUC"],
        body=world.units["DN.TUYDUC"],
    )
    report = run_import(
        {
            "KiemTra": [
                HEADERS,
                [
                    "KT-TD",
                    "Dấu hiệu vi phạm",
                    "67000007",
                    "Đảng viên",
                    "01/04/2022",
                    "Có",
                    "",
                    "Không",
                ],
            ]
        },
        user=world.users["huong"],
    )
    assert where(report) == {("KiemTra", 2, "Mã vụ việc")}
    other.refresh_from_db()
    assert other.unit.code == "DN.TUYDUC.QUANGTRUC" and other.violation is None


def test_it_refuses_to_reopen_a_conclusion_once_disciplined(world: World) -> None:
    case = open_case(world)
    services.case_conclude(case=case, concluded_on=date(2022, 4, 1), violation=True, conclusion="")
    services.case_discipline(
        case=case, form_code="warning", decision_number="1", decision_on=date(2022, 4, 5)
    )
    with pytest.raises(DomainError, match="không sửa kết luận được nữa"):
        services.case_conclude(
            case=case, concluded_on=date(2022, 6, 1), violation=False, conclusion=""
        )
