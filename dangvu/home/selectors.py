"""The home page's "việc cần làm": what waits for the signed-in user today, each thing a
sentence with names and one link (or one button) to the page where it is done.

Three kinds of things, by what the user holds today (`Scope`, roles in force only):
- as a member (their own records): an open quick assessment, this year's commitment to
  write or to revise, the next meeting of their cell, a sociological survey's invitation;
- as the runner of a cell (RUN_REVIEWS, RECORD_MEETINGS at a cell): the months of this
  year without a meeting recorded, commitments waiting for a decision, members without a
  review of the year whose rating is open, suggestions to answer, overdue remediation;
- as staff at a unit above the cells (VIEW_REPORTS): the units directly under it without a
  plan or a summary report for the latest programme, the validation findings of its
  figures, the implementation surveys and sociological surveys under way.

Cost: every list is read by a fixed number of set-based queries whatever its length (a
count and the first few rows), over the units of the user's roles (a handful) or their
direct children; nothing loops over a subtree. The validation of the figures runs the
indicator engine, so it is asked only when entered values exist under the unit for the
period (computed figures agree by construction) and its count is cached for a while.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import (
    BigIntegerField,
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.urls import reverse
from django.utils import timezone

from dangvu.accounts.models import User
from dangvu.accounts.permissions import DEPARTMENT_CAPABILITIES, Capability
from dangvu.accounts.scope import Scope, scope_for, today
from dangvu.assessments.models import AssessmentStatus, Attempt
from dangvu.core.effective import active_on, in_year, overlapping
from dangvu.indicators.models import EnteredValue, Programme
from dangvu.lib.dates import format_date
from dangvu.lib.periods import Period
from dangvu.meetings.models import Meeting, MeetingKind
from dangvu.members.models import Membership
from dangvu.plans.models import PlanStatus, UnitPlan
from dangvu.reports.models import SummaryReport
from dangvu.reviews.models import (
    Commitment,
    CommitmentStatus,
    MemberReview,
    RemediationItem,
    ReviewSuggestion,
)
from dangvu.reviews.services import rating_window
from dangvu.sociology.models import Invitation, Questionnaire
from dangvu.sociology.models import Status as SurveyStatus
from dangvu.surveys.models import ImplementationSurvey
from dangvu.units.models import CELL_KINDS, UnitVersion

#: How many things of one kind are each an item; the rest are counted ("Còn 4 … khác").
FIRST = 3
#: How many months without a meeting are each an item (the latest); the rest are counted.
MONTHS = 2
#: How many names a sentence lists before "…".
NAMES = 3
#: How long a unit's count of validation findings is kept (seconds).
FINDINGS_TTL = 15 * 60
#: How many days before a programme's reporting period ends its summary reports are asked.
REPORTS_AHEAD = 90


@dataclass(frozen=True)
class Todo:
    """One thing to do: a sentence, and where to do it (a link, or a button posting
    `fields` to `url`). Without a url, it only informs (the next meeting)."""

    text: str
    url: str = ""
    action: str = "Xem"
    detail: str = ""
    fields: tuple[tuple[str, str], ...] = ()
    kind: str = ""  # a stable name for tests and styling

    @property
    def posts(self) -> bool:
        return bool(self.fields)


@dataclass
class Section:
    title: str
    items: list[Todo] = field(default_factory=list)


@dataclass
class Todos:
    sections: list[Section]

    @property
    def empty(self) -> bool:
        return not any(s.items for s in self.sections)

    def kinds(self) -> list[str]:
        return [t.kind for s in self.sections for t in s.items]


@dataclass(frozen=True)
class Held:
    """A unit where the user holds a role in force today, as it stands today."""

    unit_id: int
    code: str
    name: str
    kind: str
    path: str
    founded_on: date
    departments: frozenset[str]

    def can(self, cap: Capability) -> bool:
        return any(cap in DEPARTMENT_CAPABILITIES.get(d, ()) for d in self.departments)

    @property
    def is_cell(self) -> bool:
        return self.kind in CELL_KINDS


def things_to_do(*, user: User) -> Todos:
    """Everything that waits for the user today, by role: their own things as a member,
    then each cell they run, then the units above the cells they work for."""
    scope = scope_for(user)
    now = today()
    held = _held_units(scope, now)
    sections = []
    if user.member_id is not None:
        sections.append(Section("Việc của bạn", _member_todos(user.member_id, now)))
    cells = [u for u in held if u.is_cell]
    if cells:
        by_cell = _cell_todos(user, scope, cells, now)
        sections += [Section(c.name, by_cell.get(c.unit_id, [])) for c in cells]
    above = [u for u in held if not u.is_cell and u.can(Capability.VIEW_REPORTS)]
    if above:
        sections += [Section(u.name, items) for u, items in _staff_todos(scope, above, now)]
    return Todos([s for s in sections if s.items])


# -- the roles in force today ------------------------------------------------------------------
def _held_units(scope: Scope, now: date) -> list[Held]:
    """The units of the user's roles in force today, as they stand today (one query)."""
    departments: dict[int, set[str]] = defaultdict(set)
    for reach in scope.reaches:
        if reach.covers(now):
            departments[reach.unit_id].add(reach.department)
    if not departments:
        return []
    versions = (
        UnitVersion.objects.as_of(now)
        .filter(unit_id__in=departments)
        .select_related("unit")
        .order_by("path")
    )
    return [
        Held(
            v.unit_id,
            v.unit.code,
            v.name,
            v.kind,
            v.path,
            v.unit.founded_on,
            frozenset(departments[v.unit_id]),
        )
        for v in versions
    ]


