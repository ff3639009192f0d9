"""The validation rules of the catalogue (its last section), checked for a unit, every unit
holding an entered value beneath it, and every period bucket. Computed values agree with
each other by construction; what breaks a rule is an entered (historical) value, so those
units are where the checks go — which keeps a province-wide check a handful of queries."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from dangvu.core.effective import active_on
from dangvu.indicators.catalogue import Rule, rules
from dangvu.indicators.engine import Evaluation, Values, evaluate
from dangvu.indicators.models import EnteredValue, Indicator, Kind
from dangvu.lib.periods import Period
from dangvu.units.models import Unit, UnitVersion

#: Not in the catalogue; computed for the rule on members present at reviews.
MEMBERS_LEFT = Indicator(
    code="org.members_left", label="Số đảng viên ra khỏi Đảng", dims=["year"], kind=Kind.FLOW
)


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    label: str
    unit_code: str
    unit_name: str
    period: str
    left: str
    left_value: float | None
    right: str
    right_value: float | None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        level = "LỖI" if self.severity == "error" else "Cảnh báo"
        return (
            f"{level} [{self.rule}] {self.unit_name} ({self.unit_code}), kỳ {self.period}: "
            f"{self.left} = {_n(self.left_value)} / {self.right} = {_n(self.right_value)}"
        )


def _n(value: float | None) -> str:
    from dangvu.lib.dates import format_number

    return "—" if value is None else format_number(value)


def _sum(*values: float | None) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) if len(present) == len(values) else None


def _row(values: Values, bucket: str) -> dict[str, float | None]:
    return values.get(bucket, {})


Check = Callable[[Evaluation, int], Iterator[tuple[str, float | None, float | None]]]
CHECKS: dict[str, tuple[Check, str, str, Callable[[float, float], bool]]] = {}


def _compare(
    code: str, left: str, right: str, ok: Callable[[float, float], bool]
) -> Callable[[Check], Check]:
    def register(fn: Check) -> Check:
        CHECKS[code] = (fn, left, right, ok)
        return fn

    return register


def _equal(a: float, b: float) -> bool:
    return abs(a - b) < 1e-9


def _le(a: float, b: float) -> bool:
    return a <= b + 1e-9


def _pairs(
    ev: Evaluation, unit_id: int, left: str, right: Sequence[str]
) -> Iterator[tuple[str, float | None, float | None]]:
    """Per bucket: the left indicator against the sum of the right ones (no keys)."""
    lv = ev.of(left, unit_id)
    rvs = [ev.of(code, unit_id) for code in right]
    for bucket in lv:
        yield bucket, _row(lv, bucket).get(""), _sum(*(_row(rv, bucket).get("") for rv in rvs))


@_compare(
    "review_present_identity",
    "review.members_present",
    "review.members_reviewed + review.members_exempt",
    _equal,
)
def _review_identity(
    ev: Evaluation, unit_id: int
) -> Iterator[tuple[str, float | None, float | None]]:
    return _pairs(
        ev, unit_id, "review.members_present", ["review.members_reviewed", "review.members_exempt"]
    )


def _levels(code: str) -> Check:
    def check(ev: Evaluation, unit_id: int) -> Iterator[tuple[str, float | None, float | None]]:
        for bucket, row in ev.of(code, unit_id).items():
            total = row.get("")
            parts = [v for k, v in row.items() if k and v is not None]
            yield bucket, total, sum(parts) if parts else None

    return check


CHECKS["suggestion_collectives_levels"] = (
    _levels("suggestion.collectives"),
    "suggestion.collectives (tổng)",
    "Σ suggestion.collectives theo cấp",
    _equal,
)
CHECKS["suggestion_individuals_levels"] = (
    _levels("suggestion.individuals"),
    "suggestion.individuals (tổng)",
    "Σ suggestion.individuals theo cấp",
    _equal,
)


@_compare(
    "supervision_total_levels", "supervision.front_total", "Σ supervision.front_by_level", _equal
)
def _supervision(ev: Evaluation, unit_id: int) -> Iterator[tuple[str, float | None, float | None]]:
    total = ev.of("supervision.front_total", unit_id)
    levels = ev.of("supervision.front_by_level", unit_id)
    for bucket, row in total.items():
        parts = [v for v in _row(levels, bucket).values() if v is not None]
        yield bucket, row.get(""), sum(parts) if parts else None


def _chain(code: str, left: str, right: str) -> None:
    CHECKS[code] = (lambda ev, uid: _pairs(ev, uid, left, [right]), left, right, _le)


_chain("org_disciplined_le_violated", "inspection.org_disciplined", "inspection.org_violated")
_chain("org_violated_le_signs", "inspection.org_violated", "inspection.org_violation_signs")
_chain(
    "member_disciplined_le_violated", "inspection.member_disciplined", "inspection.member_violated"
)
_chain(
    "member_violated_le_signs", "inspection.member_violated", "inspection.member_violation_signs"
)
_chain(
    "member_committee_le_signs",
    "inspection.member_violation_signs_committee",
    "inspection.member_violation_signs",
)


@_compare(
    "grassroots_total_identity",
    "org.grassroots_total",
    "org.grassroots_committees + org.grassroots_cells",
    _equal,
)
def _grassroots(ev: Evaluation, unit_id: int) -> Iterator[tuple[str, float | None, float | None]]:
    return _pairs(
        ev, unit_id, "org.grassroots_total", ["org.grassroots_committees", "org.grassroots_cells"]
    )


@_compare(
    "review_present_le_members",
    "review.members_present",
    "org.members (cuối năm) + số đảng viên ra khỏi Đảng trong năm",
    _le,
)
def _present(ev: Evaluation, unit_id: int) -> Iterator[tuple[str, float | None, float | None]]:
    present = ev.of("review.members_present", unit_id)
    members = ev.values.get("org.members#year", {}).get(unit_id, {})
    left = ev.of(MEMBERS_LEFT.code, unit_id)
    for bucket, row in present.items():
        yield bucket, row.get(""), _sum(_row(members, bucket).get(""), _row(left, bucket).get(""))


def _targets(unit: Unit, ev_entered: dict[str, set[int]], period: Period) -> list[Unit]:
    """The unit, the units with entered values beneath it, and their children."""
    entered = set().union(*ev_entered.values()) if ev_entered else set()
    day = period.last_day
    root = unit.version_on(day)
    ids = {unit.pk}
    if root is not None and entered:
        under = UnitVersion.objects.filter(unit_id__in=entered, path__startswith=root.path)
        ids |= set(under.values_list("unit_id", flat=True))
    return list(Unit.objects.filter(pk__in=ids))


def check(*, unit: Unit, period: Period, evaluation: Evaluation | None = None) -> list[Finding]:
    """Every rule for the unit and the units with entered values beneath it. Pass the
    unit's evaluation of the whole catalogue when the caller has it (the report does)."""
    indicators = list(Indicator.objects.all())
    first = evaluation or evaluate(targets=[unit], period=period, indicators=indicators)
    targets = _targets(unit, first.entered_units, period)
    others = [t for t in targets if t.pk != unit.pk]
    ev = evaluate(targets=others, period=period, indicators=indicators) if others else first
    if others:
        for code, per_unit in first.values.items():
            ev.values.setdefault(code, {}).update(per_unit)
    present = [
        t
        for t in targets
        if any(
            v is not None
            for row in ev.of("review.members_present", t.pk).values()
            for v in row.values()
        )
    ]
    if present:  # members present at reviews against members at year end plus leavers
        # A year's reviews count the whole year's members: so do its leavers, even where
        # the period cuts the year (the seed's period starts on 5 July 2018).
        whole = Period(date(period.start.year, 1, 1), date(period.last_day.year + 1, 1, 1), "")
        extra = evaluate(targets=present, period=whole, indicators=[MEMBERS_LEFT], split="year")
        ev.values[MEMBERS_LEFT.code] = extra.values[MEMBERS_LEFT.code]
        yearly = evaluate(
            targets=present,
            period=period,
            indicators=[i for i in indicators if i.code == "org.members"],
            split="year",
        )
        ev.values["org.members#year"] = yearly.values.get("org.members", {})
    catalogue = {r.code: r for r in rules()}
    names = _names(targets, period)
    findings: list[Finding] = []
    for target in targets:
        for code, (fn, left, right, ok) in CHECKS.items():
            rule = catalogue[code]
            for bucket, lv, rv in fn(ev, target.pk):
                if lv is None or rv is None or ok(lv, rv):
                    continue
                findings.append(_finding(rule, target, names, bucket, left, lv, right, rv))
        findings.extend(
            _parent_findings(target, catalogue["parent_entered_vs_children"], names, period)
        )
    return findings


