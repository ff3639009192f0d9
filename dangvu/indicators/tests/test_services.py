"""Entered aggregate values: what may be entered, and how entering again corrects."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dangvu.core.errors import DomainError
from dangvu.indicators.models import EnteredValue, Indicator
from dangvu.indicators.services import (
    BAD_KEY,
    BAD_NUMBER,
    KEY_REQUIRED,
    NEGATIVE,
    NO_KEY,
    TOO_LARGE,
    UNKNOWN_INDICATOR,
    entered_value_clear,
    entered_value_set,
    indicator_by_code,
    parse_value,
    split_code,
)
from dangvu.indicators.tests.helpers import EATLING, SEED_PERIOD, enter, figure
from dangvu.lib.periods import parse_period

FRONT = "supervision.front_by_level"


def rows() -> list[tuple[str, str, str, str, Decimal]]:
    return list(
        EnteredValue.objects.order_by("pk").values_list(
            "indicator__code", "key", "unit__code", "period", "value"
        )
    )


def refused(world, code: str, period: str, value: float = 1, key: str = "") -> str:
    with pytest.raises(DomainError) as error:
        entered_value_set(
            indicator=Indicator.objects.get(code=code),
            unit=world.units["DN"],
            period=parse_period(period),
            value=Decimal(str(value)),
            key=key,
        )
    assert EnteredValue.objects.count() == 0
    return error.value.message


def test_it_enters_a_value_for_a_unit_and_period(world):
    entry = entered_value_set(
        indicator=Indicator.objects.get(code=FRONT),
        unit=world.units["DN"],
        period=parse_period("05/07/2018..30/06/2023"),
        value=Decimal("745"),
        key="commune",
        note="  Báo cáo sơ kết  ",
        actor=world.users["mattran"],
    )

    entry.refresh_from_db()
    assert (entry.period, entry.period_start.isoformat(), entry.period_end.isoformat()) == (
        SEED_PERIOD,
        "2018-07-05",
        "2023-07-01",
    )
    assert (entry.value, entry.note, entry.entered_by) == (
        Decimal("745.00"),
        "Báo cáo sơ kết",
        world.users["mattran"],
    )
    assert str(entry) == f"{FRONT}[commune] DN {SEED_PERIOD} = 745.00"


def test_it_corrects_a_value_entered_again(world, leader):
    enter(world, "org.members", EATLING, "2019", 40, actor=world.users["tochuc"])
    enter(world, "org.members", EATLING, "2019", 41, actor=leader)
    enter(world, "org.members", EATLING, "2020", 42)
    enter(world, FRONT, EATLING, "2019", 3, key="commune")
    enter(world, FRONT, EATLING, "2019", 4, key="district")

    assert rows() == [
        ("org.members", "", EATLING, "2019", Decimal("41.00")),
        ("org.members", "", EATLING, "2020", Decimal("42.00")),
        (FRONT, "commune", EATLING, "2019", Decimal("3.00")),
        (FRONT, "district", EATLING, "2019", Decimal("4.00")),
    ]
    corrected = EnteredValue.objects.get(indicator__code="org.members", period="2019")
    assert corrected.entered_by == leader
    assert figure(world, "org.members", "DN", "2019") == 41 + 2 + 2


def test_it_stores_a_period_under_its_canonical_label(world):
    enter(world, "org.members", EATLING, "2019-7", 40)
    enter(world, "org.members", EATLING, "2019-07", 41)
    enter(world, "org.members", EATLING, "2019q3", 42)

    assert rows() == [
        ("org.members", "", EATLING, "2019-07", Decimal("41.00")),
        ("org.members", "", EATLING, "2019Q3", Decimal("42.00")),
    ]


def test_it_clears_an_entered_value_and_the_computed_one_shows_again(world):
    enter(world, "org.members", EATLING, "2019", 40)
    enter(world, "org.members", EATLING, "2020", 40)
    assert figure(world, "org.members", "DN", "2019") == 44

    cleared = entered_value_clear(
        indicator=Indicator.objects.get(code="org.members"),
        unit=world.units[EATLING],
        period=parse_period("2019"),
    )

    assert cleared is True
    assert rows() == [("org.members", "", EATLING, "2020", Decimal("40.00"))]
    assert figure(world, "org.members", "DN", "2019") == 9
    again = entered_value_clear(
        indicator=Indicator.objects.get(code="org.members"),
        unit=world.units[EATLING],
        period=parse_period("2019"),
    )
    assert again is False


def test_it_clears_only_the_key_asked_for(world):
    enter(world, FRONT, "DN", "2019", 3, key="commune")
    enter(world, FRONT, "DN", "2019", 4, key="district")

    entered_value_clear(
        indicator=Indicator.objects.get(code=FRONT),
        unit=world.units["DN"],
        period=parse_period("2019"),
        key="commune",
    )

    assert rows() == [(FRONT, "district", "DN", "2019", Decimal("4.00"))]


def test_it_refuses_an_unknown_key(world):
    assert refused(world, FRONT, "2019", key="village") == BAD_KEY.format(
        code=FRONT, key="village", keys="province, district, commune"
    )
    assert refused(world, "suggestion.collectives", "2019", key="commune") == (
        "Chỉ tiêu suggestion.collectives không có khóa [commune]; "
        "khóa hợp lệ: province, district, grassroots."
    )


def test_it_requires_a_key_for_a_keyed_indicator(world):
    assert refused(world, FRONT, "2019") == KEY_REQUIRED.format(code=FRONT, example="province")
    assert refused(world, "study.resolution_classes", "2019") == (
        "Chỉ tiêu study.resolution_classes cần khóa, ví dụ study.resolution_classes[nq-dh-xiii]."
    )


def test_it_refuses_a_key_for_a_plain_indicator(world):
    assert refused(world, "org.members", "2019", key="commune") == NO_KEY.format(code="org.members")
    assert refused(world, "review.members_reviewed", "2019", key="province") == (
        "Chỉ tiêu review.members_reviewed không có khóa."
    )


@pytest.mark.parametrize(
    ("code", "period", "message"),
    [
        (
            "review.members_reviewed",
            SEED_PERIOD,
            "Chỉ tiêu review.members_reviewed được báo cáo theo năm; "
            "kỳ phải là một năm (ví dụ 2019).",
        ),
        (
            "review.members_reviewed",
            "2019Q3",
            "Chỉ tiêu review.members_reviewed được báo cáo theo năm; "
            "kỳ phải là một năm (ví dụ 2019).",
        ),
        (
            "meeting.regular_held",
            "2019",
            "Chỉ tiêu meeting.regular_held được báo cáo theo tháng; "
            "kỳ phải là một tháng (ví dụ 2019-07).",
        ),
        (
            "meeting.thematic_held",
            "2019-07",
            "Chỉ tiêu meeting.thematic_held được báo cáo theo quý; "
            "kỳ phải là một quý (ví dụ 2019Q3).",
        ),
    ],
)
def test_it_refuses_a_period_that_is_not_the_indicators_bucket(world, code, period, message):
    assert refused(world, code, period) == message


def test_it_takes_a_period_that_is_the_indicators_bucket(world):
    enter(world, "review.members_reviewed", "DN", "2019", 1)
    enter(world, "meeting.regular_held", "DN", "2019-07", 2)
    enter(world, "meeting.thematic_held", "DN", "2019Q3", 3)
    enter(world, "suggestion.collectives", "DN", "2019", 4, key="grassroots")

    assert [r[3] for r in rows()] == ["2019", "2019-07", "2019Q3", "2019"]


def test_it_refuses_a_negative_value(world):
    assert refused(world, "org.members", "2019", value=-1) == NEGATIVE
    assert NEGATIVE == "Giá trị không được âm."


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (Decimal("NaN"), "'NaN' không phải số."),
        (Decimal("-Infinity"), "'-Infinity' không phải số."),
        (Decimal("1e14"), TOO_LARGE),
    ],
)
def test_it_refuses_a_value_no_column_can_hold(world, value, message):
    with pytest.raises(DomainError) as error:
        entered_value_set(
            indicator=Indicator.objects.get(code="org.members"),
            unit=world.units["DN"],
            period=parse_period("2019"),
            value=value,
        )

    assert error.value.message == message
    assert EnteredValue.objects.count() == 0


def test_it_accepts_zero(world):
    enter(world, "org.members", EATLING, "2019", 0)

    assert figure(world, "org.members", "DN.CUJUT", "2019") == 0


@pytest.mark.parametrize(
    ("text", "code", "key"),
    [
        ("supervision.front_by_level[commune]", FRONT, "commune"),
        ("  Supervision.Front_By_Level[Commune] ", FRONT, "commune"),
        ("org.members", "org.members", ""),
        ("study.resolution_classes[nq-dh-xiii]", "study.resolution_classes", "nq-dh-xiii"),
    ],
)
def test_it_splits_a_code_and_its_key(text, code, key):
    assert split_code(text) == (code, key)


@pytest.mark.parametrize("text", ["org members", "org.members[]", "org.members[a", "tổng"])
def test_it_refuses_a_code_it_cannot_read(text):
    with pytest.raises(DomainError) as error:
        split_code(text)

    assert error.value.message == UNKNOWN_INDICATOR.format(code=text.strip())


def test_it_finds_an_indicator_by_its_code(world):
    assert indicator_by_code("org.members").label == "Tổng số đảng viên"
    with pytest.raises(DomainError) as error:
        indicator_by_code("org.nothing")
    assert error.value.message == "Không có chỉ tiêu mã org.nothing."


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("27.210", Decimal("27210")),
        ("3,5", Decimal("3.5")),
        (" 745 ", Decimal("745")),
        ("0", Decimal("0")),
        (12, Decimal("12")),
        (2.5, Decimal("2.5")),
        ("99.999.999.999.999,99", Decimal("99999999999999.99")),
    ],
)
def test_it_reads_numbers_the_vietnamese_way(raw, value):
    assert parse_value(raw) == value


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("abc", BAD_NUMBER.format(value="abc")),
        ("12a", "'12a' không phải số."),
        ("-3", NEGATIVE),
        ("NaN", "'NaN' không phải số."),
        ("Infinity", "'Infinity' không phải số."),
        ("100.000.000.000.000", TOO_LARGE),
        (float("nan"), "'nan' không phải số."),
    ],
)
def test_it_refuses_what_is_not_a_number(raw, message):
    with pytest.raises(DomainError) as error:
        parse_value(raw)

    assert error.value.message == message
