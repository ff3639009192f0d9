"""The roll-up engine: computed values at every depth of the tree, and the rule that an
entered value replaces, never adds to, everything beneath it."""

from __future__ import annotations

from datetime import date

import pytest

from dangvu.indicators.disclosure import Viewer
from dangvu.indicators.engine import buckets_for, evaluate, shape, total
from dangvu.indicators.models import Indicator
from dangvu.indicators.registry import COMPUTATIONS
from dangvu.indicators.selectors import programme, report_for
from dangvu.indicators.tests.helpers import (
    BP,
    DISTRICTS,
    DUCMINH,
    EATLING,
    QUANGTRUC,
    SEED_PERIOD,
    T1,
    TDP1,
    TDP2,
    UBKT,
    enter,
    figure,
    figures,
)
from dangvu.lib.periods import between, parse_period
from dangvu.members.models import Gender
from dangvu.members.services import member_create, member_leave, member_transfer
from dangvu.units.services import unit_merge, unit_move

ALL = ["DN", *DISTRICTS, EATLING, TDP1, TDP2, UBKT, DUCMINH, T1, QUANGTRUC, BP]
COMPUTED_2019 = {
    "DN": 9,
    "DN.CUJUT": 5,
    "DN.DAKMIL": 2,
    "DN.TUYDUC": 2,
    EATLING: 5,
    TDP1: 4,
    TDP2: 1,
    UBKT: 1,
    DUCMINH: 1,
    T1: 1,
    QUANGTRUC: 2,
    BP: 2,
}


def new_member(world, card: str, cell: str, joined: date, *, female: bool = False):
    return member_create(
        card_number=card,
        full_name=f"Đảng viên {card}",
        birth_date=date(1990, 1, 1),
        gender=Gender.FEMALE if female else Gender.MALE,
        joined_on=joined,
        cell=world.units[cell],
    )


# -- computed values ----------------------------------------------------------------------
def test_it_counts_members_at_every_depth_of_the_tree(world):
    assert figures(world, "org.members", ALL, "2019") == COMPUTED_2019


def test_it_counts_members_standing_on_the_last_day_of_the_period(world):
    """Trần Văn An is active in Tổ dân phố 1 from 01/06/2019."""
    assert figure(world, "org.members", TDP1, "2019-05") == 3
    assert figure(world, "org.members", TDP1, "2019-06") == 4
    assert figure(world, "org.members", "DN", "2018") == 8


def test_it_counts_units_below_a_unit_not_in_itself(world):
    codes = ["DN", "DN.CUJUT", "DN.DAKMIL", EATLING, UBKT]

    assert figures(world, "org.direct_committees", codes, "2019") == {
        "DN": 3,
        "DN.CUJUT": 0,
        "DN.DAKMIL": 0,
        EATLING: 0,
        UBKT: 0,
    }
    assert figures(world, "org.grassroots_committees", codes, "2019") == {
        "DN": 3,
        "DN.CUJUT": 1,
        "DN.DAKMIL": 1,
        EATLING: 0,
        UBKT: 0,
    }
    assert figures(world, "org.grassroots_cells", codes, "2019") == {
        "DN": 1,
        "DN.CUJUT": 0,
        "DN.DAKMIL": 1,
        EATLING: 0,
        UBKT: 0,
    }
    assert figures(world, "org.grassroots_total", codes, "2019") == {
        "DN": 4,
        "DN.CUJUT": 1,
        "DN.DAKMIL": 2,
        EATLING: 0,
        UBKT: 0,
    }


def test_it_counts_nothing_before_the_units_were_founded(world):
    assert figure(world, "org.direct_committees", "DN", "2003") == 0
    assert figure(world, "org.members", "DN", "2003") == 0


# -- the roll-up rule ---------------------------------------------------------------------
def test_it_lets_a_committee_value_replace_what_its_cells_compute(world):
    enter(world, "org.members", EATLING, "2019", 40)

    assert figures(world, "org.members", ALL, "2019") == {
        **COMPUTED_2019,
        EATLING: 40,
        "DN.CUJUT": 40,
        "DN": 40 + 2 + 2,
    }


