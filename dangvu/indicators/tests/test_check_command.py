"""`dangvu check [--org CODE] [--period P]`: the findings, and exit 1 on any error."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dangvu.indicators.tests.helpers import EATLING, SEED_PERIOD, enter
from dangvu.lib.periods import INVALID
from dangvu.units.services import unit_create

SUPERVISION_ERROR = (
    "LỖI [supervision_total_levels] Đảng bộ tỉnh Đắk Nông (DN), kỳ 2018-07-05..2023-06-30: "
    "supervision.front_total = 899 / Σ supervision.front_by_level = 979"
)


def check(*args: str) -> tuple[int, list[str]]:
    """Run the verb; the exit code (0 when it returns) and the lines it printed."""
    out = StringIO()
    try:
        call_command("data_check", *args, stdout=out)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, out.getvalue().splitlines()


def enter_seed_supervision(world, total: int) -> None:
    enter(world, "supervision.front_total", "DN", SEED_PERIOD, total)
    for key, value in {"province": 35, "district": 199, "commune": 745}.items():
        enter(world, "supervision.front_by_level", "DN", SEED_PERIOD, value, key=key)


def test_it_exits_1_and_prints_an_error_finding(world):
    enter_seed_supervision(world, 899)

    assert check() == (1, [SUPERVISION_ERROR, f"1 lỗi, 0 cảnh báo (DN, kỳ {SEED_PERIOD})."])


def test_it_exits_normally_when_the_values_agree(world):
    enter_seed_supervision(world, 979)

    assert check() == (0, [f"0 lỗi, 0 cảnh báo (DN, kỳ {SEED_PERIOD})."])


def test_it_exits_normally_on_warnings_only(world):
    enter(world, "org.members", EATLING, "2019", 7)

    assert check("--period", "2019") == (
        0,
        [
            "Cảnh báo [parent_entered_vs_children] Đảng bộ thị trấn Ea T'Ling "
            "(DN.CUJUT.EATLING), kỳ 2019: org.members (nhập) = 7 / Σ đơn vị trực thuộc = 5",
            "0 lỗi, 1 cảnh báo (DN, kỳ 2019).",
        ],
    )


def test_it_checks_the_unit_and_period_asked_for(world):
    enter(world, "supervision.front_total", EATLING, "2019", 899)
    enter(world, "supervision.front_by_level", EATLING, "2019", 979, key="commune")

    code, lines = check("--org", "DN.CUJUT.EATLING", "--period", "2019")
    assert code == 1
    assert lines == [
        "LỖI [supervision_total_levels] Đảng bộ thị trấn Ea T'Ling (DN.CUJUT.EATLING), kỳ 2019: "
        "supervision.front_total = 899 / Σ supervision.front_by_level = 979",
        "1 lỗi, 0 cảnh báo (DN.CUJUT.EATLING, kỳ 2019).",
    ]
    assert check("--org", "DN.DAKMIL", "--period", "2019") == (
        0,
        ["0 lỗi, 0 cảnh báo (DN.DAKMIL, kỳ 2019)."],
    )
    assert check("--org", "DN.CUJUT.EATLING", "--period", "2020") == (
        0,
        ["0 lỗi, 0 cảnh báo (DN.CUJUT.EATLING, kỳ 2020)."],
    )


def test_it_reads_the_period_in_every_written_form(world):
    assert check("--period", "2019q3")[1] == ["0 lỗi, 0 cảnh báo (DN, kỳ 2019Q3)."]
    assert check("--period", "05/07/2018..30/06/2023")[1] == [
        f"0 lỗi, 0 cảnh báo (DN, kỳ {SEED_PERIOD})."
    ]


def test_it_refuses_an_unknown_unit(world):
    with pytest.raises(CommandError) as error:
        check("--org", "DN.NOWHERE")

    assert str(error.value) == "Không có đơn vị mã DN.NOWHERE."


def test_it_refuses_a_unit_that_did_not_exist_in_the_period(world):
    unit_create(
        code="DN.GIANGHIA",
        name="Thành ủy Gia Nghĩa",
        kind="direct",
        parent=world.units["DN"],
        valid_from=date(2021, 1, 1),
    )

    with pytest.raises(CommandError) as error:
        check("--org", "DN.GIANGHIA", "--period", "2019")

    assert str(error.value) == "Đơn vị DN.GIANGHIA không tồn tại vào ngày 31/12/2019."


def test_it_refuses_a_bad_period(world):
    with pytest.raises(CommandError) as error:
        check("--period", "2019Q5")

    assert str(error.value) == INVALID.format(text="2019Q5")


def test_it_refuses_a_period_before_any_unit(world):
    with pytest.raises(CommandError) as error:
        check("--period", "1999")

    assert str(error.value) == "Không có tổ chức đảng nào vào ngày 31/12/1999."


def test_it_refuses_an_unknown_programme(world):
    with pytest.raises(CommandError) as error:
        check("--program", "DA99")

    assert str(error.value) == (
        "Không có đề án DA99. Chạy `dangvu migrate` để nạp danh mục chỉ tiêu."
    )
