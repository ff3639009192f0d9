"""The national data set of `dangvu bench national`: a country of N provinces and M members
written with COPY on PostgreSQL, in the rows the services write (derived columns filled).

Deterministic for (provinces, members, seed): a province's records depend only on its own
index and size, so the same province can be generated alone in another database.

Per province: the tree (province, direct committees, grassroots organisations about one
per 108 members, the cells beneath the đảng bộ cơ sở), members with their history
(joining, a transfer now and then, leaving), five years of the annual cycle (2018–2022
member and collective reviews with their grades), monthly meetings of every cell from
July 2018 (in the rows of `meetings_create`), the study of the two congress resolutions
with every member expected and who attended, training classes and theory training, the
last year's commitments, remediation items of the weakest reviews, review suggestions,
inspection cases (`cases_generated`) and supervisions (`supervisions_import`), all at the
demo's rates per member. For every third
province a former province (about a third of its members) stands beside it until
01/07/2025 and is then merged into it by `unit_merge`, as the demo merges Đắk Nông into
Lâm Đồng (versions closed and opened, paths moved, succession recorded).
"""

from __future__ import annotations

import math
import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from typing import Any

GRASSROOTS_PER_MEMBERS = 108
DEMO_MEMBERS = 27_210  # the demo province, to scale the demo's counts of cases
FOUNDED = date(2004, 1, 1)
YEARS = range(2018, 2023)
REORGANISATION = date(2025, 7, 1)
FORMER_SHARE = 0.35
DECISION = "Nghị quyết 202/2025/QH15; Quyết định của Bộ Chính trị về hợp nhất Đảng bộ tỉnh"
# Present in the tree (post-2025 names first), then the provinces merged into them.
PROVINCE_NAMES = (
    "Thành phố Hồ Chí Minh",
    "Hà Nội",
    "Nghệ An",
    "Thanh Hóa",
    "Đồng Nai",
    "Lâm Đồng",
    "Gia Lai",
    "Đắk Lắk",
    "An Giang",
    "Đồng Tháp",
    "Vĩnh Long",
    "Phú Thọ",
    "Ninh Bình",
    "Hưng Yên",
    "Bắc Ninh",
    "Thái Nguyên",
    "Tây Ninh",
    "Quảng Ngãi",
    "Khánh Hòa",
    "Hải Phòng",
    "Cần Thơ",
    "Cà Mau",
    "Tuyên Quang",
    "Lào Cai",
    "Quảng Trị",
    "Đà Nẵng",
    "Huế",
    "Hà Tĩnh",
    "Sơn La",
    "Quảng Ninh",
    "Lạng Sơn",
    "Cao Bằng",
    "Điện Biên",
    "Lai Châu",
)
FORMER_NAMES = (
    "Bình Dương",
    "Hà Tây",
    "Quảng Bình",
    "Đắk Nông",
    "Bình Phước",
    "Kiên Giang",
    "Bình Định",
    "Phú Yên",
    "Tiền Giang",
    "Bến Tre",
    "Vĩnh Phúc",
    "Hà Nam",
    "Thái Bình",
    "Bắc Giang",
    "Bắc Kạn",
    "Long An",
    "Kon Tum",
    "Ninh Thuận",
    "Hải Dương",
    "Hậu Giang",
    "Bạc Liêu",
    "Hà Giang",
    "Yên Bái",
    "Quảng Nam",
    "Thừa Thiên",
    "Trà Vinh",
    "Sóc Trăng",
    "Hòa Bình",
    "Nam Định",
    "Bình Thuận",
    "Bà Rịa - Vũng Tàu",
    "Quảng Trị cũ",
    "Gia Lai cũ",
    "Đắk Lắk cũ",
)
DIRECT_SPECIAL = (
    ("KHOI", "Đảng bộ Ủy ban nhân dân tỉnh {p}", "bloc"),
    ("CONGAN", "Đảng bộ Công an tỉnh {p}", "police"),
    ("QUANSU", "Đảng bộ Quân sự tỉnh {p}", "military"),
    ("BIENPHONG", "Đảng bộ Bộ đội Biên phòng tỉnh {p}", "border"),
)
AGENCY_WORDS = (
    "Trường Trung học phổ thông",
    "Bệnh viện đa khoa",
    "Trung tâm Y tế",
    "Chi cục Thuế",
    "Kho bạc Nhà nước",
    "Ban Quản lý dự án",
    "Trường Tiểu học",
    "Công ty cổ phần",
    "Phòng Giáo dục và Đào tạo",
    "Trung tâm Văn hóa",
    "Hạt Kiểm lâm",
    "Ngân hàng Chính sách",
)


def log(message: str) -> None:
    sys.stderr.write(f"[national {time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()


def copy_rows(model: Any, fields: list[str], rows: Iterable[Sequence[Any]]) -> int:
    """COPY rows (ids given) into the model's table, streamed: the rows of
    `core.bulk.insert_rows` without its per-value conversions (the values here are already
    str, int, bool, date or None), each row dumped by psycopg's C row writer. Foreign keys
    are not checked row by row (`session_replication_role = replica` skips their triggers):
    the generator writes the ids it handed out, and the tests check every reference."""
    from django.db import connection

    from dangvu.core.bulk import reset_sequences

    opts = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(opts.get_field(f).column) for f in fields)
    total = 0
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        try:
            with cursor.cursor.copy(f"COPY {quote(opts.db_table)} ({columns}) FROM STDIN") as copy:
                write = copy.write_row
                for row in rows:
                    write(row)
                    total += 1
        finally:
            cursor.execute("SET session_replication_role = origin")
    reset_sequences(model)
    return total


# The large tables whose secondary indexes and unique constraints are dropped while an
# empty database fills, and made again once (one sort per index instead of an insert per
# row). The generation's own queries (the merger, the supervisions' service) read none of
# them; the memberships keep theirs (the merger reads them).
DEFERRED_INDEX_TABLES = (
    "members_member",
    "reviews_memberreview",
    "meetings_meeting",
    "study_attendance",
)


