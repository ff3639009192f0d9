"""Demo: reporting rounds, through the same services an office would use (actor None: the
operator).

- The 2023 five-year review of Đề án 05: Đảng bộ tỉnh Đắk Nông asks its 12 direct committees
  for their reports on 05/05/2023, due 15/06/2023; all are accepted before 30/06/2023, one
  after being returned once with comments, one sent two days late.
- A round open today in the province as it stands now (Lâm Đồng), over its direct
  committees: some accepted, some waiting for review, some drafting with an extension, one
  returned with comments (the commune of the demo's district office, `vanphong.cujut`),
  exactly one late — so a new user sees the board alive.

Each unit's text is written from the sentence templates of data/texts.json with its name,
one of its organisations and its own figures, so the text agrees with the snapshot frozen
when the report is accepted.

Speed: accepting a report freezes its figures (`figures.snapshot`, one evaluation of the
programme). The engine's cost is the records of the whole tree over the period whatever
the number of units asked for (≈ 8 s for 2018–2023 on a small machine), so twelve
acceptances cost twelve evaluations. The demo evaluates a round's units once, right after
the launch (`figures.snapshots`), and hands those figures to the acceptances (the
operator's `snapshot=`): nothing the demo does in between changes a record.
"""

from __future__ import annotations

import copy
import json
import random
import string
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from django.utils import timezone

from dangvu.demo import names
from dangvu.demo.accounts import district_office_commune
from dangvu.demo.registry import REORGANISATION_2025, DemoContext, demo_step
from dangvu.demo.reorganisation import NEW_ROOT
from dangvu.demo.tree import ROOT
from dangvu.indicators.models import Programme
from dangvu.indicators.selectors import default_period
from dangvu.lib.periods import Period, year
from dangvu.reports.models import SECTIONS
from dangvu.rounds import figures, services
from dangvu.rounds.models import ReportingRound, RoundReport
from dangvu.units.models import GRASSROOTS_KINDS, Unit, UnitVersion

TEXTS = Path(__file__).parent / "data" / "texts.json"

#: The figures a sentence may quote: placeholder -> the indicators whose totals it adds.
#: None about persons (discipline, ratings): the board hides those from most readers.
FIGURES: dict[str, tuple[str, ...]] = {
    "members": ("org.members",),
    "grassroots": ("org.grassroots_total",),
    "cells": ("org.grassroots_cells",),
    "meetings": ("meeting.regular_held",),
    "thematic": ("meeting.thematic_held",),
    "upper": ("meeting.upper_attendance",),
    "reviewed": ("review.members_reviewed",),
    "collectives": ("review.collectives_reviewed",),
    "signed": ("commitment.members_signed",),
    "models": ("model.new_models",),
    "classes": ("study.resolution_classes",),
    "attendees": ("study.resolution_attendees",),
    "training": ("study.training_attendances",),
    "supervisions": ("supervision.front_total",),
    "suggested": ("suggestion.individuals",),
    "plans": ("plan.units_plan_approved",),
    "rewards": ("reward.collectives", "reward.individuals"),
}

FIVE_YEAR_TITLE = "Sơ kết 5 năm thực hiện Đề án 05-ĐA/TU"
FIVE_YEAR_LAUNCHED = date(2023, 5, 5)
FIVE_YEAR_DEADLINE = date(2023, 6, 15)
FIVE_YEAR_ACCEPTED_BY = date(2023, 6, 29)  # the province's own report is due 30/06/2023
FIVE_YEAR_INSTRUCTIONS = (
    "Các đơn vị báo cáo theo đề cương gửi kèm; số liệu tính đến ngày 30/06/2023, lấy từ "
    "dữ liệu của hệ thống. Gửi báo cáo về Văn phòng Tỉnh ủy trước ngày 15/06/2023."
)
OPEN_INSTRUCTIONS = (
    "Các đơn vị báo cáo theo đề cương; số liệu lấy từ dữ liệu của hệ thống. Đơn vị cần thêm "
    "thời gian báo cáo Văn phòng Tỉnh ủy để được xem xét gia hạn."
)
#: The open round: launched this many days before today, due this many days before today.
OPEN_LAUNCHED_AGO = 24
OPEN_DUE_AGO = 4


@cache
def templates() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(TEXTS.read_text(encoding="utf-8"))
    return data