# -- a member's own things ---------------------------------------------------------------------
def _member_todos(member_id: int, now: date) -> list[Todo]:
    items: list[Todo] = []
    moment = timezone.now()
    # Quick assessments open now with the member's question set not yet submitted: the
    # button is the member's start (the start page's own POST), so one tap starts it.
    attempts = (
        Attempt.objects.filter(
            member_id=member_id,
            submitted_at__isnull=True,
            assessment__status=AssessmentStatus.OPEN,
            assessment__opens_at__lte=moment,
            assessment__closes_at__gt=moment,
        )
        .select_related("assessment")
        .order_by("assessment__closes_at")[:FIRST]
    )
    for attempt in attempts:
        a = attempt.assessment
        closes = timezone.localtime(a.closes_at)
        when = f"đóng lúc {closes:%H:%M} ngày {format_date(closes.date())}"
        if attempt.started_at is None:
            items.append(
                Todo(
                    f"Bài kiểm tra “{a.title}” đang mở: {len(attempt.questions)} câu, "
                    f"{a.time_limit_minutes} phút.",
                    reverse("assessments:take_start", args=[attempt.token]),
                    "Bắt đầu làm bài",
                    detail=when.capitalize() + ".",
                    fields=(("bat_dau", "1"),),
                    kind="assessment",
                )
            )
        else:
            items.append(
                Todo(
                    f"Bạn đang làm dở bài kiểm tra “{a.title}”.",
                    reverse("assessments:take", args=[attempt.token]),
                    "Làm tiếp",
                    detail=when.capitalize() + ".",
                    kind="assessment",
                )
            )
    # This year's commitment: to write (none, or a draft), or to revise (returned).
    in_cell = Membership.objects.filter(active_on(now), member_id=member_id)
    cell_id = in_cell.values_list("unit_id", flat=True).first()
    commitment = (
        Commitment.objects.filter(member_id=member_id, year=now.year)
        .values_list("status", flat=True)
        .first()
    )
    url = reverse("reviews:my_commitment") + f"?nam={now.year}"
    if cell_id is not None and commitment in (None, CommitmentStatus.DRAFT):
        items.append(
            Todo(
                f"Viết bản cam kết năm {now.year} và gửi chi bộ."
                if commitment is None
                else f"Bản cam kết năm {now.year} còn là bản nháp: hoàn thành và gửi chi bộ.",
                url,
                "Viết cam kết",
                kind="commitment_write",
            )
        )
    elif commitment == CommitmentStatus.RETURNED:
        items.append(
            Todo(
                f"Chi bộ đã góp ý bản cam kết năm {now.year}: sửa theo góp ý và gửi lại.",
                url,
                "Sửa cam kết",
                kind="commitment_revise",
            )
        )
    # Invitations to a sociological survey collecting today. Whether the code was used is
    # never read: the home page looks the same before and after the member answers, as the
    # survey's own page does (sociology: anonymity by construction).
    invitations = (
        Invitation.objects.filter(
            member_id=member_id,
            questionnaire__status=SurveyStatus.OPEN,
            questionnaire__started_on__lte=now,
            questionnaire__ended_on__gte=now,
        )
        .select_related("questionnaire")
        .order_by("questionnaire__ended_on")[:FIRST]
    )
    for invitation in invitations:
        q = invitation.questionnaire
        items.append(
            Todo(
                f"Bạn được mời trả lời phiếu điều tra “{q.title}”"
                f" (thu phiếu đến {format_date(q.ended_on)}).",
                reverse("sociology:answer_start"),
                "Mở phiếu",
                detail="Phiếu không ghi tên." if q.anonymous else "",
                fields=(("ma", invitation.code),),
                kind="sociology_invitation",
            )
        )
    # The next meeting of the member's cell, planned or scheduled (information only).
    if cell_id is not None:
        meeting = (
            Meeting.objects.filter(unit_id=cell_id, held_on__isnull=True)
            .filter(
                Q(planned_on__gte=now) | Q(planned_on__isnull=True, month__gte=now.replace(day=1))
            )
            .order_by("month", "planned_on")
            .first()
        )
        if meeting is not None:
            when = (
                f"ngày {format_date(meeting.planned_on)}"
                if meeting.planned_on
                else f"tháng {meeting.month:%m/%Y}"
            )
            topics = meeting.topics.strip()
            items.append(
                Todo(
                    f"Sinh hoạt chi bộ {meeting.get_kind_display().lower()} {when}.",
                    detail=f"Nội dung: {topics}" if topics else "",
                    kind="next_meeting",
                )
            )
    return items


