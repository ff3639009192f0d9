"""The roll-up engine: indicator values for units and periods, set-based.

For unit U and period (bucket) P the catalogue's rule is
    value(U, P) = entered(U, P) if one exists, else computed-on-U(U, P) + Σ value(child, P).
The engine gets there without walking the tree per unit:

1. Each computation returns rows (bucket, key, path, n): records grouped by the path of
   their unit *at the time* (the path of unit ids from the root, as it stood). Only a few
   thousand rows come back even for a province, one query per indicator.
2. A row adds n to every unit id on its path that the caller needs (the targets and the
   units holding entered values): S(X) is then "everything under X", with the tree of the
   time, so a 2019 record counts under the district it belonged to in 2019.
3. An entered value at E replaces what lies beneath it: for a target X without an entered
   value of its own, value(X) = S(X) + Σ over the topmost entered E below X of
   (entered(E) − S(E)), "below" on the tree at the end of the bucket.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any

from django.db import connection, connections
from django.db.models import Case, CharField, Count, F, Func, Q, QuerySet, Sum, Value, When
from django.db.models.expressions import Combinable

from dangvu.core.effective import active_on, overlapping
from dangvu.indicators import services_tallies as tallies
from dangvu.indicators.catalogue import PERIOD_DIMS, dimension_keys
from dangvu.indicators.models import EnteredValue, Indicator, Kind, Tally
from dangvu.indicators.registry import COMPUTATIONS, Rows
from dangvu.lib.periods import Period
from dangvu.units.models import Unit, UnitVersion

Number = float
Values = dict[str, dict[str, Number | None]]  # bucket label -> key -> value
Spans = list[tuple[date, date]]  # [from, to) ranges of days


CALENDAR = {
    "year": re.compile(r"\d{4}"),
    "quarter": re.compile(r"\d{4}Q[1-4]"),
    "month": re.compile(r"\d{4}-\d{2}"),
}


class CalendarLabel(Func):
    """The label of a date's calendar bucket, as `Period` writes it: "2019", "2019Q3",
    "2019-07" — formatted by the database (PostgreSQL's to_char; on SQLite, where a date is
    the text "2019-07-05", its first characters, which costs less than strftime)."""

    output_field = CharField()
    SQLITE = {
        "year": "substr(%(expressions)s, 1, 4)",
        "quarter": "substr(%(expressions)s, 1, 4) || 'Q' || "
        "((CAST(substr(%(expressions)s, 6, 2) AS INTEGER) + 2) / 3)",
        "month": "substr(%(expressions)s, 1, 7)",
    }
    POSTGRES = {
        "year": "to_char(%(expressions)s, 'YYYY')",
        "quarter": "to_char(%(expressions)s, 'YYYY\"Q\"Q')",
        "month": "to_char(%(expressions)s, 'YYYY-MM')",
    }

    def __init__(self, expression: str, *, grain: str) -> None:
        super().__init__(F(expression))
        self.grain = grain

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template=self.SQLITE[self.grain], **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template=self.POSTGRES[self.grain], **extra)


def buckets_for(dims: Sequence[str], period: Period, split: str | None = None) -> list[Period]:
    """The periods an indicator is reported in: per year (quarter, month) when one of its
    dimensions is a period, or when the caller splits (dashboards: per year)."""
    period_dim = next((d for d in dims if d in PERIOD_DIMS), None) or split
    if period_dim == "year":
        return period.years()
    if period_dim == "quarter":
        return period.quarters()
    if period_dim == "month":
        return period.months()
    return [period]


def key_dim(dims: Sequence[str]) -> str | None:
    return next((d for d in dims if d not in PERIOD_DIMS), None)


def fetched(qs: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """The rows of a `values_list` query of labels, keys, ids and counts, as the database
    driver returns them: both databases give Python's str and int for these, and Django's
    per-row converters (which only call int() on a count) cost more than the query on a
    province's thousands of rows."""
    query = qs.query
    sql, params = query.get_compiler(using=qs.db).as_sql()
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    names = [*query.extra_select, *query.values_select, *query.annotation_select]
    wanted = list(qs._fields)  # type: ignore[attr-defined]
    if names == wanted:
        return rows
    order = [names.index(name) for name in wanted]
    return [tuple(row[i] for i in order) for row in rows]


