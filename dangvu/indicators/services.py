"""Writes of entered aggregate values.

A department acts only in its own domain: each indicator belongs to the department that
answers for it (`Indicator.owner`, from the catalogue), and only that department — or the
committee leadership, which answers for every figure of its committee — enters or
overrides its values, at units its roles in force today reach and, for a dated value, as
the unit stood on the period's last day (the entry grid's rule: no figure for a year before
the unit or the role's reach of it). `check_may_enter` is the one check; `EntryRules.check`
the one row validator, shared by the single-record services (`entered_value_set`,
`entered_value_clear`, used by the entry grid) and the bulk service
(`entered_values_import`, used by the SoLieu sheet of the exchange workbook). The command
line and the demo (no actor, no scope) are the operator and are trusted, as for every
import.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet

from dangvu.accounts.models import Department, User
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import Scope, scope_for
from dangvu.core.audit import log_bulk
from dangvu.core.errors import BulkOutcome, DomainError, Refusal
from dangvu.indicators.catalogue import PERIOD_DIMS, dimension_keys
from dangvu.indicators.engine import key_dim
from dangvu.indicators.models import EnteredValue, FiguresLock, Indicator
from dangvu.lib.numbers import parse_decimal
from dangvu.lib.periods import Period, parse_period
from dangvu.units.models import Unit

UNKNOWN_INDICATOR = "Không có chỉ tiêu mã {code}."
BAD_KEY = "Chỉ tiêu {code} không có khóa [{key}]; khóa hợp lệ: {keys}."
KEY_REQUIRED = "Chỉ tiêu {code} cần khóa, ví dụ {code}[{example}]."
NO_KEY = "Chỉ tiêu {code} không có khóa."
PERIOD_KIND = "Chỉ tiêu {code} được báo cáo theo {kind}; kỳ phải là một {kind} (ví dụ {example})."
BAD_NUMBER = "'{value}' không phải số."
NEGATIVE = "Giá trị không được âm."
TOO_LARGE = "Giá trị quá lớn (phải nhỏ hơn 100.000.000.000.000)."
#: EnteredValue.value holds 16 digits, 2 of them decimals.
MAX_VALUE = Decimal(10) ** 14
NOT_YOURS = (
    "Chỉ tiêu {code} thuộc lĩnh vực {owner}: chỉ cán bộ lĩnh vực này hoặc lãnh đạo cấp ủy, "
    "với vai trò đang hiệu lực tại đơn vị {unit} hoặc cấp trên, được nhập, sửa số liệu "
    "của chỉ tiêu này."
)
NOT_THEN = (
    "Đơn vị {unit} trong kỳ {period} không thuộc phạm vi của bạn: chỉ nhập số liệu của kỳ "
    "mà đơn vị (khi đó) thuộc đơn vị bạn phụ trách."
)
#: Who enters every indicator besides its owner: the committee leadership (Thường trực,
#: Ban Thường vụ), which signs the report and answers for each of its figures. Not the
#: administrator: running the system is not answering for a figure.
ALSO_ENTERING = frozenset({Department.LEADERSHIP})
CODE_WITH_KEY = re.compile(r"^([a-z0-9_.]+)(?:\[([a-z0-9_-]+)\])?$")
LOCKED = (
    "Số liệu của {unit} kỳ {period} đã được chốt ({reason}): không nhập, sửa hay xóa được "
    "cho đến khi cấp trên mở lại báo cáo."
)
KIND_NAMES = {
    "year": ("năm", "2019", r"^\d{4}$"),
    "quarter": ("quý", "2019Q3", r"^\d{4}Q[1-4]$"),
    "month": ("tháng", "2019-07", r"^\d{4}-\d{2}$"),
}


def split_code(text: str) -> tuple[str, str]:
    """`supervision.front_by_level[commune]` → ("supervision.front_by_level", "commune")."""
    match = CODE_WITH_KEY.match(text.strip().lower())
    if not match:
        raise DomainError(UNKNOWN_INDICATOR.format(code=text.strip()))
    return match.group(1), match.group(2) or ""


def check_entry(indicator: Indicator, key: str, period: Period) -> None:
    """Raise DomainError when (indicator, key, period) cannot hold an entered value."""
    dimension = key_dim(indicator.dims)
    if dimension is None and key:
        raise DomainError(NO_KEY.format(code=indicator.code))
    if dimension is not None:
        known = dimension_keys(dimension) or []
        keys = [k for k, _ in known]
        if not key:
            raise DomainError(
                KEY_REQUIRED.format(code=indicator.code, example=keys[0] if keys else "...")
            )
        if keys and key not in keys:
            raise DomainError(BAD_KEY.format(code=indicator.code, key=key, keys=", ".join(keys)))
    if not period_fits(indicator, period):
        period_dim = next(d for d in indicator.dims if d in PERIOD_DIMS)
        name, example, _ = KIND_NAMES[period_dim]
        raise DomainError(PERIOD_KIND.format(code=indicator.code, kind=name, example=example))


def period_fits(indicator: Indicator, period: Period) -> bool:
    """A by-year indicator takes values for a year, by-quarter for a quarter, and so on."""
    period_dim = next((d for d in indicator.dims if d in PERIOD_DIMS), None)
    return period_dim is None or bool(re.match(KIND_NAMES[period_dim][2], period.label))


def entering_departments(indicator: Indicator) -> frozenset[str]:
    return frozenset({indicator.owner}) | ALSO_ENTERING


def entry_units(scope: Scope, indicator: Indicator) -> QuerySet[Unit]:
    """Units where the scope's user may enter the indicator's values: reached today by a
    role in force of a department that enters it (the scope narrowed to those roles)."""
    allowed = entering_departments(indicator)
    own = Scope(scope.user, [r for r in scope.reaches if r.department in allowed], is_admin=False)
    return own.writable_units(Capability.ENTER_VALUES)


def enterable(scope: Scope | None, indicators: list[Indicator], unit: Unit) -> set[str]:
    """The codes of the indicators the user may enter at the unit (one query per owner)."""
    if scope is None:
        return {i.code for i in indicators}
    by_owner: dict[frozenset[str], bool] = {}
    codes = set()
    for indicator in indicators:
        departments = entering_departments(indicator)
        if departments not in by_owner:
            by_owner[departments] = may_enter(scope, indicator, unit)
        if by_owner[departments]:
            codes.add(indicator.code)
    return codes


def may_enter(scope: Scope | None, indicator: Indicator, unit: Unit) -> bool:
    """The one check: may the user enter the indicator at the unit (scope None: the
    command line, the operator)?"""
    return scope is None or entry_units(scope, indicator).filter(pk=unit.pk).exists()


def not_yours(indicator: Indicator, unit: Unit) -> str:
    owner = Department(indicator.owner).label
    return NOT_YOURS.format(code=indicator.code, owner=owner, unit=unit.code)


def check_may_enter(
    *, scope: Scope | None, indicator: Indicator, unit: Unit, period: Period | None = None
) -> None:
    """The indicator is the user's to enter at the unit today and, for a period, the unit
    as it stood on the period's last day is reached (the entry grid's rule)."""
    if not may_enter(scope, indicator, unit):
        raise DomainError(not_yours(indicator, unit), field="code")
    if period is not None and not reached_then(scope, unit, period):
        raise DomainError(not_then(unit, period), field="period")


def reached_then(scope: Scope | None, unit: Unit, period: Period) -> bool:
    """The unit, as it stood on the period's last day, is reached by the user's roles."""
    return scope is None or scope.reaches_unit_on(Capability.ENTER_VALUES, unit, period.last_day)


def not_then(unit: Unit, period: Period) -> str:
    return NOT_THEN.format(unit=unit.code, period=period.label)


def lock_over(unit: Unit, period: Period) -> FiguresLock | None:
    """The lock that freezes the unit's entered values for (part of) the period, if any."""
    return (
        FiguresLock.objects.filter(
            unit=unit, period_start__lt=period.end, period_end__gt=period.start
        )
        .order_by("period_start")
        .first()
    )