# -- a cell's things, for whoever runs it --------------------------------------------------------
def _cell_todos(user: User, scope: Scope, cells: list[Held], now: date) -> dict[int, list[Todo]]:
    out: dict[int, list[Todo]] = defaultdict(list)
    recording = [c for c in cells if c.can(Capability.RECORD_MEETINGS)]
    running = [c for c in cells if c.can(Capability.RUN_REVIEWS)]
    if running:  # people wait for these first
        for cell, todos in _commitments_to_decide(user, scope, running):
            out[cell].extend(todos)
    for cell, todos in _meetings_to_record(recording, now):
        out[cell].extend(todos)
    if running:
        for cell, todos in _reviews_missing(user, running, now):
            out[cell].extend(todos)
        for cell, todos in _suggestions_to_answer(running, now):
            out[cell].extend(todos)
        for cell, todos in _remediation_overdue(running, now):
            out[cell].extend(todos)
    return out


def _months(year: int, first: date, last: date) -> list[date]:
    return [date(year, m, 1) for m in range(first.month, last.month + 1)]


def _meetings_to_record(cells: list[Held], now: date) -> Iterable[tuple[int, list[Todo]]]:
    """This year's months, up to this one, without a regular meeting recorded as held (one
    query for all the cells)."""
    if not cells:
        return []
    start = date(now.year, 1, 1)
    recorded: dict[tuple[int, date], tuple[int, bool]] = {}
    for unit_id, month, pk, held_on in Meeting.objects.filter(
        unit_id__in=[c.unit_id for c in cells],
        kind=MeetingKind.REGULAR,
        month__gte=start,
        month__lte=now,
    ).values_list("unit_id", "month", "pk", "held_on"):
        recorded[(unit_id, month)] = (pk, held_on is not None)
    result = []
    for cell in cells:
        first = max(start, cell.founded_on.replace(day=1))
        missing = [
            m
            for m in _months(now.year, first, now)
            if not recorded.get((cell.unit_id, m), (0, False))[1]
        ]
        missing.reverse()  # this month first, then the latest months
        todos = []
        for month in missing[:MONTHS]:
            planned = recorded.get((cell.unit_id, month))
            url = (
                reverse("meetings:edit", args=[planned[0]])
                if planned
                else reverse("meetings:record", args=[cell.code]) + f"?thang={month:%Y-%m}"
            )
            current = month == now.replace(day=1)
            todos.append(
                Todo(
                    f"Ghi buổi sinh hoạt chi bộ tháng {month:%m/%Y}"
                    + (" (tháng này)." if current else ": chưa có biên bản."),
                    url,
                    "Ghi sinh hoạt",
                    kind="meeting_to_record",
                )
            )
        if len(missing) > MONTHS:
            rest = ", ".join(f"{m:%m}" for m in reversed(missing[MONTHS:]))
            todos.append(
                Todo(
                    f"Còn {len(missing) - MONTHS} tháng khác chưa ghi sinh hoạt "
                    f"(tháng {rest}/{now.year}).",
                    reverse("meetings:cell", args=[cell.code, now.year]),
                    "Xem cả năm",
                    kind="meetings_more",
                )
            )
        result.append((cell.unit_id, todos))
    return result


