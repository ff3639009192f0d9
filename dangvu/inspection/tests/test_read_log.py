"""The inspection read log is complete (issue 13, item 10): every comparison an import makes
with a case is a read, even when the import is refused or only tried; the command line
acts as a named user; a card number, unit code or case code outside the reader's reach is
answered as one that does not exist; a refused conclusion is logged as refused."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from dangvu.conftest import World
from dangvu.exchange.management.acting import NAME_A_USER
from dangvu.exchange.models import ExchangeKind, ExchangeLog
from dangvu.exchange.services import SHEET_NOT_ALLOWED
from dangvu.exchange.tests.helpers import read, run_import, xlsx
from dangvu.inspection import services
from dangvu.inspection.models import CaseRead, InspectionCase, ReadKind
from dangvu.inspection.tests.test_inspection import HEADERS, open_case
from dangvu.members.services import member_leave, member_transfer

URL = "/kiem-tra-giam-sat/"


def row(code: str, subject: str, kind: str = "Đảng viên", **over: Any) -> list[Any]:
    values = {
        "kind": "Dấu hiệu vi phạm",
        "concluded": "01/04/2022",
        "violation": "Có",
        "form": "",
        "complex": "Không",
    }
    values.update(over)
    return [
        code,
        values["kind"],
        subject,
        kind,
        values["concluded"],
        values["violation"],
        values["form"],
        values["complex"],
    ]


def state() -> list[tuple[Any, ...]]:
    return sorted(
        InspectionCase.objects.values_list(
            "code", "kind", "subject_member_id", "subject_unit_id", "unit_id", "violation"
        )
    )


def reads() -> list[tuple[str, str, str]]:
    return list(CaseRead.objects.order_by("pk").values_list("user__username", "case__code", "what"))


@pytest.fixture
def cases(world: World) -> dict[str, InspectionCase]:
    """Two cases in Đắk Mil (Cường, and the commune Đức Minh), one in Tuy Đức."""
    return {
        "KT-1": open_case(world, "KT-1"),
        "KT-2": open_case(
            world, "KT-2", subject_member=None, subject_unit=world.units["DN.DAKMIL.DUCMINH"]
        ),
        "KT-TD": open_case(
            world,
            "KT-TD",
            subject_member=None,
            subject_unit=world.units["DN.TUYDUC.QUANGTRUC"],
            body=world.units["DN.TUYDUC"],
        ),
    }


# -- imports ---------------------------------------------------------------------------
def test_it_records_a_read_for_each_case_a_dry_run_compared(world: World, cases: Any) -> None:
    before = state()

    report = run_import(
        {"KiemTra": [HEADERS, row("KT-1", "67000007"), row("KT-NEW", "67000007")]},
        user=world.users["huong"],
        dry_run=True,
    )

    assert report.ok, [str(e) for e in report.errors]
    assert (report.counts["KiemTra"].created, report.counts["KiemTra"].updated) == (1, 1)
    assert state() == before
    assert reads() == [("huong", "KT-1", ReadKind.IMPORT)]


def test_it_records_the_reads_of_a_refused_import(world: World, cases: Any) -> None:
    before = state()

    report = run_import(
        {
            "KiemTra": [
                HEADERS,
                row("KT-1", "67000007", violation="Không"),
                row("KT-2", "DN.DAKMIL.DUCMINH", kind="Tổ chức đảng"),
                row("KT-NEW", "67000007", concluded="31/02/2022"),
            ]
        },
        user=world.users["huong"],
    )

    assert [str(e) for e in report.errors] == [
        "KiemTra, dòng 4, cột Ngày kết luận: '31/02/2022' không phải ngày hợp lệ (dd/mm/yyyy)"
    ]
    assert state() == before
    assert sorted(reads()) == [
        ("huong", "KT-1", ReadKind.IMPORT),
        ("huong", "KT-2", ReadKind.IMPORT),
    ]


def test_it_answers_an_unreached_card_or_unit_as_an_unknown_one(world: World, cases: Any) -> None:
    """Điểu K'Bình (Tuy Đức) and Quảng Trực exist; 99999999 and DN.KHONGCO do not; Cường
    left the party in 2021: the inspector of Đắk Mil is told the same of each."""
    member_leave(member=world.members["cuong"], left_on=date(2021, 1, 1))
    before = state()

    report = run_import(
        {
            "KiemTra": [
                HEADERS,
                row("KT-A", "67000008"),
                row("KT-B", "99999999"),
                row("KT-C", "67000007"),
                row("KT-D", "DN.TUYDUC.QUANGTRUC", kind="Tổ chức đảng"),
                row("KT-E", "DN.KHONGCO", kind="Tổ chức đảng"),
            ]
        },
        user=world.users["huong"],
    )

    member = "KiemTra, dòng {}, cột Đối tượng: Đảng viên số thẻ {} không có hoặc không sinh "
    member += "hoạt trong phạm vi của bạn vào ngày 01/04/2022."
    unit = "KiemTra, dòng {}, cột Đối tượng: Tổ chức đảng mã {} không có hoặc ngoài phạm vi "
    unit += "của bạn."
    assert [str(e) for e in report.errors] == [
        member.format(2, "67000008"),
        member.format(3, "99999999"),
        member.format(4, "67000007"),
        unit.format(5, "DN.TUYDUC.QUANGTRUC"),
        unit.format(6, "DN.KHONGCO"),
    ]
    assert state() == before
    assert reads() == []


def test_it_answers_a_case_code_outside_reach_without_comparing_it(
    world: World, cases: Any
) -> None:
    """Whatever the row says of Tuy Đức's case, the answer is the same, the case is never
    compared (nothing read, nothing changed); with a subject outside reach, the same answer
    as for a code that does not exist."""
    before = state()
    probes = [
        row("KT-TD", "67000007"),  # would it concern Cường?
        row("KT-TD", "DN.DAKMIL.DUCMINH", kind="Tổ chức đảng", violation="Không"),
    ]
    answers = []
    for probe in probes:
        for dry_run in (True, False):
            report = run_import(
                {"KiemTra": [HEADERS, probe]}, user=world.users["huong"], dry_run=dry_run
            )
            answers.append([str(e) for e in report.errors])
    assert (
        answers
        == [
            [
                "KiemTra, dòng 2, cột Mã vụ việc: Mã vụ việc KT-TD đã dùng cho một vụ việc ngoài "
                "phạm vi của bạn; chọn mã khác."
            ]
        ]
        * 4
    )

    unreached = run_import(
        {"KiemTra": [HEADERS, row("KT-TD", "67000008"), row("KT-NEW", "67000008")]},
        user=world.users["huong"],
    )
    first, second = (str(e).split(": ", 1)[1] for e in unreached.errors)
    assert first == second
    assert state() == before
    assert reads() == []


# -- the command line --------------------------------------------------------------------
def _run(name: str, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(name, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_exports_cases_from_the_command_line_as_the_named_user(
    world: World, cases: Any, tmp_path: Path
) -> None:
    path = tmp_path / "dak-mil.xlsx"

    out, _ = _run("workbook_export", str(path), "--as", "huong")

    assert "KiemTra: 2 dòng" in out
    sheets = read(path.read_bytes())
    assert [r[0] for r in sheets["KiemTra"][1:]] == ["KT-1", "KT-2"]
    assert sorted(reads()) == [
        ("huong", "KT-1", ReadKind.EXPORT),
        ("huong", "KT-2", ReadKind.EXPORT),
    ]
    log = ExchangeLog.objects.get()
    assert (log.kind, log.actor) == (ExchangeKind.EXPORT, world.users["huong"])


@pytest.mark.parametrize("named", [None, "quantri", "tochuc"])
def test_it_exports_no_case_from_the_command_line_without_a_reader_of_cases(
    world: World, cases: Any, tmp_path: Path, named: str | None
) -> None:
    """Without --as the command line acts as the administrator, who never reads cases."""
    path = tmp_path / "tinh.xlsx"

    out, _ = _run("workbook_export", str(path), *(["--as", named] if named else []))

    sheets = read(path.read_bytes())
    assert sheets["KiemTra"] == [tuple(sheets["KiemTra"][0])] and "KiemTra: 0 dòng" in out
    assert "Không có quyền với trang KiemTra" in out
    assert len(sheets["DonVi"]) == 1 + 12  # every other sheet as before
    assert not CaseRead.objects.exists()


def test_it_refuses_an_unknown_user_on_the_command_line(world: World, tmp_path: Path) -> None:
    with pytest.raises(CommandError) as raised:
        _run("workbook_export", str(tmp_path / "x.xlsx"), "--as", "khongco")
    assert str(raised.value) == "Không có tài khoản khongco (hoặc tài khoản đã bị khóa)."
    assert not (tmp_path / "x.xlsx").exists() and not ExchangeLog.objects.exists()


def test_it_imports_cases_from_the_command_line_only_as_a_named_inspector(
    world: World, cases: Any, tmp_path: Path
) -> None:
    path = tmp_path / "kiem-tra.xlsx"
    path.write_bytes(
        xlsx({"KiemTra": [HEADERS, row("KT-1", "67000007"), row("KT-NEW", "67000008")]})
    )
    before = state()

    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("workbook_import", str(path), stdout=io.StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [f"KiemTra: {SHEET_NOT_ALLOWED}", NAME_A_USER]
    assert NAME_A_USER == (
        "Các trang này chỉ mở cho người có quyền: chạy lại với --as TÊN_ĐĂNG_NHẬP."
    )
    assert reads() == []

    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "workbook_import", str(path), "--as", "huong", stdout=io.StringIO(), stderr=err
        )
    assert err.getvalue().splitlines() == [
        "KiemTra, dòng 3, cột Đối tượng: Đảng viên số thẻ 67000008 không có hoặc không sinh "
        "hoạt trong phạm vi của bạn vào ngày 01/04/2022."
    ]
    assert state() == before
    assert reads() == [("huong", "KT-1", ReadKind.IMPORT)]
    assert ExchangeLog.objects.latest("pk").actor == world.users["huong"]


# -- the pages ---------------------------------------------------------------------------
def _open(world: World, card: str, day: str = "01/03/2022") -> str:
    response = world.client("huong").post(
        f"{URL}moi/",
        {
            "ma": "KT-9",
            "loai": "signs",
            "doi_tuong_loai": "member",
            "doi_tuong": card,
            "co_quan": "DN.DAKMIL",
            "ngay": day,
        },
        follow=True,
    )
    assert response.status_code == 200
    (message,) = (str(m) for m in response.context["messages"])
    return message


def test_it_answers_an_unreached_card_on_opening_a_case_as_an_unknown_one(world: World) -> None:
    """Bình moved to Đắk Mil in 2021 and is reached there; Cường moved to Tuy Đức in 2021,
    Hương's own card is typed with a day before she joined: on the day of the case none of
    them is in the inspector's reach, and nothing tells where they were."""
    member_transfer(
        member=world.members["cuong"],
        to_cell=world.units["DN.TUYDUC.QUANGTRUC.BP"],
        effective_on=date(2021, 1, 1),
    )
    member_transfer(
        member=world.members["binh"],
        to_cell=world.units["DN.DAKMIL.DUCMINH.T1"],
        effective_on=date(2023, 1, 1),
    )
    answers = {
        card: _open(world, card, day)
        for card, day in (
            ("99999999", "01/03/2022"),
            ("67000008", "01/03/2022"),
            ("67000007", "01/03/2022"),
            ("67000003", "01/03/2022"),
            ("67000006", "01/03/1990"),
        )
    }
    assert answers["99999999"] == (
        "Đảng viên số thẻ 99999999 không có hoặc không sinh hoạt trong phạm vi của bạn vào "
        "ngày 01/03/2022."
    )
    for card, answer in answers.items():
        assert answer == answers["99999999"].replace("99999999", card).replace(
            "01/03/2022", "01/03/1990" if card == "67000006" else "01/03/2022"
        ), card
    assert not InspectionCase.objects.exists() and not CaseRead.objects.exists()
    assert _open(world, "67000003", "01/03/2023") == "Đã ghi vụ việc KT-9."
    assert reads() == [("huong", "KT-9", ReadKind.OPEN), ("huong", "KT-9", ReadKind.DETAIL)]


