"""Sheets of the exchange workbook for members: `DangVien` (shared format) and dangvu's
own `QuaTrinhSinhHoat` (membership history). Without the history sheet a member is taken
to be active in `Mã chi bộ` from joining (or the cell's founding) until leaving; a changed
cell for a known member is a transfer on the day of the import.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from dangvu.accounts.permissions import Capability
from dangvu.core.bulk import insert_objects
from dangvu.core.effective import END_OF_TIME
from dangvu.exchange import workbook as wb
from dangvu.exchange.audit import diff_fields, log_bulk
from dangvu.exchange.context import ExportContext, ImportContext
from dangvu.lib.dates import format_date
from dangvu.members.models import Gender, ManagementLevel, Member, Membership, MembershipReason
from dangvu.units.models import CELL_KINDS, Unit, UnitVersion

GENDER = wb.choice(Gender.choices)
LEVEL = wb.choice(ManagementLevel.choices)
REASON = wb.choice(MembershipReason.choices)

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

Plan = tuple[int, date, date, str, str]  # unit id, from, to, reason in, reason out


def default_plan(cell: Unit, joined_on: date, left_on: date | None) -> Plan:
    """The membership a DangVien row implies when no history is given."""
    return (
        cell.pk,
        max(joined_on, cell.founded_on),
        left_on or END_OF_TIME,
        MembershipReason.JOINED,
        MembershipReason.LEFT if left_on else "",
    )


def _plan_of(memberships: Sequence[Membership]) -> list[Plan]:
    return [(m.unit_id, m.valid_from, m.valid_to, m.reason_in, m.reason_out) for m in memberships]


def _memberships_by_member(member_ids: set[int] | None = None) -> dict[int, list[Membership]]:
    qs = Membership.objects.order_by("member_id", "valid_from")
    if member_ids is not None:
        qs = qs.filter(member_id__in=member_ids)
    out: dict[int, list[Membership]] = {}
    for membership in qs.iterator(chunk_size=5000):
        out.setdefault(membership.member_id, []).append(membership)
    return out


# -- export ------------------------------------------------------------------------------
class _MembersExport:
    """The exported members with their memberships, shared by the members' sheets."""

    def __init__(self, ctx: ExportContext) -> None:
        memberships = _memberships_by_member()
        self.members: list[tuple[Member, list[Membership]]] = []
        for member in Member.objects.order_by("card_number").iterator(chunk_size=5000):
            own = memberships.get(member.pk, [])
            if ctx.unit_ids is not None and not any(m.unit_id in ctx.unit_ids for m in own):
                continue
            self.members.append((member, own))


def _export_members(ctx: ExportContext) -> list[tuple[Member, list[Membership]]]:
    return ctx.state(_MembersExport).members


def _units_by_id(ctx: ExportContext) -> dict[int, Unit]:
    return ctx.units_by_id


def dump_members(ctx: ExportContext) -> Iterable[Sequence[Any]]:
    units = _units_by_id(ctx)
    genders = dict(Gender.choices)
    levels = dict(ManagementLevel.choices)
    for member, memberships in _export_members(ctx):
        cell = units[memberships[-1].unit_id].code if memberships else ""
        yield (
            member.card_number,
            member.full_name,
            member.birth_date,
            genders[member.gender],
            member.joined_on,
            member.full_member_on,
            cell,
            levels.get(member.management_level, ""),
            "Có" if member.is_committee_member else "Không",
            "Có" if member.is_exempt else "Không",
            member.left_on,
        )


def dump_memberships(ctx: ExportContext) -> Iterable[Sequence[Any]]:
    units = _units_by_id(ctx)
    reasons = dict(MembershipReason.choices)
    for member, memberships in _export_members(ctx):
        if not memberships:
            continue
        implied = default_plan(units[memberships[-1].unit_id], member.joined_on, member.left_on)
        if _plan_of(memberships) == [implied]:
            continue
        for m in memberships:
            yield (
                member.card_number,
                m.valid_from,
                None if m.valid_to >= END_OF_TIME else m.valid_to,
                units[m.unit_id].code,
                reasons.get(m.reason_in, ""),
                reasons.get(m.reason_out, ""),
            )