def _commitments_to_decide(
    user: User, scope: Scope, cells: list[Held]
) -> Iterable[tuple[int, list[Todo]]]:
    """Commitments sent to the cell and not yet decided (nobody decides on their own): the
    first few of each cell by name, the rest counted (two queries)."""
    waiting = (
        Commitment.objects.filter(
            unit_id__in=[c.unit_id for c in cells], status=CommitmentStatus.SUBMITTED
        )
        .filter(scope.member_record_filter(Capability.VIEW_MEMBERS, year="year"))
        .exclude(member_id=user.member_id or 0)
    )
    counts = _counts(waiting, "unit_id")
    if not counts:
        return []
    firsts = _firsts(waiting.select_related("member"), "unit_id", ("submitted_at", "pk"))
    out = []
    for cell in cells:
        rows = firsts.get(cell.unit_id, [])
        todos = [
            Todo(
                f"Duyệt bản cam kết năm {c.year} của {c.member.full_name}.",
                reverse("reviews:commitment", args=[c.pk]),
                "Xem và duyệt",
                kind="commitment_decide",
            )
            for c in rows
        ]
        rest = counts.get(cell.unit_id, 0) - len(rows)
        if rest > 0:
            todos.append(
                Todo(
                    f"Còn {rest} bản cam kết khác chờ duyệt.",
                    reverse("reviews:cell", args=[cell.code, rows[0].year]),
                    "Xem tất cả",
                    kind="commitments_more",
                )
            )
        out.append((cell.unit_id, todos))
    return out


def _counts(rows: QuerySet[Any], by: str) -> dict[Any, int]:
    """How many rows of each value of `by` (one grouped query)."""
    return dict(rows.order_by().values_list(by).annotate(n=Count("pk")))


def _firsts(
    rows: QuerySet[Any], by: str, order: tuple[str, ...], limit: int = FIRST
) -> dict[Any, list[Any]]:
    """The first `limit` rows of each value of `by` in `order`: one query, numbering the
    rows of each value (a window), so a cell of 300 members costs what a cell of 3 does."""
    rank = Window(RowNumber(), partition_by=[F(by)], order_by=[_order(o) for o in order])
    firsts: dict[Any, list[Any]] = defaultdict(list)
    for row in rows.annotate(rank=rank).filter(rank__lte=limit).order_by(by, "rank"):
        firsts[getattr(row, by)].append(row)
    return firsts


def _order(field: str) -> Any:
    return F(field[1:]).desc() if field.startswith("-") else F(field).asc()


def rating_year(now: date) -> int | None:
    """The year whose reviews are being recorded today: this year once its rating opens,
    last year until its rating closes; None between the two (or with no rule in force)."""
    this, last = _window(now.year), _window(now.year - 1)
    if this is not None and now >= this[0]:
        return now.year
    if last is not None and now <= last[1]:
        return now.year - 1
    return None