@contextmanager
def indexes_deferred(tables: Sequence[str] = DEFERRED_INDEX_TABLES) -> Iterator[None]:
    """Drop the empty tables' secondary indexes and unique constraints, and make them
    again (from their own definitions) when the block ends, however it ends."""
    from django.db import connection

    with connection.cursor() as cursor:
        empty = []
        for table in tables:
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {connection.ops.quote_name(table)})")
            if not cursor.fetchone()[0]:
                empty.append(table)
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('u', 'x')",
            [empty],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index i "
            "WHERE indrelid = ANY(%s::regclass[]) AND NOT indisprimary AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [empty],
        )
        indexes = cursor.fetchall()
        for table, name, _ in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
    try:
        yield
    finally:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for _, ddl in indexes:
                cursor.execute(ddl)
            for table, name, definition in constraints:
                cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            cursor.execute("RESET maintenance_work_mem")
        if indexes or constraints:
            log(
                f"indexes made again ({len(indexes)} indexes, {len(constraints)} constraints "
                f"of {', '.join(empty)}): {time.perf_counter() - started:.1f} s"
            )


def province_sizes(provinces: int, members: int, seed: int) -> list[int]:
    """Members per province, a lognormal spread (a few large, many mid), summing to M."""
    rng = random.Random(seed)
    weights = [rng.lognormvariate(0.0, 0.55) for _ in range(provinces)]
    total = sum(weights)
    sizes = [max(1, math.floor(members * w / total)) for w in weights]
    sizes[sizes.index(max(sizes))] += members - sum(sizes)
    return sizes


@dataclass(frozen=True)
class ProvincePlan:
    index: int
    code: str
    name: str
    members: int  # with its former province's, if any
    former_code: str = ""
    former_name: str = ""

    @property
    def own_members(self) -> int:
        return self.members - self.former_members

    @property
    def former_members(self) -> int:
        return round(self.members * FORMER_SHARE) if self.former_code else 0


def country(provinces: int, members: int, seed: int) -> list[ProvincePlan]:
    out = []
    for index, size in enumerate(province_sizes(provinces, members, seed)):
        name = PROVINCE_NAMES[index % len(PROVINCE_NAMES)]
        if index >= len(PROVINCE_NAMES):
            name = f"{name} {index // len(PROVINCE_NAMES) + 1}"
        merged = index % 3 == 1 and size >= 600
        out.append(
            ProvincePlan(
                index=index,
                code=f"T{index + 1:02d}",
                name=name,
                members=size,
                former_code=f"T{index + 1:02d}C" if merged else "",
                former_name=FORMER_NAMES[index % len(FORMER_NAMES)] if merged else "",
            )
        )
    return out


class Ids:
    """Ids handed out here (COPY writes them), starting above each table's rows."""

    def __init__(self) -> None:
        self.next: dict[Any, int] = {}

    def take(self, model: Any, count: int) -> int:
        from dangvu.core.bulk import next_ids

        if model not in self.next:
            self.next[model] = next_ids(model, 1)[0]
        first = self.next[model]
        self.next[model] = first + count
        return first


@dataclass
class PlannedUnit:
    code: str
    name: str
    kind: str
    parent: str
    group: str
    pk: int = 0
    path: str = ""


@dataclass
class Stats:
    rows: dict[str, int] = field(default_factory=dict)

    def add(self, table: str, n: int) -> None:
        self.rows[table] = self.rows.get(table, 0) + n

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def _tree(rng: random.Random, root_code: str, root_name: str, members: int) -> list[PlannedUnit]:
    from dangvu.demo import names
    from dangvu.units.models import UnitKind

    villages = list(names._PLACES["kinh_village_names"])
    units = [PlannedUnit(root_code, f"Đảng bộ tỉnh {root_name}", UnitKind.PROVINCE, "", "root")]
    grassroots = max(1, round(members / GRASSROOTS_PER_MEMBERS))
    directs = max(2, min(40, round(grassroots / 35)))
    direct_units = []
    for j in range(directs):
        if directs >= 6 and j < len(DIRECT_SPECIAL):
            key, label, group = DIRECT_SPECIAL[j]
            unit = PlannedUnit(
                f"{root_code}.{key}", label.format(p=root_name), UnitKind.DIRECT, root_code, group
            )
        else:
            place = f"{rng.choice(villages)} {j + 1}"
            unit = PlannedUnit(
                f"{root_code}.H{j + 1:02d}",
                f"Đảng bộ huyện {place}",
                UnitKind.DIRECT,
                root_code,
                "district",
            )
        units.append(unit)
        direct_units.append(unit)
    weights = [rng.uniform(0.5, 1.5) for _ in direct_units]
    parents = rng.choices(direct_units, weights=weights, k=grassroots)
    counters: dict[str, int] = {}
    for parent in parents:
        k = counters[parent.code] = counters.get(parent.code, 0) + 1
        code = f"{parent.code}.{k:03d}"
        if rng.random() < 0.4:
            if parent.group == "district":
                name, group = f"Đảng bộ xã {rng.choice(villages)} {k}", "commune"
            else:
                name, group = f"Đảng bộ {rng.choice(AGENCY_WORDS)} số {k}", parent.group
            committee = PlannedUnit(code, name, UnitKind.GRASSROOTS_COMMITTEE, parent.code, group)
            units.append(committee)
            for c in range(1, rng.randint(4, 14) + 1):
                label = (
                    f"Chi bộ thôn {rng.choice(villages)} {c}"
                    if group == "commune"
                    else f"Chi bộ phòng {c} – {name.removeprefix('Đảng bộ ')}"
                )
                units.append(PlannedUnit(f"{code}.C{c:02d}", label, UnitKind.CELL, code, group))
        else:
            name = f"Chi bộ {rng.choice(AGENCY_WORDS)} {rng.choice(villages)} {k}"
            units.append(
                PlannedUnit(code, name, UnitKind.GRASSROOTS_CELL, parent.code, "grassroots_cell")
            )
    return units