# -- import ------------------------------------------------------------------------------
class _Cells:
    """When each unit was a cell, to check that memberships sit in cells."""

    def __init__(self) -> None:
        self.spans: dict[int, list[tuple[date, date]]] = {}
        for unit_id, start, end in (
            UnitVersion.objects.filter(kind__in=CELL_KINDS)
            .order_by("unit_id", "valid_from")
            .values_list("unit_id", "valid_from", "valid_to")
        ):
            spans = self.spans.setdefault(unit_id, [])
            if spans and spans[-1][1] == start:
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))

    def covers(self, unit_id: int, start: date, end: date) -> bool:
        return any(s <= start and end <= e for s, e in self.spans.get(unit_id, []))


def _collect_history(
    ctx: ImportContext, units: dict[str, Unit], cards: set[str], cells: _Cells
) -> dict[str, list[Plan]]:
    spec = MEMBERSHIPS
    grouped: dict[str, list[tuple[wb.Row, Plan]]] = {}
    for row in ctx.rows.get(spec.name, []):
        ok = True
        if row["card_number"] not in cards:
            # Said alike for a card known or not: the sheet tells nothing of the members
            # the importer does not list.
            ctx.error(
                spec,
                row,
                "card_number",
                f"số thẻ {row['card_number']} không có trong trang DangVien",
            )
            ok = False
        unit = units.get(row["cell_code"])
        if unit is None:
            ctx.error(spec, row, "cell_code", f"không có đơn vị mã {row['cell_code']}")
            ok = False
        end = row["valid_to"] or END_OF_TIME
        if end <= row["valid_from"]:
            ctx.error(spec, row, "valid_to", "đến ngày phải sau từ ngày")
            ok = False
        if ok and unit is not None:
            plan = (
                unit.pk,
                row["valid_from"],
                end,
                row["reason_in"] or MembershipReason.JOINED,
                row["reason_out"] or "",
            )
            grouped.setdefault(row["card_number"], []).append((row, plan))
    history: dict[str, list[Plan]] = {}
    for card, items in grouped.items():
        items.sort(key=lambda item: item[1][1])
        plans: list[Plan] = []
        for row, plan in items:
            if plans and plan[1] < plans[-1][2]:
                ctx.error(spec, row, "valid_from", "chồng lấn với giai đoạn sinh hoạt trước")
                continue
            if not cells.covers(plan[0], plan[1], plan[2]):
                ctx.error(
                    spec,
                    row,
                    "cell_code",
                    f"{row['cell_code']} không phải chi bộ đang hoạt động trong suốt giai đoạn này",
                )
                continue
            plans.append(plan)
        history[card] = plans
    return history


def _plan_for(
    ctx: ImportContext,
    row: wb.Row,
    cell: Unit,
    member: Member | None,
    current: list[Membership],
    history: list[Plan] | None,
) -> list[Plan] | str:
    """The memberships wanted for this row, or an error message."""
    if history is not None:
        last = history[-1]
        if last[0] != cell.pk:
            return "không khớp với giai đoạn cuối trong trang QuaTrinhSinhHoat"
        if row["left_on"] and last[2] != row["left_on"]:
            return "ngày ra khỏi Đảng không khớp với trang QuaTrinhSinhHoat"
        return history
    if member is None or not current:
        return [default_plan(cell, row["joined_on"], row["left_on"])]
    plan = _plan_of(current)
    unit_id, start, end, reason_in, reason_out = plan[-1]
    if unit_id != cell.pk:
        day = ctx.day if row["left_on"] is None else min(ctx.day, row["left_on"])
        if start < day < end or (end >= END_OF_TIME and start < day):
            plan[-1] = (unit_id, start, day, reason_in, MembershipReason.TRANSFER)
            plan.append((cell.pk, day, end, MembershipReason.TRANSFER, reason_out))
        else:
            plan[-1] = (cell.pk, start, end, reason_in, reason_out)
    unit_id, start, end, reason_in, reason_out = plan[-1]
    wanted_end = row["left_on"] or END_OF_TIME
    if end != wanted_end and (
        end >= END_OF_TIME or row["left_on"] or reason_out == MembershipReason.LEFT
    ):
        if wanted_end <= start:
            return f"ngày ra khỏi Đảng phải sau ngày bắt đầu sinh hoạt ({format_date(start)})"
        plan[-1] = (
            unit_id,
            start,
            wanted_end,
            reason_in,
            MembershipReason.LEFT if row["left_on"] else "",
        )
    return plan


