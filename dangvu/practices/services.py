"""Writes of models (mô hình)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from django.db import transaction

from dangvu.accounts.models import User
from dangvu.core.bulk import insert_rows
from dangvu.core.errors import DomainError
from dangvu.practices.models import Field, Practice
from dangvu.units.models import Unit, UnitVersion
from dangvu.units.spans import UnitSpans

NAME_NEEDED = "Cần ghi tên mô hình."
UNIT_NOT_STANDING = "Đơn vị {unit} không hoạt động vào ngày {day:%d/%m/%Y}."
RECOGNIZED_BEFORE = "Ngày công nhận không được trước ngày xây dựng mô hình."
FIELD_UNKNOWN = "Lĩnh vực không hợp lệ."


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


class PracticeRow(NamedTuple):
    """A model for the bulk path (`practices_create`): the unit by id."""

    unit_id: int
    name: str
    started_on: date
    field: str = Field.HCM
    description: str = ""
    evidence: str = ""
    recognition: str = ""
    recognized_on: date | None = None


def check_practice(
    *,
    name: str,
    field: str,
    started_on: date,
    recognized_on: date | None,
    standing: bool,
    unit_code: str,
) -> None:
    """The rules of one model, on the page and in bulk alike."""
    if not name.strip():
        raise DomainError(NAME_NEEDED)
    if field not in Field.values:
        raise DomainError(FIELD_UNKNOWN)
    if not standing:
        raise DomainError(UNIT_NOT_STANDING.format(unit=unit_code, day=started_on))
    if recognized_on is not None and recognized_on < started_on:
        raise DomainError(RECOGNIZED_BEFORE)


@transaction.atomic
def practice_save(
    *, spec: PracticeSpec, actor: User | None = None, existing: Practice | None = None
) -> Practice:
    """Record a model, or correct one."""
    check_practice(
        name=spec.name,
        field=spec.field,
        started_on=spec.started_on,
        recognized_on=spec.recognized_on,
        standing=UnitVersion.objects.as_of(spec.started_on).filter(unit=spec.unit).exists(),
        unit_code=spec.unit.code,
    )
    practice = existing or Practice(created_by=actor)
    practice.unit, practice.name, practice.field = spec.unit, spec.name.strip(), spec.field
    practice.started_on, practice.description = spec.started_on, spec.description.strip()
    practice.evidence, practice.recognition = spec.evidence.strip(), spec.recognition.strip()
    practice.recognized_on = spec.recognized_on
    practice.save()
    return practice


@transaction.atomic
def practices_create(*, rows: Sequence[PracticeRow], actor: User | None = None) -> int:
    """Record many models at once (the same rules as `practice_save`), all or nothing."""
    spans = UnitSpans(r.unit_id for r in rows)
    for r in rows:
        check_practice(
            name=r.name,
            field=r.field,
            started_on=r.started_on,
            recognized_on=r.recognized_on,
            standing=spans.on(r.unit_id, r.started_on) is not None,
            unit_code=spans.code(r.unit_id),
        )
    fields = ["unit", "name", "field", "started_on", "description", "evidence"]
    fields += ["recognition", "recognized_on", "created_by"]
    return insert_rows(
        Practice,
        fields,
        (
            (
                r.unit_id,
                r.name.strip(),
                str(r.field),
                r.started_on,
                r.description.strip(),
                r.evidence.strip(),
                r.recognition.strip(),
                r.recognized_on,
                actor.pk if actor else None,
            )
            for r in rows
        ),
    )
