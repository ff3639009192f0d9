"""`dangvu report` on the command line: which unit and period, which format, where to."""

from __future__ import annotations

import io
import json
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import docx
import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from dangvu.conftest import World
from dangvu.indicators.models import Programme
from dangvu.lib.docx_footnotes import footnotes_of
from dangvu.reports.models import SummaryReport
from dangvu.reports.tests.conftest import NARRATIVE
from dangvu.units.models import Unit, UnitKind
from dangvu.units.services import unit_create, unit_merge

MERGED_ON = date(2025, 7, 1)
DN_FILE = "bao-cao-da05-dang-bo-tinh-dak-nong-2018-07-05_2023-06-30"


def _run(*args: str, **options: Any) -> str:
    out = StringIO()
    call_command("report", *args, stdout=out, **options)
    return out.getvalue()


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    call_command("report", *args, "--format", "json")
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def lam_dong(world: World) -> Unit:
    """The 1 July 2025 reorganisation: Đảng bộ tỉnh Đắk Nông merges into Lâm Đồng."""
    root = unit_create(
        code="LD",
        name="Đảng bộ tỉnh Lâm Đồng",
        kind=UnitKind.PROVINCE,
        parent=None,
        valid_from=MERGED_ON,
    )
    unit_merge(sources=[world.units["DN"]], target=root, effective_on=MERGED_ON)
    return root


def test_it_writes_the_docx_named_after_the_report_by_default(
    world: World, programme: Programme, in_tmp: Path
) -> None:
    out = _run("--from", "2018-07-05", "--to", "2023-06-30")

    path = in_tmp / f"{DN_FILE}.docx"
    assert out == f"Đã ghi {DN_FILE}.docx.\n"
    assert path.read_bytes().startswith(b"PK")
    assert docx.Document(str(path)).tables[0].rows[0].cells[0].paragraphs[0].text == (
        "ĐẢNG BỘ TỈNH ĐẮK NÔNG"
    )
    assert not SummaryReport.objects.exists()  # a draft, not saved


def test_it_reports_on_the_root_as_it_stood_on_the_last_day(
    world: World, programme: Programme, lam_dong: Unit, in_tmp: Path
) -> None:
    _run("--from", "2018-07-05", "--to", "2023-06-30")
    _run("--from", "2025-07-01", "--to", "2025-12-31")

    assert sorted(p.name for p in in_tmp.glob("*.docx")) == [
        f"{DN_FILE}.docx",
        "bao-cao-da05-dang-bo-tinh-lam-dong-2025-07-01_2025-12-31.docx",
    ]


def test_it_uses_the_programme_period_when_no_dates_are_given(
    world: World, programme: Programme, in_tmp: Path
) -> None:
    _run("--format", "xlsx")

    assert (in_tmp / f"{DN_FILE}.xlsx").is_file()


def test_it_reads_iso_and_vietnamese_dates_alike(
    world: World, figures: None, capsys: pytest.CaptureFixture[str]
) -> None:
    iso = _json(capsys, "--org", "DN", "--from", "2018-07-05", "--to", "2023-06-30")
    vietnamese = _json(capsys, "--org", "DN", "--from", "05/07/2018", "--to", "30/06/2023")
    implicit = _json(capsys)

    assert iso == vietnamese == implicit
    assert iso["indicators"]["supervision.front_total"] == 899


def test_it_writes_each_format_to_the_given_path(
    world: World, figures: None, tmp_path: Path
) -> None:
    for fmt in ("docx", "xlsx", "json"):
        path = tmp_path / "ra" / f"bao-cao.{fmt}"
        path.parent.mkdir(exist_ok=True)
        assert _run("--org", "DN", "--format", fmt, "--out", str(path)) == f"Đã ghi {path}.\n"

    content = (tmp_path / "ra" / "bao-cao.docx").read_bytes()
    assert len(footnotes_of(io.BytesIO(content))) == 3
    book = load_workbook(tmp_path / "ra" / "bao-cao.xlsx")
    assert len(book.sheetnames) == 7
    payload = json.loads((tmp_path / "ra" / "bao-cao.json").read_text(encoding="utf-8"))
    assert payload["indicators"]["supervision.front_by_level"]["commune"] == 745


def test_it_uses_the_saved_report_of_the_unit_and_period(
    summary: SummaryReport, tmp_path: Path
) -> None:
    path = tmp_path / "bao-cao.docx"
    _run("--org", "DN", "--from", "05/07/2018", "--to", "30/06/2023", "--out", str(path))
    texts = [p.text for p in docx.Document(str(path)).paragraphs]

    assert NARRATIVE["IV"] in texts
    assert summary.title in texts


def test_it_refuses_an_unknown_unit(world: World, programme: Programme) -> None:
    with pytest.raises(CommandError, match=r"^Không có đơn vị mã DN\.KHONGCO\.$"):
        _run("--org", "DN.KHONGCO")


def test_it_refuses_a_unit_that_did_not_exist_on_the_last_day(
    world: World, programme: Programme, lam_dong: Unit
) -> None:
    with pytest.raises(CommandError, match=r"^Đơn vị DN không tồn tại vào ngày 31/12/2025\.$"):
        _run("--org", "DN", "--from", "2025-07-01", "--to", "2025-12-31")
    with pytest.raises(CommandError, match=r"^Đơn vị LD không tồn tại vào ngày 30/06/2023\.$"):
        _run("--org", "LD")


def test_it_refuses_a_period_that_ends_before_it_starts(world: World, programme: Programme) -> None:
    with pytest.raises(CommandError, match="Ngày kết thúc phải không trước ngày bắt đầu"):
        _run("--from", "2023-06-30", "--to", "2018-07-05")


def test_it_refuses_a_date_that_is_not_a_date(world: World, programme: Programme) -> None:
    with pytest.raises(CommandError, match="không phải ngày hợp lệ"):
        _run("--from", "5/7", "--to", "2023-06-30")


def test_it_refuses_an_impossible_date_in_vietnamese(world: World, programme: Programme) -> None:
    with pytest.raises(CommandError, match="không phải ngày hợp lệ"):
        _run("--from", "31/02/2023", "--to", "30/06/2023")


def test_it_refuses_an_unknown_format(world: World, programme: Programme) -> None:
    with pytest.raises(CommandError, match="invalid choice"):
        _run("--format", "pdf")