def counted(rows: QuerySet[Any], value: Any) -> Iterable[tuple[Any, ...]]:
    """A computation's grouped rows: fetched raw when they are counts (`value` None), else
    through Django (a sum of decimals needs its converter)."""
    return rows if value is not None else fetched(rows)


def path_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


@dataclass
class Ctx:
    """What a computation sees: the buckets to fill, and helpers that return rows."""

    buckets: list[Period]
    #: Shared by the computations of one evaluation: (start, end) -> unit id -> path, for
    #: the units that stood unchanged (one version) over the whole range.
    steady_cache: dict[tuple[date, date], dict[int, str]] = field(default_factory=dict)
    #: The subtrees the evaluation is about: paths that the targets had during the period
    #: (None: the whole tree). Every query of a computation is bounded by them, so that a
    #: province's figures cost what the province holds, not what the country holds.
    within: tuple[str, ...] | None = None
    #: Set by the engine when the computation's past months may come from the tallies:
    #: its code, the units whose sums are wanted, and the tallies' states by source.
    code: str = ""
    needed: set[int] | None = None
    tallies: dict[str, Any] | None = None
    calls: int = 0

    def under(self, prefix: str = "") -> Q:
        """Q for unit versions (reached through `prefix`, e.g. "unit__versions__") lying
        inside the evaluation's subtrees; an empty Q when it covers the whole tree."""
        found = Q()
        for root in self.within or ():
            found |= Q(**{f"{prefix}path__startswith": root})
        return found

    def units_within(self, start: date, end: date) -> QuerySet[Any] | None:
        """Ids of the units that stood inside the subtrees at some time of [start, end)
        (a superset of the units whose records are placed under a target), or None when
        the evaluation covers the whole tree."""
        if self.within is None:
            return None
        return UnitVersion.objects.filter(self.under()).overlapping(start, end).values("unit_id")

    def steady_paths(self, start: date, end: date) -> dict[int, str]:
        """Units whose one version covers [start, end): their path is the same on every day
        of the range, so their records need no join to the versions to be placed."""
        found = self.steady_cache.get((start, end))
        if found is None:
            found = dict(
                UnitVersion.objects.covering(start, end)
                .filter(self.under())
                .values_list("unit_id", "path")
            )
            self.steady_cache[(start, end)] = found
        return found

    def _bucket_expr(self, date_field: str) -> Any:
        """A record's bucket label: a constant for one bucket; for calendar buckets (years,
        quarters, months) the label formatted by the database from the date, which costs
        it far less than a CASE of one branch per bucket; the CASE otherwise."""
        labels = [b.label for b in self.buckets]
        if len(labels) == 1:
            return Value(labels[0], output_field=CharField())
        for grain, pattern in CALENDAR.items():
            if all(pattern.fullmatch(label) for label in labels):
                return CalendarLabel(date_field, grain=grain)
        return self._bucket_case(date_field)

    def _bucket_case(self, date_field: str) -> Case:
        return Case(
            *[
                When(
                    **{f"{date_field}__gte": b.start, f"{date_field}__lt": b.end},
                    then=Value(b.label),
                )
                for b in self.buckets
            ],
            default=Value(""),
            output_field=CharField(),
        )

    def events(
        self,
        qs: QuerySet[Any],
        *,
        date: str,
        unit: str = "unit",
        key: str | Combinable | None = None,
        value: Any = None,
    ) -> Rows:
        """Records dated inside the buckets, counted (or `value`-aggregated) per bucket,
        key and the path of their unit on their date.

        Grouped by unit first, without touching the versions: a unit that stood unchanged
        over the whole range has one path. Only the records of the few units that changed
        (renamed, moved, founded or dissolved inside the range) are placed through the join
        to the version in force on their date. Two queries at most.

        For a tallied source (the n-th call of a computation listed in `tallies.TALLIED`),
        the whole months the tallies hold are read from them instead, for the wanted units."""
        source = f"{self.code}#{self.calls}"  # named when called, whatever runs first
        self.calls += 1
        return self._events(source, qs, date=date, unit=unit, key=key, value=value)

    def _events(
        self,
        source: str,
        qs: QuerySet[Any],
        *,
        date: str,
        unit: str,
        key: str | Combinable | None,
        value: Any,
    ) -> Rows:
        first, last = self.buckets[0], self.buckets[-1]
        spans = [(first.start, last.end)]
        less: Spans = []
        state = (self.tallies or {}).get(source)
        if state is not None and value is None and self.needed is not None:
            held = [(b, tallies.held(state, b)) for b in self.buckets]
            outside = [s for b, h in held for s in _outside(b, h)]
            months, outside, less = self._complements(state, outside)
            yield from self._tallied(source, [h for _, h in held if h] + months)
            spans = _joined(outside)
        if spans:
            rows = self._records(qs, spans, (first.start, last.end), date, unit, key, value)
            yield from rows
        if less:
            taken = _joined(less)
            rows = self._records(qs, taken, (taken[0][0], taken[-1][1]), date, unit, key, None)
            for bucket, key_value, path, n in rows:
                yield bucket, key_value, path, -n

    def _complements(
        self, state: Any, spans: list[tuple[date, date]]
    ) -> tuple[list[tuple[date, date]], list[tuple[date, date]], list[tuple[date, date]]]:
        """The days of a held month that a bucket cuts (a period beginning on 5 July): when
        they are most of the month, the whole month is read from the tallies and the few
        days left out are read from the records and taken away, rather than the many days
        read from the records. Returns the months read whole, the spans still read from the
        records, and the spans taken away.

        Only where it is exact: the labels follow the calendar (the days left out carry the
        bucket's label), and every wanted unit stood inside the evaluation's subtrees on the
        days left out (their records are all found within the bound)."""
        labels = [b.label for b in self.buckets]
        calendar = len(labels) == 1 or any(
            all(pattern.fullmatch(label) for label in labels) for pattern in CALENDAR.values()
        )
        if not calendar:
            return [], spans, []
        months: list[tuple[date, date]] = []
        kept: list[tuple[date, date]] = []
        less: list[tuple[date, date]] = []
        for start, end in spans:
            month = tallies.first_of(start)
            after = tallies.next_month(month)
            whole = (after - month).days
            left_out = (month, start) if end == after else (end, after)
            if (
                end <= after
                and (start == month or end == after)
                and state.start <= month < state.horizon
                and 2 * (whole - (end - start).days) < whole
            ):
                months.append((month, after))
                less.append(left_out)
            else:
                kept.append((start, end))
        if less and not self._inside_on(less):
            return [], spans, []
        return months, kept, less

    def _inside_on(self, spans: list[tuple[date, date]]) -> bool:
        """Whether every wanted unit stood inside the evaluation's subtrees on these days."""
        if self.within is None:
            return True
        paths = UnitVersion.objects.filter(unit_id__in=sorted(self.needed or ())).filter(
            reduce(or_, (overlapping(start, end) for start, end in spans))
        )
        return all(
            any(path.startswith(root) for root in self.within)
            for path in paths.values_list("path", flat=True)
        )

    def _records(
        self,
        qs: QuerySet[Any],
        spans: list[tuple[date, date]],
        bound: tuple[date, date],
        date_field: str,
        unit: str,
        key: str | Combinable | None,
        value: Any,
    ) -> Rows:
        """The records dated inside the spans, counted per bucket label, key and the path
        of their unit on their date; `bound`: the range the spans lie in (whose units that
        stood unchanged need no join to be placed)."""
        qs = qs.filter(tallies.months_q(spans, date_field))
        inside = self.units_within(*bound)
        if inside is not None:
            qs = qs.filter(**{f"{unit}__in": inside})
        key_expr = F(key) if isinstance(key, str) else key if key is not None else Value("")
        count = value if value is not None else Count("pk")
        changed: set[int] = set()
        by_unit = qs.values(_b=self._bucket_expr(date_field), _k=key_expr, _u=F(unit)).annotate(
            _n=count
        )
        grouped = list(counted(by_unit.values_list("_b", "_k", "_u", "_n"), value))
        # The paths are read only when there are records to place (a few days of a small
        # table often have none).
        steady = self.steady_paths(*bound) if grouped else {}
        for bucket, key_value, unit_id, n in grouped:
            if unit_id is None:
                continue  # no unit, no place in the tree (as through the join)
            path = steady.get(unit_id)
            if path is None:
                changed.add(unit_id)
            else:
                yield bucket, str(key_value or ""), path, n
        if not changed:
            return
        placed = qs.filter(
            active_on(F(date_field), f"{unit}__versions__"), **{f"{unit}__in": sorted(changed)}
        ).values(_b=self._bucket_expr(date_field), _k=key_expr, _p=F(f"{unit}__versions__path"))
        rows = placed.annotate(_n=count).values_list("_b", "_k", "_p", "_n")
        for bucket, key_value, path, n in counted(rows, value):
            yield bucket, str(key_value or ""), path, n

    def _tallied(self, source: str, spans: list[tuple[date, date]]) -> Rows:
        """The wanted units' counts over the held months, from the tallies: each row
        already holds a unit's whole subtree, so its "path" is the unit alone."""
        if not spans or not self.needed:
            return
        rows = (
            Tally.objects.filter(tallies.months_q(spans), source=source, unit__in=self.needed)
            .values(_b=self._bucket_expr("month"), _k=F("key"), _u=F("unit_id"))
            .annotate(_n=Sum("n"))
            .values_list("_b", "_k", "_u", "_n")
        )
        for bucket, key_value, unit_id, n in fetched(rows):
            yield bucket, key_value, f"/{unit_id}/", int(n)  # PostgreSQL sums to numeric

    def standing(self, qs: QuerySet[Any], *, unit: str = "unit", key: str | None = None) -> Rows:
        """Records of an effective-dated queryset standing on the last day of each bucket,
        counted per key and the path of their unit then (`at_end` of `qs.filter(active_on(
        day))`). For a tallied source, a bucket ending on a held month's last day is read
        from the tallies (its changes summed up to that month) for the wanted units."""
        source = f"{self.code}#{self.calls}"
        self.calls += 1
        state = (self.tallies or {}).get(source)
        buckets = self.buckets
        if state is not None and self.needed is not None:
            held = {b.label: tallies.stock_month(state, b.last_day) for b in buckets}
            months = {label: m for label, m in held.items() if m is not None}
            yield from self._standing_tallied(source, months)
            buckets = [b for b in buckets if held[b.label] is None]
        yield from self._at_end(
            buckets, lambda day: qs.filter(active_on(day)), unit=unit, key=key, value=None
        )

    def _standing_tallied(self, source: str, months: dict[str, date]) -> Rows:
        """The wanted units' counts on the last days of these months (bucket label ->
        month): the kept changes of each unit summed up to each month."""
        if not months or not self.needed:
            return
        rows = Tally.objects.filter(
            source=source, unit__in=self.needed, month__lte=max(months.values())
        ).values_list("unit_id", "key", "month", "n")
        changes: dict[tuple[int, str], list[tuple[str, int]]] = defaultdict(list)
        for unit_id, key_value, month, n in fetched(rows):
            changes[(unit_id, key_value)].append((str(month)[:10], int(n)))
        for (unit_id, key_value), found in changes.items():
            for label, month in months.items():
                upto = month.isoformat()
                n = sum(change for day, change in found if day <= upto)
                if n:
                    yield label, key_value, f"/{unit_id}/", n

    def at_end(
        self,
        make: Callable[[date], QuerySet[Any]],
        *,
        unit: str = "unit",
        key: str | Combinable | None = None,
        value: Any = None,
    ) -> Rows:
        """What stands on the last day of each bucket (members, units...), per path then."""
        return self._at_end(self.buckets, make, unit=unit, key=key, value=value)

    def _at_end(
        self,
        buckets: list[Period],
        make: Callable[[date], QuerySet[Any]],
        *,
        unit: str,
        key: str | Combinable | None,
        value: Any,
    ) -> Rows:
        for bucket in buckets:
            day = bucket.last_day
            qs = make(day).filter(
                active_on(day, f"{unit}__versions__"), self.under(f"{unit}__versions__")
            )
            key_expr = F(key) if isinstance(key, str) else key if key is not None else Value("")
            grouped = qs.values(_k=key_expr, _p=F(f"{unit}__versions__path")).annotate(
                _n=value if value is not None else Count("pk")
            )
            rows = grouped.values_list("_k", "_p", "_n")
            for key_value, path, n in counted(rows, value):
                yield bucket.label, str(key_value or ""), path, n

    def units_below(self, kinds: Iterable[str]) -> Rows:
        """Units of these kinds standing on the last day of each bucket, counted in every
        unit above them (not in themselves: a district has no district below it)."""
        kinds = list(kinds)
        for bucket in self.buckets:
            day = bucket.last_day
            paths = (
                UnitVersion.objects.as_of(day)
                .filter(self.under(), kind__in=kinds)
                .values("path")
                .annotate(n=Count("pk"))
                .values_list("path", "n")
            )
            for path, n in fetched(paths):
                parent = path.rstrip("/").rsplit("/", 1)[0] + "/"
                yield bucket.label, "", parent, n


