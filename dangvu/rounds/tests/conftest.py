"""Fixtures of the reporting rounds: the offices of the province and its three districts
(roles held at the unit itself), the province's five-year review round over its direct
committees, launched on 01/05/2023 with a deadline of 15/06/2023.

    vp.tinh    office of Đảng bộ tỉnh Đắk Nông (launches and reviews)
    vp.cujut   office of Huyện ủy Cư Jút        (writes Cư Jút's report)
    vp.dakmil  office of Huyện ủy Đắk Mil       (writes Đắk Mil's report)
    vp.tuyduc  office of Huyện ủy Tuy Đức       (writes Tuy Đức's report)
"""

from __future__ import annotations

from datetime import date

import pytest

from dangvu.accounts.models import Department, User
from dangvu.conftest import World, _user
from dangvu.indicators.models import Programme
from dangvu.lib.periods import Period, between
from dangvu.reports.models import SECTIONS
from dangvu.rounds import services
from dangvu.rounds.models import ReportingRound, RoundReport

LAUNCHED = date(2023, 5, 1)
DEADLINE = date(2023, 6, 15)
OFFICES = {
    "vp.tinh": "DN",
    "vp.cujut": "DN.CUJUT",
    "vp.dakmil": "DN.DAKMIL",
    "vp.tuyduc": "DN.TUYDUC",
}


@pytest.fixture
def offices(world: World) -> dict[str, User]:
    for username, unit in OFFICES.items():
        _user(world, username, roles=((unit, Department.OFFICE),))
    return {name: world.users[name] for name in OFFICES}


@pytest.fixture
def programme(db: None) -> Programme:
    return Programme.objects.get(code="DA05")


@pytest.fixture
def period() -> Period:
    return between(date(2018, 7, 5), date(2023, 6, 30))


@pytest.fixture
def rnd(
    world: World, offices: dict[str, User], programme: Programme, period: Period
) -> ReportingRound:
    return services.round_launch(
        unit=world.units["DN"],
        programme=programme,
        title="Sơ kết 5 năm thực hiện Đề án 05-ĐA/TU",
        period=period,
        deadline=DEADLINE,
        outline=SECTIONS,
        actor=offices["vp.tinh"],
        on=LAUNCHED,
    )


def texts_for(rnd: ReportingRound, word: str = "Nội dung") -> dict[str, str]:
    return {key: f"{word} mục {title}." for key, title in rnd.sections()}


def report_of(rnd: ReportingRound, world: World, code: str) -> RoundReport:
    return rnd.reports.get(unit=world.units[code])
