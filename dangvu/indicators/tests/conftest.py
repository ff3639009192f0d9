"""Test computations for catalogue indicators that no module computes yet, plugged in
through the registry as later modules will plug theirs, and removed after the test."""

from __future__ import annotations

import pytest

from dangvu.accounts.models import Department, User
from dangvu.accounts.services import account_create, role_grant
from dangvu.conftest import ROLES_FROM, World
from dangvu.indicators.registry import COMPUTATIONS
from dangvu.indicators.tests.helpers import memberships_started, memberships_started_by_gender


@pytest.fixture
def reviews_computed(monkeypatch: pytest.MonkeyPatch) -> None:
    """review.members_reviewed (by year) computed as memberships started, for the test."""
    monkeypatch.setitem(COMPUTATIONS, "review.members_reviewed", memberships_started)


@pytest.fixture
def front_levels_computed(monkeypatch: pytest.MonkeyPatch) -> None:
    """supervision.front_by_level computed as memberships started, keyed, for the test."""
    monkeypatch.setitem(COMPUTATIONS, "supervision.front_by_level", memberships_started_by_gender)


@pytest.fixture(autouse=True)
def front_figures_entered_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests use the Front's supervision figures and the inspection figures as
    indicators typed in by hand, the way a province enters history the system has no
    records of. Their modules compute them from records; their own tests count those."""
    for code in [c for c in COMPUTATIONS if c.startswith(("supervision.", "inspection."))]:
        monkeypatch.delitem(COMPUTATIONS, code)
    # And `reward.hcm_party_orgs` stands for an indicator nobody computes (awards do; their
    # own tests count it).
    for code in ("reward.hcm_party_orgs",):
        monkeypatch.delitem(COMPUTATIONS, code)


@pytest.fixture
def leader(world: World) -> User:
    """The province's standing committee (leadership): answers for every figure."""
    user = account_create(
        username="thuongtruc",
        password="mat-khau-thu-nghiem",
        full_name="Thường trực Tỉnh ủy",
        check_password=False,
    )
    role_grant(
        user=user, unit=world.units["DN"], department=Department.LEADERSHIP, valid_from=ROLES_FROM
    )
    world.users["thuongtruc"] = user
    return user
