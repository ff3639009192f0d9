"""Writes of branch meetings: plan, record as held with attendance; each meeting judged
against the regime in force for its month when it is saved."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple, Protocol

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from dangvu.accounts.models import User
from dangvu.core import reference
from dangvu.core.bulk import insert_rows, next_ids
from dangvu.core.errors import DomainError
from dangvu.indicators import services_tallies as tallies
from dangvu.meetings.models import Meeting, MeetingAttendance, MeetingKind, MeetingRule, Quality
from dangvu.members.models import Member, Membership
from dangvu.units.models import CELL_KINDS, Unit, UnitVersion
from dangvu.units.spans import UnitSpans

NOT_A_CELL = "{unit} không phải chi bộ đang hoạt động trong tháng {month:%m/%Y}."
HELD_OUTSIDE = "Ngày sinh hoạt phải trong tháng {month:%m/%Y}."
HELD_IN_FUTURE = "Ngày sinh hoạt không được sau hôm nay."
DURATION_NEEDED = "Cần ghi thời lượng buổi sinh hoạt (phút)."
REGULAR_TAKEN = "Chi bộ đã có buổi sinh hoạt thường kỳ tháng {month:%m/%Y}."
NOT_IN_CELL = "{name} không sinh hoạt tại chi bộ này trong tháng {month:%m/%Y}."
REASON_NEEDED = "Cần ghi lý do vắng của {name}."
#: The reason recorded for an absence the member gave no reason for (vắng không lý do).
NO_REASON = "Không có lý do"
DOCUMENTS_AFTER = "Ngày gửi tài liệu không được sau ngày sinh hoạt."
MINUTES_TYPE = "Tệp biên bản phải là PDF, Word (.doc, .docx) hoặc ảnh (.jpg, .png)."
MINUTES_SIZE = "Tệp biên bản quá lớn (tối đa 10 MB)."
KIND_UNKNOWN = "Loại buổi sinh hoạt không hợp lệ."
QUALITY_UNKNOWN = "Mức tự đánh giá không hợp lệ."
MINUTES_TYPES = (".pdf", ".doc", ".docx", ".jpg", ".jpeg", ".png")
MINUTES_MAX = 10 * 1024 * 1024


def check_minutes_file(upload: UploadedFile) -> None:
    if not (upload.name or "").lower().endswith(MINUTES_TYPES):
        raise DomainError(MINUTES_TYPE)
    if (upload.size or 0) > MINUTES_MAX:
        raise DomainError(MINUTES_SIZE)


def first_of(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def rule_for(month: date) -> MeetingRule:
    """The meeting regime of `month` (reference data, read without a query)."""
    rules = reference.loaded("meetings.MeetingRule", MeetingRule.objects.all)
    return reference.in_force(rules, month, "chế độ sinh hoạt")


class Judged(Protocol):
    """What `judge` reads of a meeting (a saved one, or a row of the bulk path)."""

    @property
    def month(self) -> date: ...
    @property
    def planned_at(self) -> date | None: ...
    @property
    def held_on(self) -> date | None: ...
    @property
    def duration_minutes(self) -> int | None: ...
    @property
    def documents_sent_on(self) -> date | None: ...


def judge(meeting: Judged, rule: MeetingRule) -> list[str]:
    """What keeps a held regular meeting from meeting the regime (empty: it does)."""
    if meeting.held_on is None:
        return ["chưa tổ chức"]
    out = []
    if meeting.planned_at is None or meeting.planned_at >= meeting.month:
        out.append("kế hoạch không nhập trước tháng")
    if rule.min_minutes and (meeting.duration_minutes or 0) < rule.min_minutes:
        out.append(f"dưới {rule.min_minutes} phút")
    if rule.documents_days_before is not None and (
        meeting.documents_sent_on is None
        or meeting.documents_sent_on > meeting.held_on - timedelta(days=rule.documents_days_before)
    ):
        out.append(f"tài liệu không gửi trước {rule.documents_days_before} ngày")
    return out


@dataclass(frozen=True)
class MeetingSpec:
    unit: Unit
    kind: str
    month: date
    planned_on: date | None = None
    topics: str = ""
    documents_sent_on: date | None = None
    held_on: date | None = None
    duration_minutes: int | None = None
    minutes: str = ""
    quality: str = ""
    upper_member: Member | None = None
    upper_attended: bool = False
    #: member id → (present, reason for absence)
    attendance: Mapping[int, tuple[bool, str]] = field(default_factory=dict)


def members_in(unit: Unit, month: date) -> list[Member]:
    """The members active in the cell at some time in the month."""
    ids = Membership.objects.overlapping(month, next_month(month)).filter(unit=unit)
    return list(Member.objects.filter(pk__in=ids.values("member_id")).order_by("name_sort"))


def check_cell(version_kind: str | None, unit_code: str, month: date) -> None:
    """The unit is a cell standing in the month (`version_kind`: its kind then, or None)."""
    if version_kind is None or version_kind not in CELL_KINDS:
        raise DomainError(NOT_A_CELL.format(unit=unit_code, month=month))


def check_row(
    *,
    kind: str,
    month: date,
    quality: str,
    held_on: date | None,
    duration_minutes: int | None,
    documents_sent_on: date | None,
    today: date,
) -> None:
    """The rules of one meeting's own fields, on the page and in bulk alike."""
    if kind not in MeetingKind.values:
        raise DomainError(KIND_UNKNOWN)
    if quality and quality not in Quality.values:
        raise DomainError(QUALITY_UNKNOWN)
    if held_on is not None:
        if first_of(held_on) != month:
            raise DomainError(HELD_OUTSIDE.format(month=month))
        if held_on > today:
            raise DomainError(HELD_IN_FUTURE)
        if not duration_minutes:
            raise DomainError(DURATION_NEEDED)
        if documents_sent_on and documents_sent_on > held_on:
            raise DomainError(DOCUMENTS_AFTER)