def _write_units(units: list[PlannedUnit], ids: Ids, stats: Stats) -> None:
    from dangvu.core.effective import END_OF_TIME
    from dangvu.lib.vietnamese import collation_key, search_text
    from dangvu.units.models import Unit, UnitVersion

    first = ids.take(Unit, len(units))
    by_code: dict[str, PlannedUnit] = {}
    for offset, unit in enumerate(units):
        unit.pk = first + offset
        parent = by_code.get(unit.parent)
        unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
        by_code[unit.code] = unit
    copy_rows(
        Unit,
        ["id", "code", "founded_on", "dissolved_on"],
        ((u.pk, u.code, FOUNDED, END_OF_TIME) for u in units),
    )
    vfirst = ids.take(UnitVersion, len(units))

    def versions() -> Iterator[tuple[Any, ...]]:
        for offset, u in enumerate(units):
            parent = by_code.get(u.parent)
            yield (
                vfirst + offset,
                FOUNDED,
                END_OF_TIME,
                u.name,
                str(u.kind),
                u.path,
                u.path.count("/") - 2,
                search_text(u.name)[:300],
                collation_key(u.name)[:600],
                parent.pk if parent else None,
                u.pk,
            )

    copy_rows(
        UnitVersion,
        [
            "id",
            "valid_from",
            "valid_to",
            "name",
            "kind",
            "path",
            "depth",
            "name_search",
            "name_sort",
            "parent",
            "unit",
        ],
        versions(),
    )
    stats.add("units", len(units))
    stats.add("unit_versions", len(units))


@dataclass
class Person:
    pk: int
    cell: int
    joined: date
    birth: date
    female: bool
    level: str
    committee: bool
    exempt: bool
    left: date | None
    move: tuple[date, int] | None


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def _people(
    rng: random.Random, count: int, cells: list[PlannedUnit], first_pk: int, today: date
) -> list[Person]:
    from dangvu.members.models import ManagementLevel

    weights = [float(rng.randint(5, 30)) for _ in cells]
    cum = []
    total = 0.0
    for w in weights:
        total += w
        cum.append(total)
    chosen = rng.choices(range(len(cells)), cum_weights=cum, k=count)
    siblings: dict[str, list[int]] = {}
    for i, c in enumerate(cells):
        siblings.setdefault(c.parent, []).append(i)
    last_day = min(today, date(2026, 10, 31))
    out = []
    for n, ci in enumerate(chosen):
        cell = cells[ci]
        if rng.random() < 0.82:  # the stock: joined 1965–2017, more of them recently
            years_ago = min(52, int(rng.expovariate(1 / 14)))
            joined = date(2017 - years_ago, rng.randint(1, 12), rng.randint(1, 28))
        else:
            joined = _day(rng, date(2018, 1, 1), last_day)
        female = rng.random() < (0.22 if cell.group in ("police", "military", "border") else 0.45)
        age = max(18, min(60, int(rng.gauss(27, 6))))
        birth = date(joined.year - age, rng.randint(1, 12), rng.randint(1, 28))
        start = max(joined, FOUNDED)
        left = (
            _day(rng, max(start, date(2018, 1, 1)) + timedelta(days=30), last_day)
            if (rng.random() < 0.1 and start < date(2026, 6, 1))
            else None
        )
        move = None
        if rng.random() < 0.08:
            end = left or last_day
            if (end - start).days > 60 and end > date(2018, 3, 1):
                day = _day(
                    rng, max(start, date(2018, 1, 1)) + timedelta(days=20), end - timedelta(days=20)
                )
                pool = siblings[cell.parent] if rng.random() < 0.6 else range(len(cells))
                target = cells[rng.choice(list(pool))] if pool else cell
                if target.pk != cell.pk:
                    move = (day, target.pk)
        roll = rng.random()
        level = (
            ManagementLevel.PROVINCE
            if roll < 0.011
            else ManagementLevel.DISTRICT
            if roll < 0.07
            else ManagementLevel.GRASSROOTS
            if roll < 0.2
            else ""
        )
        out.append(
            Person(
                pk=first_pk + n,
                cell=cell.pk,
                joined=joined,
                birth=birth,
                female=female,
                level=str(level),
                committee=level != "" or rng.random() < 0.06,
                exempt=(date(2023, 6, 30) - birth).days // 365 >= 72 and rng.random() < 0.55,
                left=left,
                move=move,
            )
        )
    return out


def _stints(p: Person) -> list[tuple[int, date, date, str, str]]:
    from dangvu.core.effective import END_OF_TIME

    start = max(p.joined, FOUNDED)
    end = p.left or END_OF_TIME
    out_reason = "left" if p.left else ""
    if p.move is None:
        return [(p.cell, start, end, "joined", out_reason)]
    day, target = p.move
    return [(p.cell, start, day, "joined", "transfer"), (target, day, end, "transfer", out_reason)]


def _cell_at(p: Person, day: date) -> int | None:
    for cell, start, end, _, _ in _stints(p):
        if start <= day < end:
            return cell
    return None


