"""Sheets of the exchange workbook for members: `DangVien` (shared format) and dangvu's
own `QuaTrinhSinhHoat` (membership history). Without the history sheet a member is taken
to be active in `Mã chi bộ` from joining (or the cell's founding) until leaving; a changed
cell for a known member is a transfer on the day of the import.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from dangvu.core.effective import END_OF_TIME
from dangvu.exchange import workbook as wb
from dangvu.exchange.context import CHUNK, ExportContext, ImportContext
from dangvu.lib.dates import format_date
from dangvu.members.models import Gender, ManagementLevel, Member, Membership, MembershipReason
from dangvu.members.services.bulk import (
    PERSONAL_FIELDS,
    ROW_CARD_NOT_LISTED,
    ROW_HISTORY_ALONE,
    ROW_HISTORY_MISMATCH,
    ROW_LEFT_BEFORE_START,
    ROW_LEFT_MISMATCH,
    ROW_NOT_A_CELL_DURING,
    ROW_OUTSIDE_REACH,
    ROW_OVERLAP,
    ROW_PERIOD_ORDER,
    MemberData,
    MemberWrite,
    Stint,
    check_member_dates,
    check_stints,
    default_stint,
    members_write,
)
from dangvu.units.models import Unit
from dangvu.units.services.bulk import ROW_UNKNOWN_UNIT, CellSpans, RowProblem

GENDER = wb.choice(Gender.choices)
LEVEL = wb.choice(ManagementLevel.choices)
REASON = wb.choice(MembershipReason.choices)


def default_plan(cell: Unit, joined_on: date, left_on: date | None) -> Stint:
    """The membership a DangVien row implies when no history is given."""
    return default_stint(cell.pk, cell.founded_on, joined_on, left_on)


def _stint(m: Membership) -> Stint:
    return Stint(m.unit_id, m.valid_from, m.valid_to, m.reason_in, m.reason_out)


def _plan_of(memberships: Sequence[Membership]) -> list[Stint]:
    return [_stint(m) for m in memberships]


def _memberships_by_member(member_ids: set[int] | None = None) -> dict[int, list[Membership]]:
    """The memberships of these members (of everyone: None), in order, by member."""
    out: dict[int, list[Membership]] = {}
    qs = Membership.objects.order_by("member_id", "valid_from")
    if member_ids is None:
        for membership in qs.iterator(chunk_size=5000):
            out.setdefault(membership.member_id, []).append(membership)
        return out
    ids = sorted(member_ids)
    for start in range(0, len(ids), CHUNK):
        for membership in qs.filter(member_id__in=ids[start : start + CHUNK]):
            out.setdefault(membership.member_id, []).append(membership)
    return out


def _cell_spans(unit_ids: set[int]) -> CellSpans:
    """When each of these units was a cell, looked up in chunks."""
    ids = sorted(unit_ids)
    cells = CellSpans([])
    for start in range(0, len(ids), CHUNK):
        cells.spans.update(CellSpans(ids[start : start + CHUNK]).spans)
    return cells


def _members_by_card(cards: set[str]) -> dict[str, Member]:
    """The members holding these card numbers, looked up in chunks."""
    wanted = sorted(cards)
    found: dict[str, Member] = {}
    for start in range(0, len(wanted), CHUNK):
        for member in Member.objects.filter(card_number__in=wanted[start : start + CHUNK]):
            found[member.card_number] = member
    return found


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
def _history_stint(
    ctx: ImportContext, row: wb.Row, units: dict[str, Unit], cards: set[str]
) -> Stint | None:
    """A QuaTrinhSinhHoat row as a membership, or None (its problems reported)."""
    spec = MEMBERSHIPS
    ok = True
    if row["card_number"] not in cards:
        ctx.error(spec, row, "card_number", ROW_CARD_NOT_LISTED.format(card=row["card_number"]))
        ok = False
    unit = units.get(row["cell_code"])
    if unit is None:
        ctx.error(spec, row, "cell_code", ROW_UNKNOWN_UNIT.format(code=row["cell_code"]))
        ok = False
    end = row["valid_to"] or END_OF_TIME
    if end <= row["valid_from"]:
        ctx.error(spec, row, "valid_to", ROW_PERIOD_ORDER)
        ok = False
    if not ok or unit is None:
        return None
    reason_in = row["reason_in"] or MembershipReason.JOINED
    return Stint(unit.pk, row["valid_from"], end, reason_in, row["reason_out"] or "")


def _collect_history(
    ctx: ImportContext, units: dict[str, Unit], cards: set[str], cells: CellSpans
) -> dict[str, list[Stint]]:
    grouped: dict[str, list[tuple[wb.Row, Stint]]] = {}
    for row in ctx.rows.get(MEMBERSHIPS.name, []):
        stint = _history_stint(ctx, row, units, cards)
        if stint is not None:
            grouped.setdefault(row["card_number"], []).append((row, stint))
    history: dict[str, list[Stint]] = {}
    for card, items in grouped.items():
        items.sort(key=lambda item: item[1].valid_from)
        stints: list[Stint] = []
        for row, stint in items:
            if stints and stint.valid_from < stints[-1].valid_to:
                ctx.error(MEMBERSHIPS, row, "valid_from", ROW_OVERLAP)
            elif not cells.covers(*stint[:3]):
                message = ROW_NOT_A_CELL_DURING.format(code=row["cell_code"])
                ctx.error(MEMBERSHIPS, row, "cell_code", message)
            else:
                stints.append(stint)
        history[card] = stints
    return history


def _transferred(ctx: ImportContext, row: wb.Row, plan: list[Stint], cell: Unit) -> None:
    """A known member named in another cell moves there on the day of the import."""
    last = plan[-1]
    if last.unit_id == cell.pk:
        return
    day = ctx.day if row["left_on"] is None else min(ctx.day, row["left_on"])
    if last.valid_from < day < last.valid_to or (
        last.valid_to >= END_OF_TIME and last.valid_from < day
    ):
        plan[-1] = last._replace(valid_to=day, reason_out=MembershipReason.TRANSFER)
        plan.append(
            last._replace(unit_id=cell.pk, valid_from=day, reason_in=MembershipReason.TRANSFER)
        )
    else:
        plan[-1] = last._replace(unit_id=cell.pk)


def _plan_for(
    ctx: ImportContext,
    row: wb.Row,
    cell: Unit,
    current: list[Stint],
    history: list[Stint] | None,
) -> list[Stint] | RowProblem:
    """The memberships wanted for this row, or the problem."""
    card = row["card_number"]
    if history is not None:
        if history[-1].unit_id != cell.pk:
            return RowProblem(card, "cell_code", ROW_HISTORY_MISMATCH)
        if row["left_on"] and history[-1].valid_to != row["left_on"]:
            return RowProblem(card, "cell_code", ROW_LEFT_MISMATCH)
        return history
    if not current:
        return [default_stint(cell.pk, cell.founded_on, row["joined_on"], row["left_on"])]
    plan = list(current)
    _transferred(ctx, row, plan, cell)
    last = plan[-1]
    wanted_end = row["left_on"] or END_OF_TIME
    if last.valid_to != wanted_end and (
        last.valid_to >= END_OF_TIME or row["left_on"] or last.reason_out == MembershipReason.LEFT
    ):
        if wanted_end <= last.valid_from:
            start = format_date(last.valid_from)
            return RowProblem(card, "cell_code", ROW_LEFT_BEFORE_START.format(start=start))
        reason_out = MembershipReason.LEFT if row["left_on"] else ""
        plan[-1] = last._replace(valid_to=wanted_end, reason_out=reason_out)
    return plan


class _MembersImport:
    """What the DangVien row checks share: cells, members on record and their stints."""

    def __init__(self, ctx: ImportContext, rows: list[wb.Row]) -> None:
        cards = {r["card_number"] for r in rows}
        # The members the sheet names, and their memberships: never the whole table.
        self.existing = _members_by_card(cards)
        listed = {m.pk for m in self.existing.values()}
        self.current = {
            pk: [_stint(m) for m in memberships]
            for pk, memberships in _memberships_by_member(listed).items()
        }
        # When each unit the rows may place a member in was a cell: the units the
        # workbook names and those the listed members stand in.
        units = {u.pk for u in ctx.units_by_code.values()}
        units.update(s.unit_id for stints in self.current.values() for s in stints)
        self.cells = _cell_spans(units)
        self.history = _collect_history(ctx, ctx.units_by_code, cards, self.cells)

    def stints(self, member: Member | None) -> list[Stint]:
        return self.current.get(member.pk, []) if member is not None else []

    def reaches(self, ctx: ImportContext, cell: Unit, member: Member | None) -> bool:
        """The cell named, and the member's cell as it stands (or last stood), are written
        by the importer today. Asked first: no message tells of a member outside."""
        stints = self.stints(member)
        last = max(stints, key=lambda s: s.valid_from).unit_id if stints else None
        return ctx.writes(cell.pk) and (last is None or ctx.writes(last))


def _member_data(row: wb.Row) -> MemberData:
    values = {f: row[f] for f in PERSONAL_FIELDS}
    values["management_level"] = values["management_level"] or ""
    return MemberData(card_number=row["card_number"], **values)


def _member_write(ctx: ImportContext, state: _MembersImport, row: wb.Row) -> MemberWrite | None:
    """The write a DangVien row asks for, or None (its problems reported)."""
    card = row["card_number"]
    cell = ctx.units_by_code.get(row["cell_code"])
    if cell is None:
        ctx.error(DANG_VIEN, row, "cell_code", ROW_UNKNOWN_UNIT.format(code=row["cell_code"]))
        return None
    member = state.existing.get(card)
    if not state.reaches(ctx, cell, member):
        ctx.error(DANG_VIEN, row, "cell_code", ROW_OUTSIDE_REACH)
        return None
    if member is not None:
        row.keep_absent(member, PERSONAL_FIELDS)
    data = _member_data(row)
    dates = {f: getattr(data, f) for f in ("birth_date", "joined_on", "full_member_on", "left_on")}
    problems = check_member_dates(key=card, **dates)
    if not problems:
        plan = _plan_for(ctx, row, cell, state.stints(member), state.history.get(card))
        problems = (
            [plan]
            if isinstance(plan, RowProblem)
            else check_stints(plan, key=card, cell_code=row["cell_code"], cells=state.cells)
        )
    for problem in problems:
        ctx.error(DANG_VIEN, row, problem.field, problem.message)
    if problems:
        return None
    assert not isinstance(plan, RowProblem)
    unchanged = member is not None and plan == state.stints(member)
    return MemberWrite(data, None if unchanged else plan, member)


def load_members(ctx: ImportContext, rows: list[wb.Row]) -> wb.SheetResult:
    state = _MembersImport(ctx, rows)
    writes = [w for w in (_member_write(ctx, state, row) for row in rows) if w is not None]
    written = members_write(writes=writes, actor=ctx.actor)
    return wb.SheetResult(
        created=len(written.created), updated=len(written.updated), unchanged=written.unchanged
    )


def load_memberships(ctx: ImportContext, rows: list[wb.Row]) -> wb.SheetResult:
    """Loaded together with DangVien (see load_members); here only the count is reported."""
    if rows and DANG_VIEN.name not in ctx.rows:
        ctx.error(MEMBERSHIPS, None, "", ROW_HISTORY_ALONE)
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