@dataclass(frozen=True)
class Published:
    """How a sensitive figure was published to a viewer who does not reach its records:
    over these whole, ended years (None: none has ended), small counts withheld."""

    years: tuple[int, int] | None
    note: str


@dataclass
class Evaluation:
    """Values of many indicators for some target units: code -> unit id -> bucket -> key."""

    period: Period
    values: dict[str, dict[int, Values]] = field(default_factory=dict)
    computed: set[str] = field(default_factory=set)  # codes that have a computation
    entered_units: dict[str, set[int]] = field(default_factory=dict)
    #: Set by disclosure.py: code -> what a viewer who does not reach the records is shown.
    published: dict[str, Published] = field(default_factory=dict)

    def of(self, code: str, unit_id: int) -> Values:
        return self.values.get(code, {}).get(unit_id, {})


def _add(total: Any, n: Any) -> Any:
    if isinstance(n, tuple):
        base = total or (0, 0)
        return (base[0] + n[0], base[1] + n[1])
    return (total or 0) + (float(n) if isinstance(n, Decimal) else n)


def _finish(value: Any, kind: str) -> Number | None:
    if value is None:
        return None
    if isinstance(value, tuple):  # a rate: (numerator, denominator)
        return round(100.0 * value[0] / value[1], 1) if value[1] else None
    if isinstance(value, Decimal):
        value = float(value)
    return int(value) if float(value).is_integer() and kind != Kind.RATE else value