def test_it_lets_a_cell_value_replace_only_that_cell(world):
    enter(world, "org.members", TDP1, "2019", 10)

    assert figures(world, "org.members", [TDP1, TDP2, EATLING, "DN.CUJUT", "DN"], "2019") == {
        TDP1: 10,
        TDP2: 1,
        EATLING: 11,
        "DN.CUJUT": 11,
        "DN": 15,
    }


def test_it_ignores_a_cell_value_above_a_committee_that_has_its_own(world):
    enter(world, "org.members", TDP1, "2019", 100)
    enter(world, "org.members", EATLING, "2019", 40)

    assert figures(world, "org.members", ALL, "2019") == {
        **COMPUTED_2019,
        TDP1: 100,
        EATLING: 40,
        "DN.CUJUT": 40,
        "DN": 44,
    }


def test_it_adds_entered_values_of_units_in_different_branches(world):
    enter(world, "org.members", TDP1, "2019", 10)
    enter(world, "org.members", T1, "2019", 3)

    assert figures(world, "org.members", ["DN", *DISTRICTS], "2019") == {
        "DN": 10 + 1 + 1 + 3 + 2,
        "DN.CUJUT": 11,
        "DN.DAKMIL": 4,
        "DN.TUYDUC": 2,
    }


def test_it_lets_a_province_value_replace_everything(world):
    enter(world, "org.members", TDP1, "2019", 100)
    enter(world, "org.members", "DN.DAKMIL", "2019", 50)
    enter(world, "org.members", "DN", "2019", 27210)

    assert figures(world, "org.members", ALL, "2019") == {
        **COMPUTED_2019,
        "DN": 27210,
        "DN.CUJUT": 101,
        "DN.DAKMIL": 50,
        EATLING: 101,
        TDP1: 100,
    }


def test_it_applies_an_entered_value_only_to_its_own_period(world):
    enter(world, "org.members", EATLING, "2019", 40)

    assert figure(world, "org.members", "DN", "2020") == 9
    assert figure(world, "org.members", "DN", "2019Q4") == 9
    assert figure(world, "org.members", "DN", "2019") == 44


def test_it_shows_an_entered_indicator_only_where_a_value_was_entered(world):
    enter(world, "propaganda.teams_35", "DN.CUJUT", SEED_PERIOD, 12)
    enter(world, "propaganda.teams_35", "DN.DAKMIL", SEED_PERIOD, 30)

    assert figures(world, "propaganda.teams_35", ["DN", *DISTRICTS, EATLING], SEED_PERIOD) == {
        "DN": 42,
        "DN.CUJUT": 12,
        "DN.DAKMIL": 30,
        "DN.TUYDUC": None,
        EATLING: None,
    }


def test_it_keeps_decimal_values_entered(world):
    enter(world, "media.websites", "DN.CUJUT", "2019", 2.5)
    enter(world, "media.websites", "DN.DAKMIL", "2019", 1)

    assert figures(world, "media.websites", ["DN", "DN.CUJUT"], "2019") == {
        "DN": 3.5,
        "DN.CUJUT": 2.5,
    }


# -- keys -------------------------------------------------------------------------------
def test_it_rolls_up_each_key_of_a_keyed_indicator_on_its_own(world):
    code = "supervision.front_by_level"
    enter(world, code, EATLING, SEED_PERIOD, 10, key="commune")
    enter(world, code, "DN.CUJUT", SEED_PERIOD, 25, key="commune")
    enter(world, code, "DN.CUJUT", SEED_PERIOD, 7, key="district")
    enter(world, code, DUCMINH, SEED_PERIOD, 4, key="commune")
    enter(world, code, "DN", SEED_PERIOD, 35, key="province")

    assert figures(world, code, ["DN", "DN.CUJUT", "DN.DAKMIL", EATLING], SEED_PERIOD) == {
        "DN": {"province": 35, "district": 7, "commune": 25 + 4},
        "DN.CUJUT": {"province": None, "district": 7, "commune": 25},
        "DN.DAKMIL": {"province": None, "district": None, "commune": 4},
        EATLING: {"province": None, "district": None, "commune": 10},
    }


