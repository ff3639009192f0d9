"""The inspection rules live once, in the services: the workbook refuses what the page
refuses, and the read log is written by the services alone (issue 14)."""

from __future__ import annotations

import ast
from pathlib import Path

from dangvu.conftest import World
from dangvu.exchange.tests.helpers import run_import
from dangvu.inspection import services
from dangvu.inspection.models import CaseRead, InspectionCase, ReadKind
from dangvu.inspection.tests.test_inspection import HEADERS, open_case
from dangvu.inspection.tests.test_read_log import URL, reads, row

BODY = "Mã cơ quan kiểm tra"


def test_it_refuses_a_conducting_body_outside_the_importers_reach(world: World) -> None:
    report = run_import(
        {"KiemTra": [[*HEADERS, BODY], [*row("KT-1", "67000007"), "DN"]]},
        user=world.users["huong"],
    )

    assert [(e.column, e.reason) for e in report.errors] == [
        (BODY, services.BODY_UNREACHED.format(code="DN"))
    ]
    assert not InspectionCase.objects.exists() and not CaseRead.objects.exists()


def test_it_refuses_the_same_body_on_the_page(world: World) -> None:
    client = world.client("huong")
    form = {"ma": "KT-1", "loai": "signs", "doi_tuong_loai": "member", "doi_tuong": "67000007"}

    response = client.post(f"{URL}moi/", {**form, "ngay": "01/03/2022", "co_quan": "DN"})

    assert response.status_code == 200
    assert services.BODY_UNREACHED.format(code="DN") in response.content.decode()
    assert not InspectionCase.objects.exists()


def test_it_lets_the_body_within_reach_import(world: World) -> None:
    report = run_import(
        {"KiemTra": [[*HEADERS, BODY], [*row("KT-1", "67000007"), "DN.DAKMIL"]]},
        user=world.users["huong"],
    )

    assert report.ok
    assert InspectionCase.objects.get().body == world.units["DN.DAKMIL"]


def test_it_logs_a_conclusion_refused_for_its_date_as_refused(world: World) -> None:
    case = open_case(world)

    response = world.client("huong").post(
        f"{URL}{case.pk}/ket-luan/", {"ngay": "31/02/2022", "vi_pham": "co", "noi_dung": "x"}
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.concluded_on, case.violation) == (None, None)
    assert reads() == [("huong", "KT-1", ReadKind.CONCLUDE_REFUSED)]


def test_it_logs_a_discipline_refused_for_its_date_as_refused(world: World) -> None:
    case = open_case(world)

    world.client("huong").post(f"{URL}{case.pk}/ky-luat/", {"ngay": "", "hinh_thuc": "warning"})

    assert reads() == [("huong", "KT-1", ReadKind.DISCIPLINE_REFUSED)]


def test_it_writes_the_read_log_from_the_services_only() -> None:
    """No module of the app but services.py makes `CaseRead` rows (views, selectors and the
    exchange sheet go through `services.case_read` / `services.cases_read`)."""
    app = Path(services.__file__).parent
    writers = {
        path.name
        for path in app.glob("*.py")
        if path.name != "services.py"
        and any(
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"create", "bulk_create", "get_or_create"}
            and "CaseRead" in ast.unparse(node.func.value)
            for node in ast.walk(ast.parse(path.read_text()))
        )
    }
    assert writers == set()


def test_it_reads_the_body_typed_by_name_without_the_pickers_script(world: World) -> None:
    client = world.client("huong")
    form = {"ma": "KT-1", "loai": "signs", "doi_tuong_loai": "member", "doi_tuong": "67000007"}

    response = client.post(
        f"{URL}moi/", {**form, "ngay": "2022-03-01", "co_quan": "Huyện ủy Đắk Mil"}
    )

    assert response.status_code == 302
    assert InspectionCase.objects.get().body == world.units["DN.DAKMIL"]
