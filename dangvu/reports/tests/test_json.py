"""The JSON contract of `dangvu report --format json` (shared/product/cli.md): every
indicator by its code, shaped by its dimensions, and the findings of the validation."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.management import call_command

from dangvu.conftest import World
from dangvu.indicators.catalogue import raw
from dangvu.indicators.disclosure import Viewer
from dangvu.indicators.models import Indicator, Programme
from dangvu.lib.periods import Period, year
from dangvu.reports import generate
from dangvu.reports.models import SummaryReport
from dangvu.reports.tests.conftest import PERIOD_LABEL, enter

OPERATOR = Viewer.operator()  # the figures as they are

YEARS = ["2018", "2019", "2020", "2021", "2022", "2023"]


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    assert len(keys) == len(set(keys)), f"duplicate keys: {keys}"
    return dict(pairs)


def _parse(text: str | bytes) -> dict[str, Any]:
    return json.loads(text, object_pairs_hook=_no_duplicates)


@pytest.fixture
def payload(summary: SummaryReport) -> dict[str, Any]:
    return _parse(generate.render(summary, "json", viewer=OPERATOR))


def test_it_has_exactly_indicators_and_findings(payload: dict[str, Any]) -> None:
    assert set(payload) == {"indicators", "findings"}


def test_it_lists_every_catalogue_code_once(payload: dict[str, Any]) -> None:
    codes = [i["code"] for i in raw()["indicators"]]

    assert len(codes) == len(set(codes)) == Indicator.objects.count()
    assert sorted(payload["indicators"]) == sorted(codes)


def test_it_counts_the_organisation_as_plain_numbers(payload: dict[str, Any]) -> None:
    org = {k: v for k, v in payload["indicators"].items() if k.startswith("org.")}

    assert org == {
        "org.direct_committees": 3,
        "org.grassroots_total": 4,
        "org.grassroots_committees": 3,
        "org.grassroots_cells": 1,
        "org.members": 9,
    }
    assert all(type(v) is int for v in org.values())


def test_it_shapes_the_supervision_levels_by_their_keys(payload: dict[str, Any]) -> None:
    indicators = payload["indicators"]

    assert indicators["supervision.front_total"] == 899
    assert indicators["supervision.front_by_level"] == {
        "province": 35,
        "district": 199,
        "commune": 745,
    }


def test_it_gives_null_for_indicators_without_any_data(payload: dict[str, Any]) -> None:
    indicators = payload["indicators"]

    for code in ("reward.hcm_party_orgs",):
        assert indicators[code] is None, code
    # Computed now (study, reviews): no records in the world is a zero, not a gap.
    assert indicators["study.resolution_classes"] == {"nq-dh-xiii": 0, "nq-dhdb-tinh-xii": 0}
    assert set(indicators["review.collectives_reviewed"].values()) == {0}
    assert set(indicators["commitment.members_signed"].values()) == {0}
    assert indicators["inspection.org_violated"] == 0
    assert set(indicators["meeting.regular_held"].values()) == {0}
    assert indicators["plan.units_with_plan"] == 0


def test_it_shapes_by_year_indicators_by_the_years_of_the_period(
    world: World, summary: SummaryReport
) -> None:
    province = world.units["DN"]
    enter(province, year(2019), "review.collectives_reviewed", 1075)
    enter(province, year(2021), "review.collectives_reviewed", 835)
    enter(province, year(2020), "suggestion.collectives", 5, "province")
    enter(province, year(2020), "suggestion.collectives", 15, "district")
    indicators = _parse(generate.render(summary, "json", viewer=OPERATOR))["indicators"]

    assert indicators["review.collectives_reviewed"] == {
        "2018": 0,
        "2019": 1075,
        "2020": 0,
        "2021": 835,
        "2022": 0,
        "2023": 0,
    }
    suggestions = indicators["suggestion.collectives"]
    assert list(suggestions) == YEARS
    assert suggestions["2020"] == {"province": 5, "district": 15, "grassroots": 0}
    assert suggestions["2019"] == {"province": 0, "district": 0, "grassroots": 0}
    assert set(indicators["review.members_reviewed"].values()) == {0}


def test_it_reports_the_supervision_levels_that_do_not_add_up(payload: dict[str, Any]) -> None:
    findings = [f for f in payload["findings"] if f["rule"] == "supervision_total_levels"]

    assert findings == [
        {
            "rule": "supervision_total_levels",
            "severity": "error",
            "label": (
                "Tổng số cuộc giám sát của MTTQ và các đoàn thể = Σ số cuộc giám sát theo cấp chủ trì"
            ),
            "unit_code": "DN",
            "unit_name": "Đảng bộ tỉnh Đắk Nông",
            "period": PERIOD_LABEL,
            "left": "supervision.front_total",
            "left_value": 899,
            "right": "Σ supervision.front_by_level",
            "right_value": 979,
        }
    ]


def test_it_has_no_findings_when_the_figures_agree(
    world: World, summary: SummaryReport, period: Period
) -> None:
    enter(world.units["DN"], period, "supervision.front_total", 979)

    assert _parse(generate.render(summary, "json", viewer=OPERATOR))["findings"] == []


def test_it_prints_the_same_json_on_the_command_line(
    summary: SummaryReport, payload: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("report", format="json")
    printed = capsys.readouterr().out

    assert printed.endswith("}\n")
    assert _parse(printed) == payload


def test_it_prints_json_for_a_period_and_unit_without_a_saved_report(
    world: World, programme: Programme, figures: None, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command(
        "report", "--org", "DN.CUJUT", "--from", "2019-01-01", "--to", "2019-12-31", format="json"
    )
    indicators = _parse(capsys.readouterr().out)["indicators"]

    assert indicators["org.direct_committees"] == 0
    assert indicators["org.grassroots_committees"] == 1
    assert indicators["org.members"] == 5
    # The province's entered figures are the province's, not its districts': Cư Jút has
    # no supervision recorded, a zero.
    assert indicators["supervision.front_total"] == 0
    assert not SummaryReport.objects.filter(unit=world.units["DN.CUJUT"]).exists()