def check_attendance(
    members: Mapping[int, Member], attendance: Mapping[int, tuple[bool, str]], month: date
) -> None:
    """Every member listed was in the cell in the month; every absence has a reason."""
    for member_id, (present, reason) in attendance.items():
        if member_id not in members:
            stranger = Member.objects.filter(pk=member_id).first()
            name = stranger.full_name if stranger else f"Đảng viên #{member_id}"
            raise DomainError(NOT_IN_CELL.format(name=name, month=month))
        if not present and not reason.strip():
            raise DomainError(REASON_NEEDED.format(name=members[member_id].full_name))


def check(spec: MeetingSpec, existing: Meeting | None = None) -> None:
    month = first_of(spec.month)
    version = UnitVersion.objects.as_of(month).filter(unit=spec.unit).first() or (
        UnitVersion.objects.overlapping(month, next_month(month)).filter(unit=spec.unit).first()
    )
    check_cell(version.kind if version else None, spec.unit.code, month)
    check_row(
        kind=spec.kind,
        month=month,
        quality=spec.quality,
        held_on=spec.held_on,
        duration_minutes=spec.duration_minutes,
        documents_sent_on=spec.documents_sent_on,
        today=timezone.localdate(),
    )
    if spec.kind == MeetingKind.REGULAR:
        taken = Meeting.objects.filter(unit=spec.unit, month=month, kind=MeetingKind.REGULAR)
        if existing is not None:
            taken = taken.exclude(pk=existing.pk)
        if taken.exists():
            raise DomainError(REGULAR_TAKEN.format(month=month))
    members = {m.pk: m for m in members_in(spec.unit, month)}
    check_attendance(members, spec.attendance, month)


@transaction.atomic
def meeting_save(
    *,
    spec: MeetingSpec,
    actor: User | None = None,
    existing: Meeting | None = None,
    minutes_file: UploadedFile | None = None,
) -> Meeting:
    """Plan a meeting or record it as held (with attendance and, if given, the file of its
    minutes); judged against the regime."""
    check(spec, existing)
    if minutes_file is not None:
        check_minutes_file(minutes_file)
    month = first_of(spec.month)
    before = (existing.unit_id, existing.held_on) if existing else (None, None)
    meeting = existing or Meeting(unit=spec.unit, kind=spec.kind, month=month)
    if meeting.planned_at is None and (spec.topics.strip() or spec.planned_on):
        meeting.planned_at = timezone.localdate()
    meeting.kind, meeting.month = spec.kind, month
    meeting.planned_on, meeting.topics = spec.planned_on, spec.topics.strip()
    meeting.documents_sent_on, meeting.held_on = spec.documents_sent_on, spec.held_on
    meeting.duration_minutes, meeting.minutes = spec.duration_minutes, spec.minutes.strip()
    meeting.quality = spec.quality
    meeting.upper_member, meeting.upper_attended = spec.upper_member, spec.upper_attended
    meeting.recorded_by = actor
    if minutes_file is not None:
        meeting.minutes_file.save(minutes_file.name or "bien-ban", minutes_file, save=False)
    shortfalls = judge(meeting, rule_for(month))
    meeting.compliant = not shortfalls
    meeting.shortfalls = "; ".join(shortfalls)
    meeting.save()
    tallies.touched(Meeting, [before[0], meeting.unit_id], [before[1], meeting.held_on])
    if spec.attendance:
        MeetingAttendance.objects.filter(meeting=meeting).delete()
        MeetingAttendance.objects.bulk_create(
            [
                MeetingAttendance(
                    meeting=meeting, member_id=m, present=p, absence_reason="" if p else r.strip()
                )
                for m, (p, r) in spec.attendance.items()
            ]
        )
    return meeting


