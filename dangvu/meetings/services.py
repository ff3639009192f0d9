"""Writes of branch meetings: plan, record as held with attendance; each meeting judged
against the regime in force for its month when it is saved."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from dangvu.accounts.models import User
from dangvu.core import reference
from dangvu.core.errors import DomainError
from dangvu.meetings.models import Meeting, MeetingAttendance, MeetingKind, MeetingRule, Quality
from dangvu.members.models import Member, Membership
from dangvu.units.models import CELL_KINDS, Unit, UnitVersion

NOT_A_CELL = "{unit} không phải chi bộ đang hoạt động trong tháng {month:%m/%Y}."
HELD_OUTSIDE = "Ngày sinh hoạt phải trong tháng {month:%m/%Y}."
HELD_IN_FUTURE = "Ngày sinh hoạt không được sau hôm nay."
DURATION_NEEDED = "Cần ghi thời lượng buổi sinh hoạt (phút)."
REGULAR_TAKEN = "Chi bộ đã có buổi sinh hoạt thường kỳ tháng {month:%m/%Y}."
NOT_IN_CELL = "{name} không sinh hoạt tại chi bộ này trong tháng {month:%m/%Y}."
REASON_NEEDED = "Cần ghi lý do vắng của {name}."
DOCUMENTS_AFTER = "Ngày gửi tài liệu không được sau ngày sinh hoạt."
MINUTES_TYPE = "Tệp biên bản phải là PDF, Word (.doc, .docx) hoặc ảnh (.jpg, .png)."
MINUTES_SIZE = "Tệp biên bản quá lớn (tối đa 10 MB)."
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


def judge(meeting: Meeting, rule: MeetingRule) -> list[str]:
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
    end = next_month(month)
    ids = Membership.objects.filter(unit=unit, valid_from__lt=end, valid_to__gt=month).values(
        "member_id"
    )
    return list(Member.objects.filter(pk__in=ids).order_by("name_sort"))


def check(spec: MeetingSpec, existing: Meeting | None = None) -> None:
    month = first_of(spec.month)
    version = UnitVersion.objects.as_of(month).filter(unit=spec.unit).first() or (
        UnitVersion.objects.filter(
            unit=spec.unit, valid_from__lt=next_month(month), valid_to__gt=month
        ).first()
    )
    if version is None or version.kind not in CELL_KINDS:
        raise DomainError(NOT_A_CELL.format(unit=spec.unit.code, month=month))
    if spec.kind not in MeetingKind.values:
        raise DomainError("Loại buổi sinh hoạt không hợp lệ.")
    if spec.quality and spec.quality not in Quality.values:
        raise DomainError("Mức tự đánh giá không hợp lệ.")
    if spec.held_on is not None:
        if first_of(spec.held_on) != month:
            raise DomainError(HELD_OUTSIDE.format(month=month))
        if spec.held_on > timezone.localdate():
            raise DomainError(HELD_IN_FUTURE)
        if not spec.duration_minutes:
            raise DomainError(DURATION_NEEDED)
        if spec.documents_sent_on and spec.documents_sent_on > spec.held_on:
            raise DomainError(DOCUMENTS_AFTER)
    if spec.kind == MeetingKind.REGULAR:
        taken = Meeting.objects.filter(unit=spec.unit, month=month, kind=MeetingKind.REGULAR)
        if existing is not None:
            taken = taken.exclude(pk=existing.pk)
        if taken.exists():
            raise DomainError(REGULAR_TAKEN.format(month=month))
    members = {m.pk: m for m in members_in(spec.unit, month)}
    for member_id, (present, reason) in spec.attendance.items():
        if member_id not in members:
            stranger = Member.objects.filter(pk=member_id).first()
            name = stranger.full_name if stranger else f"Đảng viên #{member_id}"
            raise DomainError(NOT_IN_CELL.format(name=name, month=month))
        if not present and not reason.strip():
            raise DomainError(REASON_NEEDED.format(name=members[member_id].full_name))


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