def check_not_locked(unit: Unit, period: Period) -> None:
    lock = lock_over(unit, period)
    if lock is not None:
        raise DomainError(
            LOCKED.format(unit=unit_label(unit, period), period=period.label, reason=lock.reason),
            field="period",
        )


def unit_label(unit: Unit, period: Period) -> str:
    version = unit.version_on(period.last_day) or unit.latest_version()
    return version.name if version else unit.code


@transaction.atomic
def figures_lock(*, unit: Unit, period: Period, reason: str, holder: str) -> FiguresLock:
    """Freeze the unit's entered values over the period (held by `holder`, e.g. an
    accepted report); taking a lock the holder already has only updates its reason."""
    lock, _ = FiguresLock.objects.update_or_create(
        holder=holder,
        defaults={
            "unit": unit,
            "period_start": period.start,
            "period_end": period.end,
            "reason": reason[:300],
        },
    )
    return lock


@transaction.atomic
def figures_unlock(*, holder: str) -> bool:
    """Release the holder's lock (its report reopened); False when it held none."""
    deleted, _ = FiguresLock.objects.filter(holder=holder).delete()
    return bool(deleted)


def parse_value(raw: object) -> Decimal:
    """A value typed the Vietnamese way ("27.210", "3,5") or taken from a workbook cell."""
    try:  # wide bounds: check_value says what is wrong with a number out of range
        value = parse_decimal(raw, low=-(MAX_VALUE**2), high=MAX_VALUE**2, grouped=True)
    except ValueError as error:
        raise DomainError(BAD_NUMBER.format(value=raw)) from error
    return check_value(value)


