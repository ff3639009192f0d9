"""Reads of indicators: the report data of a unit and period, drill-down, dashboards.

Units go through the user's scope (`VIEW_REPORTS`). Figures go through `figures` (or
`report_for`), which take the `Viewer`: every page and export shows what disclosure.py lets
that viewer see of the sensitive figures; the command line passes `Viewer.operator()`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from dangvu.accounts.models import User
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for
from dangvu.core.db import bytewise
from dangvu.indicators.catalogue import dimension_keys
from dangvu.indicators.disclosure import Viewer, disclose, plain, visible_findings
from dangvu.indicators.engine import (
    Evaluation,
    Published,
    Values,
    evaluate,
    key_dim,
    shape,
    total,
)
from dangvu.indicators.models import EnteredValue, Indicator, IndicatorGroup, Programme
from dangvu.indicators.validation import Finding, check
from dangvu.lib.periods import Period, between
from dangvu.units.models import Unit

NOT_ACTIVE = "Đơn vị không tồn tại vào ngày cuối của kỳ báo cáo ({day})."


@dataclass
class Line:
    indicator: Indicator
    values: Values
    status: str  # computed, entered, missing
    published: Published | None = None  # a sensitive figure, as the viewer may see it

    @property
    def shaped(self) -> Any:
        """The JSON value; null when there is no figure at all ("chưa có số liệu") or
        where it is withheld from the viewer."""
        if self.status == "missing":
            return None
        return shape(plain(self.values), self.indicator.dims)

    @property
    def total(self) -> float | None:
        return total(self.values)

    @property
    def key_labels(self) -> list[tuple[str, str]]:
        dimension = key_dim(self.indicator.dims)
        return (dimension_keys(dimension) or []) if dimension else []


@dataclass
class Block:
    group: IndicatorGroup
    lines: list[Line]


@dataclass
class Report:
    programme: Programme
    unit: Unit
    unit_name: str
    period: Period
    blocks: list[Block]
    viewer: Viewer
    findings: list[Finding] = field(default_factory=list)

    def line(self, code: str) -> Line:
        for block in self.blocks:
            for line in block.lines:
                if line.indicator.code == code:
                    return line
        raise KeyError(code)

    def as_json(self) -> dict[str, Any]:
        """The contract of `dangvu report --format json` (shared/product/cli.md)."""
        lines = [line for block in self.blocks for line in block.lines]
        data: dict[str, Any] = {
            "indicators": {line.indicator.code: line.shaped for line in lines},
            "findings": [f.as_json() for f in self.findings],
        }
        published = {line.indicator.code: line.published.note for line in lines if line.published}
        if published:  # what a viewer who does not reach the records is not shown, and why
            data["disclosure"] = published
        return data


def programme(code: str = "") -> Programme:
    found = Programme.objects.filter(code=code).first() if code else Programme.objects.first()
    if found is None:
        raise Http404("Chưa có đề án.")
    return found


def programmes_latest_first() -> QuerySet[Programme]:
    """Every programme (a public document: every reader sees them), the latest first."""
    return Programme.objects.order_by("-issued_on")


def latest_programme() -> Programme:
    """The programme issued last: the one units plan and survey against; else 404."""
    found = programmes_latest_first().first()
    if found is None:
        raise Http404("Chưa có đề án nào.")
    return found


def default_period(prog: Programme) -> Period:
    return between(prog.report_from, prog.report_to)


def unit_name_on(unit: Unit, day: date) -> str:
    version = unit.version_on(day)
    return version.name if version else unit.latest_version().name


def _status(ev: Evaluation, indicator: Indicator, values: Values, unit_id: int) -> str:
    """Where the unit's figure comes from: its own entry replaces any computation."""
    if unit_id in ev.entered_units.get(indicator.code, set()):
        return "entered"
    if indicator.code in ev.computed:
        return "computed"
    present = any(v is not None for row in values.values() for v in row.values())
    return "entered" if present else "missing"


def figures(
    *,
    viewer: Viewer,
    targets: list[Unit],
    period: Period,
    indicators: list[Indicator],
    split: str | None = None,
) -> Evaluation:
    """The values of the indicators for the target units as the viewer may see them."""
    ev = evaluate(targets=targets, period=period, indicators=indicators, split=split)
    return disclose(
        ev, viewer=viewer, targets=targets, period=period, indicators=indicators, split=split
    )


