"""The validation rules of the catalogue: each has a case that breaks it and one that keeps
it, and each finding names the rule, the unit, the period and both values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from dangvu.core.errors import DomainError
from dangvu.indicators.catalogue import rules
from dangvu.indicators.models import EnteredValue, Indicator
from dangvu.indicators.services import KEY_REQUIRED
from dangvu.indicators.tests.helpers import (
    DUCMINH,
    EATLING,
    SEED_PERIOD,
    TDP1,
    enter,
    period_of,
)
from dangvu.indicators.validation import CHECKS, Finding, check
from dangvu.members.services import member_leave
from dangvu.units.services import unit_rename

LABELS = {r.code: r.label for r in rules()}
SEVERITY = {r.code: r.severity for r in rules()}
NAMES = {
    "DN": "Đảng bộ tỉnh Đắk Nông",
    "DN.CUJUT": "Huyện ủy Cư Jút",
    "DN.DAKMIL": "Huyện ủy Đắk Mil",
    EATLING: "Đảng bộ thị trấn Ea T'Ling",
    TDP1: "Chi bộ Tổ dân phố 1",
}


def finding(
    rule: str, unit: str, period: str, left: str, lv: float, right: str, rv: float
) -> Finding:
    return Finding(
        rule, SEVERITY[rule], LABELS[rule], unit, NAMES[unit], period, left, lv, right, rv
    )


def run(world, unit: str, period: str) -> list[Finding]:
    return check(unit=world.units[unit], period=period_of(period))


def entered_total(world, code: str, unit: str, period: str, value: int) -> EnteredValue:
    """A total at the empty key of a keyed indicator. The service refuses it (a keyed
    indicator needs a key), so it is written directly, as historical data could be."""
    when = period_of(period)
    return EnteredValue.objects.create(
        indicator=Indicator.objects.get(code=code),
        key="",
        unit=world.units[unit],
        period=when.label,
        period_start=when.start,
        period_end=when.end,
        value=Decimal(value),
    )


# -- rules between entered values -----------------------------------------------------
@dataclass(frozen=True)
class Case:
    """Values entered at one unit for one period: `bad` breaks the rule, `good` keeps it."""

    rule: str
    unit: str
    period: str
    bad: tuple[tuple[str, str, int], ...]  # (code, key, value)
    good: tuple[tuple[str, str, int], ...]
    left: str
    left_value: int
    right: str
    right_value: int


LEVELS = (
    ("supervision.front_by_level", "province", 35),
    ("supervision.front_by_level", "district", 199),
    ("supervision.front_by_level", "commune", 745),
)
CASES = [
    Case(
        "supervision_total_levels",
        "DN",
        SEED_PERIOD,
        (("supervision.front_total", "", 899), *LEVELS),
        (("supervision.front_total", "", 979), *LEVELS),
        "supervision.front_total",
        899,
        "Σ supervision.front_by_level",
        979,
    ),
    Case(
        "review_present_identity",
        "DN.CUJUT",
        "2019",
        (
            ("review.members_present", "", 4),
            ("review.members_reviewed", "", 3),
            ("review.members_exempt", "", 0),
        ),
        (
            ("review.members_present", "", 4),
            ("review.members_reviewed", "", 3),
            ("review.members_exempt", "", 1),
        ),
        "review.members_present",
        4,
        "review.members_reviewed + review.members_exempt",
        3,
    ),
    Case(
        "org_disciplined_le_violated",
        "DN",
        SEED_PERIOD,
        (("inspection.org_disciplined", "", 15), ("inspection.org_violated", "", 14)),
        (("inspection.org_disciplined", "", 14), ("inspection.org_violated", "", 14)),
        "inspection.org_disciplined",
        15,
        "inspection.org_violated",
        14,
    ),
    Case(
        "org_violated_le_signs",
        "DN",
        SEED_PERIOD,
        (("inspection.org_violated", "", 42), ("inspection.org_violation_signs", "", 41)),
        (("inspection.org_violated", "", 37), ("inspection.org_violation_signs", "", 41)),
        "inspection.org_violated",
        42,
        "inspection.org_violation_signs",
        41,
    ),
    Case(
        "member_disciplined_le_violated",
        "DN",
        SEED_PERIOD,
        (("inspection.member_disciplined", "", 469), ("inspection.member_violated", "", 468)),
        (("inspection.member_disciplined", "", 249), ("inspection.member_violated", "", 468)),
        "inspection.member_disciplined",
        469,
        "inspection.member_violated",
        468,
    ),
    Case(
        "member_violated_le_signs",
        "DN",
        SEED_PERIOD,
        (("inspection.member_violated", "", 483), ("inspection.member_violation_signs", "", 482)),
        (("inspection.member_violated", "", 468), ("inspection.member_violation_signs", "", 482)),
        "inspection.member_violated",
        483,
        "inspection.member_violation_signs",
        482,
    ),
    Case(
        "member_committee_le_signs",
        "DN",
        SEED_PERIOD,
        (
            ("inspection.member_violation_signs_committee", "", 500),
            ("inspection.member_violation_signs", "", 482),
        ),
        (
            ("inspection.member_violation_signs_committee", "", 257),
            ("inspection.member_violation_signs", "", 482),
        ),
        "inspection.member_violation_signs_committee",
        500,
        "inspection.member_violation_signs",
        482,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.rule for c in CASES])
def test_it_flags_entered_values_that_break_a_rule(world, case):
    for code, key, value in case.bad:
        enter(world, code, case.unit, case.period, value, key=key)

    assert run(world, case.unit, case.period) == [
        finding(
            case.rule,
            case.unit,
            case.period,
            case.left,
            case.left_value,
            case.right,
            case.right_value,
        )
    ]


@pytest.mark.parametrize("case", CASES, ids=[c.rule for c in CASES])
def test_it_accepts_entered_values_that_keep_a_rule(world, case):
    for code, key, value in case.good:
        enter(world, code, case.unit, case.period, value, key=key)

    assert run(world, case.unit, case.period) == []


def test_it_finds_nothing_in_values_computed_from_records(world):
    assert run(world, "DN", SEED_PERIOD) == []
    assert run(world, "DN", "2019") == []


def test_it_finds_the_seeds_front_supervision_mismatch_as_printed(world):
    enter(world, "supervision.front_total", "DN", SEED_PERIOD, 899)
    for _, key, value in LEVELS:
        enter(world, "supervision.front_by_level", "DN", SEED_PERIOD, value, key=key)

    (found,) = run(world, "DN", SEED_PERIOD)

    assert found.as_json() == {
        "rule": "supervision_total_levels",
        "severity": "error",
        "label": LABELS["supervision_total_levels"],
        "unit_code": "DN",
        "unit_name": "Đảng bộ tỉnh Đắk Nông",
        "period": SEED_PERIOD,
        "left": "supervision.front_total",
        "left_value": 899,
        "right": "Σ supervision.front_by_level",
        "right_value": 979,
    }
    assert str(found) == (
        "LỖI [supervision_total_levels] Đảng bộ tỉnh Đắk Nông (DN), kỳ 2018-07-05..2023-06-30: "
        "supervision.front_total = 899 / Σ supervision.front_by_level = 979"
    )


def test_it_checks_the_units_holding_entered_values_deep_below(world):
    """The mismatch entered at Ea T'Ling shows there, and in the province it rolls up to."""
    enter(world, "supervision.front_total", EATLING, "2019", 899)
    for _, key, value in LEVELS:
        enter(world, "supervision.front_by_level", EATLING, "2019", value, key=key)
    left, right = "supervision.front_total", "Σ supervision.front_by_level"

    assert sorted(run(world, "DN", "2019"), key=lambda f: f.unit_code) == [
        finding("supervision_total_levels", "DN", "2019", left, 899, right, 979),
        finding("supervision_total_levels", EATLING, "2019", left, 899, right, 979),
    ]
    assert run(world, "DN.DAKMIL", "2019") == []
    assert run(world, "DN", "2020") == []