def _number(value: float | int) -> str:
    return f"{int(value):,}".replace(",", ".")


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@dataclass
class Writer:
    """Writes a unit's report from the templates: per section its lead sentence and one to
    three others, in the templates' order, each quoting only figures the unit has (not
    zero). A section the level above will ask to complete (`bare`) is first written
    without figures; its revision adds them."""

    rng: random.Random
    words: dict[str, str]  # name, superior, place, period, horizon
    values: dict[str, float | int | None]  # placeholder -> the unit's figure

    def _filled(self, template: str, bare: bool = False) -> str | None:
        out: dict[str, str] = {}
        for name in _fields(template):
            if name in FIGURES:
                value = self.values.get(name)
                if bare or not value:
                    return None
                out[name] = _number(value)
            else:
                out[name] = self.words[name]
        text = template.format_map(out)
        return text[0].upper() + text[1:]

    def section(self, key: str, bare: bool = False) -> str:
        lead, *others = (self._filled(t, bare) for t in templates()["sections"][key])
        pool = [t for t in others if t]
        wanted = self.rng.randint(1, 3) if lead else self.rng.randint(2, 4)
        chosen = sorted(self.rng.sample(range(len(pool)), min(len(pool), wanted)))
        return " ".join(([lead] if lead else []) + [pool[i] for i in chosen])

    def texts(self, outline: list[tuple[str, str]], bare: Collection[str] = ()) -> dict[str, str]:
        return {key: self.section(key, key in bare) for key, _ in outline}

    def revised(self, texts: dict[str, str], comments: dict[str, str]) -> dict[str, str]:
        """The text sent again after a return: each commented section gets its addition."""
        out = dict(texts)
        for key in comments:
            addition = templates()["revised"].get(key)
            filled = self._filled(addition) if addition else None
            if key and filled:
                out[key] = f"{out[key]} {filled}"
        return out


@dataclass
class _Round:
    """What the demo needs to write the reports of a round."""

    rnd: ReportingRound
    reports: list[RoundReport]  # in the order of their names
    writers: dict[int, Writer]  # report pk -> writer
    snapshots: dict[int, dict[str, Any]]  # unit pk -> its figures, as `figures.snapshot`


def _moment(rng: random.Random, day: date, earliest: int = 8, latest: int = 16) -> datetime:
    """A time in office hours on the day (Asia/Ho_Chi_Minh)."""
    at = time(rng.randint(earliest, latest), rng.randrange(0, 60, 5))
    return timezone.make_aware(datetime.combine(day, at))


def _names(units: list[Unit], day: date) -> dict[int, str]:
    versions = UnitVersion.objects.as_of(day).filter(unit__in=units)
    return {v.unit_id: v.name for v in versions}


def _places(units: list[Unit], day: date) -> dict[int, list[str]]:
    """Per unit, the names of its organisations (grassroots ones first) on the day."""
    out: dict[int, list[str]] = {u.pk: [] for u in units}
    below = (
        UnitVersion.objects.as_of(day)
        .filter(parent_id__in=list(out))
        .order_by("name_sort")
        .values_list("parent_id", "name", "kind")
    )
    grassroots: dict[int, list[str]] = {u.pk: [] for u in units}
    for parent, name, kind in below:
        (grassroots if kind in GRASSROOTS_KINDS else out)[parent].append(name)
    return {pk: grassroots[pk] or out[pk] for pk in out}


def _values(snapshot: dict[str, Any]) -> dict[str, float | int | None]:
    values: dict[str, float | int | None] = {}
    for placeholder, codes in FIGURES.items():
        parts = [snapshot["totals"].get(code) for code in codes]
        values[placeholder] = None if any(p is None for p in parts) else sum(p or 0 for p in parts)
    return values