class Province:
    """One province (or former province): its tree, members and records."""

    def __init__(
        self,
        *,
        seed: int,
        index: int,
        part: int,
        code: str,
        name: str,
        members: int,
        ids: Ids,
        stats: Stats,
        today: date,
        grades: dict[tuple[int, str], int],
    ) -> None:
        self.rng = random.Random(seed * 1_000_003 + index * 7 + part)
        self.index, self.part, self.code, self.name = index, part, code, name
        self.members, self.ids, self.stats, self.today = members, ids, stats, today
        self.grades = grades
        self.units: list[PlannedUnit] = []

    def step(self, label: str, fn: Callable[[], int]) -> None:
        started = time.perf_counter()
        rows = fn()
        seconds = time.perf_counter() - started
        rate = rows / seconds if seconds > 0 else 0
        log(f"  {self.code} {label}: {rows:,} rows in {seconds:.1f} s ({rate:,.0f} rows/s)")

    def build(self) -> None:
        self.step("tree", self._tree)
        self.step("members, memberships, reviews", self._people)
        self.step("collective reviews", self._collective)
        self.step("commitments, remediation items", self._commitments_and_remedies)
        self.step("review suggestions", self._suggestions)
        self.step("meetings", self._meetings)
        self.step("study sessions and attendance, training", self._study)
        self.step("inspection cases", self._cases)
        self.step("supervisions", self._supervisions)

    def _tree(self) -> int:
        self.units = _tree(self.rng, self.code, self.name, self.members)
        _write_units(self.units, self.ids, self.stats)
        return len(self.units) * 2

    @property
    def cells(self) -> list[PlannedUnit]:
        return [u for u in self.units if u.kind in ("cell", "grassroots_cell")]

    def _people(self) -> int:
        from dangvu.demo import names
        from dangvu.lib.vietnamese import name_sort_key, search_text
        from dangvu.members.models import Member, Membership
        from dangvu.members.services.bulk import PERSONAL_FIELDS
        from dangvu.reviews.models import MemberReview

        cells = self.cells
        first = self.ids.take(Member, self.members)
        people = _people(self.rng, self.members, cells, first, self.today)
        rng = self.rng
        card_prefix = f"{10 + self.index:02d}{self.part}"
        self.people = people

        def members() -> Iterator[tuple[Any, ...]]:
            for p in people:
                name = names.person_name(
                    rng, female=p.female, ethnicity=names.pick_ethnicity(rng, 0.12)
                )
                full_on = p.joined + timedelta(days=365 + rng.randint(0, 40))
                yield (
                    p.pk,
                    f"{card_prefix}{p.pk - first + 1:07d}",
                    name,
                    p.birth,
                    "F" if p.female else "M",
                    p.joined,
                    full_on if full_on <= self.today else None,
                    p.level,
                    p.committee,
                    p.exempt,
                    p.left,
                    search_text(name)[:200],
                    name_sort_key(name)[:400],
                )

        n = copy_rows(
            Member,
            ["id", "card_number", *PERSONAL_FIELDS, "name_search", "name_sort"],
            members(),
        )
        stints = [(p.pk, s) for p in people for s in _stints(p)]
        mfirst = self.ids.take(Membership, len(stints))
        n += copy_rows(
            Membership,
            ["id", "member", "unit", "valid_from", "valid_to", "reason_in", "reason_out"],
            ((mfirst + i, pk, *s) for i, (pk, s) in enumerate(stints)),
        )
        self.stats.add("members", len(people))
        self.stats.add("memberships", len(stints))
        reviews = list(self._member_reviews(people))
        rfirst = self.ids.take(MemberReview, len(reviews))
        n += copy_rows(
            MemberReview,
            [
                "id",
                "member",
                "year",
                "year_end",
                "unit",
                "outcome",
                "exempt_reason",
                "grade",
                "points",
                "held_on",
                "self_review",
                "fulfilment",
                "recorded_by",
            ],
            ((rfirst + i, *r) for i, r in enumerate(reviews)),
        )
        self.stats.add("member_reviews", len(reviews))
        self.member_reviews = (rfirst, reviews)
        return n

    def _member_reviews(self, people: list[Person]) -> Iterator[tuple[Any, ...]]:
        from dangvu.reviews.demo import EXEMPT_REASONS, _fulfilment, _grade, _held_on
        from dangvu.reviews.models import ExemptReason, ReviewOutcome, year_end

        rng = self.rng
        for year in YEARS:
            end = year_end(year)
            for p in people:
                cell = _cell_at(p, end)
                if cell is None:
                    continue
                if p.exempt or rng.random() < 0.035:
                    reason = (
                        ExemptReason.ACTIVITIES_EXEMPT if p.exempt else rng.choice(EXEMPT_REASONS)
                    )
                    yield (
                        p.pk,
                        year,
                        end,
                        cell,
                        str(ReviewOutcome.EXEMPT),
                        str(reason),
                        None,
                        None,
                        None,
                        "",
                        "",
                        None,
                    )
                    continue
                grade = _grade(rng)
                yield (
                    p.pk,
                    year,
                    end,
                    cell,
                    str(ReviewOutcome.REVIEWED),
                    "",
                    self.grades[(year, grade)],
                    None,
                    _held_on(rng, year),
                    "",
                    _fulfilment(year, grade),
                    None,
                )

    def _collective(self) -> int:
        from dangvu.reviews.demo import _grade, _held_on
        from dangvu.reviews.models import CollectiveKind, CollectiveReview, year_end
        from dangvu.reviews.services import collectives_of
        from dangvu.units.models import UnitKind

        rng = self.rng
        rows = []
        for year in YEARS:
            for u in self.units:
                if u.kind in (UnitKind.PROVINCE, UnitKind.DIRECT):
                    kinds = [str(c) for c in collectives_of(u.kind)]
                elif u.kind == UnitKind.GRASSROOTS_COMMITTEE:
                    kinds = [str(CollectiveKind.COMMITTEE)]
                elif rng.random() < 0.85:
                    kinds = [str(CollectiveKind.CELL)]
                else:
                    kinds = []
                for collective in kinds:
                    grade = _grade(rng)
                    rows.append(
                        (
                            year,
                            year_end(year),
                            collective,
                            u.pk,
                            self.grades[(year, grade)],
                            None,
                            _held_on(rng, year),
                            "",
                            None,
                        )
                    )
        first = self.ids.take(CollectiveReview, len(rows))
        n = copy_rows(
            CollectiveReview,
            [
                "id",
                "year",
                "year_end",
                "collective",
                "unit",
                "grade",
                "points",
                "held_on",
                "summary",
                "recorded_by",
            ],
            ((first + i, *r) for i, r in enumerate(rows)),
        )
        self.stats.add("collective_reviews", n)
        self.collective_reviews = (first, rows)
        return n

    def _commitments_and_remedies(self) -> int:
        """As the demo's annual cycle (`reviews/demo.py`): the last year's approved
        commitment of every member reviewed in it, and a remediation item for every member
        review graded "failed" and every collective review graded "done" or "failed" from
        2020, in the rows `commitments_approved_bulk` and `remediation_add_bulk` write."""
        import json

        from dangvu.reviews.demo import COMMITMENT_TEXT, _remedy
        from dangvu.reviews.models import Commitment, CommitmentStatus, RemediationItem
        from dangvu.reviews.services.commitments import COMMITMENT_WRITTEN, _counted_on
        from dangvu.reviews.services.remediation import REMEDIATION_FIELDS, report_due_after

        rng = self.rng
        code_of = {pk: code for (_, code), pk in self.grades.items()}
        last = YEARS[-1]
        sections = json.dumps(COMMITMENT_TEXT, ensure_ascii=False)
        rfirst, reviews = self.member_reviews
        remedies: list[tuple[Any, ...]] = []
        commitments: list[tuple[Any, ...]] = []
        for i, (member, year, _, cell, _, _, grade, _, held, _, _, _) in enumerate(reviews):
            if grade is None:
                continue  # exempt
            if year == last:
                approved = date(year, 1, 15) + timedelta(days=rng.randrange(60))
                submitted = datetime.combine(approved, dtime(8), tzinfo=UTC)
                commitments.append(
                    (
                        member,
                        year,
                        cell,
                        sections,
                        str(CommitmentStatus.APPROVED),
                        approved,
                        _counted_on(year, approved),
                        False,
                        submitted,
                        submitted,
                    )
                )
            if year >= 2020 and code_of[grade] == "failed":
                r = _remedy(rng, cell, year, held, member)
                remedies.append(r.row(member_review=rfirst + i))
        cfirst, collective = self.collective_reviews
        for i, (year, _, _, unit, grade, _, held, _, _) in enumerate(collective):
            if year >= 2020 and code_of[grade] in ("done", "failed"):
                r = _remedy(rng, unit, year, held, None)
                remedies.append(r.row(collective_review=cfirst + i))
        first = self.ids.take(Commitment, len(commitments))
        n = copy_rows(
            Commitment,
            ["id", "member", "year", *COMMITMENT_WRITTEN],
            ((first + i, *c) for i, c in enumerate(commitments)),
        )
        first = self.ids.take(RemediationItem, len(remedies))
        n += copy_rows(
            RemediationItem,
            ["id", *REMEDIATION_FIELDS, "report_due"],
            (
                (
                    first + i,
                    *(getattr(r, f) for f in REMEDIATION_FIELDS),
                    report_due_after(r.created_on),
                )
                for i, r in enumerate(remedies)
            ),
        )
        self.stats.add("commitments", len(commitments))
        self.stats.add("remediation_items", len(remedies))
        return n

    def _suggestions(self) -> int:
        """Review suggestions as the demo issues them (`reviews/demo.py`), as many per member
        as its seed's per year and level: the province to the direct committees' standing
        committees, a district to its grassroots organisations, a grassroots committee to
        its cells; to members reviewed under each level's management, by that level. Each
        answered in the review it suggested, in the rows `suggestions_save_bulk` writes."""
        from dangvu.indicators.catalogue import raw
        from dangvu.members.models import ManagementLevel
        from dangvu.reviews.demo import ANSWER_TEXT, SUGGESTION_TEXT
        from dangvu.reviews.models import CollectiveKind, ReviewSuggestion, year_end
        from dangvu.reviews.services.suggestions import SUGGESTION_NEW_ONLY, SUGGESTION_WRITTEN
        from dangvu.units.models import UnitKind

        def seed(code: str) -> dict[str, dict[str, int]]:
            return next(i["seed"] for i in raw()["indicators"] if i["code"] == code)

        rng = self.rng
        kind_of = {u.pk: str(u.kind) for u in self.units}
        path_of = {u.pk: [int(i) for i in u.path.strip("/").split("/")] for u in self.units}
        root = path_of[self.units[0].pk][0]
        level_of = {p.pk: p.level for p in self.people if p.level}
        cfirst, collective = self.collective_reviews
        rfirst, reviews = self.member_reviews
        rows: list[tuple[Any, ...]] = []
        for year in YEARS:
            by_level: dict[str, list[tuple[int, int, str, int]]] = {}
            for i, (y, _, kind, unit, _, _, _, _, _) in enumerate(collective):
                if y != year:
                    continue
                path, unit_kind = path_of[unit], kind_of[unit]
                if unit_kind == UnitKind.DIRECT and kind == CollectiveKind.STANDING:
                    level, issuer = ManagementLevel.PROVINCE, root
                elif unit_kind in (UnitKind.GRASSROOTS_COMMITTEE, UnitKind.GRASSROOTS_CELL):
                    level, issuer = ManagementLevel.DISTRICT, path[1]
                elif unit_kind == UnitKind.CELL and len(path) > 3:
                    level, issuer = ManagementLevel.GRASSROOTS, path[2]
                else:
                    continue
                by_level.setdefault(str(level), []).append((issuer, unit, kind, cfirst + i))
            people: dict[str, list[tuple[int, int, int]]] = {}
            for i, (member, y, _, cell, _, _, grade, *_) in enumerate(reviews):
                if y != year or grade is None or member not in level_of:
                    continue
                level, path = level_of[member], path_of[cell]
                if level == ManagementLevel.PROVINCE:
                    issuer = root
                elif level == ManagementLevel.DISTRICT:
                    issuer = path[1]
                elif level == ManagementLevel.GRASSROOTS and len(path) > 2:
                    issuer = path[2]
                else:
                    continue
                people.setdefault(level, []).append((issuer, member, rfirst + i))
            for level, count in seed("suggestion.collectives")[str(year)].items():
                pool = by_level.get(level, [])
                rng.shuffle(pool)
                for issuer, unit, kind, review in pool[: self._scale(count)]:
                    rows.append((year, issuer, level, unit, kind, None, None, review))
            for level, count in seed("suggestion.individuals")[str(year)].items():
                persons = people.get(level, [])
                rng.shuffle(persons)
                for issuer, member, review in persons[: self._scale(count)]:
                    rows.append((year, issuer, level, None, "", member, review, None))
        first = self.ids.take(ReviewSuggestion, len(rows))

        def written() -> Iterator[tuple[Any, ...]]:
            for i, (year, issuer, level, unit, kind, member, mreview, creview) in enumerate(rows):
                issued = date(year, 11, 1) + timedelta(days=rng.randrange(25))
                yield (
                    first + i,
                    year,
                    issuer,
                    level,
                    issued,
                    unit,
                    kind,
                    member,
                    SUGGESTION_TEXT,
                    year_end(year),
                    ANSWER_TEXT,
                    issued + timedelta(days=30),
                    mreview,
                    creview,
                    None,
                )

        n = copy_rows(
            ReviewSuggestion, ["id", *SUGGESTION_WRITTEN, *SUGGESTION_NEW_ONLY], written()
        )
        self.stats.add("review_suggestions", n)
        return n

    def _meetings(self) -> int:
        """Every cell's meetings from July 2018 as the demo draws them, written in the rows
        of `meetings_create` (judged against the regime of their month; its checks of rows
        typed by people are left out: generated rows keep the rules by construction)."""
        from dangvu.demo.registry import PERIOD_START
        from dangvu.meetings import services
        from dangvu.meetings.demo import WEAK_CELLS, _month_of, _months, _plan_only
        from dangvu.meetings.models import Meeting

        rng = self.rng
        this_month = services.first_of(self.today)
        months = _months(services.first_of(PERIOD_START), this_month)
        rules = {m: services.rule_for(m) for m in months}
        plan = services.next_month(months[-1])
        rules[plan] = services.rule_for(plan)
        cells = self.cells
        # Ids are taken after the rows are known: count them in a first pass of the rng.
        rows: list[services.MeetingRow] = []

        def drawn() -> Iterator[services.MeetingRow]:
            for cell in cells:
                weak = rng.random() < WEAK_CELLS
                for month in months:
                    yield from _month_of(rng, cell.pk, month, rules[month], weak)
                if rng.random() < 0.6:
                    yield _plan_only(rng, cell.pk, plan)

        total = 0
        batch = 200_000
        iterator = drawn()
        while True:
            rows = [r for _, r in zip(range(batch), iterator, strict=False)]
            if not rows:
                break
            first = self.ids.take(Meeting, len(rows))
            total += copy_rows(
                Meeting,
                services._MEETING_FIELDS,
                (
                    (
                        first + i,
                        *r,
                        not (short := services.judge(r, rules[r.month])),
                        "; ".join(short),
                        "",
                        None,
                    )
                    for i, r in enumerate(rows)
                ),
            )
        self.stats.add("meetings", total)
        return total

    def _study(self) -> int:
        """The study of the two congress resolutions as the demo draws it (`study/demo.py`):
        a session by every direct committee for its cadres and by the largest grassroots
        organisations for all their members (a site per cell), as many sessions and members
        attending per member as the demo; training classes of cadres and political-theory
        training at the demo's rates; in the rows `sessions_create`,
        `training_classes_create` and `theory_trainings_add` write."""
        from dangvu.demo.registry import PERIOD_END
        from dangvu.study import demo as sdemo
        from dangvu.study.models import (
            Attendance,
            SessionForm,
            Site,
            StudySession,
            TheoryLevel,
            TheoryTraining,
            TrainingClass,
        )
        from dangvu.units.models import Unit, UnitKind

        rng = self.rng
        root = next(u for u in self.units if u.kind == UnitKind.PROVINCE)
        root_unit = Unit.objects.get(pk=root.pk)
        name_of = {u.pk: u.name for u in self.units}
        # The Centre's resolution is registered by each province that brings it in.
        documents = sdemo.resolutions(root.name, unit=root_unit)
        path_of = {u.pk: [int(i) for i in u.path.strip("/").split("/")] for u in self.units}

        def throughout(first: date, last: date) -> dict[int, int]:
            """Members in one cell throughout [first, last]: member id -> cell id."""
            out = {}
            for p in self.people:
                for cell, start, end, _, _ in _stints(p):
                    if start <= first and last < end:
                        out[p.pk] = cell
            return out

        cadres = {p.pk for p in self.people if p.level or p.committee}
        sessions: list[tuple[Any, ...]] = []
        links: list[tuple[int, int]] = []
        sites: list[tuple[Any, ...]] = []
        attendance: list[tuple[int, int, int, bool]] = []
        session_id = self.ids.take(StudySession, 0)
        site_id = self.ids.take(Site, 0)
        for campaign in sdemo.CAMPAIGNS:
            cells = throughout(campaign.first, campaign.last)
            by_direct: dict[int, list[int]] = {}
            by_grassroots: dict[int, list[int]] = {}
            for member_id, cell_id in cells.items():
                ids = path_of[cell_id]
                by_direct.setdefault(ids[1], []).append(member_id)
                by_grassroots.setdefault(ids[2], []).append(member_id)
            directs = sorted(by_direct)
            wanted = max(len(directs) + 1, self._scale(campaign.sessions))
            grassroots = sorted(by_grassroots, key=lambda g: (-len(by_grassroots[g]), g))[
                : wanted - len(directs)
            ]
            span = (campaign.last - campaign.first).days
            expected: list[tuple[int, int, int]] = []  # (session, site, member)
            for unit_id, level in [(d, "direct") for d in directs] + [
                (g, "grassroots") for g in grassroots
            ]:
                form = (
                    SessionForm.MIXED
                    if level == "direct"
                    else rng.choice([SessionForm.IN_PERSON, SessionForm.MIXED])
                )
                sessions.append(
                    (
                        session_id,
                        f"{campaign.label} — {name_of[unit_id]}"[:300],
                        unit_id,
                        campaign.first + timedelta(days=rng.randint(0, span)),
                        str(form),
                        "Báo cáo viên cấp tỉnh" if level == "direct" else "Bí thư cấp ủy",
                        None,
                    )
                )
                links.append((session_id, documents[campaign.key].pk))
                main = site_id
                sites.append(
                    (main, session_id, unit_id, f"Điểm cầu chính — {name_of[unit_id]}"[:200], True)
                )
                site_id += 1
                if level == "direct":
                    expected += [(session_id, main, m) for m in by_direct[unit_id] if m in cadres]
                else:
                    site_of_cell = {unit_id: main}
                    for member_id in by_grassroots[unit_id]:
                        cell_id = cells[member_id]
                        if cell_id not in site_of_cell:
                            site_of_cell[cell_id] = site_id
                            sites.append((site_id, session_id, cell_id, "Điểm cầu chi bộ", False))
                            site_id += 1
                        expected.append((session_id, site_of_cell[cell_id], member_id))
                session_id += 1
            present = set(
                rng.sample(range(len(expected)), min(len(expected), self._scale(campaign.attended)))
            )
            attendance += [(*e, i in present) for i, e in enumerate(expected)]
        self.ids.take(StudySession, len(sessions))
        self.ids.take(Site, len(sites))
        n = copy_rows(
            StudySession,
            ["id", "title", "unit", "held_on", "form", "speaker", "created_by"],
            sessions,
        )
        n += copy_rows(StudySession.documents.through, ["studysession", "document"], links)
        n += copy_rows(Site, ["id", "session", "unit", "name", "is_main"], sites)
        n += copy_rows(Attendance, ["session", "site", "member", "attended"], attendance)
        self.stats.add("study_sessions", len(sessions))
        self.stats.add("study_sites", len(sites))
        self.stats.add("study_attendances", len(attendance))
        # Training classes of the cadres who were members throughout, and theory training.
        pool = sorted(cadres & set(throughout(date(2019, 1, 1), PERIOD_END)))
        directs = [u.pk for u in self.units if u.kind == UnitKind.DIRECT]
        count = self._scale(sdemo.TRAINING_CLASSES)
        size = max(1, round(sdemo.TRAINING_PARTICIPATIONS / sdemo.TRAINING_CLASSES))
        first = self.ids.take(TrainingClass, count)
        classes, participants = [], []
        for class_id in range(first, first + count):
            start = date(2019, 1, 1) + timedelta(
                days=rng.randint(0, (PERIOD_END - date(2019, 1, 31)).days)
            )
            unit = root.pk if rng.random() < 0.4 or not directs else rng.choice(directs)
            classes.append(
                (
                    class_id,
                    f"Lớp bồi dưỡng, cập nhật kiến thức lý luận chính trị khóa {class_id % 1000}",
                    unit,
                    "refresher",
                    start,
                    start + timedelta(days=4),
                )
            )
            participants += [(class_id, m) for m in rng.sample(pool, min(size, len(pool)))]
        n += copy_rows(
            TrainingClass, ["id", "title", "unit", "kind", "start_on", "end_on"], classes
        )
        n += copy_rows(
            TrainingClass.participants.through, ["trainingclass", "member"], participants
        )
        self.stats.add("training_classes", len(classes))
        self.stats.add("training_participations", len(participants))
        since = date(2018, 7, 5)
        active = throughout(since, PERIOD_END)
        trained = rng.sample(sorted(active), min(len(active), self._scale(sdemo.THEORY_TRAINED)))
        span = (PERIOD_END - since).days
        theory = []
        for member_id in trained:
            level = TheoryLevel.ADVANCED if rng.random() < 0.18 else TheoryLevel.INTERMEDIATE
            theory.append(
                (
                    member_id,
                    active[member_id],
                    str(level),
                    since + timedelta(days=rng.randint(0, span)),
                    "Học viện Chính trị khu vực III"
                    if level == TheoryLevel.ADVANCED
                    else "Trường Chính trị tỉnh",
                )
            )
        n += copy_rows(
            TheoryTraining, ["member", "unit", "level", "completed_on", "institution"], theory
        )
        self.stats.add("theory_trainings", len(theory))
        return n

    def _scale(self, demo_count: int) -> int:
        return max(1, round(demo_count * self.members / DEMO_MEMBERS))

    def _cases(self) -> int:
        from dangvu.inspection import demo as idemo
        from dangvu.inspection.models import CaseKind, DisciplineForm, InspectionCase, SubjectKind
        from dangvu.inspection.services import GeneratedCase
        from dangvu.units.models import GRASSROOTS_KINDS

        rng = self.rng
        forms = {
            (f.rule.code, f.applies, f.code): f.pk
            for f in DisciplineForm.objects.select_related("rule")
        }
        organisations = [u for u in self.units if u.kind in GRASSROOTS_KINDS]
        body_of = {u.pk: int(u.path.strip("/").split("/")[1]) for u in self.units if u.parent}
        start, last = idemo.PERIOD_START, idemo.LAST_DAY
        days = (last - start).days
        steady = [
            p
            for p in self.people
            if max(p.joined, FOUNDED) <= start
            and p.move is None
            and (p.left is None or p.left > last)
        ]
        committee = [p for p in steady if p.committee]
        others = [p for p in steady if not p.committee]
        rng.shuffle(committee)
        rng.shuffle(others)
        signs = min(len(steady), self._scale(idemo.MEMBER_SIGNS))
        n_committee = min(len(committee), self._scale(idemo.MEMBER_COMMITTEE))
        people = committee[:n_committee] + others[: signs - n_committee]
        rows: list[tuple[Any, ...]] = []

        def case(kind: str, subject: str, unit: int, member: int | None, is_c: bool) -> list[Any]:
            opened = start + timedelta(days=rng.randrange(days - 60))
            return [
                kind,
                subject,
                unit if subject == SubjectKind.ORGANISATION else None,
                member,
                unit,
                is_c,
                body_of.get(unit, unit),
                opened,
            ]

        org_signs = min(len(organisations), self._scale(idemo.ORG_SIGNS))
        violated = round(org_signs * idemo.ORG_VIOLATED / idemo.ORG_SIGNS)
        disciplined = round(org_signs * idemo.ORG_DISCIPLINED / idemo.ORG_SIGNS)
        for i, unit in enumerate(rng.sample(organisations, org_signs)):
            base = case(CaseKind.VIOLATION_SIGNS, SubjectKind.ORGANISATION, unit.pk, None, False)
            form = ("org", rng.choice(["reprimand", "warning"])) if i < disciplined else None
            rows.append(idemo._concluded(rng, base, violated=i < violated, form=form, forms=forms))
        for kind, count in (
            (CaseKind.TASK, idemo.ORG_TASK),
            (CaseKind.ENFORCEMENT, idemo.ORG_ENFORCEMENT),
        ):
            for _ in range(self._scale(count)):
                unit = rng.choice(organisations)
                base = case(kind, SubjectKind.ORGANISATION, unit.pk, None, False)
                rows.append(
                    idemo._concluded(rng, base, violated=rng.random() < 0.1, form=None, forms=forms)
                )
        m_violated = round(len(people) * idemo.MEMBER_VIOLATED / idemo.MEMBER_SIGNS)
        m_disc = round(len(people) * idemo.MEMBER_DISCIPLINED / idemo.MEMBER_SIGNS)
        for i, p in enumerate(people):
            full = p.joined + timedelta(days=400) <= start
            base = case(CaseKind.VIOLATION_SIGNS, SubjectKind.MEMBER, p.cell, p.pk, p.committee)
            form = None
            if i < m_disc:
                allowed = (
                    ["reprimand", "warning", "removal", "expulsion"]
                    if full
                    else ["reprimand", "warning"]
                )
                form = (
                    "full" if full else "probationary",
                    rng.choices(allowed, weights=[5, 3, 1, 1][: len(allowed)])[0],
                )
            rows.append(
                idemo._concluded(rng, base, violated=i < m_violated, form=form, forms=forms)
            )
        sign_rows = [i for i, r in enumerate(rows) if r[1] == CaseKind.VIOLATION_SIGNS]
        complex_ones = set(rng.sample(sign_rows, min(len(sign_rows), self._scale(idemo.COMPLEX))))
        # As `cases_generated` writes them, numbered per province (its numbers start at 1
        # on every call, and the codes are unique across the country).
        cases = [GeneratedCase._make([*r[1:], i in complex_ones]) for i, r in enumerate(rows)]
        first = self.ids.take(InspectionCase, len(cases))
        n = copy_rows(
            InspectionCase,
            ["id", "code", *GeneratedCase._fields],
            (
                (first + i, f"KT-{c.opened_on.year}-{self.code}-{i + 1:05d}", *c)
                for i, c in enumerate(cases)
            ),
        )
        self.stats.add("inspection_cases", n)
        return n

    def _supervisions(self) -> int:
        from dangvu.supervision import demo as sdemo
        from dangvu.supervision.models import FrontLevel, FrontOrganisation
        from dangvu.supervision.services import SupervisionSpec, supervisions_import
        from dangvu.units.models import Unit, UnitKind

        rng = self.rng
        where = {
            FrontLevel.PROVINCE: [u.pk for u in self.units if u.kind == UnitKind.PROVINCE],
            FrontLevel.DISTRICT: [u.pk for u in self.units if u.kind == UnitKind.DIRECT],
            FrontLevel.COMMUNE: [
                u.pk for u in self.units if u.kind == UnitKind.GRASSROOTS_COMMITTEE
            ],
        }
        units = Unit.objects.in_bulk([u for ids in where.values() for u in ids])
        start, end = sdemo.PERIOD_START, sdemo.PERIOD_END
        days = (end - start).days
        specs: list[SupervisionSpec] = []
        for level, count in sdemo.BY_LEVEL.items():
            if not where[level]:
                continue
            for _ in range(self._scale(count)):
                held = start + timedelta(days=rng.randrange(days))
                recommends = rng.random() < 0.6
                followed = held + timedelta(days=rng.randrange(60, 240)) if recommends else None
                if followed is not None and followed > end:
                    followed = None
                specs.append(
                    SupervisionSpec(
                        code=f"GS-{self.code}-{held.year}-{len(specs) + 1:05d}",
                        held_on=held,
                        level=str(level),
                        organisation=rng.choice(FrontOrganisation.values),
                        unit=units[rng.choice(where[level])],
                        subject=rng.choice(sdemo.SUBJECTS),
                        findings="Cơ bản thực hiện tốt; còn một số hạn chế cần khắc phục.",
                        recommendations=rng.choice(sdemo.RECOMMENDATIONS) if recommends else "",
                        follow_up="Đã tiếp thu, khắc phục." if followed else "",
                        followed_up_on=followed,
                    )
                )
        outcome = supervisions_import(specs=specs, actor=None, source="")
        assert not outcome.refused, outcome.refused[:3]
        self.stats.add("supervisions", len(specs))
        return len(specs)


