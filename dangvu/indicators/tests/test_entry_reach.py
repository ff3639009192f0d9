"""Entered values follow the roles in force today and, for a period, the unit as it stood
then: the entry grid's rule, kept by the service for the grid and the SoLieu sheet alike.

On 01/07/2025 Huyện ủy Cư Jút merged into the new Đảng bộ xã Cư Jút: the district's
organisation officer's role ended on 30/06/2025; the commune's officer holds hers from
01/07/2025 and reads the district's history (its sole successor)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dangvu.accounts.models import Department, User
from dangvu.accounts.services import account_create, role_grant
from dangvu.conftest import PASSWORD, ROLES_FROM, World
from dangvu.core.errors import DomainError
from dangvu.exchange.services import NOT_ALLOWED
from dangvu.indicators.exchange import OUT_OF_REACH
from dangvu.indicators.services import NOT_THEN
from dangvu.indicators.tests.helpers import TDP1, enter
from dangvu.indicators.tests.test_exchange import errors, run_import, stored, xlsx
from dangvu.units.models import Unit, UnitKind
from dangvu.units.services import unit_create, unit_merge

REORGANISED = date(2025, 7, 1)
COMMUNE = "DN.XACUJUT"


def _officer(username: str, unit: Unit, since: date, until: date | None = None) -> User:
    user = account_create(username=username, password=PASSWORD, check_password=False)
    role_grant(
        user=user,
        unit=unit,
        department=Department.ORGANISATION,
        valid_from=since,
        valid_to=until,
    )
    return user


@pytest.fixture
def merged(world: World) -> dict[str, User]:
    commune = unit_create(
        code=COMMUNE,
        name="Đảng bộ xã Cư Jút",
        kind=UnitKind.GRASSROOTS_COMMITTEE,
        parent=world.units["DN"],
        valid_from=REORGANISED,
    )
    unit_merge(sources=[world.units["DN.CUJUT"]], target=commune, effective_on=REORGANISED)
    world.units[COMMUNE] = commune
    return {
        "ended": _officer("tochuc.cujut", world.units["DN.CUJUT"], ROLES_FROM, REORGANISED),
        "current": _officer("tochuc.xacujut", commune, REORGANISED),
    }


def test_it_refuses_a_2026_figure_of_the_ended_district_to_either_officer(world, merged):
    sheet = xlsx([["org.members", "DN.CUJUT", "2026", 777, None]])

    ended = run_import(sheet, user=merged["ended"])
    current = run_import(sheet, user=merged["current"])

    assert errors(ended) == [("", 0, "", NOT_ALLOWED)]
    # The district is read (its history passed to the commune) but written by nobody today:
    # refused on the unit, before anything is said about the indicator.
    assert errors(current) == [("SoLieu", 2, "Mã đơn vị", OUT_OF_REACH)]
    assert stored() == []


def test_it_refuses_the_current_officer_a_figure_from_before_her_unit(world, merged):
    report = run_import(
        xlsx(
            [
                ["org.members", COMMUNE, "2026", 900, None],
                ["org.members", COMMUNE, "2019", 5, None],
            ]
        ),
        user=merged["current"],
    )

    assert errors(report) == [
        ("SoLieu", 3, "Kỳ", NOT_THEN.format(unit=COMMUNE, period="2019")),
    ]
    assert stored() == []


def test_it_lets_the_current_officer_enter_her_cells_history(world, merged):
    # Tổ dân phố 1 stood under the district in 2019 and under the commune today.
    report = run_import(xlsx([["org.members", TDP1, "2019", 4, None]]), user=merged["current"])

    assert errors(report) == []
    assert stored() == [("org.members", "", TDP1, "2019", Decimal("4.00"), "")]


def test_it_refuses_the_same_figure_on_the_entry_service(world, merged):
    with pytest.raises(DomainError) as error:
        enter(world, "org.members", COMMUNE, "2019", 5, actor=merged["current"])

    assert error.value.message == NOT_THEN.format(unit=COMMUNE, period="2019")
    assert stored() == []
