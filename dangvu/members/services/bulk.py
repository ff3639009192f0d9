"""Bulk writes of members and their membership history (the exchange workbook's DangVien
and QuaTrinhSinhHoat sheets, the demo's people). The row rules are the single-record
services' (`check_member_dates` is the one validator of a member's dates); problems come
back as `RowProblem`s worded by the constants below. Rows are written set-based
(`core.bulk`), with their audit entries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from dangvu.accounts.models import User
from dangvu.core.audit import diff_fields, log_bulk
from dangvu.core.bulk import insert_objects, insert_rows, update_rows
from dangvu.core.effective import END_OF_TIME
from dangvu.lib.dates import format_date
from dangvu.members.models import Member, Membership, MembershipReason
from dangvu.members.signals import announce
from dangvu.units.models import Unit
from dangvu.units.services.bulk import CellSpans, RowProblem

# Row messages (shown after the sheet, row and column of the row that has the problem).
ROW_JOINED_BEFORE_BIRTH = "ngày vào Đảng phải sau ngày sinh"
ROW_FULL_BEFORE_JOINED = "ngày chính thức không được trước ngày vào Đảng"
ROW_LEFT_BEFORE_JOINED = "ngày ra khỏi Đảng phải sau ngày vào Đảng"
ROW_LEFT_BEFORE_START = "ngày ra khỏi Đảng phải sau ngày bắt đầu sinh hoạt ({start})"
ROW_NOT_A_CELL_FROM = "{code} không phải chi bộ đang hoạt động từ {start}"
ROW_NOT_A_CELL_DURING = "{code} không phải chi bộ đang hoạt động trong suốt giai đoạn này"
ROW_OVERLAP = "chồng lấn với giai đoạn sinh hoạt trước"
ROW_PERIOD_ORDER = "đến ngày phải sau từ ngày"
#: Said alike for a member outside the reach and a cell outside it: nothing is told about
#: a member the importer does not reach.
ROW_OUTSIDE_REACH = "chi bộ hoặc đảng viên ngoài phạm vi quản lý của bạn"
#: Said alike for a card known or not: nothing is told of members the importer does not list.
ROW_CARD_NOT_LISTED = "số thẻ {card} không có trong trang DangVien"
ROW_HISTORY_MISMATCH = "không khớp với giai đoạn cuối trong trang QuaTrinhSinhHoat"
ROW_LEFT_MISMATCH = "ngày ra khỏi Đảng không khớp với trang QuaTrinhSinhHoat"
ROW_HISTORY_ALONE = "trang QuaTrinhSinhHoat cần đi kèm trang DangVien"

PERSONAL_FIELDS = (
    "full_name",
    "birth_date",
    "gender",
    "joined_on",
    "full_member_on",
    "management_level",
    "is_committee_member",
    "is_exempt",
    "left_on",
)


class Stint(NamedTuple):
    """One membership: active in the cell `unit_id` from..to (sinh hoạt)."""

    unit_id: int
    valid_from: date
    valid_to: date
    reason_in: str
    reason_out: str


@dataclass(frozen=True)
class MemberData:
    """A member's own record as a bulk write states it."""

    card_number: str
    full_name: str
    birth_date: date
    gender: str
    joined_on: date
    full_member_on: date | None = None
    management_level: str = ""
    is_committee_member: bool = False
    is_exempt: bool = False
    left_on: date | None = None

    def personal(self) -> dict[str, Any]:
        # Not dataclasses.asdict, which deep-copies: a province's import asks 150,000 times.
        return {name: getattr(self, name) for name in PERSONAL_FIELDS}


def check_member_dates(
    *,
    key: str,
    birth_date: date,
    joined_on: date,
    full_member_on: date | None,
    left_on: date | None,
) -> list[RowProblem]:
    """The one validator of a member's dates (the pages say DATES_ORDER for any of them)."""
    problems = []
    if joined_on <= birth_date:
        problems.append(RowProblem(key, "joined_on", ROW_JOINED_BEFORE_BIRTH))
    if full_member_on and full_member_on < joined_on:
        problems.append(RowProblem(key, "full_member_on", ROW_FULL_BEFORE_JOINED))
    if left_on and left_on <= joined_on:
        problems.append(RowProblem(key, "left_on", ROW_LEFT_BEFORE_JOINED))
    return problems


def check_stints(
    stints: Sequence[Stint], *, key: str, cell_code: str, cells: CellSpans
) -> list[RowProblem]:
    """Every membership is a period in a unit that is a cell throughout it."""
    empty = next((s for s in stints if s.valid_from >= s.valid_to), None)
    if empty is not None:  # left before the cell was founded
        start = format_date(empty.valid_from)
        return [RowProblem(key, "left_on", ROW_LEFT_BEFORE_START.format(start=start))]
    bad = next((s for s in stints if not cells.covers(*s[:3])), None)
    if bad is not None:
        message = ROW_NOT_A_CELL_FROM.format(code=cell_code, start=format_date(bad.valid_from))
        return [RowProblem(key, "cell_code", message)]
    return []