def test_it_mixes_computed_and_entered_values_per_key(world, front_levels_computed):
    """Computed: a membership starting counts at commune level for a woman, district for a
    man. In 2019 only Trần Văn An (Tổ dân phố 1) starts; in 2020 two more."""
    code = "supervision.front_by_level"
    new_member(world, "67100001", TDP2, date(2020, 3, 1), female=True)
    new_member(world, "67100002", BP, date(2020, 4, 1), female=True)

    assert figures(world, code, ["DN", EATLING], "2020") == {
        "DN": {"province": 0, "district": 0, "commune": 2},
        EATLING: {"province": 0, "district": 0, "commune": 1},
    }
    enter(world, code, EATLING, "2020", 6, key="commune")

    assert figures(world, code, ["DN", "DN.CUJUT", EATLING, TDP2], "2020") == {
        "DN": {"province": 0, "district": 0, "commune": 6 + 1},
        "DN.CUJUT": {"province": 0, "district": 0, "commune": 6},
        EATLING: {"province": 0, "district": 0, "commune": 6},
        TDP2: {"province": 0, "district": 0, "commune": 1},
    }
    assert figure(world, code, "DN", "2019") == {"province": 0, "district": 1, "commune": 0}


def test_it_shows_no_figure_for_an_indicator_nobody_computes_yet(world):
    """The test computations do not outlive the tests that plug them in."""
    assert "reward.hcm_party_orgs" not in COMPUTATIONS
    assert figure(world, "reward.hcm_party_orgs", "DN", "2019") is None


# -- by-year buckets ----------------------------------------------------------------------
def test_it_reports_a_by_year_indicator_per_calendar_year_clipped_to_the_period(
    world, reviews_computed
):
    code = "review.members_reviewed"
    new_member(world, "67100001", TDP2, date(2018, 3, 1))  # before the period: not counted
    new_member(world, "67100002", TDP2, date(2018, 9, 1))
    new_member(world, "67100003", BP, date(2020, 5, 1))
    new_member(world, "67100004", BP, date(2023, 6, 30))
    new_member(world, "67100005", BP, date(2023, 7, 1))  # after the period: not counted

    assert figures(world, code, ["DN", "DN.CUJUT", "DN.TUYDUC"], SEED_PERIOD) == {
        "DN": {"2018": 1, "2019": 1, "2020": 1, "2021": 0, "2022": 0, "2023": 1},
        "DN.CUJUT": {"2018": 1, "2019": 1, "2020": 0, "2021": 0, "2022": 0, "2023": 0},
        "DN.TUYDUC": {"2018": 0, "2019": 0, "2020": 1, "2021": 0, "2022": 0, "2023": 1},
    }


def test_it_lets_a_value_entered_for_a_year_replace_that_year_only(world, reviews_computed):
    code = "review.members_reviewed"
    new_member(world, "67100001", T1, date(2019, 4, 1))
    new_member(world, "67100002", T1, date(2020, 4, 1))
    enter(world, code, "DN.CUJUT", "2019", 50)
    enter(world, code, "DN.DAKMIL", "2020", 7)

    assert figures(world, code, ["DN", "DN.CUJUT", "DN.DAKMIL"], "2019-01-01..2020-12-31") == {
        "DN": {"2019": 50 + 1, "2020": 7},
        "DN.CUJUT": {"2019": 50, "2020": 0},
        "DN.DAKMIL": {"2019": 1, "2020": 7},
    }


