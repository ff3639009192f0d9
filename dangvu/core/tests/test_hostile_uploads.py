"""Uploads are bounded before they are read: a small workbook with one cell at the sheet's
last position, or an entry that unpacks to more than the page accepts, is refused with a
Vietnamese message through every upload page, and nothing changes (lib/xlsx_table.py)."""

from __future__ import annotations

import io
import zipfile

import pytest
import python_calamine
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dangvu.assessments.models import Question
from dangvu.conftest import World
from dangvu.documents.services import document_register
from dangvu.exchange.models import ExchangeLog
from dangvu.jobs.testing import run_queued
from dangvu.lib.xlsx_table import CELL_TOO_FAR, UNPACKED_TOO_LARGE
from dangvu.members.models import Member
from dangvu.sociology.models import Response
from dangvu.sociology.tests.helpers import make_survey
from dangvu.units.models import Unit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def far_cell(sheet: str, header: list[str]) -> bytes:
    """The page's own sheet and header, and one cell at XFD1048576: about 6 kB."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    page = book.add_worksheet(sheet)
    page.write_row(0, 0, header)
    page.write(1_048_575, 16_383, "x")
    book.close()
    return out.getvalue()


def bomb(sheet: str, header: list[str], mb: int) -> bytes:
    """The page's own sheet and header, and an entry of `mb` MB of zeros (a few kB zipped)."""
    source = zipfile.ZipFile(io.BytesIO(far_cell(sheet, header)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<c r="XFD1048576"', b'<c r="C2"')
            target.writestr(entry.filename, data)
        target.writestr("xl/media/image1.png", bytes(mb * 1024 * 1024))
    return out.getvalue()


def upload(raw: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("tep.xlsx", raw, content_type=XLSX)


FAR_TABLE = CELL_TOO_FAR.format(row="1.048.576", column="XFD", rows="20.000", columns=200)


@pytest.fixture(autouse=True)
def counted_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many workbooks calamine opened: a refused upload is never opened."""
    opened: list[int] = []
    real = python_calamine.CalamineWorkbook

    class Counting:
        @classmethod
        def from_filelike(cls, *args: object, **kwargs: object) -> object:
            opened.append(1)
            return real.from_filelike(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(python_calamine, "CalamineWorkbook", Counting)
    return opened


@pytest.mark.parametrize("mb", [None, 51])
def test_it_refuses_a_hostile_question_bank_and_changes_nothing(
    world: World, counted_reads: list[int], mb: int | None
) -> None:
    from dangvu.assessments import xlsx

    document = document_register(
        symbol="05-ĐA/TU",
        issued_on=timezone.localdate(),
        issuer="Ban Thường vụ Tỉnh ủy",
        title="Đề án thử",
        key="hostile",
    )
    raw = far_cell(xlsx.SHEET, xlsx.COLUMNS) if mb is None else bomb(xlsx.SHEET, xlsx.COLUMNS, mb)
    assert len(raw) < 100_000

    response = world.client("tuyengiao").post(
        reverse("assessments:bank", kwargs={"document_id": document.pk}), {"tep": upload(raw)}
    )

    assert response.status_code == 200
    said = FAR_TABLE if mb is None else UNPACKED_TOO_LARGE.format(mb=50)
    assert said in response.content.decode()
    assert Question.objects.count() == 0
    assert counted_reads == []


@pytest.mark.parametrize("mb", [None, 51])
def test_it_refuses_hostile_paper_sheets_and_changes_nothing(
    world: World, counted_reads: list[int], mb: int | None
) -> None:
    survey = make_survey(world, anonymous=True)
    header = ["Đơn vị", *(f"Câu {q.number}" for q in survey.questions.all())]
    raw = far_cell("Phiếu", header) if mb is None else bomb("Phiếu", header, mb)

    response = world.client("tochuc").post(
        reverse("sociology:paper_import", args=[survey.pk]), {"tep": upload(raw)}
    )

    assert response.status_code == 400
    said = FAR_TABLE if mb is None else UNPACKED_TOO_LARGE.format(mb=50)
    assert said in response.content.decode()
    assert Response.objects.count() == 0
    assert counted_reads == []


def test_it_refuses_a_hostile_exchange_workbook_and_changes_nothing(
    world: World, counted_reads: list[int]
) -> None:
    before = (Unit.objects.count(), Member.objects.count(), ExchangeLog.objects.count())
    raw = far_cell("DonVi", ["Mã đơn vị", "Tên đơn vị"])

    client = world.client("tochuc")
    queued = client.post(reverse("exchange:home"), {"tep": upload(raw)})
    assert queued.status_code == 302  # the import runs as a background job
    assert run_queued() == 1
    response = client.get(queued["Location"])

    assert response.status_code == 200
    said = CELL_TOO_FAR.format(row="1.048.576", column="XFD", rows="1.000.000", columns=100)
    assert said in response.content.decode()
    assert (Unit.objects.count(), Member.objects.count(), ExchangeLog.objects.count()) == before
    assert counted_reads == []