def grade_ids() -> dict[tuple[int, str], int]:
    from dangvu.reviews.models import RatingGrade

    out = {}
    for year in YEARS:
        day = date(year, 12, 31)
        for pk, code in RatingGrade.objects.filter(
            scheme__valid_from__lte=day, scheme__valid_to__gt=day
        ).values_list("pk", "code"):
            out[(year, code)] = pk
    return out


def merge_former(plan: ProvincePlan) -> None:
    """The 2025 reorganisation: the former province merges into the province, by the
    service a user would use (its committees move, versions close and open, paths follow,
    the succession is recorded)."""
    from dangvu.units import services
    from dangvu.units.models import Unit

    services.unit_merge(
        sources=[Unit.objects.get(code=plan.former_code)],
        target=Unit.objects.get(code=plan.code),
        effective_on=REORGANISATION,
        decision=DECISION,
        note=f"Hợp nhất Đảng bộ tỉnh {plan.former_name} vào Đảng bộ tỉnh {plan.name}",
    )


def generate(plans: list[ProvincePlan], *, seed: int, today: date) -> Stats:
    """Write the provinces (each in its own transaction; the large tables' indexes made
    once at the end when they start empty), then ANALYZE and the tallies."""
    from dangvu.core.bulk import analyze

    ids, stats = Ids(), Stats()
    grades = grade_ids()
    from dangvu.core.progress import TerminalProgress

    # A bar on a terminal, by members written (the log lines say the rest); plain lines
    # in a log or CI.
    with indexes_deferred(), TerminalProgress() as progress:
        progress.step("provinces generated (members)", total=sum(p.members for p in plans))
        for plan in plans:
            _province(plan, seed=seed, today=today, ids=ids, stats=stats, grades=grades)
            progress.advance(plan.members)
    t = time.perf_counter()
    analyze()
    log(f"ANALYZE: {time.perf_counter() - t:.1f} s")
    from dangvu.indicators import services_tallies as tallies

    t = time.perf_counter()
    # The sources on as many connections as cores (at most 4): one INSERT … SELECT runs
    # on one core.
    jobs = tallies.default_jobs()
    timings: dict[str, float] = {}
    kept = tallies.rebuild(today=today, jobs=jobs, timings=timings)
    analyze()
    slowest = sorted(timings.items(), key=lambda item: -item[1])[:3]
    log(
        f"tallies (dangvu tallies rebuild --jobs {jobs}): {kept:,} counts, "
        f"{time.perf_counter() - t:.1f} s (sources {sum(timings.values()):.1f} s; slowest "
        + ", ".join(f"{source} {seconds:.1f} s" for source, seconds in slowest)
        + ")"
    )
    return stats