def _window(year: int) -> tuple[date, date] | None:
    try:
        return rating_window(year)
    except LookupError:  # no rating rule covers the year
        return None


def _reviews_missing(user: User, cells: list[Held], now: date) -> Iterable[tuple[int, list[Todo]]]:
    """Members in the cell at the year's end (or today) without a review of the year whose
    rating is open: one item per cell, to its year's review page (one grouped query)."""
    year = rating_year(now)
    if year is None:
        return []
    day = min(now, date(year, 12, 31))
    reviewed = MemberReview.objects.filter(member=OuterRef("member"), year=year)
    missing = (
        Membership.objects.filter(active_on(day), unit_id__in=[c.unit_id for c in cells])
        .exclude(member_id=user.member_id or 0)
        .exclude(Exists(reviewed))
    )
    counts = _counts(missing, "unit_id")
    if not counts:
        return []
    firsts = _firsts(
        missing.select_related("member"), "unit_id", ("member__name_sort",), limit=NAMES
    )
    names = {unit: [m.member.full_name for m in rows] for unit, rows in firsts.items()}
    out = []
    for cell in cells:
        n = counts.get(cell.unit_id, 0)
        if not n:
            continue
        listed = ", ".join(names[cell.unit_id]) + (", …" if n > NAMES else "")
        out.append(
            (
                cell.unit_id,
                [
                    Todo(
                        f"{n} đảng viên chưa có kết quả kiểm điểm năm {year}: {listed}.",
                        reverse("reviews:cell", args=[cell.code, year]),
                        "Ghi kiểm điểm",
                        kind="reviews_missing",
                    )
                ],
            )
        )
    return out


def _suggestions_to_answer(cells: list[Held], now: date) -> Iterable[tuple[int, list[Todo]]]:
    """Suggestions of this year or last, not yet answered, to the cell itself or to a
    member who stood in it that year (a grouped count, and the first few)."""
    ids = [c.unit_id for c in cells]
    cell_of = Membership.objects.filter(
        in_year(OuterRef("year")), unit_id__in=ids, member=OuterRef("subject_member")
    ).values("unit_id")[:1]
    # The cells' members of these years (indexed), before the per-row subquery runs.
    members = (
        Membership.objects.filter(unit_id__in=ids)
        .filter(overlapping(date(now.year - 1, 1, 1), date(now.year + 1, 1, 1)))
        .values("member_id")
    )
    issuer_name = UnitVersion.objects.filter(active_on(now), unit=OuterRef("issuer")).values(
        "name"
    )[:1]
    pending = (
        ReviewSuggestion.objects.filter(answered_on__isnull=True, year__gte=now.year - 1)
        .filter(Q(subject_unit_id__in=ids) | Q(subject_member_id__in=members))
        .annotate(
            owner=Coalesce("subject_unit_id", Subquery(cell_of), output_field=BigIntegerField())
        )
        .filter(owner__in=ids)
    )
    counts = _counts(pending, "owner")
    if not counts:
        return []
    firsts = _firsts(
        pending.annotate(issuer_name=Subquery(issuer_name)).select_related("subject_member"),
        "owner",
        ("year", "issued_on", "pk"),
    )
    out = []
    for cell in cells:
        rows = firsts.get(cell.unit_id, [])
        todos = []
        for s in rows:
            who = (
                f"đồng chí {s.subject_member.full_name}"
                if s.subject_member
                else f"tập thể {s.get_subject_collective_display().lower()}"
            )
            todos.append(
                Todo(
                    f"Trả lời gợi ý kiểm điểm năm {s.year} của "
                    f"{s.issuer_name or 'cấp ủy cấp trên'} cho {who}.",
                    reverse("reviews:suggestions") + f"?nam={s.year}",
                    "Trả lời",
                    kind="suggestion_to_answer",
                )
            )
        rest = counts.get(cell.unit_id, 0) - len(rows)
        if rest > 0:
            todos.append(
                Todo(
                    f"Còn {rest} gợi ý kiểm điểm khác chưa trả lời.",
                    reverse("reviews:suggestions") + f"?nam={now.year}",
                    "Xem tất cả",
                    kind="suggestions_more",
                )
            )
        out.append((cell.unit_id, todos))
    return out


