"""Writes of implementation surveys."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction

from dangvu.accounts.models import User
from dangvu.core.errors import DomainError
from dangvu.documents.models import Document
from dangvu.indicators.models import Programme
from dangvu.surveys.models import ImplementationSurvey
from dangvu.units.models import Unit, UnitVersion

TITLE_NEEDED = "Cần ghi tên đợt khảo sát."
NO_DOCUMENT = "Không có văn bản số {symbol} trong hệ thống."


def document_by_symbol(symbol: str) -> Document:
    """The registered document with that number and symbol (e.g. 666-KL/TU)."""
    from dangvu.documents.symbols import parse_symbol

    try:
        parsed = parse_symbol(symbol.strip())
    except ValueError as error:
        raise DomainError(str(error)) from error
    found = (
        Document.objects.filter(
            number=parsed.number, type_code=parsed.type_code, issuer_code=parsed.issuer_code
        )
        .order_by("-issued_on")
        .first()
    )
    if found is None:
        raise DomainError(NO_DOCUMENT.format(symbol=symbol.strip()))
    return found


ENDS_BEFORE = "Ngày kết thúc không được trước ngày bắt đầu."
NO_TARGETS = "Cần chọn ít nhất một đơn vị được khảo sát."
TARGET_OUTSIDE = "{unit} không thuộc {body} vào ngày {day:%d/%m/%Y}."


@transaction.atomic
def survey_record(
    *,
    programme: Programme,
    unit: Unit,
    title: str,
    started_on: date,
    ended_on: date,
    targets: Sequence[Unit],
    findings: str = "",
    conclusion: Document | None = None,
    actor: User | None = None,
) -> ImplementationSurvey:
    """A round of survey by `unit` of units beneath it."""
    if not title.strip():
        raise DomainError(TITLE_NEEDED)
    if ended_on < started_on:
        raise DomainError(ENDS_BEFORE)
    if not targets:
        raise DomainError(NO_TARGETS)
    body = UnitVersion.objects.as_of(started_on).filter(unit=unit).first()
    if body is None:
        raise DomainError(f"Đơn vị {unit.code} không hoạt động vào ngày {started_on:%d/%m/%Y}.")
    paths = dict(
        UnitVersion.objects.as_of(started_on)
        .filter(unit__in=list(targets))
        .values_list("unit_id", "path")
    )
    for target in targets:
        path = paths.get(target.pk)
        if path is None or path == body.path or not path.startswith(body.path):
            raise DomainError(
                TARGET_OUTSIDE.format(unit=target.code, body=body.name, day=started_on)
            )
    survey = ImplementationSurvey.objects.create(
        programme=programme,
        unit=unit,
        title=title.strip(),
        started_on=started_on,
        ended_on=ended_on,
        findings=findings.strip(),
        conclusion=conclusion,
        created_by=actor,
    )
    survey.targets.set(targets)
    return survey
