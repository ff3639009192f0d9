"""The round in the JSON of the summary report (`dangvu report --format json` and the web
download, shared/product/cli.md): `"round": {"title", "expected", "submitted",
"accepted", "late"}` when the report's unit ran a round for its programme and period."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from dangvu.accounts.models import Department, User
from dangvu.conftest import World, _user
from dangvu.indicators.disclosure import Viewer
from dangvu.indicators.models import Programme
from dangvu.lib.periods import between, year
from dangvu.reports import generate
from dangvu.reports.models import SummaryReport
from dangvu.reports.tests.conftest import END, START, save_report
from dangvu.rounds import services
from dangvu.rounds.models import ReportingRound
from dangvu.rounds.tests import conftest as rounds_conftest
from dangvu.rounds.tests.conftest import report_of, texts_for

# The round's fixtures: the offices of the province and its districts, the five-year round.
offices, rnd = rounds_conftest.offices, rounds_conftest.rnd

OPERATOR = Viewer.operator()
TITLE = "Sơ kết 5 năm thực hiện Đề án 05-ĐA/TU"


@pytest.fixture
def progress(world: World, offices: dict[str, User], rnd: ReportingRound) -> ReportingRound:
    """Đắk Mil accepted, Cư Jút sent (and waiting), Tuy Đức not started (late: its
    deadline, 15/06/2023, has passed)."""
    cujut, dakmil = report_of(rnd, world, "DN.CUJUT"), report_of(rnd, world, "DN.DAKMIL")
    services.report_submit(report=cujut, texts=texts_for(rnd), actor=offices["vp.cujut"])
    services.report_submit(report=dakmil, texts=texts_for(rnd), actor=offices["vp.dakmil"])
    services.report_accept(report=dakmil, actor=offices["vp.tinh"])
    return rnd


def _payload(summary: SummaryReport, viewer: Viewer = OPERATOR) -> dict[str, Any]:
    return json.loads(generate.render(summary, "json", viewer=viewer))


def test_it_carries_the_rounds_numbers(summary: SummaryReport, progress: ReportingRound) -> None:
    payload = _payload(summary)

    assert payload["round"] == {
        "title": TITLE,
        "expected": 3,
        "submitted": 2,
        "accepted": 1,
        "late": 1,
    }
    assert list(payload["round"]) == ["title", "expected", "submitted", "accepted", "late"]
    assert set(payload) == {"indicators", "findings", "round"}


def test_a_returned_report_is_back_with_its_unit(
    summary: SummaryReport, progress: ReportingRound, world: World, offices: dict[str, User]
) -> None:
    services.report_return(
        report=report_of(progress, world, "DN.CUJUT"),
        comments={"": "Bổ sung số liệu."},
        actor=offices["vp.tinh"],
    )

    assert _payload(summary)["round"] == {
        "title": TITLE,
        "expected": 3,
        "submitted": 1,
        "accepted": 1,
        "late": 2,
    }


def test_it_has_no_round_without_one(summary: SummaryReport) -> None:
    assert set(_payload(summary)) == {"indicators", "findings"}


def test_it_has_no_round_for_another_period(
    world: World, offices: dict[str, User], programme: Programme, figures: None
) -> None:
    """The round is the province's over 2018–2023; a report on 2022 alone has none."""
    services.round_launch(
        unit=world.units["DN"],
        programme=programme,
        title=TITLE,
        period=between(START, END),
        deadline=rounds_conftest.DEADLINE,
        outline=[("1", "Kết quả")],
        actor=offices["vp.tinh"],
        on=rounds_conftest.LAUNCHED,
    )
    other = save_report(world, programme, year(2022))

    assert "round" not in _payload(other)


def test_the_command_line_prints_the_round(
    summary: SummaryReport, progress: ReportingRound, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command(
        "report", "--org", "DN", "--from", START.isoformat(), "--to", END.isoformat(),
        "--format", "json",
    )  # fmt: skip
    payload = json.loads(capsys.readouterr().out)

    assert payload["round"]["expected"] == 3 and payload["round"]["accepted"] == 1


def test_the_web_download_carries_the_round(
    summary: SummaryReport, progress: ReportingRound, world: World
) -> None:
    response = world.client("tochuc").get(reverse("reports:json", args=[summary.pk]))

    assert json.loads(response.content)["round"] == _payload(summary)["round"]
    assert json.loads(response.content)["round"]["submitted"] == 2


def test_it_has_no_round_for_a_viewer_who_may_not_read_the_rounds_reports(
    summary: SummaryReport, progress: ReportingRound, world: World
) -> None:
    """A role over the province that ended (the pages answer 404 before: this is the
    generator's own check)."""
    _user(world, "vp.cu", roles=(("DN", Department.OFFICE),), until=date(2024, 1, 1))

    assert "round" not in _payload(summary, Viewer.of(world.users["vp.cu"]))
