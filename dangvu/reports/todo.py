"""The programme's follow-up in the home page's things to do (see home/todo.py): the units
directly under a unit without a plan, with a plan to decide, without a summary report. The
plans and the reports are read together, in one query over the children."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta

from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse

from dangvu.accounts.permissions import Capability
from dangvu.home.todo import Ask, Held, Todo, listed, to_do
from dangvu.indicators.selectors import default_period
from dangvu.indicators.todo import latest_programme
from dangvu.plans.models import PlanStatus, UnitPlan
from dangvu.reports.models import SummaryReport
from dangvu.rounds.models import ReportingRound
from dangvu.units.models import UnitVersion

#: How many days before a programme's reporting period ends its summary reports are asked.
REPORTS_AHEAD = 90


@to_do(kind="staff", order=10)
def plans_and_reports(ask: Ask, units: list[Held]) -> Iterable[tuple[int, list[Todo]]]:
    """The units directly under each unit (on the programme's last reporting day, or today
    if sooner) without a plan, with a plan waiting for a decision, without a summary
    report of the programme's period: one query over the children."""
    programme = latest_programme(ask)
    if programme is None:
        return []
    now = ask.now
    period = default_period(programme)
    day = min(now, programme.report_to)
    plan = UnitPlan.objects.filter(programme=programme, unit=OuterRef("unit")).values("status")[:1]
    report = SummaryReport.objects.filter(
        programme=programme, unit=OuterRef("unit"), period=period.label
    )
    children = (
        UnitVersion.objects.as_of(day)
        .filter(parent_id__in=[u.unit_id for u in units])
        .annotate(plan_status=Subquery(plan), reported=Exists(report))
        .order_by("name_sort")
        .values_list("parent_id", "name", "plan_status", "reported")
    )
    no_plan: dict[int, list[str]] = defaultdict(list)
    to_decide: dict[int, list[str]] = defaultdict(list)
    no_report: dict[int, list[str]] = defaultdict(list)
    # Plans are asked for while the programme runs; its summary reports from three months
    # before its reporting period ends.
    planning = now <= programme.report_to
    reporting = now >= programme.report_to - timedelta(days=REPORTS_AHEAD)
    for parent_id, name, status, reported in children:
        if planning and status is None:
            no_plan[parent_id].append(name)
        elif status == PlanStatus.SUBMITTED:
            to_decide[parent_id].append(name)
        if reporting and not reported:
            no_report[parent_id].append(name)
    # Where the unit has launched a reporting round for the period, the round's own items
    # (rounds/todo.py: reports to review, units late) say it better: no second item here.
    in_round = set(
        ReportingRound.objects.filter(
            unit_id__in=[u.unit_id for u in units], programme=programme, period=period.label
        ).values_list("unit_id", flat=True)
    )
    out = []
    for unit in units:
        todos = []
        plans_url = reverse("plans:list") + f"?don_vi={unit.code}"
        names = no_plan.get(unit.unit_id, [])
        if names:
            todos.append(
                Todo(
                    f"{len(names)} đơn vị trực thuộc chưa trình kế hoạch thực hiện "
                    f"{programme.short_name}: {listed(names, len(names))}.",
                    plans_url,
                    "Xem kế hoạch",
                    kind="plans_missing",
                )
            )
        names = to_decide.get(unit.unit_id, [])
        if names and unit.can(Capability.WRITE_REPORTS):
            todos.append(
                Todo(
                    f"{len(names)} kế hoạch chờ phê duyệt: {listed(names, len(names))}.",
                    plans_url,
                    "Phê duyệt",
                    kind="plans_to_decide",
                )
            )
        names = no_report.get(unit.unit_id, []) if unit.unit_id not in in_round else []
        if names:
            todos.append(
                Todo(
                    f"{len(names)} đơn vị trực thuộc chưa có báo cáo sơ kết "
                    f"{programme.short_name}: {listed(names, len(names))}.",
                    reverse("reports:list"),
                    "Xem báo cáo",
                    kind="reports_missing",
                )
            )
        out.append((unit.unit_id, todos))
    return out