def check_value(value: Decimal) -> Decimal:
    """Raise DomainError unless the value can be stored: finite, not negative, not too big."""
    if not value.is_finite():
        raise DomainError(BAD_NUMBER.format(value=value))
    if value < 0:
        raise DomainError(NEGATIVE)
    if value >= MAX_VALUE:
        raise DomainError(TOO_LARGE)
    return value


@transaction.atomic
def entered_value_set(
    *,
    indicator: Indicator,
    unit: Unit,
    period: Period,
    value: Decimal,
    key: str = "",
    note: str = "",
    actor: User | None = None,
) -> EnteredValue:
    """Enter (or correct) the aggregate value of an indicator for a unit and period, as
    `actor` (None: the command line) if the indicator is theirs to enter there."""
    row = EnteredRow(indicator=indicator, unit=unit, period=period, value=value, key=key)
    EntryRules(_scope(actor)).check(row)
    entry, _ = EnteredValue.objects.update_or_create(
        indicator=indicator,
        key=key,
        unit=unit,
        period=period.label,
        defaults={
            "period_start": period.start,
            "period_end": period.end,
            "value": value,
            "note": note.strip()[:300],
            "entered_by": actor,
        },
    )
    return entry


@transaction.atomic
def entered_value_clear(
    *, indicator: Indicator, unit: Unit, period: Period, key: str = "", actor: User | None = None
) -> bool:
    """Remove an entered value: the computed value shows again (the audit trail keeps it)."""
    check_may_enter(scope=_scope(actor), indicator=indicator, unit=unit, period=period)
    check_not_locked(unit, period)
    deleted, _ = EnteredValue.objects.filter(
        indicator=indicator, unit=unit, period=period.label, key=key
    ).delete()
    return bool(deleted)


@transaction.atomic
def entered_values_save(
    *,
    unit: Unit,
    period: Period,
    changes: list[tuple[Indicator, str, Decimal | None]],
    actor: User | None = None,
) -> None:
    """Save a grid of entries at once, all or nothing: each (indicator, key, value) is
    entered, or cleared when the value is None."""
    for indicator, key, value in changes:
        if value is None:
            entered_value_clear(indicator=indicator, unit=unit, period=period, key=key, actor=actor)
        else:
            entered_value_set(
                indicator=indicator, unit=unit, period=period, key=key, value=value, actor=actor
            )


@dataclass(frozen=True)
class EnteredRow:
    """One entered value to write: an indicator's value for a unit and period."""

    indicator: Indicator
    unit: Unit
    period: Period
    value: Decimal
    key: str = ""
    note: str = ""