def test_it_splits_a_state_indicator_per_year_on_each_years_last_day(world):
    member_leave(member=world.members["cuong"], left_on=date(2020, 3, 1))

    assert figure(world, "org.members", "DN", "2018-07-05..2021-06-30", split="year") == {
        "2018": 8,
        "2019": 9,
        "2020": 8,
        "2021": 8,
    }


def test_it_counts_a_state_on_the_last_day_of_a_clipped_bucket(world):
    """A member who leaves on 15/06/2019 stands on 10/06/2019, the end of the period."""
    member_leave(member=world.members["binh"], left_on=date(2019, 6, 15))
    period = between(date(2019, 3, 1), date(2019, 6, 10))

    assert figure(world, "org.members", TDP1, period, split="quarter") == {
        "2019Q1": 3,
        "2019Q2": 4,
    }
    assert figure(world, "org.members", TDP1, "2019Q2") == 3


def test_it_chooses_the_buckets_from_the_dimensions_or_the_split():
    period = parse_period("2019-11-20..2020-02-03")

    assert [b.label for b in buckets_for([], period)] == ["2019-11-20..2020-02-03"]
    assert [b.label for b in buckets_for(["front_level"], period)] == ["2019-11-20..2020-02-03"]
    assert [b.label for b in buckets_for(["year", "level"], period)] == ["2019", "2020"]
    assert [b.label for b in buckets_for(["quarter"], period)] == ["2019Q4", "2020Q1"]
    assert [b.label for b in buckets_for(["month"], period)] == [
        "2019-11",
        "2019-12",
        "2020-01",
        "2020-02",
    ]
    assert [b.label for b in buckets_for([], period, split="year")] == ["2019", "2020"]


# -- the tree of the time ---------------------------------------------------------------
def test_it_reports_2019_with_the_tree_of_2019_after_a_move_in_2021(world, reviews_computed):
    new_member(world, "67100001", T1, date(2019, 4, 1))
    unit_move(
        unit=world.units[DUCMINH], new_parent=world.units["DN.CUJUT"], effective_on=date(2021, 6, 1)
    )
    new_member(world, "67100002", T1, date(2021, 9, 1))

    assert figures(world, "org.members", DISTRICTS, "2019") == {
        "DN.CUJUT": 5,
        "DN.DAKMIL": 3,
        "DN.TUYDUC": 2,
    }
    assert figures(world, "org.members", DISTRICTS, "2021") == {
        "DN.CUJUT": 8,
        "DN.DAKMIL": 1,
        "DN.TUYDUC": 2,
    }
    assert figures(world, "org.grassroots_committees", DISTRICTS, "2019") == {
        "DN.CUJUT": 1,
        "DN.DAKMIL": 1,
        "DN.TUYDUC": 1,
    }
    assert figures(world, "org.grassroots_committees", DISTRICTS, "2021") == {
        "DN.CUJUT": 2,
        "DN.DAKMIL": 0,
        "DN.TUYDUC": 1,
    }
    reviewed = figures(world, "review.members_reviewed", DISTRICTS, "2019-01-01..2021-12-31")
    assert reviewed == {
        "DN.CUJUT": {"2019": 1, "2020": 0, "2021": 1},
        "DN.DAKMIL": {"2019": 1, "2020": 0, "2021": 0},
        "DN.TUYDUC": {"2019": 0, "2020": 0, "2021": 0},
    }