# -- in bulk (the demo; a loader) ---------------------------------------------------------
class MeetingRow(NamedTuple):
    """A meeting for the bulk path (`meetings_create`): the unit by id, the first of its
    month, and the day its plan was entered (`planned_at`; None: no plan)."""

    unit_id: int
    kind: str
    month: date
    planned_at: date | None
    planned_on: date | None = None
    topics: str = ""
    documents_sent_on: date | None = None
    held_on: date | None = None
    duration_minutes: int | None = None
    minutes: str = ""
    quality: str = ""
    upper_attended: bool = False


_MEETING_FIELDS = [
    "id",
    "unit",
    "kind",
    "month",
    "planned_at",
    "planned_on",
    "topics",
    "documents_sent_on",
    "held_on",
    "duration_minutes",
    "minutes",
    "quality",
    "upper_attended",
    "compliant",
    "shortfalls",
    "minutes_file",
    "recorded_by",
]


def _check_rows(rows: Sequence[MeetingRow], today: date) -> None:
    """`check` for many meetings: the same rules, with the cells' versions and the regular
    meetings already held read once."""
    spans = UnitSpans(r.unit_id for r in rows)
    taken = set(
        Meeting.objects.filter(
            unit_id__in={r.unit_id for r in rows}, kind=MeetingKind.REGULAR
        ).values_list("unit_id", "month")
    )
    for r in rows:
        version = spans.on(r.unit_id, r.month) or spans.overlapping(
            r.unit_id, r.month, next_month(r.month)
        )
        check_cell(version.kind if version else None, spans.code(r.unit_id), r.month)
        check_row(
            kind=r.kind,
            month=r.month,
            quality=r.quality,
            held_on=r.held_on,
            duration_minutes=r.duration_minutes,
            documents_sent_on=r.documents_sent_on,
            today=today,
        )
        if r.kind == MeetingKind.REGULAR:
            if (r.unit_id, r.month) in taken:
                raise DomainError(REGULAR_TAKEN.format(month=r.month))
            taken.add((r.unit_id, r.month))


@transaction.atomic
def meetings_create(*, rows: Sequence[MeetingRow], actor: User | None = None) -> int:
    """Record many meetings at once (planned or held), by the rules of `meeting_save` and
    judged against the regime of their month like it; all or nothing."""
    rows = [r if r.month.day == 1 else r._replace(month=first_of(r.month)) for r in rows]
    _check_rows(rows, timezone.localdate())
    rules: dict[date, MeetingRule] = {}
    ids = iter(next_ids(Meeting, len(rows)))
    recorder = actor.pk if actor else None
    out = []
    for r in rows:
        rule = rules.get(r.month) or rules.setdefault(r.month, rule_for(r.month))
        shortfalls = judge(r, rule)
        out.append((next(ids), *r, not shortfalls, "; ".join(shortfalls), "", recorder))
    written = insert_rows(Meeting, _MEETING_FIELDS, out)
    tallies.touched(Meeting, {r.unit_id for r in rows}, {r.held_on for r in rows})
    return written


class AttendanceRow(NamedTuple):
    """A member at a meeting, for `attendance_record`."""

    meeting_id: int
    member_id: int
    present: bool
    absence_reason: str = ""


@transaction.atomic
def attendance_record(*, rows: Sequence[AttendanceRow]) -> int:
    """Record the attendance of many held meetings at once, by the rules of `meeting_save`
    (members of the cell in the month; a reason for each absence); all or nothing."""
    by_meeting: dict[int, dict[int, tuple[bool, str]]] = defaultdict(dict)
    for r in rows:
        by_meeting[r.meeting_id][r.member_id] = (r.present, r.absence_reason)
    for meeting in Meeting.objects.filter(pk__in=by_meeting).select_related("unit"):
        members = {m.pk: m for m in members_in(meeting.unit, meeting.month)}
        check_attendance(members, by_meeting[meeting.pk], meeting.month)
    return insert_rows(
        MeetingAttendance,
        ["meeting", "member", "present", "absence_reason"],
        (
            (r.meeting_id, r.member_id, r.present, "" if r.present else r.absence_reason.strip())
            for r in rows
        ),
    )