def report_for(
    *,
    unit: Unit,
    period: Period,
    prog: Programme,
    viewer: Viewer,
    with_findings: bool = True,
    split: str | None = None,
) -> Report:
    """The values of every indicator of the programme for the unit and period, as the
    viewer may see them."""
    groups = list(prog.groups.prefetch_related("indicators"))
    indicators = [i for g in groups for i in g.indicators.all()]
    ev = evaluate(targets=[unit], period=period, indicators=indicators, split=split)
    shown = disclose(
        ev, viewer=viewer, targets=[unit], period=period, indicators=indicators, split=split
    )
    blocks = []
    for group in groups:
        lines = []
        for indicator in group.indicators.all():
            values = shown.of(indicator.code, unit.pk)
            status = _status(ev, indicator, ev.of(indicator.code, unit.pk), unit.pk)
            lines.append(Line(indicator, values, status, shown.published.get(indicator.code)))
        blocks.append(Block(group, lines))
    report = Report(prog, unit, unit_name_on(unit, period.last_day), period, blocks, viewer)
    if with_findings:
        found = check(unit=unit, period=period, evaluation=None if split else ev)
        report.findings = visible_findings(viewer, found)
    return report


def reportable_unit(*, user: User, code: str, period: Period) -> Unit:
    """The unit if the user reaches it on the period's last day; 404 otherwise."""
    scope = scope_for(user)
    unit = scope.get_unit(Capability.VIEW_REPORTS, code)
    if not scope.reaches_unit_on(Capability.VIEW_REPORTS, unit, period.last_day):
        raise Http404(NOT_ACTIVE.format(day=period.last_day.strftime("%d/%m/%Y")))
    return unit


def default_unit(*, user: User, period: Period) -> Unit | None:
    """The topmost unit the user reaches on the period's last day."""
    from dangvu.units.selectors import tree_roots

    roots = tree_roots(user=user, day=period.last_day)
    reachable = [
        r
        for r in roots
        if scope_for(user).reaches_unit_on(Capability.VIEW_REPORTS, r.unit, period.last_day)
    ]
    return reachable[0].unit if reachable else None


def report(*, user: User, code: str, period: Period, prog: Programme) -> Report:
    return report_for(
        unit=reportable_unit(user=user, code=code, period=period),
        period=period,
        prog=prog,
        viewer=Viewer.of(user),
    )


@dataclass
class DrillRow:
    unit: Unit
    name: str
    values: Values
    entered: bool


@dataclass
class Drill:
    own: Values  # the unit's own figure
    entered_here: bool
    rows: list[DrillRow]  # the children that make it up
    published: Published | None


def drill_down(*, user: User, unit: Unit, indicator: Indicator, period: Period) -> Drill:
    """The unit's figure and the children of the unit that make it up (those the user
    reaches), as the user may see them."""
    day = period.last_day
    scope = scope_for(user)
    versions = list(
        scope.versions_on(Capability.VIEW_REPORTS, day)
        .filter(parent=unit)
        .order_by(bytewise("name_sort"))
    )
    units = [v.unit for v in versions]
    ev = figures(
        viewer=Viewer.of(user), targets=[unit, *units], period=period, indicators=[indicator]
    )
    # Values entered for this period's buckets only: one for another year changes nothing here.
    entered = ev.entered_units.get(indicator.code, set())
    rows = [
        DrillRow(v.unit, v.name, ev.of(indicator.code, v.unit_id), v.unit_id in entered)
        for v in versions
    ]
    return Drill(
        ev.of(indicator.code, unit.pk),
        unit.pk in entered,
        rows,
        ev.published.get(indicator.code),
    )


def indicator_or_404(code: str) -> Indicator:
    found = Indicator.objects.filter(code=code).select_related("group").first()
    if found is None:
        raise Http404("Không có chỉ tiêu này.")
    return found


def indicators_of(prog: Programme) -> list[Indicator]:
    """The programme's indicators in the catalogue's order."""
    return list(Indicator.objects.filter(group__programme=prog).select_related("group"))


def group_or_404(prog: Programme, code: str) -> IndicatorGroup:
    found = prog.groups.filter(code=code).first()
    if found is None:
        raise Http404("Không có nhóm chỉ tiêu này.")
    return found


def entered_values(*, unit: Unit, period: Period) -> list[EnteredValue]:
    """The values entered for a unit and a period (the entry grid's own, read after the
    page's reach check), with their indicators."""
    return list(
        EnteredValue.objects.filter(unit=unit, period=period.label).select_related("indicator")
    )


def indicator_or_none(code: str) -> Indicator | None:
    return Indicator.objects.filter(code=code).first()