def test_it_names_the_unit_as_it_was_called_in_the_period(world):
    unit_rename(
        unit=world.units[EATLING], name="Đảng bộ xã Ea T'Ling", effective_on=date(2021, 1, 1)
    )
    for year in ("2019", "2022"):
        enter(world, "supervision.front_total", EATLING, year, 1)
        enter(world, "supervision.front_by_level", EATLING, year, 2, key="commune")

    assert {f.unit_name for f in run(world, EATLING, "2019")} == {"Đảng bộ thị trấn Ea T'Ling"}
    assert {f.unit_name for f in run(world, EATLING, "2022")} == {"Đảng bộ xã Ea T'Ling"}


# -- suggestion totals ----------------------------------------------------------------
@pytest.mark.parametrize("code", ["suggestion.collectives", "suggestion.individuals"])
def test_it_compares_a_suggestion_total_with_its_levels_per_year(world, code):
    rule = f"{code.replace('.', '_')}_levels"
    enter(world, code, "DN", "2018", 5, key="province")
    enter(world, code, "DN", "2018", 15, key="district")
    entered_total(world, code, "DN", "2018", 21)
    enter(world, code, "DN", "2019", 3, key="province")
    enter(world, code, "DN", "2019", 33, key="district")
    entered_total(world, code, "DN", "2019", 36)

    assert run(world, "DN", "2018-01-01..2019-12-31") == [
        finding(rule, "DN", "2018", f"{code} (tổng)", 21, f"Σ {code} theo cấp", 20)
    ]


@pytest.mark.parametrize("code", ["suggestion.collectives", "suggestion.individuals"])
def test_it_has_no_suggestion_total_to_compare_when_only_levels_are_entered(world, code):
    enter(world, code, "DN", "2018", 5, key="province")
    enter(world, code, "DN", "2018", 15, key="district")

    assert run(world, "DN", "2018") == []
    with pytest.raises(DomainError) as error:
        enter(world, code, "DN", "2018", 20)
    assert error.value.message == KEY_REQUIRED.format(code=code, example="province")


