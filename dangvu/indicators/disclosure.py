"""Small numbers give people away: what a viewer is shown of a figure about persons.

An indicator the catalogue marks sensitive (inspection and discipline, members' ratings,
the remediation of members' shortcomings) names the capability that reaches its records
(`Indicator.sensitive`: discipline, view_members) and the shortest period it is published
in (`Indicator.grain`: a year). A viewer who reaches those records at a unit — a role in
force today, of a department holding the capability, over the unit — sees the unit's figure
as it is. Everyone else sees it only

1. **in whole years that have ended**: each bucket is widened to the calendar year it lies
   in, a period to the whole years it touches, and a year not yet over is withheld. No day,
   month or running count can be asked for, and two periods a day apart cannot be
   subtracted from each other;
2. **where no person stands out** (the survey's rule): a count from 1 to 4 is withheld;
   0 is shown;
3. **where subtraction cannot undo it** (complementary suppression): in every additive
   group — the children of a unit together with the unit's own part (its total is shown),
   the keys of one row (grades: their total follows from the members reviewed), the years
   of a period (their total is the period's figure) — a withheld cell never stands alone:
   the smallest other non-zero cell the viewer does not reach is withheld with it, or, when
   there is none (the rest is zero or the viewer's own), the group's total. The groups are
   those of the tree on each year's last day, not those of the page, so a unit shows the
   same on its own page, on its parent's drill-down and in every export.

A withheld value is NaN: any sum over it is NaN, so a total with a withheld part is
withheld wherever it is added up (a dashboard's year, an export's "whole period", the
report's sentences). Pages print it "không công bố", JSON writes null.

The command line (`dangvu report`, `dangvu check`) is the operator and sees every figure.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from dangvu.accounts.models import User
from dangvu.accounts.permissions import DEPARTMENT_CAPABILITIES, Capability
from dangvu.accounts.scope import Scope, scope_for, today
from dangvu.indicators.catalogue import PERIOD_DIMS
from dangvu.indicators.engine import Evaluation, Published, Values, evaluate, path_ids
from dangvu.indicators.models import Indicator, Kind
from dangvu.indicators.validation import Finding
from dangvu.lib.periods import Period
from dangvu.units.models import Unit, UnitVersion

#: The least count shown to whoever does not reach the records (the survey's rule).
THRESHOLD = 5
WITHHELD = math.nan
WITHHELD_TEXT = "không công bố"
NOTE = (
    "Số liệu về con người (kiểm tra, kỷ luật, xếp loại): với người không quản lý hồ sơ, chỉ "
    "công bố theo năm trọn đã kết thúc ({years}); số từ 1 đến 4, và số có thể dùng để suy ra "
    "chúng, không công bố."
)
NOTE_NO_YEAR = (
    "Số liệu về con người (kiểm tra, kỷ luật, xếp loại): với người không quản lý hồ sơ, chỉ "
    "công bố theo năm trọn đã kết thúc; kỳ này chưa có năm nào kết thúc nên không công bố."
)
#: The plane of the whole period, beside the years (which are > 0).
WHOLE = 0
Cell = tuple[int, int, str]  # unit id, year (or WHOLE), key


def withheld(value: object) -> bool:
    return isinstance(value, float) and math.isnan(value)


@dataclass
class Viewer:
    """Who looks at the figures: a user's scope, or the operator (`scope` None), who is
    shown every figure as it is."""

    scope: Scope | None
    _reached: dict[str, dict[int, bool]] = field(default_factory=dict)

    @classmethod
    def operator(cls) -> Viewer:
        return cls(None)

    @classmethod
    def of(cls, user: User) -> Viewer:
        return cls(scope_for(user))

    def sees_everything(self, cap: str) -> bool:
        return self.scope is None or self.scope.everywhere(Capability(cap))

    def reaches(self, cap: str, unit_ids: Iterable[int]) -> set[int]:
        """The units whose records of this capability the viewer reaches today."""
        ids = list(unit_ids)
        if self.scope is None or self.sees_everything(cap):
            return set(ids)
        known = self._reached.setdefault(cap, {})
        missing = [u for u in ids if u not in known]
        if missing:
            units = self.scope.writable_units(Capability(cap)).filter(pk__in=missing)
            found = set(units.values_list("pk", flat=True))
            known.update({u: u in found for u in missing})
        return {u for u in ids if known[u]}

    def roots(self, cap: str) -> set[int]:
        """The units of the viewer's roles in force today that reach these records."""
        if self.scope is None:
            return set()
        now, wanted = today(), Capability(cap)
        return {
            r.unit_id
            for r in self.scope.reaches
            if r.covers(now) and wanted in DEPARTMENT_CAPABILITIES.get(r.department, ())
        }