def _paths_on(unit_ids: set[int], days: set[date]) -> dict[date, dict[int, str]]:
    """Each unit's path on each day (a unit that did not exist then is absent)."""
    result: dict[date, dict[int, str]] = {day: {} for day in days}
    if not unit_ids:
        return result
    versions = UnitVersion.objects.filter(unit_id__in=unit_ids).values_list(
        "unit_id", "path", "valid_from", "valid_to"
    )
    for unit_id, path, start, end in versions:
        for day in days:
            if start <= day < end:
                result[day][unit_id] = path
    return result


def subtrees(targets: Sequence[Unit], start: date, end: date) -> tuple[str, ...] | None:
    """The paths the targets had during [start, end), none inside another: every record
    placed under a target lies under one of them. None when they hold the whole tree (the
    bound would only cost)."""
    if not targets:
        return ()
    paths = sorted(
        set(
            UnitVersion.objects.filter(unit__in=[t.pk for t in targets])
            .overlapping(start, end)
            .values_list("path", flat=True)
        )
    )
    roots: list[str] = []
    for path in paths:  # sorted: a path comes after the paths it starts with
        if not any(path.startswith(root) for root in roots):
            roots.append(path)
    bound = Ctx([], within=tuple(roots))
    inside = UnitVersion.objects.filter(bound.under()).count()
    if inside * 2 >= _unit_versions_estimate():
        return None  # most of the tree: a scan costs less than the bound
    return tuple(roots)


