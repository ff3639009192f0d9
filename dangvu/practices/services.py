"""Writes of models (mô hình)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from dangvu.accounts.models import User
from dangvu.core.errors import DomainError
from dangvu.practices.models import Field, Practice
from dangvu.units.models import Unit, UnitVersion

NAME_NEEDED = "Cần ghi tên mô hình."
UNIT_NOT_STANDING = "Đơn vị {unit} không hoạt động vào ngày {day:%d/%m/%Y}."
RECOGNIZED_BEFORE = "Ngày công nhận không được trước ngày xây dựng mô hình."


@dataclass(frozen=True)
class PracticeSpec:
    unit: Unit
    name: str
    started_on: date
    field: str = Field.HCM
    description: str = ""
    evidence: str = ""
    recognition: str = ""
    recognized_on: date | None = None


@transaction.atomic
def practice_save(
    *, spec: PracticeSpec, actor: User | None = None, existing: Practice | None = None
) -> Practice:
    if not spec.name.strip():
        raise DomainError(NAME_NEEDED)
    if spec.field not in Field.values:
        raise DomainError("Lĩnh vực không hợp lệ.")
    if not UnitVersion.objects.as_of(spec.started_on).filter(unit=spec.unit).exists():
        raise DomainError(UNIT_NOT_STANDING.format(unit=spec.unit.code, day=spec.started_on))
    if spec.recognized_on is not None and spec.recognized_on < spec.started_on:
        raise DomainError(RECOGNIZED_BEFORE)
    practice = existing or Practice(created_by=actor)
    practice.unit, practice.name, practice.field = spec.unit, spec.name.strip(), spec.field
    practice.started_on, practice.description = spec.started_on, spec.description.strip()
    practice.evidence, practice.recognition = spec.evidence.strip(), spec.recognition.strip()
    practice.recognized_on = spec.recognized_on
    practice.save()
    return practice