def test_it_reports_2019_with_the_tree_of_2019_after_a_merge_in_2021(world):
    unit_merge(
        sources=[world.units["DN.TUYDUC"]],
        target=world.units["DN.DAKMIL"],
        effective_on=date(2021, 1, 1),
    )

    assert figures(world, "org.members", ["DN", *DISTRICTS], "2019") == {
        "DN": 9,
        "DN.CUJUT": 5,
        "DN.DAKMIL": 2,
        "DN.TUYDUC": 2,
    }
    assert figures(world, "org.members", ["DN", *DISTRICTS], "2021") == {
        "DN": 9,
        "DN.CUJUT": 5,
        "DN.DAKMIL": 4,
        "DN.TUYDUC": 0,
    }
    assert figure(world, "org.direct_committees", "DN", "2019") == 3
    assert figure(world, "org.direct_committees", "DN", "2021") == 2
    assert figures(world, "org.grassroots_committees", ["DN.DAKMIL", "DN.TUYDUC"], "2019") == {
        "DN.DAKMIL": 1,
        "DN.TUYDUC": 1,
    }
    assert figures(world, "org.grassroots_committees", ["DN.DAKMIL", "DN.TUYDUC"], "2021") == {
        "DN.DAKMIL": 2,
        "DN.TUYDUC": 0,
    }


def test_it_counts_members_of_2019_in_the_cells_of_2019_after_a_cell_merge(world):
    unit_merge(sources=[world.units[TDP2]], target=world.units[TDP1], effective_on=date(2022, 1, 1))

    assert figures(world, "org.members", [TDP1, TDP2, EATLING], "2019") == {
        TDP1: 4,
        TDP2: 1,
        EATLING: 5,
    }
    assert figures(world, "org.members", [TDP1, TDP2, EATLING], "2022") == {
        TDP1: 5,
        TDP2: 0,
        EATLING: 5,
    }


def test_it_applies_a_2019_value_along_the_tree_of_2019(world):
    enter(world, "org.members", DUCMINH, "2019", 30)
    unit_move(
        unit=world.units[DUCMINH], new_parent=world.units["DN.CUJUT"], effective_on=date(2021, 6, 1)
    )

    assert figures(world, "org.members", DISTRICTS, "2019") == {
        "DN.CUJUT": 5,
        "DN.DAKMIL": 31,
        "DN.TUYDUC": 2,
    }
    assert figures(world, "org.members", DISTRICTS, "2021") == {
        "DN.CUJUT": 6,
        "DN.DAKMIL": 1,
        "DN.TUYDUC": 2,
    }


def test_it_counts_a_transfer_in_the_cell_of_each_day(world):
    member_transfer(
        member=world.members["hbia"], to_cell=world.units[TDP2], effective_on=date(2020, 7, 1)
    )

    assert figures(world, "org.members", ["DN.CUJUT", "DN.TUYDUC"], "2020Q2") == {
        "DN.CUJUT": 5,
        "DN.TUYDUC": 2,
    }
    assert figures(world, "org.members", ["DN.CUJUT", "DN.TUYDUC"], "2020Q3") == {
        "DN.CUJUT": 6,
        "DN.TUYDUC": 1,
    }


# -- shapes -------------------------------------------------------------------------------
def test_it_shapes_a_plain_indicator_as_a_number():
    assert shape({"2018-07-05..2023-06-30": {"": 27210}}, []) == 27210


def test_it_shapes_a_by_year_indicator_as_years():
    values = {"2018": {"": 1039}, "2019": {"": 1075}}

    assert shape(values, ["year"]) == {"2018": 1039, "2019": 1075}


def test_it_shapes_a_by_level_indicator_as_levels():
    values = {"2018-07-05..2023-06-30": {"province": 35, "district": 199, "commune": 745}}

    assert shape(values, ["front_level"]) == {"province": 35, "district": 199, "commune": 745}


def test_it_shapes_years_and_levels_together():
    values = {
        "2018": {"province": 5, "district": 15, "grassroots": None},
        "2020": {"province": 7, "district": 29, "grassroots": 3},
    }

    assert shape(values, ["year", "level"]) == {
        "2018": {"province": 5, "district": 15, "grassroots": None},
        "2020": {"province": 7, "district": 29, "grassroots": 3},
    }


def test_it_shapes_nothing_as_null():
    assert shape({}, []) is None
    assert shape({}, ["year", "level"]) is None


def test_it_totals_over_buckets_and_keys():
    assert total({"2018": {"province": 5, "district": 15}, "2019": {"province": 3}}) == 23
    assert total({"2018": {"": None}}) is None


