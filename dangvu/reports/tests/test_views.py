"""The report pages: list, create, edit with the preview, downloads. Who may open which
page for which unit is the authorization matrix's business (core/tests/test_authorization);
here: what the pages do, and that a reader who may not write changes nothing."""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Any

import docx
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dangvu.conftest import World
from dangvu.indicators.models import Programme
from dangvu.lib.periods import Period
from dangvu.reports.generate import CONTENT_TYPES
from dangvu.reports.models import SummaryReport
from dangvu.reports.tests.conftest import PERIOD_LABEL, save_report

TDP1 = "DN.CUJUT.EATLING.TDP1"
CREATE = reverse("reports:create") + f"?de_an=DA05&ky={PERIOD_LABEL}&don_vi=DN"


def _form(**changes: str) -> dict[str, str]:
    data = {
        "title": "Sơ kết 05 năm thực hiện Đề án số 05-ĐA/TU",
        "superior": "Đảng bộ tỉnh Đắk Nông",
        "issuer": "Tỉnh ủy",
        "number": "371",
        "symbol": "BC/TU",
        "place": "Đắk Nông",
        "issued_on": "21/07/2023",
        "signer_role": "T/M BAN THƯỜNG VỤ",
        "signer_title": "PHÓ BÍ THƯ",
        "signer_name": "Lưu Văn Trung",
        "recipients": "- Ban Bí thư Trung ương Đảng,\r\n- Lưu Văn phòng Tỉnh ủy.",
        "section_iv_title": "NHIỆM VỤ, GIẢI PHÁP TỪ NAY ĐẾN NĂM 2025",
        "s__II.1": "- Kỷ luật, kỷ cương ở một số tổ chức đảng chưa nghiêm.",
        "s__III": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def cell_report(world: World, programme: Programme, period: Period) -> SummaryReport:
    """The five-year review of Hoà's cell, written by the provincial organisation office."""
    return save_report(
        world,
        programme,
        period,
        unit=world.units[TDP1],
        title="Sơ kết Đề án 05 tại Chi bộ Tổ dân phố 1",
        superior="Đảng bộ thị trấn Ea T'Ling",
        issuer="Chi bộ Tổ dân phố 1",
        number="12",
        symbol="BC/CB",
    )


@pytest.fixture
def dakmil_report(world: World, programme: Programme, period: Period) -> SummaryReport:
    return save_report(
        world, programme, period, unit=world.units["DN.DAKMIL"], title="Báo cáo Huyện ủy Đắk Mil"
    )


def test_it_lists_the_reports_in_the_scope(
    world: World, summary: SummaryReport, cell_report: SummaryReport
) -> None:
    officer = world.client("tochuc").get(reverse("reports:list"))
    secretary = world.client("hoa").get(reverse("reports:list"))

    assert officer.status_code == secretary.status_code == 200
    assert list(officer.context["reports"]) == [cell_report, summary]
    assert list(secretary.context["reports"]) == [cell_report]
    assert reverse("reports:create") in officer.content.decode()
    assert reverse("reports:create") not in secretary.content.decode()


def test_it_prefills_a_new_report_with_a_draft(world: World, programme: Programme) -> None:
    response = world.client("tochuc").get(CREATE)

    assert response.status_code == 200
    initial = response.context["form"].initial
    assert initial["title"] == (
        "Sơ kết thực hiện Đề án số 05-ĐA/TU, ngày 05/07/2018 của Ban Thường vụ Tỉnh ủy Đắk Nông "
        "(từ 05/07/2018 đến 30/06/2023)"
    )
    assert (initial["superior"], initial["issuer"], initial["place"]) == (
        "Đảng bộ tỉnh Đắk Nông",
        "Tỉnh ủy",
        "Đắk Nông",
    )
    assert (initial["signer_role"], initial["signer_title"]) == ("T/M BAN THƯỜNG VỤ", "BÍ THƯ")
    assert initial["title"] in response.content.decode()
    assert not SummaryReport.objects.exists()


def test_it_prefills_the_draft_of_a_district(world: World, programme: Programme) -> None:
    url = reverse("reports:create") + "?don_vi=DN.DAKMIL"
    initial = world.client("tochuc").get(url).context["form"].initial

    assert (initial["superior"], initial["issuer"]) == ("Đảng bộ tỉnh Đắk Nông", "Huyện ủy Đắk Mil")


def test_it_creates_a_report(world: World, programme: Programme) -> None:
    response = world.client("tochuc").post(CREATE, _form())

    report = SummaryReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:edit", kwargs={"report_id": report.pk})
    assert (report.unit, report.period, report.programme) == (
        world.units["DN"],
        PERIOD_LABEL,
        programme,
    )
    assert (report.number, report.issued_on, report.signer_title) == (
        "371",
        date(2023, 7, 21),
        "PHÓ BÍ THƯ",
    )
    assert report.narrative == {"II.1": "- Kỷ luật, kỷ cương ở một số tổ chức đảng chưa nghiêm."}
    assert report.recipients == "- Ban Bí thư Trung ương Đảng,\r\n- Lưu Văn phòng Tỉnh ủy."
    assert report.created_by == world.users["tochuc"]


@pytest.mark.parametrize("title", ["", "   "])
def test_it_requires_a_title(world: World, programme: Programme, title: str) -> None:
    response = world.client("tochuc").post(CREATE, _form(title=title))

    assert response.status_code == 200
    assert response.context["form"].errors["title"] == ["Trường này là bắt buộc."]
    assert "Trường này là bắt buộc." in response.content.decode()
    assert not SummaryReport.objects.exists()


def test_it_previews_the_composed_text_and_footnotes(world: World, summary: SummaryReport) -> None:
    url = reverse("reports:edit", kwargs={"report_id": summary.pk})
    response = world.client("tochuc").get(url)
    page = response.content.decode()

    assert response.status_code == 200
    texts = [p.text for p in response.context["paras"]]
    assert texts[0].startswith("Đảng bộ tỉnh Đắk Nông hiện có 03 đảng bộ trực thuộc")
    assert texts[0] in page
    assert "cấp huyện 199 cuộc giám sát, cấp xã 745 cuộc giám sát" in page
    assert "Việc làm tốt công tác xây dựng, chỉnh đốn Đảng là tiền đề quan trọng." in page
    assert len(response.context["notes"]) == 3
    assert '<ol class="footnotes">' in page
    assert "khoảng 200 trang thông tin điện tử được cấp phép hoạt động." in page
    assert "Có 1 sai lệch số liệu" in page  # 35 + 199 + 745 ≠ 899
    assert "Lưu báo cáo" in page


def test_it_saves_an_edit(world: World, summary: SummaryReport) -> None:
    url = reverse("reports:edit", kwargs={"report_id": summary.pk})
    response = world.client("tuyengiao").post(url, _form(title="Báo cáo đã sửa", **{"s__II.1": ""}))

    summary.refresh_from_db()
    assert response.status_code == 302
    assert summary.title == "Báo cáo đã sửa"
    assert summary.narrative == {}
    assert summary.created_by == world.users["tochuc"]


def test_it_shows_a_reader_the_report_without_the_form(
    world: World, cell_report: SummaryReport
) -> None:
    url = reverse("reports:edit", kwargs={"report_id": cell_report.pk})
    response = world.client("hoa").get(url)
    page = response.content.decode()

    assert response.status_code == 200
    assert response.context["can_write"] is False
    assert "Lưu báo cáo" not in page
    assert "Chi bộ Tổ dân phố 1 hiện có" in page


def test_it_refuses_an_edit_by_a_reader_who_may_not_write(
    world: World, cell_report: SummaryReport
) -> None:
    before = SummaryReport.objects.values().get(pk=cell_report.pk)
    url = reverse("reports:edit", kwargs={"report_id": cell_report.pk})
    response = world.client("hoa").post(url, _form(title="Hoà sửa báo cáo"))

    assert response.status_code == 404
    assert SummaryReport.objects.values().get(pk=cell_report.pk) == before


def _download(world: World, persona: str, report: SummaryReport, fmt: str) -> Any:
    return world.client(persona).get(reverse(f"reports:{fmt}", kwargs={"report_id": report.pk}))


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "json"])
def test_it_downloads_each_format_as_an_attachment(
    world: World, summary: SummaryReport, fmt: str
) -> None:
    response = _download(world, "tochuc", summary, fmt)

    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPES[fmt]
    assert response["Content-Disposition"] == (
        f'attachment; filename="bao-cao-da05-dang-bo-tinh-dak-nong-2018-07-05_2023-06-30.{fmt}"'
    )


