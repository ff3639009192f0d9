"""Reads of reporting rounds through `access`: the rounds a user sees, a report's page,
and the board (states, lateness, the accepted figures side by side against the round's
unit's own figures, every difference explained)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from dangvu.accounts.models import User
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import Scope, scope_for
from dangvu.core.templatetags.dangvu import unit_name
from dangvu.indicators.models import Indicator
from dangvu.indicators.selectors import indicators_of
from dangvu.lib.vietnamese import collation_key
from dangvu.rounds import access, figures
from dangvu.rounds.models import WITH_UNIT, ReportingRound, ReportState, RoundReport

NOT_FOUND = "Không tìm thấy đợt báo cáo."
REPORT_NOT_FOUND = "Không tìm thấy báo cáo."


def _held_units(scope: Scope) -> set[int]:
    """Units where the user holds a role that writes reports (its own office's)."""
    return scope.held_unit_ids(Capability.WRITE_REPORTS)


def rounds_visible(*, user: User) -> QuerySet[ReportingRound]:
    """Rounds whose board the user reads (VIEW_REPORTS over the round's unit today), and
    rounds in which one of the user's units reports."""
    scope = scope_for(user)
    seen = Q(unit__in=scope.units(Capability.VIEW_REPORTS))
    held = _held_units(scope)
    if held:
        seen |= Q(reports__unit_id__in=held)
    return (
        ReportingRound.objects.filter(seen)
        .distinct()
        .select_related("programme", "unit")
        .prefetch_related("unit__versions")
        .order_by("-launched_on", "-pk")
    )


def my_reports(*, user: User) -> QuerySet[RoundReport]:
    """The reports the user's units write (held roles with WRITE_REPORTS), newest round first."""
    held = _held_units(scope_for(user))
    return (
        RoundReport.objects.filter(unit_id__in=held)
        .select_related("round", "round__programme", "round__unit", "unit")
        .prefetch_related("unit__versions", "round__unit__versions")
        .order_by("-round__launched_on", "-round_id")
    )


def round_or_404(*, user: User, round_id: int) -> ReportingRound:
    """The round if the user reads its board; 404 otherwise (never 403)."""
    rnd = ReportingRound.objects.select_related("programme", "unit").filter(pk=round_id).first()
    if rnd is None or not access.may_see_board(user, rnd):
        raise Http404(NOT_FOUND)
    return rnd


def report_or_404(*, user: User, round_id: int, report_id: int) -> RoundReport:
    """The report if the user may open it (writers; once sent, the round's readers)."""
    report = (
        RoundReport.objects.select_related("round", "round__programme", "round__unit", "unit")
        .filter(pk=report_id, round_id=round_id)
        .first()
    )
    if report is None or not access.may_read(user, report):
        raise Http404(REPORT_NOT_FOUND)
    return report


def round_for(*, unit_id: int, programme_id: int, period: str) -> ReportingRound | None:
    """The round launched by the unit for the programme and period, if any."""
    return (
        ReportingRound.objects.filter(unit_id=unit_id, programme_id=programme_id, period=period)
        .select_related("programme", "unit")
        .first()
    )


def texts_shown(report: RoundReport, user: User | Scope | None) -> dict[str, str]:
    """The text a reader is shown: the working text to its writers, what was last sent
    to everyone else."""
    return report.texts if access.may_write(user, report) else report.submitted_texts


@dataclass
class Counts:
    expected: int
    submitted: int  # sent to the level above at least once, and not back with the unit
    accepted: int
    late: int

    def as_json(self) -> dict[str, int]:
        return {
            "expected": self.expected,
            "submitted": self.submitted,
            "accepted": self.accepted,
            "late": self.late,
        }


def counts(rnd: ReportingRound, day: date | None = None) -> Counts:
    return counts_many([rnd], day)[rnd.pk]


@dataclass
class BoardRow:
    report: RoundReport
    name: str
    late: bool
    submitted_late: bool


@dataclass
class Difference:
    """Why the sum of the accepted figures differs from the round's unit's own figure."""

    pending: float = 0  # from reports not accepted yet (their live figures)
    pending_units: list[str] = field(default_factory=list)
    moved: float = 0  # records written since acceptance (live − snapshot)
    moved_units: list[tuple[str, float]] = field(default_factory=list)
    outside: float = 0  # the round's unit's own part, outside every reporting unit

    def sentences(self) -> list[str]:
        out = []
        if self.pending:
            out.append(
                f"{_fmt(self.pending)} thuộc {len(self.pending_units)} báo cáo chưa được chấp "
                f"nhận ({', '.join(self.pending_units)})"
            )
        if self.moved:
            parts = ", ".join(f"{name} {_signed(v)}" for name, v in self.moved_units)
            out.append(f"{_signed(self.moved)} do số liệu thay đổi sau khi chấp nhận ({parts})")
        if self.outside:
            out.append(f"{_signed(self.outside)} ngoài các đơn vị báo cáo")
        return out


def _fmt(value: float) -> str:
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def _signed(value: float) -> str:
    return ("+" if value > 0 else "−") + _fmt(abs(value))


@dataclass
class FigureRow:
    indicator: Indicator
    hidden: bool  # a figure about persons the reader does not reach
    accepted: list[float | int | None]  # one per board column (accepted reports' snapshots)
    total: float | int | None  # sum of the accepted figures (additive indicators only)
    own: float | int | None  # the round's unit's own figure today
    difference: Difference | None


@dataclass
class Board:
    round: ReportingRound
    rows: list[BoardRow]
    counts: Counts
    columns: list[BoardRow]  # the accepted reports, in the rows' order
    figures: list[FigureRow]
    computed_at: datetime | None = None  # when the live figures were evaluated


def board(*, rnd: ReportingRound, user: User | Scope | None, day: date | None = None) -> Board:
    """The round's board as `user` may read it (call after `round_or_404`)."""
    today = day or timezone.localdate()
    reports = list(
        rnd.reports.select_related("unit").prefetch_related("unit__versions").order_by("unit__code")
    )
    period = figures.period_of(rnd)
    rows = [
        BoardRow(r, _name(r, period.last_day), r.is_late(today), r.submitted_late())
        for r in reports
    ]
    rows.sort(key=lambda row: collation_key(row.name))
    columns = [row for row in rows if row.report.state == ReportState.ACCEPTED]
    indicators = indicators_of(rnd.programme)
    units = [rnd.unit, *[r.unit for r in reports]]
    live = figures.live(units, rnd)
    figure_rows = []
    for indicator in indicators:
        code = indicator.code
        hidden = not access.sees_sensitive(user, rnd, indicator.sensitive)
        if hidden:
            figure_rows.append(FigureRow(indicator, True, [None] * len(columns), None, None, None))
            continue
        accepted = [(row.report.snapshot or {}).get("totals", {}).get(code) for row in columns]
        own = live.totals.get(code, {}).get(rnd.unit_id)
        if not figures.additive(indicator):
            figure_rows.append(FigureRow(indicator, False, accepted, None, own, None))
            continue
        total = sum(v for v in accepted if v is not None) if columns else None
        diff = Difference()
        for row in rows:
            now = live.totals.get(code, {}).get(row.report.unit_id) or 0
            if row.report.state == ReportState.ACCEPTED:
                then = (row.report.snapshot or {}).get("totals", {}).get(code) or 0
                if now != then:
                    diff.moved += now - then
                    diff.moved_units.append((row.name, now - then))
            elif now:
                diff.pending += now
                diff.pending_units.append(row.name)
        sum_live = sum((live.totals.get(code, {}).get(r.unit_id) or 0) for r in reports)
        diff.outside = (own or 0) - sum_live
        figure_rows.append(FigureRow(indicator, False, accepted, total, own, diff))
    return Board(rnd, rows, counts(rnd, today), columns, figure_rows, live.computed_at)


def _name(report: RoundReport, day: date) -> str:
    """The reporting unit's name on day, from its prefetched versions (no query)."""
    return unit_name(report.unit, day)


def annex(rnd: ReportingRound, user: User | Scope | None) -> tuple[list[str], list[Any]]:
    """The annex of the committee's report: the accepted reports' figures (unit names as
    columns; per indicator its label and the figures), from the snapshots alone."""
    accepted = list(
        rnd.reports.filter(state=ReportState.ACCEPTED)
        .select_related("unit")
        .prefetch_related("unit__versions")
    )
    period = figures.period_of(rnd)
    named = sorted(
        ((_name(r, period.last_day), r) for r in accepted), key=lambda p: collation_key(p[0])
    )
    names = [n for n, _ in named]
    table = []
    for indicator in indicators_of(rnd.programme):
        if not access.sees_sensitive(user, rnd, indicator.sensitive):
            continue
        values = [(r.snapshot or {}).get("totals", {}).get(indicator.code) for _, r in named]
        table.append((indicator, values))
    return names, table


def named_reports(rnd: ReportingRound) -> list[tuple[str, RoundReport]]:
    """Every report of the round with its unit's name on the period's last day, by name
    (the annex's line of states: which units are in, which are not yet)."""
    reports = rnd.reports.select_related("unit").prefetch_related("unit__versions")
    day = figures.period_of(rnd).last_day
    return sorted(((_name(r, day), r) for r in reports), key=lambda pair: collation_key(pair[0]))


@dataclass
class Quote:
    """An accepted report's text for a section, offered while the committee writes its own."""

    unit_name: str
    text: str


def quotes(rnd: ReportingRound, user: User | Scope | None) -> dict[str, list[Quote]]:
    """The accepted reports' texts by section key, the units by name; nothing for a user
    who may not read what the units sent in the round."""
    if not access.may_read_sent(user, rnd):
        return {}
    out: dict[str, list[Quote]] = {}
    for name, report in named_reports(rnd):
        if report.state != ReportState.ACCEPTED:
            continue
        for key, _ in rnd.sections():
            text = (report.submitted_texts or {}).get(key, "").strip()
            if text:
                out.setdefault(key, []).append(Quote(name, text))
    return out


# -- for the pages (additive: the list, the launch form, the board's rows) ------------------


def launch_units(*, user: User) -> list[Any]:
    """The units where the user holds a role in force with WRITE_REPORTS (where a round may
    be launched, `access.may_launch`), their versions prefetched for their names."""
    from dangvu.units.models import Unit

    held = _held_units(scope_for(user))
    return list(Unit.objects.filter(pk__in=held).prefetch_related("versions").order_by("code"))


def boards_visible(*, user: User, rounds: list[ReportingRound]) -> set[int]:
    """Ids of those rounds whose board the user reads (`access.may_see_board`: the round's
    unit reached as it stood on the launch day): one query per distinct launch day."""
    from dangvu.units.models import UnitVersion

    scope = scope_for(user)
    by_day: dict[date, list[ReportingRound]] = {}
    for rnd in rounds:
        by_day.setdefault(rnd.launched_on, []).append(rnd)
    out = set()
    for day, launched in by_day.items():
        reached = set(
            UnitVersion.objects.filter(
                scope.version_filter(Capability.VIEW_REPORTS, day),
                unit_id__in={r.unit_id for r in launched},
            ).values_list("unit_id", flat=True)
        )
        out |= {r.pk for r in launched if r.unit_id in reached}
    held = _held_units(scope)
    return out | {r.pk for r in rounds if r.unit_id in held}


def counts_many(rounds: list[ReportingRound], day: date | None = None) -> dict[int, Counts]:
    """`counts` of several rounds in one query (the list of rounds)."""
    today = day or timezone.localdate()
    by_round: dict[int, list[tuple[str, date | None]]] = {r.pk: [] for r in rounds}
    deadlines = {r.pk: r.deadline for r in rounds}
    rows = RoundReport.objects.filter(round_id__in=list(by_round)).values_list(
        "round_id", "state", "extended_to"
    )
    for round_id, state, extended_to in rows:
        by_round[round_id].append((state, extended_to))
    out = {}
    for pk, reports in by_round.items():
        states = [s for s, _ in reports]
        out[pk] = Counts(
            expected=len(states),
            submitted=sum(s in (ReportState.SUBMITTED, ReportState.ACCEPTED) for s in states),
            accepted=sum(s == ReportState.ACCEPTED for s in states),
            late=sum(s in WITH_UNIT and today > (due or deadlines[pk]) for s, due in reports),
        )
    return out


@dataclass
class PageRow(BoardRow):
    readable: bool = False


def board_rows(*, rnd: ReportingRound, user: User, day: date | None = None) -> list[PageRow]:
    """The board's rows without its figures (cheap: the figures load apart), each with
    whether the user may open the report (`access.may_read`, its round part asked once)."""
    today = day or timezone.localdate()
    scope = scope_for(user)
    reports = list(
        rnd.reports.select_related("unit").prefetch_related("unit__versions").order_by("unit__code")
    )
    period = figures.period_of(rnd)
    sent_readable = access.may_read_sent(scope, rnd)
    rows = []
    for r in reports:
        sent = r.state != ReportState.NOT_STARTED and r.submitted_at is not None
        readable = access.may_write(scope, r) or (sent and sent_readable)
        rows.append(
            PageRow(r, _name(r, period.last_day), r.is_late(today), r.submitted_late(), readable)
        )
    # Who needs chasing first: the late, then the reports waiting for review, then the rest.
    waiting = ReportState.SUBMITTED
    rows.sort(
        key=lambda row: (
            not row.late,
            row.report.state != waiting,
            collation_key(row.name),
        )
    )
    return rows


def without_writer(rnd: ReportingRound) -> list[str]:
    """The names of the round's reporting units where nobody holds, today, a role that
    writes reports (WRITE_REPORTS held at the unit): their reports wait for a grant."""
    from dangvu.accounts.models import Role
    from dangvu.accounts.permissions import DEPARTMENT_CAPABILITIES

    departments = [
        d for d, caps in DEPARTMENT_CAPABILITIES.items() if Capability.WRITE_REPORTS in caps
    ]
    reports = list(rnd.reports.select_related("unit").prefetch_related("unit__versions"))
    written = set(
        Role.objects.as_of(timezone.localdate())
        .filter(
            unit_id__in=[r.unit_id for r in reports],
            department__in=departments,
            user__is_active=True,
        )
        .values_list("unit_id", flat=True)
    )
    day = figures.period_of(rnd).last_day
    names = [_name(r, day) for r in reports if r.unit_id not in written]
    return sorted(names, key=collation_key)


def report_to_review_or_404(*, user: User, round_id: int, report_id: int) -> RoundReport:
    """The report if the user reviews its round (extend a draft's deadline: a reviewer may
    not read the draft itself); 404 otherwise."""
    report = (
        RoundReport.objects.select_related("round", "round__programme", "round__unit", "unit")
        .filter(pk=report_id, round_id=round_id)
        .first()
    )
    if report is None or not access.may_review(user, report.round):
        raise Http404(REPORT_NOT_FOUND)
    return report


def report_events(report: RoundReport) -> list[Any]:
    """The report's history, oldest first, with the actors."""
    return list(report.events.select_related("actor").order_by("at", "pk"))