def by_year(indicator: Indicator, split: str | None) -> bool:
    """Whether the buckets shown are calendar years (else one bucket: the whole period)."""
    period_dim = next((d for d in indicator.dims if d in PERIOD_DIMS), None)
    return (period_dim or split) == "year"


def disclose(
    ev: Evaluation,
    *,
    viewer: Viewer,
    targets: Sequence[Unit],
    period: Period,
    indicators: Sequence[Indicator],
    split: str | None = None,
) -> Evaluation:
    """The evaluation as the viewer may see it: a copy, `ev` itself is left as it is."""
    by_cap: dict[str, list[Indicator]] = defaultdict(list)
    for indicator in indicators:
        if indicator.sensitive and not viewer.sees_everything(indicator.sensitive):
            by_cap[indicator.sensitive].append(indicator)
    if not by_cap:
        return ev
    shown = Evaluation(
        period=ev.period,
        values=dict(ev.values),
        computed=ev.computed,
        entered_units=ev.entered_units,
        published=dict(ev.published),
    )
    for cap, sensitive in by_cap.items():
        reached = viewer.reaches(cap, [t.pk for t in targets])
        others = [t for t in targets if t.pk not in reached]
        if others:
            _publish(shown, viewer, cap, sensitive, others, period, split)
    return shown


def _publish(
    shown: Evaluation,
    viewer: Viewer,
    cap: str,
    indicators: list[Indicator],
    targets: list[Unit],
    period: Period,
    split: str | None,
) -> None:
    now = today()
    years = [
        y for y in range(period.start.year, period.last_day.year + 1) if date(y + 1, 1, 1) <= now
    ]
    if years:
        span = f"năm {years[0]}" if len(years) == 1 else f"năm {years[0]} – {years[-1]}"
        published = Published((years[0], years[-1]), NOTE.format(years=span))
    else:
        published = Published(None, NOTE_NO_YEAR)
    cubes = _cubes(viewer, cap, indicators, targets, years) if years else {}
    for indicator in indicators:
        code = indicator.code
        shown.published[code] = published
        per_unit = dict(shown.values.get(code, {}))
        cube = cubes.get(code)
        yearly = by_year(indicator, split)
        for target in targets:
            values: Values = {}
            for label, row in shown.of(code, target.pk).items():
                year = int(label[:4]) if yearly else WHOLE
                ended = year in years if yearly else bool(years)
                values[label] = {
                    key: _cell(cube, (target.pk, year, key), ended, value)
                    for key, value in row.items()
                }
            per_unit[target.pk] = values
        shown.values[code] = per_unit


def _cell(cube: _Cube | None, cell: Cell, ended: bool, exact: float | None) -> float | None:
    if exact is None:
        return None  # no figure at all ("chưa có số liệu")
    if cube is None or not ended:
        return WITHHELD  # a year not over yet
    return cube.shown(cell)


@dataclass
class _Cube:
    """One indicator's figures over the region (units × years × keys), and those withheld."""

    values: dict[Cell, float]
    hidden: set[Cell]
    last_year: int
    whole_is_last: bool  # a state: the whole period's figure is its last year's

    def shown(self, cell: Cell) -> float | None:
        if cell[1] == WHOLE and self.whole_is_last:
            cell = (cell[0], self.last_year, cell[2])
        if cell in self.hidden:
            return WITHHELD
        return self.values.get(cell)


def _cubes(
    viewer: Viewer, cap: str, indicators: list[Indicator], targets: list[Unit], years: list[int]
) -> dict[str, _Cube]:
    """Evaluate the region the targets' figures depend on and suppress, per indicator.

    The region: the targets, for each year the children of their parents (their siblings)
    and, where the viewer reaches records below a unit it does not reach at, the
    ancestors of those roles' units with their children (where a lone withheld cell can
    only be covered by withholding the total)."""
    target_ids = {t.pk for t in targets}
    roots = viewer.roots(cap)
    tree: dict[int, dict[int, list[int]]] = {}
    region = set(target_ids)
    for year in years:
        versions = UnitVersion.objects.as_of(date(year, 12, 31))
        paths = dict(versions.filter(unit_id__in=target_ids | roots).values_list("unit_id", "path"))
        heads: set[int] = set()
        for unit_id in target_ids:
            ids = path_ids(paths.get(unit_id, ""))
            if len(ids) > 1:
                heads.add(ids[-2])
        for unit_id in roots:
            heads |= set(path_ids(paths.get(unit_id, ""))[:-1])
        children: dict[int, list[int]] = defaultdict(list)
        for unit_id, parent_id in versions.filter(parent_id__in=heads).values_list(
            "unit_id", "parent_id"
        ):
            children[parent_id].append(unit_id)
        tree[year] = children
        region |= heads | {c for kids in children.values() for c in kids}
    tree[WHOLE] = tree[years[-1]]
    units = list(Unit.objects.filter(pk__in=region))
    span = Period(date(years[0], 1, 1), date(years[-1] + 1, 1, 1), "")
    ev = evaluate(targets=units, period=span, indicators=indicators, split="year")
    reached = viewer.reaches(cap, region)
    cubes = {}
    for indicator in indicators:
        values: dict[Cell, float] = {}
        for unit in units:
            for label, row in ev.of(indicator.code, unit.pk).items():
                for key, value in row.items():
                    if value is not None:
                        values[(unit.pk, int(label), key)] = value
        whole = not by_year(indicator, None) and indicator.kind == Kind.FLOW
        if whole:
            for (unit_id, _, key), value in list(values.items()):
                cell = (unit_id, WHOLE, key)
                values[cell] = values.get(cell, 0) + value
        keyed = any(key for (_, _, key) in values)
        hidden = _suppress(values, reached, tree, years, whole=whole, keyed=keyed)
        cubes[indicator.code] = _Cube(
            values, hidden, years[-1], whole_is_last=not by_year(indicator, None) and not whole
        )
    return cubes