def test_it_logs_a_refused_conclusion_as_refused(world: World) -> None:
    case = open_case(world)
    client = world.client("huong")

    response = client.post(
        f"{URL}{case.pk}/ket-luan/", {"ngay": "01/02/2022", "vi_pham": "co", "noi_dung": "x"}
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.concluded_on, case.violation) == (None, None)
    assert reads() == [("huong", "KT-1", ReadKind.CONCLUDE_REFUSED)]
    client.post(f"{URL}{case.pk}/ket-luan/", {"ngay": "01/04/2022", "vi_pham": "co"})
    client.post(f"{URL}{case.pk}/ky-luat/", {"ngay": "01/04/2022", "hinh_thuc": "warning"})
    client.post(
        f"{URL}{case.pk}/ky-luat/",
        {"ngay": "05/04/2022", "hinh_thuc": "warning", "so_quyet_dinh": "3-QĐ"},
    )
    case.refresh_from_db()
    assert (case.violation, case.decision_number) == (True, "3-QĐ")
    assert reads()[1:] == [
        ("huong", "KT-1", ReadKind.CONCLUDE),
        ("huong", "KT-1", ReadKind.DISCIPLINE_REFUSED),
        ("huong", "KT-1", ReadKind.DISCIPLINE),
    ]


def test_it_has_the_service_record_the_opening_of_a_case(world: World) -> None:
    case = services.case_open(
        spec=services.CaseSpec(
            code="KT-1",
            kind="signs",
            body=world.units["DN.DAKMIL"],
            opened_on=date(2022, 3, 1),
            subject_member=world.members["cuong"],
        ),
        actor=world.users["huong"],
    )
    assert reads() == [("huong", case.code, ReadKind.OPEN)]