def _remediation_overdue(cells: list[Held], now: date) -> Iterable[tuple[int, list[Todo]]]:
    """Remediation items of the cell past their deadline and not done: a count per cell."""
    counts = _counts(
        RemediationItem.objects.filter(
            unit_id__in=[c.unit_id for c in cells], done_on__isnull=True, deadline__lt=now
        ),
        "unit_id",
    )
    url = reverse("reviews:remediation") + "?qua-han=1"
    return [
        (
            cell.unit_id,
            [
                Todo(
                    f"{counts[cell.unit_id]} nội dung khắc phục hạn chế, khuyết điểm đã quá hạn.",
                    url,
                    "Cập nhật kết quả",
                    kind="remediation_overdue",
                )
            ],
        )
        for cell in cells
        if counts.get(cell.unit_id)
    ]


# -- staff's things, at the units above the cells ------------------------------------------------
def _staff_todos(scope: Scope, units: list[Held], now: date) -> list[tuple[Held, list[Todo]]]:
    programme = Programme.objects.order_by("-issued_on").first()
    out: dict[int, list[Todo]] = defaultdict(list)
    if programme is not None:
        for unit_id, todos in _plans_and_reports(units, programme, now):
            out[unit_id].extend(todos)
        for unit_id, todos in _findings(scope, units, programme):
            out[unit_id].extend(todos)
    for unit_id, todos in _surveys_under_way(units, now):
        out[unit_id].extend(todos)
    return [(u, out.get(u.unit_id, [])) for u in units]


def _names(names: list[str], n: int) -> str:
    return ", ".join(names[:NAMES]) + (", …" if n > NAMES else "")


def _plans_and_reports(
    units: list[Held], programme: Programme, now: date
) -> Iterable[tuple[int, list[Todo]]]:
    """The units directly under each unit (on the programme's last reporting day, or today
    if sooner) without a plan, with a plan waiting for a decision, without a summary
    report of the programme's period: one query over the children."""
    from dangvu.indicators.selectors import default_period

    period = default_period(programme)
    day = min(now, programme.report_to)
    plan = UnitPlan.objects.filter(programme=programme, unit=OuterRef("unit")).values("status")[:1]
    report = SummaryReport.objects.filter(
        programme=programme, unit=OuterRef("unit"), period=period.label
    )
    children = (
        UnitVersion.objects.as_of(day)
        .filter(parent_id__in=[u.unit_id for u in units])
        .annotate(plan_status=Subquery(plan), reported=Exists(report))
        .order_by("name_sort")
        .values_list("parent_id", "name", "plan_status", "reported")
    )
    no_plan: dict[int, list[str]] = defaultdict(list)
    to_decide: dict[int, list[str]] = defaultdict(list)
    no_report: dict[int, list[str]] = defaultdict(list)
    # Plans are asked for while the programme runs; its summary reports from three months
    # before its reporting period ends.
    planning = now <= programme.report_to
    reporting = now >= programme.report_to - timedelta(days=REPORTS_AHEAD)
    for parent_id, name, status, reported in children:
        if planning and status is None:
            no_plan[parent_id].append(name)
        elif status == PlanStatus.SUBMITTED:
            to_decide[parent_id].append(name)
        if reporting and not reported:
            no_report[parent_id].append(name)
    out = []
    for unit in units:
        todos = []
        plans_url = reverse("plans:list") + f"?don_vi={unit.code}"
        names = no_plan.get(unit.unit_id, [])
        if names:
            todos.append(
                Todo(
                    f"{len(names)} đơn vị trực thuộc chưa trình kế hoạch thực hiện "
                    f"{programme.short_name}: {_names(names, len(names))}.",
                    plans_url,
                    "Xem kế hoạch",
                    kind="plans_missing",
                )
            )
        names = to_decide.get(unit.unit_id, [])
        if names and unit.can(Capability.WRITE_REPORTS):
            todos.append(
                Todo(
                    f"{len(names)} kế hoạch chờ phê duyệt: {_names(names, len(names))}.",
                    plans_url,
                    "Phê duyệt",
                    kind="plans_to_decide",
                )
            )
        names = no_report.get(unit.unit_id, [])
        if names:
            todos.append(
                Todo(
                    f"{len(names)} đơn vị trực thuộc chưa có báo cáo sơ kết "
                    f"{programme.short_name}: {_names(names, len(names))}.",
                    reverse("reports:list"),
                    "Xem báo cáo",
                    kind="reports_missing",
                )
            )
        out.append((unit.unit_id, todos))
    return out