def _suppress(
    values: dict[Cell, float],
    reached: set[int],
    tree: dict[int, dict[int, list[int]]],
    years: list[int],
    *,
    whole: bool,
    keyed: bool,
) -> set[Cell]:
    """The cells withheld: the small ones, and complements until no additive group has a
    lone withheld cell (a fixpoint: each round only adds cells)."""
    hidden = {c for c, v in values.items() if c[0] not in reached and 0 < v < THRESHOLD}
    keys = sorted({c[2] for c in values})
    planes = [*years, WHOLE] if whole else list(years)
    cells_of_unit: dict[tuple[int, int], list[Cell]] = defaultdict(list)
    for cell in values:
        cells_of_unit[(cell[0], cell[1])].append(cell)

    def complement(cells: list[Cell], total: Cell | None) -> bool:
        free = [c for c in cells if c not in hidden and c[0] not in reached and values[c] > 0]
        if free:
            hidden.add(min(free, key=lambda c: (values[c], c)))
            return True
        lone = total is not None and total in values and total not in hidden
        if lone and total is not None and total[0] not in reached and values[total] != 0:
            hidden.add(total)  # nothing else to withhold with it: withhold the total
            return True
        return False

    changed = True
    while changed:
        changed = False
        for plane in planes:  # the children of a unit, with its own part
            for parent, kids in tree[plane].items():
                if parent in reached:
                    continue  # whoever reaches the unit reaches all beneath it
                for key in keys:
                    total = (parent, plane, key)
                    if total not in values:
                        continue
                    cells = [c for kid in kids if (c := (kid, plane, key)) in values]
                    own = values[total] - sum(values[c] for c in cells)
                    alone = [c for c in cells if c in hidden]
                    if len(alone) + (abs(own) > 1e-9) != 1:
                        continue
                    if not alone and not 0 < own < THRESHOLD:
                        continue  # only the unit's own part is unknown, and it is no small count
                    changed |= complement(cells, total)
        if keyed:  # the keys of one row: their total follows from other figures
            for (unit_id, _), cells in cells_of_unit.items():
                if unit_id not in reached and sum(c in hidden for c in cells) == 1:
                    changed |= complement(cells, None)
        if whole:  # the years of the whole period
            for unit_id in {c[0] for c in values} - reached:
                for key in keys:
                    cells = [c for y in years if (c := (unit_id, y, key)) in values]
                    if sum(c in hidden for c in cells) == 1:
                        changed |= complement(cells, (unit_id, WHOLE, key))
    return hidden


CODE = re.compile(r"[a-z_]+\.[a-z0-9_]+")


def visible_findings(viewer: Viewer, findings: list[Finding]) -> list[Finding]:
    """The validation findings the viewer may read: one that names a sensitive figure of a
    unit where the viewer does not reach its records would print it as it is."""
    if viewer.scope is None or not findings:
        return findings
    sensitive = dict(Indicator.objects.exclude(sensitive="").values_list("code", "sensitive"))
    codes = {f.unit_code for f in findings}
    units = dict(Unit.objects.filter(code__in=codes).values_list("code", "pk"))
    kept = []
    for finding in findings:
        caps = {
            sensitive[c] for c in CODE.findall(f"{finding.left} {finding.right}") if c in sensitive
        }
        unit_id = units.get(finding.unit_code)
        if all(unit_id is not None and viewer.reaches(cap, [unit_id]) for cap in caps):
            kept.append(finding)
    return kept


def plain(values: Values) -> Values:
    """The values with every withheld cell as None (JSON has no NaN)."""
    return {
        bucket: {key: None if withheld(v) else v for key, v in row.items()}
        for bucket, row in values.items()
    }