def _last_cell(memberships: list[Membership]) -> int | None:
    """The cell a member stands in today, or last stood in (None: no membership)."""
    return max(memberships, key=lambda m: m.valid_from).unit_id if memberships else None


def load_members(ctx: ImportContext, rows: list[wb.Row]) -> wb.SheetResult:
    spec = DANG_VIEN
    result = wb.SheetResult()
    units = ctx.units_by_code
    cells = _Cells()
    existing = {m.card_number: m for m in Member.objects.all()}
    history = _collect_history(ctx, units, {r["card_number"] for r in rows}, cells)
    current = _memberships_by_member(
        {existing[r["card_number"]].pk for r in rows if r["card_number"] in existing}
    )
    # Writes follow the roles in force today: the cell named, and the member's cell as it
    # stands (or last stood), must be written by the importer today. This is checked first,
    # so that no message tells anything about a member outside the reach.
    reachable: set[int] | None = None
    if ctx.scope is not None:
        reachable = set(ctx.scope.writable_units(Capability.EXCHANGE).values_list("pk", flat=True))
    new_members: list[Member] = []
    updates: list[tuple[Member, dict[str, list[Any]]]] = []
    plans: dict[str, list[Plan]] = {}
    for row in rows:
        ok = True
        cell = units.get(row["cell_code"])
        member = existing.get(row["card_number"])
        if cell is None:
            ctx.error(spec, row, "cell_code", f"không có đơn vị mã {row['cell_code']}")
            continue
        if reachable is not None and (
            cell.pk not in reachable
            or (member is not None and _last_cell(current.get(member.pk, [])) not in reachable)
        ):
            ctx.error(spec, row, "cell_code", "chi bộ hoặc đảng viên ngoài phạm vi quản lý của bạn")
            continue
        if member is not None:
            row.keep_absent(member, PERSONAL_FIELDS)
        if row["joined_on"] <= row["birth_date"]:
            ctx.error(spec, row, "joined_on", "ngày vào Đảng phải sau ngày sinh")
            ok = False
        if row["full_member_on"] and row["full_member_on"] < row["joined_on"]:
            ctx.error(spec, row, "full_member_on", "ngày chính thức không được trước ngày vào Đảng")
            ok = False
        if row["left_on"] and row["left_on"] <= row["joined_on"]:
            ctx.error(spec, row, "left_on", "ngày ra khỏi Đảng phải sau ngày vào Đảng")
            ok = False
        if not ok:
            continue
        plan = _plan_for(
            ctx,
            row,
            cell,
            member,
            current.get(member.pk, []) if member else [],
            history.get(row["card_number"]),
        )
        if isinstance(plan, str):
            ctx.error(spec, row, "cell_code", plan)
            continue
        empty = next((p for p in plan if p[1] >= p[2]), None)
        if empty is not None:  # left before the cell was founded
            ctx.error(
                spec,
                row,
                "left_on",
                f"ngày ra khỏi Đảng phải sau ngày bắt đầu sinh hoạt ({format_date(empty[1])})",
            )
            continue
        bad = next((p for p in plan if not cells.covers(p[0], p[1], p[2])), None)
        if bad is not None:
            ctx.error(
                spec,
                row,
                "cell_code",
                f"{row['cell_code']} không phải chi bộ đang hoạt động từ {format_date(bad[1])}",
            )
            continue
        values = {f: row[f] for f in PERSONAL_FIELDS}
        values["management_level"] = values["management_level"] or ""
        if member is None:
            new_members.append(Member(card_number=row["card_number"], **values).fill_derived())
            plans[row["card_number"]] = plan
            result.created += 1
            continue
        diff = diff_fields(member, values)
        if diff:
            for name, value in values.items():
                setattr(member, name, value)
            member.fill_derived()
            updates.append((member, diff))
        if plan != _plan_of(current.get(member.pk, [])):
            plans[row["card_number"]] = plan
            diff = diff or {"memberships": ["(trước khi nhập)", f"{len(plan)} giai đoạn"]}
            if not updates or updates[-1][0] is not member:
                updates.append((member, diff))
        if diff:
            result.updated += 1
        else:
            result.unchanged += 1
    insert_objects(Member, new_members)
    Member.objects.bulk_update(
        [m for m, _ in updates], [*PERSONAL_FIELDS, "name_search", "name_sort"], batch_size=2000
    )
    by_card = {**existing, **{m.card_number: m for m in new_members}}
    replaced = [by_card[card].pk for card in plans if card in existing]
    for start in range(0, len(replaced), 900):
        Membership.objects.filter(member_id__in=replaced[start : start + 900]).delete()
    insert_objects(
        Membership,
        [
            Membership(
                member_id=by_card[card].pk,
                unit_id=unit_id,
                valid_from=start,
                valid_to=end,
                reason_in=reason_in,
                reason_out=reason_out,
            )
            for card, plan in plans.items()
            for unit_id, start, end, reason_in, reason_out in plan
        ],
    )
    log_bulk(Member, [(m, None) for m in new_members], actor=ctx.actor, created=True, note="import")
    log_bulk(Member, updates, actor=ctx.actor, created=False, note="import")
    return result


