"""Writes of supervisions. Every refusal is a DomainError in Vietnamese, before any write."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from dangvu.accounts.models import User
from dangvu.core.errors import DomainError
from dangvu.supervision.models import FrontLevel, FrontOrganisation, Supervision
from dangvu.units.models import Unit, UnitKind, UnitVersion

LEVEL_KINDS = {
    FrontLevel.PROVINCE: {UnitKind.PROVINCE},
    FrontLevel.DISTRICT: {UnitKind.DIRECT},
    FrontLevel.COMMUNE: {
        UnitKind.GRASSROOTS_COMMITTEE,
        UnitKind.GRASSROOTS_CELL,
        UnitKind.PARTIAL_COMMITTEE,
        UnitKind.CELL,
    },
}
CODE_TAKEN = "Mã cuộc giám sát {code} đã có."
CODE_NEEDED = "Cần ghi mã cuộc giám sát."
SUBJECT_NEEDED = "Cần ghi nội dung giám sát."
UNIT_NOT_STANDING = "Đơn vị {unit} không hoạt động vào ngày {day:%d/%m/%Y}."
LEVEL_MISMATCH = "Cuộc giám sát cấp {level} phải ghi tại {kinds}, không phải {kind}."
FOLLOW_UP_BEFORE = "Ngày báo cáo thực hiện kiến nghị không được trước ngày giám sát."


def level_fits(level: str, kind: str) -> bool:
    return kind in LEVEL_KINDS.get(FrontLevel(level), set())


@dataclass(frozen=True)
class SupervisionSpec:
    code: str
    held_on: date
    level: str
    organisation: str
    unit: Unit
    subject: str
    findings: str = ""
    recommendations: str = ""
    follow_up: str = ""
    followed_up_on: date | None = None


def check(spec: SupervisionSpec) -> None:
    if not spec.code.strip():
        raise DomainError(CODE_NEEDED)
    if not spec.subject.strip():
        raise DomainError(SUBJECT_NEEDED)
    if spec.level not in FrontLevel.values or spec.organisation not in FrontOrganisation.values:
        raise DomainError("Cấp chủ trì hoặc tổ chức chủ trì không hợp lệ.")
    version = UnitVersion.objects.as_of(spec.held_on).filter(unit=spec.unit).first()
    if version is None:
        raise DomainError(UNIT_NOT_STANDING.format(unit=spec.unit.code, day=spec.held_on))
    if not level_fits(spec.level, version.kind):
        kinds = ", ".join(
            sorted(UnitKind(k).label.lower() for k in LEVEL_KINDS[FrontLevel(spec.level)])
        )
        raise DomainError(
            LEVEL_MISMATCH.format(
                level=FrontLevel(spec.level).label.lower(),
                kinds=kinds,
                kind=version.get_kind_display().lower(),
            )
        )
    if spec.followed_up_on is not None and spec.followed_up_on < spec.held_on:
        raise DomainError(FOLLOW_UP_BEFORE)


@transaction.atomic
def supervision_save(
    *, spec: SupervisionSpec, actor: User | None = None, existing: Supervision | None = None
) -> Supervision:
    """Record a supervision, or correct one (`existing`)."""
    check(spec)
    code = spec.code.strip()
    taken = Supervision.objects.filter(code=code)
    if existing is not None:
        taken = taken.exclude(pk=existing.pk)
    if taken.exists():
        raise DomainError(CODE_TAKEN.format(code=code))
    record = existing or Supervision(created_by=actor)
    record.code, record.held_on, record.level = code, spec.held_on, spec.level
    record.organisation, record.unit = spec.organisation, spec.unit
    record.subject, record.findings = spec.subject.strip(), spec.findings.strip()
    record.recommendations, record.follow_up = spec.recommendations.strip(), spec.follow_up.strip()
    record.followed_up_on = spec.followed_up_on
    record.save()
    return record