def _province(
    plan: ProvincePlan,
    *,
    seed: int,
    today: date,
    ids: Ids,
    stats: Stats,
    grades: dict[tuple[int, str], int],
) -> None:
    """One province and its former province, if any, merged into it: one transaction."""
    from auditlog.context import disable_auditlog
    from django.db import transaction

    started = time.perf_counter()
    log(
        f"province {plan.code} {plan.name}: {plan.members:,} members"
        + (f" (former {plan.former_name}: {plan.former_members:,})" if plan.former_code else "")
    )
    with transaction.atomic(), disable_auditlog():
        parts = [(0, plan.code, plan.name, plan.own_members)]
        if plan.former_code:
            parts.append((1, plan.former_code, plan.former_name, plan.former_members))
        for part, code, name, members in parts:
            Province(
                seed=seed,
                index=plan.index,
                part=part,
                code=code,
                name=name,
                members=members,
                ids=ids,
                stats=stats,
                today=today,
                grades=grades,
            ).build()
        if plan.former_code:
            t = time.perf_counter()
            merge_former(plan)
            ids.next.clear()  # the service took ids of its own: read them again
            log(
                f"  {plan.code} merger of {plan.former_code} on 01/07/2025: "
                f"{time.perf_counter() - t:.1f} s"
            )
    log(
        f"province {plan.code} done in {time.perf_counter() - started:.1f} s "
        f"({stats.total:,} rows so far)"
    )
