"""Units' plans for the programme: submitted, returned with comments, resubmitted and
approved by the level above; counted; the units still missing one listed."""

from __future__ import annotations

from datetime import date

import pytest

from dangvu.conftest import World
from dangvu.core.errors import DomainError
from dangvu.indicators.catalogue import catalogue_sync
from dangvu.indicators.engine import evaluate
from dangvu.indicators.models import Indicator, Programme
from dangvu.lib.periods import parse_period
from dangvu.plans import services
from dangvu.plans.models import PlanStatus, UnitPlan


@pytest.fixture
def programme(db: None) -> Programme:
    return catalogue_sync()


def submit(world: World, programme: Programme, code: str, day: date = date(2018, 9, 1)) -> UnitPlan:
    return services.plan_submit(
        programme=programme, unit=world.units[code], title=f"Kế hoạch {code}", submitted_on=day
    )


def test_it_runs_a_plan_from_submission_through_return_to_approval(
    world: World, programme: Programme
) -> None:
    plan = submit(world, programme, "DN.CUJUT")
    with pytest.raises(DomainError, match="Cần ghi ý kiến khi trả lại"):
        services.plan_decide(plan=plan, approve=False, on=date(2018, 9, 5), actor=None)
    plan = services.plan_decide(
        plan=plan, approve=False, on=date(2018, 9, 5), actor=None, comments="Bổ sung lộ trình."
    )
    assert plan.status == PlanStatus.RETURNED
    with pytest.raises(DomainError, match="không ở trạng thái chờ phê duyệt"):
        services.plan_decide(plan=plan, approve=True, on=date(2018, 9, 6), actor=None)
    plan = submit(world, programme, "DN.CUJUT", date(2018, 9, 10))
    plan = services.plan_decide(plan=plan, approve=True, on=date(2018, 9, 12), actor=None)
    assert (plan.status, plan.approved_on) == (PlanStatus.APPROVED, date(2018, 9, 12))
    with pytest.raises(
        DomainError, match="Kế hoạch của đơn vị đã được phê duyệt: không trình lại được"
    ):
        submit(world, programme, "DN.CUJUT")
    with pytest.raises(DomainError, match="trước ngày ban hành đề án"):
        submit(world, programme, "DN.TUYDUC", date(2018, 1, 1))


def test_it_counts_plans_and_lists_the_units_without_one(
    world: World, programme: Programme
) -> None:
    approved = submit(world, programme, "DN.CUJUT")
    services.plan_decide(plan=approved, approve=True, on=date(2018, 9, 3), actor=None)
    submit(world, programme, "DN.DAKMIL")
    codes = ["plan.units_with_plan", "plan.units_plan_approved"]
    ev = evaluate(
        targets=[world.units["DN"]],
        period=parse_period("2018-07-05..2023-06-30"),
        indicators=list(Indicator.objects.filter(code__in=codes)),
    )
    got = {c: next(iter(ev.of(c, world.units["DN"].pk).values()))[""] for c in codes}
    assert got == {"plan.units_with_plan": 2, "plan.units_plan_approved": 1}
    page = world.client("tochuc").get("/ke-hoach/").content.decode()
    assert "3 đơn vị, 1 chưa có kế hoạch" in page and "Huyện ủy Tuy Đức" in page


def test_it_lets_only_the_level_above_decide(world: World, programme: Programme) -> None:
    from dangvu.accounts.models import Department
    from dangvu.accounts.services import account_create, role_grant

    district = account_create(
        username="tochuc-cujut", password="x", full_name="Tổ chức Cư Jút", check_password=False
    )
    role_grant(
        user=district,
        unit=world.units["DN.CUJUT"],
        department=Department.ORGANISATION,
        valid_from=date(2018, 1, 1),
    )
    world.users["tochuc-cujut"] = district
    own = submit(world, programme, "DN.CUJUT")
    below = submit(world, programme, "DN.CUJUT.EATLING")
    client = world.client("tochuc-cujut")
    assert client.post(f"/ke-hoach/{own.pk}/quyet-dinh/", {"hanh_dong": "duyet"}).status_code == 404
    client.post(f"/ke-hoach/{below.pk}/quyet-dinh/", {"hanh_dong": "duyet"})
    own.refresh_from_db()
    below.refresh_from_db()
    assert (own.status, below.status) == (PlanStatus.SUBMITTED, PlanStatus.APPROVED)
