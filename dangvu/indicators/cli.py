"""What the `report` and `check` verbs share: resolve the programme, period and unit."""

from __future__ import annotations

from django.core.management.base import CommandError

from dangvu.indicators.models import Programme
from dangvu.indicators.selectors import default_period
from dangvu.lib.dates import parse_date
from dangvu.lib.periods import Period, between, parse_period
from dangvu.units.models import Unit, UnitVersion


def resolve_programme(code: str) -> Programme:
    programme = Programme.objects.filter(code=code).first() if code else Programme.objects.first()
    if programme is None:
        raise CommandError(
            f"Không có đề án {code or ''}. Chạy `dangvu migrate` để nạp danh mục chỉ tiêu."
        )
    return programme


def resolve_period(
    programme: Programme, *, start: str = "", end: str = "", period: str = ""
) -> Period:
    try:
        if period:
            return parse_period(period)
        if start or end:
            first = parse_date(start) if start else programme.report_from
            last = parse_date(end) if end else programme.report_to
            return between(first, last)
    except ValueError as error:
        raise CommandError(str(error)) from error
    return default_period(programme)


def resolve_unit(code: str, period: Period) -> Unit:
    """The unit with the code, or the root of the tree as it stood on the period's last day."""
    if code:
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise CommandError(f"Không có đơn vị mã {code}.")
        if not unit.versions.as_of(period.last_day).exists():
            raise CommandError(f"Đơn vị {code} không tồn tại vào ngày {period.last_day:%d/%m/%Y}.")
        return unit
    root = UnitVersion.objects.as_of(period.last_day).roots().select_related("unit").first()
    if root is None:
        raise CommandError(f"Không có tổ chức đảng nào vào ngày {period.last_day:%d/%m/%Y}.")
    return root.unit
