"""Tallies: the counts of the large event tables per unit and closed month, kept in step.

A computation counts records with `Ctx.events(qs, date=..., unit=..., key=...)`, or the
records standing on a bucket's last day with `Ctx.standing(qs, unit=..., key=...)`. For the
sources listed in `TALLIED`, what such a call would count in a closed month is kept:

- `TallyPart` — a unit's own records, per month, key and the path the unit had then;
- `Tally` — the same added up along the path: every ancestor gets the count of its
  subtree as it stood (a 2019 meeting counts under the district of 2019).

A standing source (members on a day) is kept as its changes: in the month a record starts
(or its unit's version starts) it adds one, in the month it ends it takes one away, under
the path its unit had meanwhile; a month-end's count is the sum of the months up to it
(sparse, like the events: a member who stays in one cell is two rows, not one per month).
Records begun before the first month kept are added in that month.

The engine then reads a unit's past months as one indexed lookup per source
(`Tally` rows of the wanted units) instead of grouping the records of its subtree; the
months not held (the current one, before `start`, after `horizon`) are read from the records
as before. The figures are the same both ways (tested on the demo and on random data).

Keeping them: every service that writes records of a tallied model calls `touched(model,
units, days)` in its transaction, with the units the records count under and their dates
(old and new, for an edit that moves a record). That recomputes those units' parts over
those months from the records and adds the difference along both the old and new paths —
idempotent, so a wider rectangle than needed is still right. A reorganisation that changes
paths from a past day calls `paths_changed`. `rebuild()` makes everything from the records;
`differences()` compares what is kept with a rebuild (tests, `dangvu tallies check`).
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Count, F, Q, QuerySet, Value
from django.utils import timezone

from dangvu.core.bulk import insert_rows
from dangvu.core.effective import END_OF_TIME
from dangvu.indicators.models import Tally, TallyPart, TallyState
from dangvu.lib.periods import Period
from dangvu.units.models import UnitVersion

#: The computations whose `events` (and `standing`) calls are tallied: the large tables
#: (meetings, the annual reviews, memberships, study attendance), and the smaller ones whose
#: subtree semi-join still costs a province's report tens of milliseconds each at national
#: size (inspection cases, supervisions, training, remediation done). The others are read from the records.
#: A tallied computation passes its `events` rows on as they come (the engine adds them up):
#: they come from the tallies and from the records, and a month a period cuts may come as the
#: whole month less the days left out (rows with negative counts).
TALLIED = frozenset(
    {
        "inspection.org_violation_signs",
        "inspection.org_violated",
        "inspection.org_disciplined",
        "inspection.org_task_inspected",
        "inspection.org_enforcement_inspected",
        "inspection.member_violation_signs",
        "inspection.member_violation_signs_committee",
        "inspection.member_violated",
        "inspection.member_disciplined",
        "inspection.complex_cases",
        "supervision.front_total",
        "supervision.front_by_level",
        "study.training_classes",
        "study.training_attendances",
        "study.theory_trained",
        "remediation.plans_done",
        "meeting.regular_held",
        "meeting.thematic_held",
        "meeting.upper_attendance",
        "commitment.members_signed",
        "org.members",
        "org.members_left",
        "review.collectives_reviewed",
        "review.members_reviewed",
        "review.members_exempt",
        "review.members_present",
        "rating.members",
        "rating.orgs",
        "study.resolution_attendees",
    }
)

Cell = tuple[int, date, str]  # unit id, month, key
PartKey = tuple[int, date, str, str]  # unit id, month, key, path


def first_of(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def months_between(start: date, end: date) -> list[date]:
    """The months [start, end), both first days of months."""
    found = []
    month = start
    while month < end:
        found.append(month)
        month = next_month(month)
    return found


def tally_start() -> date:
    """The first month kept: records before it are read from the records."""
    return first_of(getattr(settings, "DANGVU_TALLY_FROM", date(2015, 1, 1)))


@dataclass(frozen=True)
class Spec:
    """One `events` (or `standing`) call of a tallied computation: source "code#n" (its
    n-th call)."""

    source: str
    code: str
    qs: QuerySet[Any]
    date: str
    unit: str
    key: Any
    #: A `standing` call: the records (effective-dated) standing on each month's last day.
    stock: bool = False

    @property
    def dates(self) -> tuple[str, ...]:
        """The fields whose days place a record in the months it changes."""
        return ("valid_from", "valid_to") if self.stock else (self.date,)


@cache
def specs() -> tuple[Spec, ...]:
    """The tallied sources, found by running each tallied computation on a recording
    context (its `events` calls are noted, nothing is read)."""
    from dangvu.indicators.engine import Ctx
    from dangvu.indicators.registry import COMPUTATIONS

    found: list[Spec] = []
    for code in sorted(TALLIED):
        calls: list[dict[str, Any]] = []

        class Recording(Ctx):
            def events(
                self, qs: QuerySet[Any], *, _calls: list[Any] = calls, **kwargs: Any
            ) -> Iterator[Any]:
                _calls.append({"qs": qs, **kwargs})
                return iter(())

            def standing(
                self, qs: QuerySet[Any], *, _calls: list[Any] = calls, **kwargs: Any
            ) -> Iterator[Any]:
                _calls.append({"qs": qs, "stock": True, **kwargs})
                return iter(())

        _RECORDED[code] = COMPUTATIONS[code]
        result = COMPUTATIONS[code](
            Recording([Period(date(2000, 1, 1), date(2000, 2, 1), "2000-01")])
        )
        for _ in result:  # a generator makes its calls as it runs
            pass
        for n, call in enumerate(calls):
            assert call.get("value") is None, f"{code}: only counts are tallied"
            found.append(
                Spec(
                    source=f"{code}#{n}",
                    code=code,
                    qs=call["qs"],
                    date=call.get("date", ""),
                    unit=call.get("unit", "unit"),
                    key=call.get("key"),
                    stock=call.get("stock", False),
                )
            )
    return tuple(found)


_RECORDED: dict[str, Any] = {}


def reads(code: str) -> bool:
    """Whether the engine may read this computation's past months from the tallies: it is
    tallied, and still the computation the tallies were recorded from (a test may put
    another in its place)."""
    from dangvu.indicators.registry import COMPUTATIONS

    if code not in TALLIED:
        return False
    specs()
    return COMPUTATIONS.get(code) is _RECORDED.get(code)


def specs_of(model: type[models.Model]) -> list[Spec]:
    return [s for s in specs() if s.qs.model is model]


def states(*, writing: bool = False) -> dict[str, TallyState]:
    """The tallies' states by source. A writer (`writing`) holds them shared until it
    commits, so that `advance` cannot move a horizon past a month the writer left to the
    records: one waits for the other (PostgreSQL; SQLite writes one at a time)."""
    if writing and connection.vendor == "postgresql" and connection.in_atomic_block:
        table = TallyState._meta.db_table
        return {s.source: s for s in TallyState.objects.raw(f"SELECT * FROM {table} FOR SHARE")}
    return {s.source: s for s in TallyState.objects.all()}


# -- computing parts from the records ---------------------------------------------------------
def _parts(spec: Spec, months: list[date], units: Iterable[int], start: date) -> dict[PartKey, int]:
    """What the records say of these units: (unit, month, key, path) -> count, over these
    months (their first days; contiguous for events). `start`: the first month kept."""
    from dangvu.indicators.engine import Ctx

    ids = sorted(set(units))
    if not months or not ids:
        return {}
    if spec.stock:
        return _stock_parts(spec, months, ids, start)
    qs = spec.qs.filter(**{f"{spec.unit}__in": ids})
    buckets = [Period(m, next_month(m), m.strftime("%Y-%m")) for m in months]
    by_label = {b.label: b.start for b in buckets}
    ctx = Ctx(buckets)
    # Only these units' records are read: their paths are all that is needed (not every
    # unit of the country's).
    span = (buckets[0].start, buckets[-1].end)
    ctx.steady_cache[span] = dict(
        UnitVersion.objects.covering(*span).filter(unit_id__in=ids).values_list("unit_id", "path")
    )
    found: dict[PartKey, int] = {}
    for label, key, path, n in ctx.events(qs, date=spec.date, unit=spec.unit, key=spec.key):
        unit_id = int(path.strip("/").rsplit("/", 1)[-1])
        part = (unit_id, by_label[label], key, path)
        found[part] = found.get(part, 0) + int(n)
    return found


def _stock_parts(spec: Spec, months: list[date], ids: list[int], start: date) -> dict[PartKey, int]:
    """A standing source's changes in these months for these units: +1 in the month a
    record starts standing under a version of its unit, −1 in the month it stops (the
    months of records and versions are few per unit, so this is counted here)."""
    wanted = set(months)
    versions: dict[int, list[tuple[date, date, str]]] = defaultdict(list)
    for unit_id, path, valid_from, valid_to in UnitVersion.objects.filter(
        unit_id__in=ids
    ).values_list("unit_id", "path", "valid_from", "valid_to"):
        versions[unit_id].append((valid_from, valid_to, path))
    key_expr = F(spec.key) if isinstance(spec.key, str) else Value("")
    records = (
        spec.qs.filter(**{f"{spec.unit}__in": ids})
        .annotate(_k=key_expr)
        .values_list(spec.unit, "valid_from", "valid_to", "_k")
    )
    found: dict[PartKey, int] = defaultdict(int)
    for unit_id, valid_from, valid_to, key in records:
        for version_from, version_to, path in versions.get(unit_id, ()):
            begins, ends = max(valid_from, version_from), min(valid_to, version_to)
            if begins >= ends:
                continue
            added = max(first_of(begins), start)
            taken = max(first_of(ends), start) if ends < END_OF_TIME else None
            if added == taken:
                continue  # no month's last day inside
            text = str(key or "")
            if added in wanted:
                found[(unit_id, added, text, path)] += 1
            if taken in wanted:
                found[(unit_id, taken, text, path)] -= 1
    return {part: n for part, n in found.items() if n}


def _closure(parts: dict[PartKey, int]) -> dict[Cell, int]:
    """The parts added up along their paths: every unit on a path gets its count."""
    cells: dict[Cell, int] = defaultdict(int)
    for (_, month, key, path), n in parts.items():
        for unit_id in path.strip("/").split("/"):
            cells[(int(unit_id), month, key)] += n
    return cells


#: Above this many units, a writer takes the whole source for itself (one lock) rather than
#: a lock per unit: an import touches thousands of units of a dozen sources, and each
#: transaction-level advisory lock holds a slot of PostgreSQL's shared lock table to the
#: commit (`max_locks_per_transaction` × connections, 6,400 by default).
UNIT_LOCKS = 64
WHOLE_SOURCE = -1


def _lock(source: str, unit_ids: Iterable[int]) -> None:
    """Two transactions refreshing the same unit's parts take turns (PostgreSQL; SQLite
    writes one transaction at a time anyway). A few units: the source shared and each unit
    exclusively; many: the source exclusively (it waits for the few-unit writers, and they
    for it). A lock taken once is held to the commit, so taking it again is free."""
    if connection.vendor != "postgresql":
        return
    ids = sorted(set(unit_ids))
    with connection.cursor() as cursor:
        if len(ids) > UNIT_LOCKS:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s), %s)", [source, WHOLE_SOURCE])
            return
        cursor.execute(
            "SELECT pg_advisory_xact_lock_shared(hashtext(%s), %s)", [source, WHOLE_SOURCE]
        )
        for unit_id in ids:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s), %s)", [source, unit_id])


def _add(source: str, delta: dict[Cell, int]) -> None:
    """Add the differences to the kept counts (an upsert that increments; rows that come
    to zero are removed)."""
    changes = [(c, n) for c, n in delta.items() if n]
    if not changes:
        return
    table = Tally._meta.db_table
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (source, unit_id, month, key, n) VALUES (%s, %s, %s, %s, %s) "
            "ON CONFLICT (source, unit_id, month, key) "
            f"DO UPDATE SET n = {table}.n + excluded.n",
            [(source, u, m, k, n) for (u, m, k), n in changes],
        )
    units = {u for (u, _, _), _ in changes}
    months = {m for (_, m, _), _ in changes}
    Tally.objects.filter(source=source, unit__in=units, month__in=months, n=0).delete()


def refresh(spec: Spec, unit_ids: Iterable[int], months: list[date], start: date) -> None:
    """Recompute the units' parts over the months from the records and carry the
    difference along the old and the new paths."""
    ids = sorted(set(unit_ids))
    if not ids or not months:
        return
    with transaction.atomic():
        _lock(spec.source, ids)
        old_rows = TallyPart.objects.filter(
            source=spec.source, unit__in=ids, month__in=months
        ).values_list("unit_id", "month", "key", "path", "n")
        old = {(u, m, k, p): n for u, m, k, p, n in old_rows}
        new = _parts(spec, months, ids, start)
        if old == new:
            return
        delta = _closure(new)
        for cell, n in _closure(old).items():
            delta[cell] -= n
        TallyPart.objects.filter(source=spec.source, unit__in=ids, month__in=months).delete()
        _insert_parts(spec.source, new)
        _add(spec.source, delta)


def _insert_parts(source: str, parts: dict[PartKey, int]) -> None:
    insert_rows(
        TallyPart,
        ["source", "unit", "month", "key", "path", "n"],
        ((source, u, m, k, p, n) for (u, m, k, p), n in parts.items() if n),
    )


# -- what the services call ------------------------------------------------------------------
#: Units refreshed per statement (an `IN` list the databases take comfortably).
CHUNK = 2000


def _keep(spec: Spec, units: Iterable[int], months: list[date], start: date) -> None:
    """Refresh these units over these months, a chunk of units at a time."""
    ids = sorted(set(units))
    for first in range(0, len(ids), CHUNK):
        refresh(spec, ids[first : first + CHUNK], months, start)


def held_months(state: TallyState, days: Iterable[date]) -> list[date]:
    """The months, from the first to the last of these days, that the tallies hold (an
    open end, END_OF_TIME, is no day of any month)."""
    days = [d for d in days if d is not None and d < END_OF_TIME]
    if not days:
        return []
    start = max(first_of(min(days)), state.start)
    end = min(next_month(first_of(max(days))), state.horizon)
    return months_between(start, end)


def changed_months(
    spec: Spec, state: TallyState, days: Iterable[date], units: Iterable[int]
) -> list[date]:
    """The held months that records of these units dated on these days (old and new
    dates) count in: for events, every month from the first day to the last; for a
    standing source, the months of the days themselves and of the units' versions
    beginning or ending between them (a record's count changes where it or its unit's path begins
    or ends; the months between keep theirs: a member leaving today changes no past
    month)."""
    days = [d for d in days if d is not None]
    if not spec.stock:
        return held_months(state, days)
    if not days:
        return []
    lowest, highest = min(days), max(days)
    boundaries = [
        day
        for pair in UnitVersion.objects.filter(unit_id__in=sorted(set(units)))
        .overlapping(lowest, highest)
        .values_list("valid_from", "valid_to")
        for day in pair
        if lowest < day < highest
    ]
    months = {max(first_of(d), state.start) for d in [*days, *boundaries] if d < END_OF_TIME}
    return sorted(m for m in months if m < state.horizon)


def stock_month(state: TallyState | None, day: date) -> date | None:
    """The held month whose last day is `day` (a standing source's count on that day is
    kept), or None."""
    if state is None or next_month(first_of(day)) != day + timedelta(days=1):
        return None
    month = first_of(day)
    return month if state.start <= month < state.horizon else None


#: Inside `batch()`: model -> the units and days its writes touched, kept at the end.
_pending: ContextVar[dict[type[models.Model], tuple[set[int], set[date]]] | None] = ContextVar(
    "tallies_pending", default=None
)


@contextmanager
def batch() -> Iterator[None]:
    """Many writes in one transaction, each through a service that keeps the tallies (an
    import's rows): the units and days they touch are gathered and the tallies kept once,
    at the end, before the commit — one refresh of the union instead of one per row (a
    wider rectangle than needed is still right). Nested batches are one."""
    if _pending.get() is not None:
        yield
        return
    pending: dict[type[models.Model], tuple[set[int], set[date]]] = {}
    token = _pending.set(pending)
    gathering = True
    try:
        with transaction.atomic():
            yield
            _pending.reset(token)
            gathering = False
            for model, (units, days) in pending.items():
                touched(model, units, days)
    finally:
        if gathering:
            _pending.reset(token)


def _gather(model: type[models.Model], units: Iterable[int], days: Iterable[date]) -> bool:
    """Inside a batch: note the units and days, to be kept at its end (True)."""
    pending = _pending.get()
    if pending is None:
        return False
    found_units, found_days = pending.setdefault(model, (set(), set()))
    found_units.update(units)
    found_days.update(days)
    return True


def touched(model: type[models.Model], units: Iterable[int | None], days: Iterable[Any]) -> None:
    """Records of `model` counting under `units` and dated on `days` (old and new dates of
    an edit) were written: keep the tallies of those units and months in step."""
    found = specs_of(model)
    if not found:
        return
    units, days = list(units), list(days)
    if _gather(model, (u for u in units if u is not None), (d for d in days if d is not None)):
        return
    kept = states(writing=True)
    unit_ids = [u for u in units if u is not None]
    day_list = [d for d in days if d is not None]
    for spec in found:
        state = kept.get(spec.source)
        if state is not None:
            months = changed_months(spec, state, day_list, unit_ids)
            _keep(spec, unit_ids, months, state.start)


Where = dict[str, tuple[set[int], set[date]]]  # source -> the records' units and days


def where(
    model: type[models.Model], pks: Iterable[int], kept: dict[str, TallyState] | None = None
) -> Where:
    """The units and days these records of `model` count at, for each tallied source
    reading the model (read before an edit or a deletion, and after a write)."""
    found: Where = {}
    if not specs_of(model):
        return found
    ids = sorted(set(pks))
    kept = states(writing=True) if kept is None else kept
    of_model = [spec for spec in specs_of(model) if spec.source in kept]
    if not of_model:
        return found
    for spec in of_model:
        found[spec.source] = (set(), set())
    # One read of the rows for every source (they share the unit and date fields).
    fields = sorted({spec.unit for spec in of_model} | {d for s in of_model for d in s.dates})
    at = {name: i for i, name in enumerate(fields)}
    for start in range(0, len(ids), 5000):
        rows = model._default_manager.filter(pk__in=ids[start : start + 5000])
        for row in rows.values_list(*fields):
            for spec in of_model:
                unit_id = row[at[spec.unit]]
                dated = [row[at[d]] for d in spec.dates if row[at[d]] is not None]
                if unit_id is not None and dated:
                    units, days = found[spec.source]
                    units.add(unit_id)
                    days.update(dated)
    return found


def touched_records(model: type[models.Model], pks: Iterable[int], before: Where) -> None:
    """Records of `model` were written (or deleted: no pks): keep the tallies of the
    units and months they counted at `before` and count at now in step."""
    if not specs_of(model):
        return
    kept = states(writing=True)
    after = where(model, pks, kept)
    if _pending.get() is not None:
        for units, days in [*before.values(), *after.values()]:
            _gather(model, units, days)
        return
    for spec in specs_of(model):
        state = kept.get(spec.source)
        if state is None:
            continue
        units_before, days_before = before.get(spec.source, (set(), set()))
        units_after, days_after = after.get(spec.source, (set(), set()))
        units = units_before | units_after
        months = changed_months(spec, state, days_before | days_after, units)
        _keep(spec, units, months, state.start)


def paths_changed(unit_ids: Iterable[int], since: date) -> None:
    """The units' paths changed from `since` (a reorganisation): their records from then
    on count under other ancestors."""
    ids = sorted(set(unit_ids))
    kept = states(writing=True)
    for spec in specs():
        state = kept.get(spec.source)
        if state is None:
            continue
        months = months_between(max(first_of(since), state.start), state.horizon)
        _keep(spec, ids, months, state.start)


def on_paths_changed(sender: Any, *, unit_ids: Iterable[int], since: date, **_: Any) -> None:
    """`units.signals.paths_changed`: a reorganisation or an import moved these units."""
    paths_changed(unit_ids, since)


def on_records_changed(
    sender: type[models.Model], *, unit_ids: Iterable[int], days: Iterable[date], **_: Any
) -> None:
    """`members.signals.memberships_changed`: records of `sender` under these units, with
    these days among their old and new dates, were written or deleted."""
    touched(sender, unit_ids, days)


# -- building, advancing, checking --------------------------------------------------------------
#: The most connections a parallel rebuild uses (each a PostgreSQL backend busy on one core).
MAX_JOBS = 4
#: Memory for each builder's sorts and groupings (the default 4 MB sends them to disk).
BUILD_WORK_MEM = "64MB"


def default_jobs() -> int:
    """How many sources a rebuild builds at once: the machine's cores, at most `MAX_JOBS`;
    one on SQLite (one writer at a time)."""
    if connection.vendor != "postgresql":
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_JOBS))


def rebuild(
    *,
    today: date | None = None,
    jobs: int | None = None,
    timings: dict[str, float] | None = None,
) -> int:
    """Make every tally from the records: the months from `tally_start()` to the current
    one (not included). Returns the number of kept counts.

    On PostgreSQL the sources are built `jobs` at a time (default `default_jobs()`), each
    in its own connection and transaction, the largest first: an `INSERT … SELECT` runs
    on one core, so one builder leaves the others idle. The tables are emptied first
    (committed); until a source's transaction commits it has no state, and the engine
    reads it from the records (right, only slower), so the tallies are never wrong in
    between. Called inside a transaction (a test's), or with `jobs=1`, or on SQLite,
    everything is one transaction as before. Like every rebuild, run it while nothing
    writes. `timings`, if given, gets each source's seconds."""
    horizon = first_of(today or timezone.localdate())
    start = tally_start()
    jobs = default_jobs() if jobs is None else max(1, jobs)
    parallel = jobs > 1 and connection.vendor == "postgresql" and not connection.in_atomic_block
    if not parallel:
        total = 0
        with transaction.atomic():
            _rebuild_lock(session=False)
            _empty(truncate=connection.vendor == "postgresql" and not _nested())
            for spec in specs():
                total += _build_source(spec, start, horizon, timings)
        return total
    return _rebuild_parallel(start, horizon, jobs, timings)


def _nested() -> bool:
    """Whether the caller's transaction is open around a rebuild about to begin (a test's):
    then the tables are emptied by DELETE, which its rollback takes back like any write."""
    return len(connection.atomic_blocks) > 1


def _empty(*, truncate: bool) -> None:
    """Empty the three tables. TRUNCATE on PostgreSQL when the rebuild owns the
    transaction: no dead rows left for the inserts to step over (a DELETE of a country's
    tallies leaves a hundred million, and each unique insertion meets its old twin)."""
    if truncate:
        tables = ", ".join(m._meta.db_table for m in (Tally, TallyPart, TallyState))
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {tables}")
        return
    Tally.objects.all().delete()
    TallyPart.objects.all().delete()
    TallyState.objects.all().delete()


#: The advisory lock keeping two rebuilds apart (`hashtext` of this, 0).
REBUILD_LOCK = "tallies.rebuild"


def _rebuild_lock(*, session: bool) -> None:
    """A second rebuild waits for the first (PostgreSQL): to the transaction's end, or for
    the connection until `_rebuild_unlock` (a parallel rebuild spans many transactions)."""
    if connection.vendor != "postgresql":
        return
    call = "pg_advisory_lock" if session else "pg_advisory_xact_lock"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {call}(hashtext(%s), 0)", [REBUILD_LOCK])


def _rebuild_unlock() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(hashtext(%s), 0)", [REBUILD_LOCK])


def _build_source(spec: Spec, start: date, horizon: date, timings: dict[str, float] | None) -> int:
    """One source's parts, counts and state, in a transaction (a savepoint of the serial
    rebuild's). A builder in its own transaction (a parallel rebuild's) holds the source
    exclusively, the lock a writer of many units takes: builders of different sources
    never wait for each other, and a writer of the source waits for the commit."""
    started = time.perf_counter()
    own = not connection.in_atomic_block
    with transaction.atomic():
        made = 0
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('work_mem', %s, true)", [BUILD_WORK_MEM])
                if own:
                    cursor.execute(
                        "SELECT pg_advisory_xact_lock(hashtext(%s), %s)",
                        [spec.source, WHOLE_SOURCE],
                    )
        if start < horizon:
            made = _build_in_sql(spec, start, start, horizon)
        TallyState.objects.create(source=spec.source, start=start, horizon=horizon)
    if timings is not None:
        timings[spec.source] = time.perf_counter() - started
    return made


def _largest_first(found: Iterable[Spec], start: date, horizon: date) -> list[Spec]:
    """The sources by the planner's estimate of their records, largest first: with the
    longest builds begun first, the last to finish ends soonest (the meetings are half
    of a country's rebuild)."""

    def size(spec: Spec) -> float:
        qs = spec.qs
        if not spec.stock:
            qs = qs.filter(**{f"{spec.date}__gte": start, f"{spec.date}__lt": horizon})
        sql, params = qs.values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        return float(plan[0]["Plan"]["Plan Rows"])

    return sorted(found, key=lambda spec: (-size(spec), spec.source))


def _rebuild_parallel(
    start: date, horizon: date, jobs: int, timings: dict[str, float] | None
) -> int:
    """The PostgreSQL rebuild on `jobs` connections: emptied (committed), then each source
    in its own thread, connection and transaction. If one fails, those not begun are left
    (without a state: read from the records) and the error is raised."""
    _rebuild_lock(session=True)
    try:
        with transaction.atomic():
            _empty(truncate=True)
        ordered = _largest_first(specs(), start, horizon)
        failed = threading.Event()

        def build(spec: Spec) -> int:
            if failed.is_set():
                return 0
            try:
                return _build_source(spec, start, horizon, timings)
            except BaseException:
                failed.set()
                raise
            finally:
                connection.close()  # this thread's own connection

        with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="tallies") as pool:
            futures = [pool.submit(build, spec) for spec in ordered]
        return sum(future.result() for future in futures)
    finally:
        _rebuild_unlock()


def build_new(*, today: date | None = None) -> int:
    """Make the tallies of the sources that have none yet (a source an upgrade adds to
    `TALLIED`), leaving the kept ones as they are: minutes less than a whole `rebuild` on a
    large database. Like a rebuild, run it while nothing writes. Returns the number of
    kept counts made."""
    horizon = first_of(today or timezone.localdate())
    start = tally_start()
    months = months_between(start, horizon)
    total = 0
    with transaction.atomic():
        _rebuild_lock(session=False)  # not beside a rebuild, which makes them too
        kept = states()
        for spec in specs():
            if spec.source in kept:
                continue
            Tally.objects.filter(source=spec.source).delete()
            TallyPart.objects.filter(source=spec.source).delete()
            if months:
                total += _build_in_sql(spec, start, start, horizon)
            TallyState.objects.create(source=spec.source, start=start, horizon=horizon)
    return total


def _build_in_sql(spec: Spec, first: date, start: date, end: date) -> int:
    """The source's parts and counts over the months [start, end) (`first`: the first
    month kept), made by the database: records joined to the version of their unit on
    their date, grouped by month (the parts); then each part added to every unit of its
    path (the counts). Nothing passes through Python, so the whole country builds in
    minutes."""
    if spec.stock:
        _build_stock_parts(spec, first, start, end)
    else:
        _build_event_parts(spec, start, end)
    part, tally = TallyPart._meta.db_table, Tally._meta.db_table
    if connection.vendor == "postgresql":
        ids = "CROSS JOIN LATERAL unnest(string_to_array(trim(both '/' from p.path), '/')) a(id)"
        ancestor = "a.id::bigint"
    else:
        ids = ", json_each('[' || replace(trim(p.path, '/'), '/', ',') || ']') a"
        ancestor = "a.value"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {tally} (source, unit_id, month, key, n) "
            f"SELECT p.source, {ancestor}, p.month, p.key, SUM(p.n) FROM {part} p {ids} "
            "WHERE p.source = %s AND p.month >= %s AND p.month < %s "
            "GROUP BY p.source, 2, p.month, p.key HAVING SUM(p.n) <> 0",
            [spec.source, start, end],
        )
        return int(cursor.rowcount)