class EntryRules:
    """The one row validator of entered values, for one user (`scope` None: the operator).
    The answers about reach are kept for the run: a bulk import asks once per department
    and unit, and once per unit and day."""

    def __init__(self, scope: Scope | None) -> None:
        self.scope = scope
        self._owner: dict[tuple[frozenset[str], int], bool] = {}
        self._then: dict[tuple[int, str], bool] = {}
        self._locked: dict[tuple[int, str], DomainError | None] = {}

    def check(self, row: EnteredRow) -> None:
        """Raise DomainError (with the field at fault) unless the row may be written."""
        owner = (entering_departments(row.indicator), row.unit.pk)
        if owner not in self._owner:
            self._owner[owner] = may_enter(self.scope, row.indicator, row.unit)
        if not self._owner[owner]:
            raise DomainError(not_yours(row.indicator, row.unit), field="code")
        then = (row.unit.pk, row.period.label)
        if then not in self._then:
            self._then[then] = reached_then(self.scope, row.unit, row.period)
        if not self._then[then]:
            raise DomainError(not_then(row.unit, row.period), field="period")
        try:
            check_entry(row.indicator, row.key, row.period)
        except DomainError as error:
            column = "code" if period_fits(row.indicator, row.period) else "period"
            raise DomainError(error.message, field=column) from error
        try:
            check_value(row.value)
        except DomainError as error:
            raise DomainError(error.message, field="value") from error
        if then not in self._locked:
            try:
                check_not_locked(row.unit, row.period)
                self._locked[then] = None
            except DomainError as error:
                self._locked[then] = error
        if self._locked[then] is not None:
            raise self._locked[then]  # type: ignore[misc]


@transaction.atomic
def entered_values_import(
    *, rows: Sequence[EnteredRow], actor: User | None, scope: Scope | None, source: str = "import"
) -> BulkOutcome:
    """Enter many values at once, as `actor` with `scope` (None: the operator): every row
    checked by `EntryRules`; nothing is written when one is refused (the refusals say which
    and why). Each value created or changed leaves an audit entry marked with `source`."""
    rules = EntryRules(scope)
    outcome = BulkOutcome()
    for index, row in enumerate(rows):
        try:
            rules.check(row)
        except DomainError as error:
            outcome.refused.append(Refusal(index, error.field, error.message))
    if outcome.refused:
        return outcome
    existing = {(e.indicator_id, e.key, e.unit_id, e.period): e for e in EnteredValue.objects.all()}
    created: list[tuple[EnteredValue, None]] = []
    changed: list[tuple[EnteredValue, dict[str, list[str]]]] = []
    for row in rows:
        value = row.value.quantize(Decimal("0.01"))
        found = existing.get((row.indicator.pk, row.key, row.unit.pk, row.period.label))
        if found is None:
            created.append((_create(row, value, actor), None))
        elif found.value != value or found.note != row.note:
            diff = {"value": [str(found.value), str(value)]}
            found.value, found.note, found.entered_by = value, row.note, actor
            found.save(update_fields=["value", "note", "entered_by", "entered_at"])
            changed.append((found, diff))
        else:
            outcome.unchanged += 1
    outcome.created, outcome.updated = len(created), len(changed)
    log_bulk(EnteredValue, created, actor=actor, created=True, note=source)
    log_bulk(EnteredValue, changed, actor=actor, created=False, note=source)
    return outcome


def _create(row: EnteredRow, value: Decimal, actor: User | None) -> EnteredValue:
    return EnteredValue.objects.create(
        indicator=row.indicator,
        key=row.key,
        unit=row.unit,
        period=row.period.label,
        period_start=row.period.start,
        period_end=row.period.end,
        value=value,
        note=row.note,
        entered_by=actor,
    )


def _scope(actor: User | None) -> Scope | None:
    return None if actor is None else scope_for(actor)


def indicator_by_code(code: str) -> Indicator:
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        raise DomainError(UNKNOWN_INDICATOR.format(code=code))
    return indicator


__all__ = [
    "check_not_locked",
    "entered_value_clear",
    "entered_value_set",
    "entered_values_import",
    "figures_lock",
    "figures_unlock",
    "parse_period",
    "split_code",
]
