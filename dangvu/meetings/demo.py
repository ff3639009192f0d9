"""Demo: every cell's monthly meetings from July 2018 to last month, with a realistic share
of meetings missed, planned late or cut short, a thematic meeting in most quarters, and
the demo cell's attendance over the last twelve months."""

from __future__ import annotations

import random
from datetime import date, timedelta

from dangvu.demo.registry import PERIOD_START, DemoContext, demo_step
from dangvu.meetings import services
from dangvu.meetings.models import Meeting, MeetingKind, MeetingRule, Quality
from dangvu.meetings.services import AttendanceRow, MeetingRow
from dangvu.units.models import CELL_KINDS, UnitVersion

#: Most cells keep the regime; a weak minority misses months now and then.
WEAK_CELLS, MISSED_WHEN_WEAK, LATE_PLAN, SHORT = 0.12, 0.15, 0.03, 0.06
THEMATIC_HELD = 0.9
TOPICS = (
    "Quán triệt nghị quyết của cấp ủy cấp trên; kiểm điểm việc thực hiện nhiệm vụ tháng.",
    "Nhận diện biểu hiện suy thoái, “tự diễn biến”, “tự chuyển hóa” trong chi bộ.",
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.",
    "Công tác phát triển đảng viên; thu nộp đảng phí.",
)


def _months(first: date, last: date) -> list[date]:
    out, month = [], first
    while month < last:
        out.append(month)
        month = services.next_month(month)
    return out


@demo_step(order=470, label="Sinh hoạt chi bộ hằng tháng từ 07/2018")
def build_meetings(ctx: DemoContext) -> None:
    rng = random.Random(ctx.seed * 19 + 4)
    this_month = services.first_of(ctx.today)
    months = _months(services.first_of(PERIOD_START), this_month)
    rules: dict[date, MeetingRule] = {m: services.rule_for(m) for m in months}
    rows: list[MeetingRow] = []
    weak: dict[int, bool] = {}
    for version in UnitVersion.objects.filter(kind__in=CELL_KINDS).order_by(
        "unit_id", "valid_from"
    ):
        is_weak = weak.setdefault(version.unit_id, rng.random() < WEAK_CELLS)
        for month in months:
            if not version.valid_from <= month < version.valid_to:
                continue
            rows.extend(_month_of(rng, version.unit_id, month, rules[month], is_weak))
        plan = services.next_month(months[-1])
        if version.valid_from <= plan < version.valid_to and rng.random() < 0.6:
            rows.append(_plan_only(rng, version.unit_id, plan))
    services.meetings_create(rows=rows)
    _attendance(ctx, rng, this_month)
    ctx.summary["meetings"] = len(rows)


def _month_of(
    rng: random.Random, unit_id: int, month: date, rule: MeetingRule, weak: bool
) -> list[MeetingRow]:
    out = []
    if not weak or rng.random() >= MISSED_WHEN_WEAK:
        out.append(_held(rng, unit_id, month, rule, MeetingKind.REGULAR))
    if month.month % 3 == 2 and rng.random() < THEMATIC_HELD:
        out.append(_held(rng, unit_id, month, rule, MeetingKind.THEMATIC))
    return out


def _held(
    rng: random.Random, unit_id: int, month: date, rule: MeetingRule, kind: str
) -> MeetingRow:
    held = month + timedelta(days=rng.randrange(2, 26))
    planned_at = month - timedelta(days=rng.randrange(1, 8))
    if rng.random() < LATE_PLAN:
        planned_at = month + timedelta(days=rng.randrange(0, max(1, (held - month).days)))
    duration = rng.randrange(90, 150)
    if rng.random() < SHORT:
        duration = rng.randrange(50, 90)
    documents = held - timedelta(
        days=rng.choice([1, 2, 3, 3, 0] if rule.documents_days_before else [0, 1, 2])
    )
    return MeetingRow(
        unit_id=unit_id,
        kind=kind,
        month=month,
        planned_at=planned_at,
        planned_on=held,
        topics=rng.choice(TOPICS),
        documents_sent_on=documents,
        held_on=held,
        duration_minutes=duration,
        quality=rng.choice([Quality.GOOD, Quality.GOOD, Quality.FAIR, Quality.AVERAGE]),
        upper_attended=rng.random() < 0.3,
    )


def _plan_only(rng: random.Random, unit_id: int, month: date) -> MeetingRow:
    planned = month + timedelta(days=rng.randrange(5, 20))
    return MeetingRow(
        unit_id=unit_id,
        kind=MeetingKind.REGULAR,
        month=month,
        planned_on=planned,
        topics=rng.choice(TOPICS),
        planned_at=month - timedelta(days=rng.randrange(1, 6)),
    )


def _attendance(ctx: DemoContext, rng: random.Random, this_month: date) -> None:
    """The demo cell's members at its meetings of the last twelve months."""
    cell = ctx.personas["secretary"].memberships.order_by("-valid_from").first().unit
    first = this_month.replace(year=this_month.year - 1)
    rows = []
    for meeting in Meeting.objects.filter(unit=cell, month__gte=first, held_on__isnull=False):
        for member in services.members_in(cell, meeting.month):
            present = rng.random() < 0.92
            rows.append(
                AttendanceRow(
                    meeting_id=meeting.pk,
                    member_id=member.pk,
                    present=present,
                    absence_reason=""
                    if present
                    else rng.choice(["Ốm", "Đi công tác", "Việc gia đình"]),
                )
            )
    services.attendance_record(rows=rows)