def _build_event_parts(spec: Spec, start: date, end: date) -> None:
    from dangvu.core.effective import active_on
    from dangvu.indicators.engine import CalendarLabel

    key = spec.key
    key_expr = F(key) if isinstance(key, str) else key if key is not None else Value("")
    grouped = (
        spec.qs.filter(
            active_on(F(spec.date), f"{spec.unit}__versions__"),
            **{f"{spec.date}__gte": start, f"{spec.date}__lt": end},
        )
        .values(
            _b=CalendarLabel(spec.date, grain="month"),
            _k=key_expr,
            _u=F(spec.unit),
            _p=F(f"{spec.unit}__versions__path"),
        )
        .annotate(_n=Count("pk"))
        .values_list("_b", "_k", "_u", "_p", "_n")
    )
    sql, params = grouped.query.sql_with_params()
    part = TallyPart._meta.db_table
    if connection.vendor == "postgresql":
        month = "to_date(g._b || '-01', 'YYYY-MM-DD')"
    else:
        month = "g._b || '-01'"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {part} (source, unit_id, month, key, path, n) "
            f"SELECT %s, g._u, {month}, COALESCE(g._k, ''), g._p, g._n "
            f"FROM ({sql}) g WHERE g._u IS NOT NULL",
            [spec.source, *params],
        )