def _launch(
    *,
    rng: random.Random,
    unit: Unit,
    programme: Programme,
    title: str,
    period: Period,
    launched: date,
    deadline: date,
    instructions: str,
    horizon: str,
) -> _Round:
    rnd = services.round_launch(
        unit=unit,
        programme=programme,
        title=title,
        period=period,
        deadline=deadline,
        outline=SECTIONS,
        instructions=instructions,
        actor=None,
        on=launched,
    )
    reports = list(rnd.reports.select_related("unit"))
    units = [r.unit for r in reports]
    named = _names([unit, *units], launched)
    places = _places(units, launched)
    frozen = figures.snapshots(units, rnd)
    period_words = (
        f"giai đoạn {period.start:%m/%Y} – {period.last_day:%m/%Y}"
        if period.start.year != period.last_day.year
        else f"năm {period.start.year}"
    )
    writers = {}
    for report in reports:
        pool = places[report.unit_id] or [named[report.unit_id]]
        words = {
            "name": named[report.unit_id],
            "superior": named[unit.pk],
            "place": rng.choice(pool),
            "period": period_words,
            "horizon": horizon,
        }
        writers[report.pk] = Writer(rng, words, _values(frozen[report.unit_id]))
    reports.sort(key=lambda r: named[r.unit_id])
    return _Round(rnd, reports, writers, frozen)


def _signer(rng: random.Random) -> str:
    return names.person_name(rng, female=rng.random() < 0.3, ethnicity="kinh")


def _write(
    rng: random.Random,
    made: _Round,
    report: RoundReport,
    drafted: date,
    submitted: date | None,
    bare: Collection[str] = (),
) -> RoundReport:
    """Draft the report on one day and send it on another (None: not yet)."""
    texts = made.writers[report.pk].texts(made.rnd.sections(), bare)
    report = services.report_save(
        report=report,
        texts=texts,
        number=str(rng.randrange(40, 260)),
        signer_name=_signer(rng),
        actor=None,
        at=_moment(rng, drafted),
    )
    if submitted:
        report = services.report_submit(report=report, actor=None, at=_moment(rng, submitted))
    return report


def _return(
    rng: random.Random, report: RoundReport, on: date, comments: dict[str, str]
) -> RoundReport:
    """Return the report in the morning (an extension may follow in the afternoon)."""
    return services.report_return(
        report=report, comments=comments, actor=None, at=_moment(rng, on, latest=11)
    )


def _comments(kind: str, until: date) -> dict[str, str]:
    return {
        key: text.format(until=f"{until:%d/%m/%Y}")
        for key, text in templates()["comments"][kind].items()
    }


@demo_step(order=700, label="Đợt báo cáo sơ kết 5 năm Đề án 05 (2023)")
def five_year_round(ctx: DemoContext) -> None:
    """After every step that writes the records and entered values of 2018–2023: accepting
    freezes each committee's figures and locks its entered values for the period."""
    rng = random.Random(ctx.seed * 41 + 16)
    programme = Programme.objects.get(code="DA05")
    made = _launch(
        rng=rng,
        unit=ctx.units[ROOT],
        programme=programme,
        title=FIVE_YEAR_TITLE,
        period=default_period(programme),
        launched=FIVE_YEAR_LAUNCHED,
        deadline=FIVE_YEAR_DEADLINE,
        instructions=FIVE_YEAR_INSTRUCTIONS,
        horizon="Từ nay đến năm 2025",
    )
    returned, late = rng.sample(made.reports, 2)
    for report in made.reports:
        drafted = FIVE_YEAR_LAUNCHED + timedelta(days=rng.randint(12, 26))
        if report is returned:
            sent = FIVE_YEAR_DEADLINE - timedelta(days=rng.randint(9, 11))
            back_on = sent + timedelta(days=2)
            until = back_on + timedelta(days=5)
            comments = _comments("2023", until)
            report = _write(rng, made, report, drafted, sent, bare=comments)
            texts = made.writers[report.pk].revised(report.texts, comments)
            report = _return(rng, report, back_on, comments)
            sent = until - timedelta(days=1)
            report = services.report_submit(
                report=report, texts=texts, actor=None, at=_moment(rng, sent)
            )
        elif report is late:
            sent = FIVE_YEAR_DEADLINE + timedelta(days=2)
            report = _write(rng, made, report, drafted, sent)
        else:
            sent = FIVE_YEAR_DEADLINE - timedelta(days=rng.randint(0, 7))
            report = _write(rng, made, report, drafted, sent)
        accepted = min(sent + timedelta(days=rng.randint(2, 6)), FIVE_YEAR_ACCEPTED_BY)
        services.report_accept(
            report=report,
            actor=None,
            at=_moment(rng, accepted),
            snapshot=copy.deepcopy(made.snapshots[report.unit_id]),
        )
    ctx.summary["rounds"] = [_summary(made.rnd)]