def _unit_versions_estimate() -> int:
    """How many unit versions there are: PostgreSQL's planner estimate (kept by ANALYZE,
    free), or a count where the table is small (SQLite's demo)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                [UnitVersion._meta.db_table],
            )
            row = cursor.fetchone()
        if row and row[0] > 0:
            return int(row[0])
    return UnitVersion.objects.count()


def evaluate(
    *,
    targets: Sequence[Unit],
    period: Period,
    indicators: Sequence[Indicator],
    split: str | None = None,
    ignore_own_entry: bool = False,
) -> Evaluation:
    """Values of `indicators` for each target unit over `period` (in the indicator's own
    buckets, or per `split` when given). With `ignore_own_entry`, a target's own entered
    value is set aside: what the units beneath it make up (the parent check).

    Rates do not add up across units: an entered rate stands for its own unit only, and
    above it the rate is the computed one (numerator and denominator from the records)."""
    result = Evaluation(period=period)
    plans = {i.code: buckets_for(i.dims, period, split) for i in indicators}
    labels = {b.label for buckets in plans.values() for b in buckets}
    start = min((b.start for buckets in plans.values() for b in buckets), default=period.start)
    end = max((b.end for buckets in plans.values() for b in buckets), default=period.end)
    within = subtrees(targets, start, end)
    bound = Ctx([], within=within)
    entered_qs = EnteredValue.objects.filter(
        indicator__code__in=[i.code for i in indicators], period__in=labels
    )
    inside = bound.units_within(start, end)
    if inside is not None:
        entered_qs = entered_qs.filter(unit__in=inside)
    entered_rows = list(
        entered_qs.values_list("indicator__code", "key", "unit_id", "period", "value")
    )
    entered: dict[tuple[str, str, str, int], Decimal] = {
        (code, period_label, key, unit_id): value
        for code, key, unit_id, period_label, value in entered_rows
    }
    target_ids = {t.pk for t in targets}
    entered_ids = {row[2] for row in entered_rows}
    days = {b.label: b.last_day for buckets in plans.values() for b in buckets}
    paths = _paths_on(target_ids | entered_ids, set(days.values()))
    path_by_label = {label: paths[day] for label, day in days.items()}
    steady: dict[tuple[date, date], dict[int, str]] = {}
    kept = tallies.states() if any(i.code in tallies.TALLIED for i in indicators) else {}
    for indicator in indicators:
        code = indicator.code
        buckets = plans[code]
        computation = COMPUTATIONS.get(code)
        needed = target_ids | {u for (c, _, _, u) in entered if c == code}
        sums: dict[tuple[str, str, int], Any] = defaultdict(lambda: None)
        if computation is not None:
            result.computed.add(code)
            # The units of a path that are wanted, worked out once per path (rows are many,
            # paths few: a cell × month indicator has 60 rows for each cell's path).
            wanted: dict[str, list[int]] = {}
            tallied = kept if tallies.reads(code) else None
            ctx = Ctx(buckets, steady, within, code=code, needed=needed, tallies=tallied)
            for label, key, path, n in computation(ctx):
                ids = wanted.get(path)
                if ids is None:
                    ids = wanted[path] = [u for u in path_ids(path) if u in needed]
                for unit_id in ids:
                    sums[(label, key, unit_id)] = _add(sums[(label, key, unit_id)], n)
        key_dimension = key_dim(indicator.dims)
        known = dimension_keys(key_dimension) if key_dimension else None
        keys = [k for k, _ in known] if known else [""]
        extra = {k for (c, _, k, _) in entered if c == code} | {k for (_, k, _) in sums}
        keys += sorted(k for k in extra if k not in keys)
        result.entered_units[code] = {u for (c, _, _, u) in entered if c == code}
        per_unit: dict[int, Values] = {}
        for target in targets:
            values: Values = {}
            for bucket in buckets:
                on_day = path_by_label[bucket.label]
                row: dict[str, Number | None] = {}
                for key in keys:
                    own = (
                        None
                        if ignore_own_entry
                        else entered.get((code, bucket.label, key, target.pk))
                    )
                    if own is not None:
                        row[key] = _finish(own, indicator.kind)
                        continue
                    base = sums[(bucket.label, key, target.pk)]
                    if computation is not None and base is None:
                        base = (0, 0) if indicator.kind == Kind.RATE else 0
                    target_path = on_day.get(target.pk)
                    below = [
                        (on_day[u], v)
                        for (c, b, k, u), v in entered.items()
                        if c == code
                        and b == bucket.label
                        and k == key
                        and u != target.pk
                        and target_path
                        and u in on_day
                        and on_day[u].startswith(target_path)
                    ]
                    tops = [
                        (p, v)
                        for p, v in below
                        if not any(p != q and p.startswith(q) for q, _ in below)
                    ]
                    if indicator.kind == Kind.RATE:
                        tops = []  # a rate of one unit says nothing about its parent's rate
                    for top_path, value in tops:
                        top_id = path_ids(top_path)[-1]
                        base = _add(base, value)
                        computed_part = sums[(bucket.label, key, top_id)]
                        if computed_part is not None:
                            base = _add(base, _negate(computed_part))
                    row[key] = _finish(base, indicator.kind)
                values[bucket.label] = row
            per_unit[target.pk] = values
        result.values[code] = per_unit
    return result


def _outside(bucket: Period, held: tuple[date, date] | None) -> list[tuple[date, date]]:
    """The parts of a bucket that the tallies do not hold, read from the records."""
    if held is None:
        return [(bucket.start, bucket.end)]
    spans = []
    if bucket.start < held[0]:
        spans.append((bucket.start, held[0]))
    if held[1] < bucket.end:
        spans.append((held[1], bucket.end))
    return spans


def _joined(spans: list[tuple[date, date]]) -> list[tuple[date, date]]:
    """Adjacent spans as one (fewer conditions for the database)."""
    found: list[tuple[date, date]] = []
    for start, end in spans:
        if found and found[-1][1] == start:
            found[-1] = (found[-1][0], end)
        else:
            found.append((start, end))
    return found


def _negate(value: Any) -> Any:
    if isinstance(value, tuple):
        return (-value[0], -value[1])
    return -value


def shape(values: Values, dims: Sequence[str]) -> Any:
    """The JSON shape of cli.md: a number; {"2018": n}; {"province": n}; {"2018": {...}}."""
    has_period = any(d in PERIOD_DIMS for d in dims)
    has_key = key_dim(dims) is not None
    if not values:
        return None
    if has_period and has_key:
        return {b: dict(row) for b, row in values.items()}
    if has_period:
        return {b: row.get("") for b, row in values.items()}
    only = next(iter(values.values()))
    if has_key:
        return dict(only)
    return only.get("")


def total(values: Values) -> Number | None:
    """The sum over buckets and keys (for a by-year flow, the whole period)."""
    numbers = [v for row in values.values() for v in row.values() if v is not None]
    return sum(numbers) if numbers else None
