"""The text of the report: numbers written the Vietnamese way, figure sentences from the
indicators of the world, the narrative between them."""

from __future__ import annotations

import pytest

from dangvu.conftest import World
from dangvu.indicators.disclosure import Viewer
from dangvu.indicators.models import Programme
from dangvu.lib.periods import Period
from dangvu.reports import generate
from dangvu.reports.compose import MISSING, compose, count
from dangvu.reports.models import SummaryReport

OPERATOR = Viewer.operator()  # the figures as they are


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (126292, "126.292"),
        (27210, "27.210"),
        (5174, "5.174"),
        (899, "899"),
        (12, "12"),
        (10, "10"),
        (9, "09"),
        (5, "05"),
        (1, "01"),
        (5.0, "05"),
        (126292.0, "126.292"),
        (87.5, "87,5"),
        (None, MISSING),
    ],
)
def test_it_writes_numbers_the_vietnamese_way(value: float | None, text: str) -> None:
    assert count(value) == text


def test_it_writes_zero_without_a_leading_zero() -> None:
    assert count(0) == "0"


def test_it_says_there_is_no_data_in_words() -> None:
    assert MISSING == "(chưa có số liệu)"


def _texts(summary: SummaryReport) -> list[str]:
    return [p.text for p in compose(summary, generate.data_for(summary, viewer=OPERATOR))]


def test_it_counts_the_organisation_of_the_province_from_the_tree(
    world: World, programme: Programme, period: Period
) -> None:
    draft = generate.draft(unit=world.units["DN"], period=period, programme=programme)

    assert _texts(draft)[0] == (
        "Đảng bộ tỉnh Đắk Nông hiện có 03 đảng bộ trực thuộc, 04 tổ chức cơ sở đảng "
        "(03 đảng bộ cơ sở, 01 chi bộ cơ sở), với tổng số 09 đảng viên."
    )


def test_it_counts_the_organisation_of_a_district(
    world: World, programme: Programme, period: Period
) -> None:
    draft = generate.draft(unit=world.units["DN.DAKMIL"], period=period, programme=programme)

    assert _texts(draft)[0] == (
        "Huyện ủy Đắk Mil hiện có 0 đảng bộ trực thuộc, 02 tổ chức cơ sở đảng "
        "(01 đảng bộ cơ sở, 01 chi bộ cơ sở), với tổng số 02 đảng viên."
    )


def test_it_writes_each_narrative_paragraph_after_its_heading(
    world: World, programme: Programme, period: Period
) -> None:
    draft = generate.draft(unit=world.units["DN"], period=period, programme=programme)
    draft.narrative = {
        "intro": "Trong giai đoạn 2018 - 2023, công tác xây dựng Đảng đạt kết quả quan trọng.",
        "2.4": "Công tác kiểm tra, giám sát được tăng cường.\r\n\r\nKỷ luật đảng được siết chặt.",
    }
    texts = _texts(draft)
    heading = next(i for i, t in enumerate(texts) if t.startswith("2.4. "))

    assert texts[1] == draft.narrative["intro"]
    assert texts[heading + 1 : heading + 3] == [
        "Công tác kiểm tra, giám sát được tăng cường.",
        "Kỷ luật đảng được siết chặt.",
    ]
    assert texts[heading + 3].startswith("Trong kỳ báo cáo, Ủy ban kiểm tra các cấp")


def test_it_uses_the_programme_and_the_section_iv_title_in_the_headings(
    world: World, programme: Programme, period: Period
) -> None:
    draft = generate.draft(unit=world.units["DN"], period=period, programme=programme)
    draft.section_iv_title = "Nhiệm vụ, giải pháp từ nay đến năm 2025"
    texts = _texts(draft)

    assert "I. KẾT QUẢ TRIỂN KHAI THỰC HIỆN ĐỀ ÁN SỐ 05-ĐA/TU" in texts
    assert texts[-1] == "IV. NHIỆM VỤ, GIẢI PHÁP TỪ NAY ĐẾN NĂM 2025"


def test_it_drafts_the_heading_of_a_provincial_report(
    world: World, programme: Programme, period: Period
) -> None:
    draft = generate.draft(unit=world.units["DN"], period=period, programme=programme)

    assert (draft.superior, draft.issuer, draft.place) == (
        "Đảng bộ tỉnh Đắk Nông",
        "Tỉnh ủy",
        "Đắk Nông",
    )
    assert draft.title.startswith("Sơ kết thực hiện Đề án số 05-ĐA/TU")
    assert draft.period == "2018-07-05..2023-06-30"
    assert draft.pk is None