def open_round_period(launched: date) -> Period:
    """The year the open round reports on. Annual reports (báo cáo năm) are collected in
    November–January: a round launched in January or February reports on the year just
    ended, later ones on the current year. Not the programme's default period: that is
    2018–2023, the five-year review's, before the communes of today existed."""
    return year(launched.year - 1 if launched.month <= 2 else launched.year)


@demo_step(order=710, label="Đợt báo cáo đang mở của Đảng bộ tỉnh Lâm Đồng")
def open_round(ctx: DemoContext) -> None:
    """The province as it stands today asks its direct committees for the year's report
    on Đề án 05 (the catalogue's programme, which the merged province carries on in the
    former Đắk Nông), due a few days ago: the board is alive on the demo's today."""
    today = ctx.today
    launched = today - timedelta(days=OPEN_LAUNCHED_AGO)
    if launched < REORGANISATION_2025:
        return  # a demo dated before the merged province: no open round
    deadline = today - timedelta(days=OPEN_DUE_AGO)
    rng = random.Random(ctx.seed * 43 + 16)
    period = open_round_period(launched)
    made = _launch(
        rng=rng,
        unit=ctx.units[NEW_ROOT],
        programme=Programme.objects.get(code="DA05"),
        title=f"Báo cáo kết quả thực hiện Đề án 05-ĐA/TU năm {period.start.year}",
        period=period,
        launched=launched,
        deadline=deadline,
        instructions=OPEN_INSTRUCTIONS,
        horizon=f"Năm {period.start.year + 1}",
    )
    yesterday = today - timedelta(days=1)
    office = district_office_commune(ctx)
    returned = next((r for r in made.reports if r.unit_id == office.pk), made.reports[0])
    others = [r for r in made.reports if r is not returned]
    rng.shuffle(others)
    # others[0] is left alone: not started, no extension — the one late report.
    extended, rest = others[1:4], others[4:]
    accepted = {r.pk for r in rest[: len(rest) // 2]}
    extension_reasons = templates()["extensions"]
    for report in rest:
        drafted = launched + timedelta(days=rng.randint(4, 10))
        if report.pk in accepted:
            sent = min(deadline - timedelta(days=rng.randint(0, 6)), yesterday - timedelta(days=2))
            report = _write(rng, made, report, drafted, sent)
            on = min(sent + timedelta(days=rng.randint(1, 3)), yesterday)
            services.report_accept(
                report=report,
                actor=None,
                at=_moment(rng, on),
                snapshot=copy.deepcopy(made.snapshots[report.unit_id]),
            )
        else:  # waiting for review; a few sent a day or two after the deadline
            days = rng.randint(1, 2) if rng.random() < 0.2 else -rng.randint(0, 5)
            _write(rng, made, report, drafted, min(deadline + timedelta(days=days), yesterday))
    for n, report in enumerate(extended):
        drafted = launched + timedelta(days=rng.randint(6, 14))
        report = _write(rng, made, report, drafted, submitted=None)
        services.report_extend(
            report=report,
            until=today + timedelta(days=n + 1),
            reason=extension_reasons[n % len(extension_reasons)],
            actor=None,
            at=_moment(rng, deadline - timedelta(days=1)),
        )
    # The commune of the district office: returned with comments, and given time to revise.
    sent = deadline - timedelta(days=3)
    back_on = deadline - timedelta(days=1)
    until = today + timedelta(days=3)
    comments = _comments("today", until)
    report = _write(rng, made, returned, launched + timedelta(days=7), sent, bare=comments)
    report = _return(rng, report, back_on, comments)
    services.report_extend(
        report=report,
        until=until,
        reason="Trả lại để bổ sung, gia hạn để đơn vị hoàn chỉnh báo cáo.",
        actor=None,
        at=_moment(rng, back_on, earliest=14),
    )
    ctx.summary.setdefault("rounds", []).append(_summary(made.rnd, today))


def _summary(rnd: ReportingRound, day: date | None = None) -> dict[str, Any]:
    from dangvu.rounds.selectors import counts

    return {"title": rnd.title, "unit": rnd.unit.code, **counts(rnd, day).as_json()}