# -- rules against computed values ----------------------------------------------------
def test_it_flags_an_entered_grassroots_total_that_disagrees_with_its_parts(world):
    enter(world, "org.grassroots_total", "DN", SEED_PERIOD, 5)

    assert run(world, "DN", SEED_PERIOD) == [
        finding(
            "grassroots_total_identity",
            "DN",
            SEED_PERIOD,
            "org.grassroots_total",
            5,
            "org.grassroots_committees + org.grassroots_cells",
            4,
        ),
        finding(
            "parent_entered_vs_children",
            "DN",
            SEED_PERIOD,
            "org.grassroots_total (nhập)",
            5,
            "Σ đơn vị trực thuộc",
            4,
        ),
    ]


def test_it_accepts_an_entered_grassroots_total_equal_to_its_parts(world):
    enter(world, "org.grassroots_total", "DN", SEED_PERIOD, 4)

    assert run(world, "DN", SEED_PERIOD) == []


def test_it_accepts_a_correct_grassroots_total_entered_for_a_district(world):
    enter(world, "org.grassroots_total", "DN.DAKMIL", SEED_PERIOD, 2)

    assert run(world, "DN.DAKMIL", SEED_PERIOD) == []


def test_it_warns_when_more_members_were_present_than_there_were(world):
    """Phạm Văn Cường left in 2019: the province had 8 members at the end of 2019, and one
    who left during the year, so at most 9 could have been present at the reviews."""
    member_leave(member=world.members["cuong"], left_on=date(2019, 3, 1))
    enter(world, "review.members_present", "DN", "2019", 10)
    enter(world, "review.members_reviewed", "DN", "2019", 10)

    assert run(world, "DN", "2019") == [
        finding(
            "review_present_le_members",
            "DN",
            "2019",
            "review.members_present",
            10,
            "org.members (cuối năm) + số đảng viên ra khỏi Đảng trong năm",
            9,
        )
    ]


def test_it_accepts_members_present_within_members_and_those_who_left(world):
    member_leave(member=world.members["cuong"], left_on=date(2019, 3, 1))
    enter(world, "review.members_present", "DN", "2019", 9)
    enter(world, "review.members_reviewed", "DN", "2019", 9)

    assert run(world, "DN", "2019") == []


def test_it_compares_members_present_year_by_year(world):
    member_leave(member=world.members["cuong"], left_on=date(2019, 3, 1))
    for year in ("2019", "2020"):
        enter(world, "review.members_present", "DN", year, 9)
        enter(world, "review.members_reviewed", "DN", year, 9)

    assert run(world, "DN", SEED_PERIOD) == [
        finding(
            "review_present_le_members",
            "DN",
            "2020",
            "review.members_present",
            9,
            "org.members (cuối năm) + số đảng viên ra khỏi Đảng trong năm",
            8,
        )
    ]


def test_it_warns_when_an_entered_parent_value_differs_from_its_children(world):
    enter(world, "org.members", EATLING, "2019", 7)

    assert run(world, "DN", "2019") == [
        finding(
            "parent_entered_vs_children",
            EATLING,
            "2019",
            "org.members (nhập)",
            7,
            "Σ đơn vị trực thuộc",
            5,
        )
    ]
    assert SEVERITY["parent_entered_vs_children"] == "warning"
    assert str(run(world, EATLING, "2019")[0]) == (
        "Cảnh báo [parent_entered_vs_children] Đảng bộ thị trấn Ea T'Ling (DN.CUJUT.EATLING), "
        "kỳ 2019: org.members (nhập) = 7 / Σ đơn vị trực thuộc = 5"
    )


def test_it_accepts_an_entered_parent_value_equal_to_its_children(world):
    enter(world, "org.members", EATLING, "2019", 5)

    assert run(world, "DN", "2019") == []


def test_it_compares_a_keyed_parent_value_key_by_key(world):
    code = "supervision.front_by_level"
    enter(world, code, "DN.CUJUT", "2019", 12, key="commune")
    enter(world, code, EATLING, "2019", 10, key="commune")
    enter(world, code, "DN.CUJUT", "2019", 3, key="district")

    assert run(world, "DN.CUJUT", "2019") == [
        finding(
            "parent_entered_vs_children",
            "DN.CUJUT",
            "2019",
            f"{code}[commune] (nhập)",
            12,
            "Σ đơn vị trực thuộc",
            10,
        )
    ]


def test_it_does_not_compare_a_parent_value_when_no_child_has_one(world):
    enter(world, "propaganda.teams_35", "DN", SEED_PERIOD, 557)
    enter(world, "org.members", DUCMINH, "2003", 12)  # before the units were founded

    assert run(world, "DN", SEED_PERIOD) == []
    assert run(world, "DN", "2003") == []


RULES_COVERED = [
    *(c.rule for c in CASES),
    "suggestion_collectives_levels",
    "suggestion_individuals_levels",
    "grassroots_total_identity",
    "review_present_le_members",
    "parent_entered_vs_children",
]


def test_it_checks_every_rule_of_the_catalogue_and_this_file_tests_each():
    assert set(CHECKS) | {"parent_entered_vs_children"} == {r.code for r in rules()}
    assert set(RULES_COVERED) == {r.code for r in rules()}
