"""Imports that stream: sheets read row by row, lookups bounded by what the workbook names,
large sheets checked and written in chunks — and still all or nothing."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
import xlsxwriter
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvu.conftest import World
from dangvu.exchange.context import ImportContext
from dangvu.exchange.services import iter_workbook, read_workbook
from dangvu.exchange.tests.helpers import DANG_VIEN, DON_VI, run_import, where
from dangvu.members.models import Member
from dangvu.reviews import exchange as reviews_exchange
from dangvu.reviews.models import MemberReview
from dangvu.reviews.tests import test_exchange as reviews_tests
from dangvu.units import services as units_services
from dangvu.units.models import Unit, UnitKind


def _offset_workbook() -> bytes:
    """A sheet whose first cell is C3 (rows 1–2 and columns A–B empty), and a plain one."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    offset = book.add_worksheet("DonVi")
    offset.write_row(2, 2, ["Mã đơn vị", "Tên đơn vị"])
    offset.write_row(3, 2, ["DN.X", "Chi bộ X"])
    offset.write_datetime(4, 3, date(2020, 1, 2), book.add_format({"num_format": "dd/mm/yyyy"}))
    plain = book.add_worksheet("KiemDiem")
    plain.write_row(0, 0, ["Năm", "Số thẻ đảng viên"])
    plain.write_row(1, 0, [2022, "67000001"])
    book.close()
    return out.getvalue()


def test_rows_read_one_by_one_are_the_rows_of_the_whole_sheet() -> None:
    raw = _offset_workbook()
    streamed = [(name, [list(row) for row in rows]) for name, rows in iter_workbook(raw)]
    assert streamed == [(name, [list(row) for row in rows]) for name, rows in read_workbook(raw)]
    assert streamed[0][1][3][2:] == ["DN.X", "Chi bộ X"]  # row 4, column C: as Excel shows


def test_a_sheet_whose_header_is_not_on_row_1_is_refused_at_row_1(db) -> None:
    report = run_import(_offset_workbook())
    assert ("DonVi", 1, "Mã đơn vị") in where(report)  # the required columns missing at row 1


def test_the_tree_looked_up_is_what_the_workbook_names_and_their_parents(world: World) -> None:
    ctx = ImportContext(actor=None, scope=None, named_codes=frozenset({"DN.CUJUT.EATLING.TDP1"}))
    assert set(ctx.units_by_code) == {"DN.CUJUT.EATLING.TDP1", "DN.CUJUT.EATLING"}
    whole = ImportContext(actor=None, scope=None)
    assert "DN.TUYDUC.QUANGTRUC.BP" in whole.units_by_code  # without names: the whole tree


def test_an_import_gathers_the_unit_codes_its_rows_name(world: World) -> None:
    row = ["67000099", "Nguyễn Văn Mới", "01/01/1990", "Nam", "01/01/2020", None, "DN.DAKMIL.UBKT"]
    with CaptureQueriesContext(connection) as queries:
        report = run_import({"DangVien": [DANG_VIEN[:7], row]})
    assert report.ok, report.errors
    assert Member.objects.get(card_number="67000099").memberships.get().unit.code == (
        "DN.DAKMIL.UBKT"
    )
    _only_named(queries.captured_queries)


def _only_named(captured: list[dict[str, str]]) -> None:
    """No query read a whole table of members, memberships, reviews or units: each names
    the cards, ids or codes it wants."""
    tables = ("members_member", "members_membership", "reviews_memberreview", "units_unit")
    for query in captured:
        sql = query["sql"]
        if not sql.startswith("SELECT") or sql.startswith(("SELECT MAX(", "SELECT setval(")):
            continue  # the next ids (an index's end), not rows
        found = re.search(r'FROM "(\w+)"', sql)
        if found is None or found.group(1) not in tables:
            continue
        where_clause = sql.split(" WHERE ", 1)[1] if " WHERE " in sql else ""
        assert re.search(r'"(card_number|code|id|member_id|unit_id)" (IN \(|= )', where_clause), sql


def test_member_reviews_read_only_the_members_the_sheet_names(world: World) -> None:
    with CaptureQueriesContext(connection) as queries:
        report = run_import(
            {
                "KiemDiem": [
                    reviews_tests.KIEM_DIEM,
                    [2022, "67000001", "Đã kiểm điểm", "Hoàn thành tốt nhiệm vụ"],
                ]
            }
        )
    assert report.ok, report.errors
    assert MemberReview.objects.get().member == world.members["hoa"]
    _only_named(queries.captured_queries)


@pytest.fixture
def one_row_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reviews_exchange, "CHUNK_ROWS", 1)


def test_member_reviews_in_chunks_import_as_in_one(world: World, one_row_chunks: None) -> None:
    reviews_tests.test_it_imports_the_shared_format_of_the_three_sheets(world)


def test_a_bad_row_in_a_later_chunk_writes_nothing_and_every_bad_cell_is_listed(
    world: World, one_row_chunks: None
) -> None:
    # The first chunk (a good row) is written, then rolled back with the rest.
    reviews_tests.test_it_lists_every_bad_cell_and_writes_nothing(world)
    assert not MemberReview.objects.exists()


def test_a_tree_sheet_rebuilds_the_paths_of_what_it_wrote_only(world: World) -> None:
    # Another province whose stored path is wrong: a rebuild of the whole tree would mend
    # it; the import's rebuild never reads it (units.services.paths.rebuild_paths).
    lamdong = units_services.unit_create(
        code="LD",
        name="Đảng bộ tỉnh Lâm Đồng",
        kind=UnitKind.PROVINCE,
        parent=None,
        valid_from=date(2004, 1, 1),
    )
    lamdong.versions.update(path="/sai/")
    row = ["DN.CUJUT.EAPO", "Đảng bộ xã Ea Pô", "Đảng bộ cơ sở", "DN.CUJUT", "01/01/2020"]

    report = run_import({"DonVi": [DON_VI[:5], row]})

    assert report.ok, report.errors
    eapo = Unit.objects.get(code="DN.CUJUT.EAPO")
    cujut = world.units["DN.CUJUT"].version_on(date(2021, 1, 1))
    assert eapo.version_on(date(2021, 1, 1)).path == f"{cujut.path}{eapo.pk}/"
    assert list(lamdong.versions.values_list("path", flat=True)) == ["/sai/"]