def default_stint(cell_id: int, founded_on: date, joined_on: date, left_on: date | None) -> Stint:
    """The membership a member has when none is stated: in the cell from joining (or the
    cell's founding) until leaving."""
    return Stint(
        cell_id,
        max(joined_on, founded_on),
        left_on or END_OF_TIME,
        MembershipReason.JOINED,
        MembershipReason.LEFT if left_on else "",
    )


@dataclass(frozen=True)
class MemberWrite:
    """One member to write: `member` is the record on file (None: a new member);
    `stints` replace the member's memberships (None: left as they are)."""

    data: MemberData
    stints: Sequence[Stint] | None
    member: Member | None = None


@dataclass
class MembersWritten:
    created: list[Member] = field(default_factory=list)
    updated: list[Member] = field(default_factory=list)
    unchanged: int = 0


MEMBERSHIP_FIELDS = ("member", "unit", "valid_from", "valid_to", "reason_in", "reason_out")
MEMBER_UPDATE_FIELDS = (*PERSONAL_FIELDS, "name_search", "name_sort")


def members_write(
    *, writes: Sequence[MemberWrite], actor: User | None = None, note: str | None = "import"
) -> MembersWritten:
    """Create and update members with their memberships, set-based. Checked rows only
    (see `check_member_dates`, `check_stints`). Audited when a `note` is given (the
    demo's generated people are not)."""
    out = MembersWritten()
    new = [
        Member(card_number=w.data.card_number, **w.data.personal()).fill_derived()
        for w in writes
        if w.member is None
    ]
    insert_objects(Member, new)
    out.created = new
    by_card = {m.card_number: m for m in new}
    updates = _apply_updates([w for w in writes if w.member is not None])
    out.updated = [m for m, _ in updates]
    out.unchanged = len(writes) - len(new) - len(updates)
    update_rows(
        Member,
        MEMBER_UPDATE_FIELDS,
        [(m.pk, *(getattr(m, f) for f in MEMBER_UPDATE_FIELDS)) for m in out.updated],
    )
    _replace_memberships(writes, by_card)
    if note is not None:
        log_bulk(Member, [(m, None) for m in new], actor=actor, created=True, note=note)
        log_bulk(Member, updates, actor=actor, created=False, note=note)
    return out


def _apply_updates(writes: Sequence[MemberWrite]) -> list[tuple[Member, dict[str, list[Any]]]]:
    """Set the changed fields on the members on record; their diffs (for the audit)."""
    updates = []
    for write in writes:
        member = write.member
        assert member is not None
        values = write.data.personal()
        diff = diff_fields(member, values)
        if diff:
            for name, value in values.items():
                setattr(member, name, value)
            member.fill_derived()
        if write.stints is not None and not diff:
            diff = {"memberships": ["(trước khi nhập)", f"{len(write.stints)} giai đoạn"]}
        if diff:
            updates.append((member, diff))
    return updates


def _replace_memberships(writes: Sequence[MemberWrite], new: dict[str, Member]) -> None:
    replaced = [w.member.pk for w in writes if w.member is not None and w.stints is not None]
    changed: list[tuple[int, date, date]] = []
    for start in range(0, len(replaced), 900):
        old = Membership.objects.filter(member_id__in=replaced[start : start + 900])
        changed.extend(old.values_list("unit_id", "valid_from", "valid_to"))
        old.delete()
    insert_rows(
        Membership,
        MEMBERSHIP_FIELDS,
        (
            ((w.member or new[w.data.card_number]).pk, *stint)
            for w in writes
            if w.stints is not None
            for stint in w.stints
        ),
    )
    changed.extend(
        (stint[0], stint[1], stint[2]) for w in writes if w.stints is not None for stint in w.stints
    )
    announce(changed)


def memberships_reorganised(*, memberships: Sequence[Membership], target: Unit, day: date) -> None:
    """Members of a unit merged or split away go on in `target` from `day` (a later
    departure stays recorded); memberships that begin on day itself just change cell."""
    created, closed = [], []
    changed: list[tuple[int, date, date]] = []
    for membership in memberships:
        changed.append((membership.unit_id, membership.valid_from, membership.valid_to))
        changed.append((target.pk, day, membership.valid_to))
        changed.append((membership.unit_id, membership.valid_from, day))
        if membership.valid_from == day:
            membership.unit = target
            membership.save(update_fields=["unit"])  # audited, as a page's change
            continue
        created.append(
            Membership(
                member_id=membership.member_id,
                unit=target,
                valid_from=day,
                valid_to=membership.valid_to,
                reason_in=MembershipReason.REORGANISED,
                reason_out=membership.reason_out,
            )
        )
        membership.valid_to = day
        membership.reason_out = MembershipReason.REORGANISED
        closed.append(membership)
    Membership.objects.bulk_update(closed, ["valid_to", "reason_out"])
    Membership.objects.bulk_create(created)
    announce(changed)