def _findings(
    scope: Scope, units: list[Held], programme: Programme
) -> Iterable[tuple[int, list[Todo]]]:
    """The validation findings of each unit's figures for the programme's period, as the
    user may see them. Only entered values break a rule (computed figures agree by
    construction), so the check runs only where some lie under the unit (one query for
    all the units first), and its count is kept for a while (`FINDINGS_TTL`)."""
    from dangvu.indicators.selectors import default_period

    period = default_period(programme)
    under = Q(pk__in=[])
    for unit in units:
        under |= Q(unit__versions__path__startswith=unit.path)
    entered = EnteredValue.objects.filter(
        under, period_start__lt=period.end, period_end__gt=period.start
    )
    if scope.user is None or not entered.exists():
        return []
    out = []
    for unit in units:
        n = _findings_count(scope.user, unit, period)
        if n:
            out.append(
                (
                    unit.unit_id,
                    [
                        Todo(
                            f"{n} điểm cần xem lại trong số liệu của {unit.name} "
                            f"{period.display()}.",
                            reverse("indicators:overview") + f"?don_vi={unit.code}",
                            "Xem số liệu",
                            kind="findings",
                        )
                    ],
                )
            )
    return out


def _findings_count(user: User, unit: Held, period: Period) -> int:
    """How many findings the user sees for the unit's figures (cached: the key changes
    when an entered value under the unit does)."""
    from dangvu.indicators.disclosure import Viewer, visible_findings
    from dangvu.indicators.validation import check
    from dangvu.units.models import Unit

    stamp = EnteredValue.objects.filter(unit__versions__path__startswith=unit.path).aggregate(
        at=Max("entered_at"), n=Count("pk")
    )
    at = stamp["at"].timestamp() if stamp["at"] else 0
    key = f"home:findings:{user.pk}:{unit.unit_id}:{period.label}:{stamp['n']}:{at}"
    cached = cache.get(key)
    if cached is not None:
        return int(cached)
    found = check(unit=Unit.objects.get(pk=unit.unit_id), period=period)
    n = len(visible_findings(Viewer.of(user), found))
    cache.set(key, n, FINDINGS_TTL)
    return n


def _surveys_under_way(units: list[Held], now: date) -> Iterable[tuple[int, list[Todo]]]:
    """Implementation surveys and sociological surveys under way today, conducted by the
    unit or a unit beneath it (two queries with their counts, the first few named)."""
    out: dict[int, list[Todo]] = defaultdict(list)
    for unit in units:
        under = Q(unit__versions__path__startswith=unit.path) & active_on(now, "unit__versions__")
        surveys = ImplementationSurvey.objects.filter(
            under, started_on__lte=now, ended_on__gte=now
        ).distinct()
        for s in surveys.order_by("ended_on")[:FIRST]:
            out[unit.unit_id].append(
                Todo(
                    f"Đợt khảo sát “{s.title}” đang diễn ra, đến {format_date(s.ended_on)}.",
                    reverse("surveys:list"),
                    "Xem khảo sát",
                    kind="survey_open",
                )
            )
        socio = Questionnaire.objects.filter(under, status=SurveyStatus.OPEN).distinct()
        for q in socio.order_by("ended_on")[:FIRST]:
            out[unit.unit_id].append(
                Todo(
                    f"Điều tra xã hội học “{q.title}” đang thu phiếu, "
                    f"đến {format_date(q.ended_on)}.",
                    reverse("sociology:detail", args=[q.pk]),
                    "Xem cuộc điều tra",
                    kind="sociology_open",
                )
            )
    return list(out.items())