def _build_stock_parts(spec: Spec, first: date, start: date, end: date) -> None:
    """A standing source's parts, as `_stock_parts` counts them, by the database: each
    record met with each version of its unit adds one in the month it begins and takes
    one away in the month it ends (both no earlier than `first`); what cancels out in a
    month is not kept."""
    key_expr = F(spec.key) if isinstance(spec.key, str) else Value("")
    records = spec.qs.values(
        _u=F(spec.unit), _f=F("valid_from"), _t=F("valid_to"), _k=key_expr
    ).order_by()
    sql, params = records.query.sql_with_params()
    part, version = TallyPart._meta.db_table, UnitVersion._meta.db_table
    if connection.vendor == "postgresql":
        begins = "GREATEST(r._f, v.valid_from)"
        ends = "LEAST(r._t, v.valid_to)"

        def month(day: str) -> str:
            return f"GREATEST(date_trunc('month', {day})::date, %s::date)"
    else:
        begins = "max(r._f, v.valid_from)"
        ends = "min(r._t, v.valid_to)"

        def month(day: str) -> str:
            return f"max(substr({day}, 1, 7) || '-01', %s)"

    joined = (
        f"FROM ({sql}) r JOIN {version} v ON v.unit_id = r._u "
        "AND v.valid_from < r._t AND r._f < v.valid_to"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {part} (source, unit_id, month, key, path, n) "
            "SELECT %s, e.u, e.m, e.k, e.p, SUM(e.d) FROM ("
            f"SELECT r._u AS u, {month(begins)} AS m, COALESCE(r._k, '') AS k, v.path AS p, "
            f"1 AS d {joined} WHERE {begins} < {ends} "
            "UNION ALL "
            f"SELECT r._u, {month(ends)}, COALESCE(r._k, ''), v.path, -1 {joined} "
            f"WHERE {begins} < {ends} AND {ends} < %s"
            ") e WHERE e.m >= %s AND e.m < %s "
            "GROUP BY e.u, e.m, e.k, e.p HAVING SUM(e.d) <> 0",
            [spec.source, first, *params, first, *params, END_OF_TIME, start, end],
        )