def _finding(
    rule: Rule,
    unit: Unit,
    names: dict[int, str],
    bucket: str,
    left: str,
    lv: float | None,
    right: str,
    rv: float | None,
) -> Finding:
    return Finding(
        rule.code,
        rule.severity,
        rule.label,
        unit.code,
        names.get(unit.pk, unit.code),
        bucket,
        left,
        lv,
        right,
        rv,
    )


def _children(targets: Sequence[Unit], period: Period) -> list[Unit]:
    day = period.last_day
    ids = set(
        UnitVersion.objects.as_of(day).filter(parent__in=targets).values_list("unit_id", flat=True)
    )
    ids -= {t.pk for t in targets}
    return list(Unit.objects.filter(pk__in=ids))


def _names(units: Sequence[Unit], period: Period) -> dict[int, str]:
    names: dict[int, str] = {}
    for version in UnitVersion.objects.filter(unit__in=units).order_by("valid_from"):
        if version.valid_from <= period.last_day or version.unit_id not in names:
            names[version.unit_id] = version.name
    return names


def _parent_findings(
    target: Unit, rule: Rule, names: dict[int, str], period: Period
) -> list[Finding]:
    """An entered value of a parent against what the units beneath it make up (its value
    with its own entry set aside), for the indicators the parent has entered values of."""
    entered = list(EnteredValue.objects.filter(unit=target).select_related("indicator"))
    if not entered:
        return []
    indicators = list({e.indicator.code: e.indicator for e in entered}.values())
    beneath = evaluate(
        targets=[target], period=period, indicators=indicators, ignore_own_entry=True
    )
    out: list[Finding] = []
    for value in entered:
        if value.indicator.kind == Kind.RATE:
            continue
        made_up = beneath.of(value.indicator.code, target.pk).get(value.period, {}).get(value.key)
        # Nothing beneath to compare with: no entry below, and no record counted (a
        # historical figure entered over years the system kept no records of).
        if made_up is None or (
            (value.indicator.code not in beneath.computed or not made_up)
            and not _has_entered_below(value, target, period)
        ):
            continue
        entered_value = float(value.value)
        if abs(entered_value - made_up) > 1e-9:
            key = f"[{value.key}]" if value.key else ""
            out.append(
                Finding(
                    rule.code,
                    rule.severity,
                    rule.label,
                    target.code,
                    names.get(target.pk, target.code),
                    value.period,
                    f"{value.indicator.code}{key} (nhập)",
                    int(entered_value) if entered_value.is_integer() else entered_value,
                    "Σ đơn vị trực thuộc",
                    made_up,
                )
            )
    return out


def _has_entered_below(value: EnteredValue, target: Unit, period: Period) -> bool:
    """For an indicator without a computation, the children only "make up" a value when
    some of them have entered values."""
    day = period.last_day
    version = target.version_on(day)
    if version is None:
        return False
    return (
        EnteredValue.objects.filter(
            active_on(day, "unit__versions__"),
            indicator=value.indicator,
            key=value.key,
            period=value.period,
            unit__versions__path__startswith=version.path,
        )
        .exclude(unit=target)
        .exists()
    )