# -- report lines -------------------------------------------------------------------------
def test_it_gives_a_missing_indicator_no_figure_at_all(world):
    report = report_for(
        unit=world.units["DN"],
        period=parse_period(SEED_PERIOD),
        prog=programme(),
        viewer=Viewer.operator(),
        with_findings=False,
    )

    line = report.line("media.websites")
    assert (line.status, line.shaped, line.total) == ("missing", None, None)
    assert report.line("org.members").shaped == 9
    assert report.line("org.members").status == "computed"
    assert report.as_json()["indicators"]["media.websites"] is None


def test_it_marks_an_entered_indicator_as_entered(world):
    enter(world, "media.websites", "DN", SEED_PERIOD, 200)

    report = report_for(
        unit=world.units["DN"],
        period=parse_period(SEED_PERIOD),
        prog=programme(),
        viewer=Viewer.operator(),
        with_findings=False,
    )

    line = report.line("media.websites")
    assert (line.status, line.shaped, line.total) == ("entered", 200, 200)


def test_it_reports_every_catalogue_indicator_by_its_code(world):
    enter(world, "supervision.front_by_level", "DN", SEED_PERIOD, 745, key="commune")
    report = report_for(
        unit=world.units["DN"],
        period=parse_period(SEED_PERIOD),
        prog=programme(),
        viewer=Viewer.operator(),
        with_findings=False,
    )

    data = report.as_json()

    assert set(data["indicators"]) == set(Indicator.objects.values_list("code", flat=True))
    assert data["indicators"]["org.members"] == 9
    assert data["indicators"]["org.direct_committees"] == 3
    assert data["indicators"]["supervision.front_by_level"] == {
        "province": None,
        "district": None,
        "commune": 745,
    }
    assert data["indicators"]["reward.hcm_party_orgs"] is None
    # Computed from review records: none in the world is a zero per year, not a gap.
    assert set(data["indicators"]["review.members_reviewed"].values()) == {0}
    assert data["findings"] == []
    with pytest.raises(KeyError):
        report.line("org.unknown")


def test_it_evaluates_many_units_and_indicators_at_once(world):
    indicators = list(Indicator.objects.filter(code__startswith="org."))

    ev = evaluate(
        targets=[world.units["DN"], world.units["DN.DAKMIL"]],
        period=parse_period("2019"),
        indicators=indicators,
    )

    assert ev.computed == {
        "org.direct_committees",
        "org.grassroots_total",
        "org.grassroots_committees",
        "org.grassroots_cells",
        "org.members",
    }
    assert ev.of("org.members", world.units["DN.DAKMIL"].pk) == {"2019": {"": 2}}
    assert ev.of("org.members", world.units[TDP1].pk) == {}
    assert ev.of("org.unknown", world.units["DN"].pk) == {}


def test_it_does_not_add_up_the_rates_of_different_units(world):
    enter(world, "study.assessment_pass_rate", "DN.CUJUT", "2019", 80)
    enter(world, "study.assessment_pass_rate", "DN.DAKMIL", "2019", 90)

    assert figure(world, "study.assessment_pass_rate", "DN.CUJUT", "2019") == 80.0
    assert figure(world, "study.assessment_pass_rate", "DN", "2019") is None


# -- bounded by the targets' subtrees -------------------------------------------------------
@pytest.fixture(params=["bounded", "whole tree"])
def bound(request, monkeypatch):
    """Both ways of reading: bounded by the subtrees (what a province among 34 gets), and
    the whole tree (chosen when the targets hold most of it)."""
    from dangvu.indicators import engine

    estimate = 10**9 if request.param == "bounded" else 0
    monkeypatch.setattr(engine, "_unit_versions_estimate", lambda: estimate)
    return request.param


