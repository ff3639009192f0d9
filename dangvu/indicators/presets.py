"""The periods a reader picks from on the indicator pages, instead of typing one: the
programme's whole period, each calendar year it touches, each quarter; and any other
range of days, chosen with two date boxes. Every period is shown as dd/mm/yyyy – dd/mm/yyyy.
The `ky` query parameter keeps its old spellings (2019, 2019Q3, 2019-07,
2018-07-05..2023-06-30) for links made before, and by the report pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict

from dangvu.indicators.models import Programme
from dangvu.lib.dates import format_date, parse_date
from dangvu.lib.periods import Period, between, parse_period, year

#: The `ky` of a range chosen with the date boxes `tu` and `den`.
OTHER = "khac"
NO_RANGE = "Hãy chọn cả ngày bắt đầu và ngày kết thúc của khoảng."


def span(period: Period) -> str:
    """`05/07/2018 – 30/06/2023`."""
    return f"{format_date(period.start)} – {format_date(period.last_day)}"


@dataclass(frozen=True)
class Preset:
    value: str  # the `ky` parameter
    name: str  # "Năm 2019", "Quý 3/2019", "Cả thời kỳ đề án"
    period: Period

    @property
    def text(self) -> str:
        return f"{self.name}: {span(self.period)}"


@dataclass(frozen=True)
class PresetGroup:
    name: str
    presets: list[Preset]


def _quarter(y: int, q: int) -> Period:
    return parse_period(f"{y}Q{q}")


def presets(prog: Programme) -> list[PresetGroup]:
    """The programme's period, its years, its quarters (each calendar year and quarter
    that overlaps the programme's period)."""
    whole = between(prog.report_from, prog.report_to)
    years = range(prog.report_from.year, prog.report_to.year + 1)
    quarters = [
        Preset(p.label, f"Quý {q}/{y}", p)
        for y in years
        for q in range(1, 5)
        if (p := _quarter(y, q)).start <= whole.last_day and p.last_day >= whole.start
    ]
    return [
        PresetGroup("Đề án", [Preset(whole.label, "Cả thời kỳ đề án", whole)]),
        PresetGroup("Năm", [Preset(str(y), f"Năm {y}", year(y)) for y in years]),
        PresetGroup("Quý", quarters),
    ]


def chosen_period(params: QueryDict, prog: Programme) -> Period | None:
    """The period the query asks for (None: the page's default). `ky=khac` with `tu` and
    `den` (dates, dd/mm/yyyy or yyyy-mm-dd as a date box sends) is a range; any other `ky`
    is a preset's value or an old spelling. A ValueError says what is wrong."""
    raw = params.get("ky", "").strip()
    if raw == OTHER:
        first, last = params.get("tu", "").strip(), params.get("den", "").strip()
        if not first or not last:
            raise ValueError(NO_RANGE)
        return between(parse_date(first), parse_date(last))
    return parse_period(raw) if raw else None


def is_preset(period: Period, prog: Programme) -> bool:
    return any(p.period == period for g in presets(prog) for p in g.presets)


def describe(period: Period, prog: Programme) -> str:
    """ "Năm 2019: 01/01/2019 – 31/12/2019" for a preset, the bare span for another range."""
    for group in presets(prog):
        for preset in group.presets:
            if preset.period == period:
                return preset.text
    return span(period)