def advance(*, today: date | None = None) -> int:
    """Take the months that have closed since the last build into the tallies (run
    nightly): those months' records are read once more, never again."""
    horizon = first_of(today or timezone.localdate())
    kept = states()
    added = 0
    for spec in specs():
        state = kept.get(spec.source)
        if state is None or state.horizon >= horizon:
            continue
        months = months_between(state.horizon, horizon)
        with transaction.atomic():
            # Writers hold the states shared until they commit: their records are in.
            TallyState.objects.select_for_update().filter(pk=state.pk).first()
            TallyPart.objects.filter(source=spec.source, month__in=months).delete()
            Tally.objects.filter(source=spec.source, month__in=months).delete()
            added += _build_in_sql(spec, state.start, state.horizon, horizon)
            TallyState.objects.filter(pk=state.pk).update(horizon=horizon)
    return added


def differences(limit: int = 20) -> list[str]:
    """What is kept against what the records say now, as sentences (empty: in step). The
    records' counts are built beside the kept ones by the database, compared, and rolled
    back."""
    found: list[str] = []
    kept_states = states()
    table = Tally._meta.db_table
    with transaction.atomic():
        mark = transaction.savepoint()
        for spec in specs():
            state = kept_states.get(spec.source)
            if state is None or state.start >= state.horizon:
                continue
            truth = f"~{spec.source}"
            _build_in_sql(replace(spec, source=truth), state.start, state.start, state.horizon)
            with connection.cursor() as cursor:
                for this, that, says in (
                    (spec.source, truth, "kept"),
                    (truth, spec.source, "records"),
                ):
                    cursor.execute(
                        f"SELECT unit_id, month, key, n FROM {table} WHERE source = %s AND n <> 0 "
                        f"EXCEPT SELECT unit_id, month, key, n FROM {table} "
                        "WHERE source = %s AND n <> 0",
                        [this, that],
                    )
                    for unit_id, month, key, n in cursor.fetchall()[:limit]:
                        found.append(
                            f"{spec.source}: unit {unit_id}, {str(month)[:7]}, key {key!r}: "
                            f"{says} {n}"
                        )
            if len(found) >= limit:
                break
        transaction.savepoint_rollback(mark)
    return found[:limit]


def held(state: TallyState | None, bucket: Period) -> tuple[date, date] | None:
    """The whole months of the bucket that the tallies hold, [from, to), or None."""
    if state is None:
        return None
    start = first_of(bucket.start)
    if start < bucket.start:
        start = next_month(start)
    start = max(start, state.start)
    end = min(first_of(bucket.end), state.horizon)
    return (start, end) if start < end else None


def months_q(spans: Iterable[tuple[date, date]], field: str = "month") -> Q:
    found = Q()
    for start, end in spans:
        found |= Q(**{f"{field}__gte": start, f"{field}__lt": end})
    return found