def _second_province(world):
    """Another province beside Đắk Nông, a cell and a member of its own."""
    from dangvu.units.models import UnitKind
    from dangvu.units.services import unit_create

    founded = date(2010, 1, 1)
    province = unit_create(
        code="LD",
        name="Đảng bộ tỉnh Lâm Đồng",
        kind=UnitKind.PROVINCE,
        parent=None,
        valid_from=founded,
    )
    cell = unit_create(
        code="LD.C1",
        name="Chi bộ 1",
        kind=UnitKind.GRASSROOTS_CELL,
        parent=province,
        valid_from=founded,
    )
    world.units["LD"] = province
    world.units["LD.C1"] = cell
    new_member(world, "67200001", "LD.C1", date(2015, 1, 1))
    new_member(world, "67200002", "LD.C1", date(2015, 1, 1))
    return province


def test_a_province_counts_the_same_beside_another_province(world, reviews_computed, bound):
    alone = figures(world, "org.members", ALL, "2019")
    reviewed_alone = figures(world, "review.members_reviewed", ["DN"], "2018-01-01..2021-12-31")
    _second_province(world)
    assert figures(world, "org.members", ALL, "2019") == alone == COMPUTED_2019
    assert figures(world, "review.members_reviewed", ["DN"], "2018-01-01..2021-12-31") == (
        reviewed_alone
    )
    assert figures(world, "org.members", ["LD", "LD.C1"], "2019") == {"LD": 2, "LD.C1": 2}
    assert figures(world, "org.grassroots_total", ["DN", "LD"], "2019") == {
        "DN": figure(world, "org.grassroots_total", "DN", "2019"),
        "LD": 1,
    }


def test_a_unit_moved_to_another_province_counts_where_it_stood(world, bound):
    """The bound is every path the target had over the period: the records of a committee
    that moved from Đắk Nông to Lâm Đồng in 2021 count in Đắk Nông for 2019, in Lâm Đồng
    for 2021, and both appear when the period spans the move."""
    _second_province(world)
    unit_move(
        unit=world.units[DUCMINH], new_parent=world.units["LD"], effective_on=date(2021, 6, 1)
    )
    assert figures(world, "org.members", ["DN", "LD", DUCMINH], "2019") == {
        "DN": 9,
        "LD": 2,
        DUCMINH: 1,
    }
    assert figures(world, "org.members", ["DN", "LD", DUCMINH], "2021") == {
        "DN": 8,
        "LD": 3,
        DUCMINH: 1,
    }
    by_year = figures(world, "org.members", [DUCMINH], "2019-01-01..2021-12-31", split="year")
    assert by_year == {DUCMINH: {"2019": 1, "2020": 1, "2021": 1}}


def test_the_bound_is_every_path_of_the_targets_none_inside_another(world, monkeypatch):
    from dangvu.indicators import engine
    from dangvu.indicators.engine import subtrees

    monkeypatch.setattr(engine, "_unit_versions_estimate", lambda: 10**9)

    _second_province(world)
    unit_move(
        unit=world.units[DUCMINH], new_parent=world.units["LD"], effective_on=date(2021, 6, 1)
    )
    dn, ld, ducminh = (
        world.units[c].versions.order_by("valid_from") for c in ("DN", "LD", DUCMINH)
    )
    whole = (date(2019, 1, 1), date(2022, 1, 1))
    # Đức Minh's two paths are under Đắk Nông's and Lâm Đồng's: only the provinces remain.
    got = subtrees([world.units["DN"], world.units["LD"], world.units[DUCMINH]], *whole)
    assert got == tuple(sorted({dn[0].path, ld[0].path}))
    assert subtrees([world.units[DUCMINH]], *whole) == tuple(sorted(v.path for v in ducminh))
    assert subtrees([world.units[DUCMINH]], date(2019, 1, 1), date(2020, 1, 1)) == (
        ducminh[0].path,
    )
    # Targets holding most of the tree read it whole: the bound would only cost.
    monkeypatch.setattr(engine, "_unit_versions_estimate", lambda: 10)
    assert subtrees([world.units["DN"]], *whole) is None