def load_memberships(ctx: ImportContext, rows: list[wb.Row]) -> wb.SheetResult:
    """Loaded together with DangVien (see load_members); here only the count is reported."""
    if rows and DANG_VIEN.name not in ctx.rows:
        ctx.error(MEMBERSHIPS, None, "", "trang QuaTrinhSinhHoat cần đi kèm trang DangVien")
    return wb.SheetResult(unchanged=len(rows))


DANG_VIEN = wb.registry.register(
    wb.SheetSpec(
        name="DangVien",
        title="Đảng viên",
        order=20,
        after=("DonVi",),
        columns=(
            wb.Column(
                "Số thẻ đảng viên",
                "card_number",
                wb.card,
                required=True,
                key=True,
                example="67012345",
            ),
            wb.Column(
                "Họ và tên", "full_name", wb.text, required=True, example="Nguyễn Thị Hoà", width=28
            ),
            wb.Column(
                "Ngày sinh", "birth_date", wb.date, required=True, example="12/03/1985", width=12
            ),
            wb.Column("Giới tính", "gender", GENDER, required=True, example="Nữ", width=10),
            wb.Column(
                "Ngày vào Đảng", "joined_on", wb.date, required=True, example="19/05/2010", width=14
            ),
            wb.Column("Ngày chính thức", "full_member_on", wb.date, example="19/05/2011", width=14),
            wb.Column(
                "Mã chi bộ", "cell_code", wb.code, required=True, example="DN.CUJUT.EATLING.TDP1"
            ),
            wb.Column("Diện quản lý", "management_level", LEVEL, width=14),
            wb.Column("Cấp ủy viên", "is_committee_member", wb.boolean, example="Không", width=12),
            wb.Column("Miễn sinh hoạt", "is_exempt", wb.boolean, example="Không", width=12),
            wb.Column("Ngày ra khỏi Đảng", "left_on", wb.date, width=14),
        ),
        load=load_members,
        dump=dump_members,
    )
)

MEMBERSHIPS = wb.registry.register(
    wb.SheetSpec(
        name="QuaTrinhSinhHoat",
        title="Quá trình sinh hoạt (chuyển sinh hoạt giữa các chi bộ)",
        order=21,
        after=("DangVien",),
        extension=True,
        columns=(
            wb.Column("Số thẻ đảng viên", "card_number", wb.card, required=True, key=True),
            wb.Column("Từ ngày", "valid_from", wb.date, required=True, key=True, width=14),
            wb.Column(
                "Đến ngày", "valid_to", wb.date, width=14, note="Để trống nếu đang sinh hoạt"
            ),
            wb.Column("Mã chi bộ", "cell_code", wb.code, required=True),
            wb.Column("Lý do đến", "reason_in", REASON, width=18),
            wb.Column("Lý do đi", "reason_out", REASON, width=18),
        ),
        load=load_memberships,
        dump=dump_memberships,
    )
)