def test_it_downloads_contents_that_open(world: World, cell_report: SummaryReport) -> None:
    document = docx.Document(io.BytesIO(_download(world, "hoa", cell_report, "docx").content))
    book = load_workbook(io.BytesIO(_download(world, "hoa", cell_report, "xlsx").content))
    payload = json.loads(_download(world, "hoa", cell_report, "json").content)

    left = [p.text for p in document.tables[0].rows[0].cells[0].paragraphs]
    assert left == ["ĐẢNG BỘ THỊ TRẤN EA T'LING", "CHI BỘ TỔ DÂN PHỐ 1", "*", "Số 12-BC/CB"]
    assert len(book.sheetnames) == 7
    assert payload["indicators"]["org.members"] == 4
    response = _download(world, "hoa", cell_report, "docx")
    assert response["Content-Disposition"] == (
        'attachment; filename="bao-cao-da05-chi-bo-to-dan-pho-1-2018-07-05_2023-06-30.docx"'
    )


@pytest.mark.parametrize("persona", ["hoa", "kbinh"])
@pytest.mark.parametrize("name", ["edit", "docx", "xlsx", "json"])
def test_it_hides_the_report_of_another_district(
    world: World, dakmil_report: SummaryReport, persona: str, name: str
) -> None:
    url = reverse(f"reports:{name}", kwargs={"report_id": dakmil_report.pk})

    assert world.client(persona).get(url).status_code == 404


def test_it_hides_a_report_from_a_reader_of_another_district_on_post(
    world: World, dakmil_report: SummaryReport
) -> None:
    before = SummaryReport.objects.values().get(pk=dakmil_report.pk)
    url = reverse("reports:edit", kwargs={"report_id": dakmil_report.pk})

    assert world.client("kbinh").post(url, _form(title="Sửa")).status_code == 404
    assert SummaryReport.objects.values().get(pk=dakmil_report.pk) == before


def test_it_answers_404_for_a_report_that_does_not_exist(world: World) -> None:
    url = reverse("reports:edit", kwargs={"report_id": 999_999})

    assert world.client("quantri").get(url).status_code == 404
