"""Writes of reporting rounds: launch, save and submit a unit's report, return it with
comments, accept it (its figures frozen and its entered values locked), reopen it with a
reason. Each step is checked against `access` (actor None: the operator), refused with a
Vietnamese message that changes nothing, and leaves a `RoundEvent` (and, through
django-auditlog, the diff) in its transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from dangvu.accounts.models import User
from dangvu.core.errors import DomainError
from dangvu.indicators import services as indicator_services
from dangvu.indicators.models import Programme
from dangvu.indicators.selectors import unit_name_on
from dangvu.lib.periods import Period
from dangvu.rounds import access, figures
from dangvu.rounds.models import (
    WITH_UNIT,
    EventAction,
    Reporters,
    ReportingRound,
    ReportState,
    RoundEvent,
    RoundReport,
)
from dangvu.units.models import CELL_KINDS, GRASSROOTS_KINDS, Unit, UnitVersion

TITLE_NEEDED = "Cần ghi tên đợt báo cáo."
DEADLINE_BEFORE = "Hạn nộp không được trước ngày phát động ({day:%d/%m/%Y})."
OUTLINE_NEEDED = "Đề cương cần ít nhất một mục."
OUTLINE_TOO_LONG = "Đề cương có tối đa {n} mục."
HEADING_NEEDED = "Mục thứ {n} của đề cương chưa có tiêu đề."
NO_REPORTERS = "Chưa có đơn vị nào phải báo cáo: hãy chọn đơn vị."
NOT_BELOW = "{name} không trực thuộc {unit}: không thể yêu cầu báo cáo."
DUPLICATE = "{unit} đã có đợt báo cáo «{title}» về {programme} cho kỳ này."
UNIT_NOT_STANDING = "Đơn vị không hoạt động vào ngày {day:%d/%m/%Y}."
MAY_NOT_LAUNCH = "Chỉ văn phòng, lãnh đạo cấp ủy của {unit} phát động đợt báo cáo của đơn vị này."
MAY_NOT_WRITE = "Chỉ văn phòng, lãnh đạo cấp ủy của {unit} viết và gửi báo cáo này."
MAY_NOT_REVIEW = "Chỉ văn phòng, lãnh đạo cấp ủy của {unit} xem xét báo cáo trong đợt này."
NOT_WITH_UNIT = {
    ReportState.SUBMITTED: "Báo cáo đã gửi, đang chờ cấp trên xem xét: không sửa được.",
    ReportState.ACCEPTED: "Báo cáo đã được chấp nhận: không sửa được (cấp trên có thể mở lại).",
}
SECTIONS_MISSING = "Chưa viết các mục: {sections}."
SECTION_TOO_LONG = "Mục «{section}» dài quá {n} ký tự."
NOT_SUBMITTED = "Báo cáo không ở trạng thái chờ xem xét ({state})."
COMMENTS_NEEDED = "Cần ghi ý kiến (ít nhất một mục) khi trả lại báo cáo."
NOT_ACCEPTED = "Báo cáo chưa được chấp nhận: không có gì để mở lại."
REASON_NEEDED = "Cần ghi lý do mở lại báo cáo."
EXTEND_NOT_WITH_UNIT = "Chỉ gia hạn báo cáo chưa gửi hoặc bị trả lại."
EXTEND_BEFORE = "Ngày gia hạn phải sau hạn nộp của đợt ({day:%d/%m/%Y})."
EXTEND_PAST = "Ngày gia hạn không được trước hôm nay."
EXTEND_TOO_LONG = "Chỉ gia hạn tối đa {days} ngày (đến {day:%d/%m/%Y})."
EXTEND_REASON = "Cần ghi lý do gia hạn."
INSTRUCTIONS_TOO_LONG = "Hướng dẫn dài quá {n} ký tự."
MAX_EXTENSION_DAYS = 180
MAX_INSTRUCTIONS = 5_000
LOCK_REASON = "báo cáo «{title}» đã được {unit} chấp nhận ngày {day:%d/%m/%Y}"

MAX_SECTIONS = 40
MAX_TEXT = 30_000


def reporting_units(
    unit: Unit, reporters: str, day: date, chosen: Sequence[Unit] = ()
) -> list[Unit]:
    """The units that report to `unit` as the tree stands on `day`: its direct children,
    every grassroots organisation beneath it, or the chosen ones (each strictly below)."""
    top = UnitVersion.objects.as_of(day).filter(unit=unit).first()
    if top is None:
        raise DomainError(UNIT_NOT_STANDING.format(day=day))
    below = UnitVersion.objects.as_of(day).under(top.path).exclude(unit=unit)
    if reporters == Reporters.DIRECT:
        versions = below.filter(parent_id=unit.pk).exclude(kind__in=CELL_KINDS)
        if not versions.exists():  # a grassroots committee's direct units are cells
            versions = below.filter(parent_id=unit.pk)
    elif reporters == Reporters.GRASSROOTS:
        versions = below.filter(kind__in=GRASSROOTS_KINDS)
    else:
        ids = {u.pk for u in chosen}
        versions = below.filter(unit_id__in=ids)
        found = set(versions.values_list("unit_id", flat=True))
        for other in chosen:
            if other.pk not in found:
                # Named only if it stands in the launching unit's subtree at some time:
                # a code typed from outside learns nothing of the unit it names.
                inside = UnitVersion.objects.filter(unit=other, path__startswith=top.path)
                name = unit_name_on(other, day) if inside.exists() else "Đơn vị đã chọn"
                raise DomainError(NOT_BELOW.format(name=name, unit=unit_name_on(unit, day)))
    units = [v.unit for v in versions.select_related("unit").order_by("name_sort")]
    if not units:
        raise DomainError(NO_REPORTERS)
    return units


def clean_outline(outline: Sequence[tuple[str, str]]) -> list[list[str]]:
    rows = [(str(k).strip(), " ".join(str(t).split())) for k, t in outline]
    if not rows:
        raise DomainError(OUTLINE_NEEDED)
    if len(rows) > MAX_SECTIONS:
        raise DomainError(OUTLINE_TOO_LONG.format(n=MAX_SECTIONS))
    seen: set[str] = set()
    out = []
    for n, (key, title) in enumerate(rows, start=1):
        if not title:
            raise DomainError(HEADING_NEEDED.format(n=n))
        key = key or f"m{n}"
        while key in seen:
            key = f"{key}-{n}"
        seen.add(key)
        out.append([key, title[:300]])
    return out


@transaction.atomic
def round_launch(
    *,
    unit: Unit,
    programme: Programme,
    title: str,
    period: Period,
    deadline: date,
    outline: Sequence[tuple[str, str]],
    reporters: str = Reporters.DIRECT,
    chosen: Sequence[Unit] = (),
    instructions: str = "",
    actor: User | None,
    on: date | None = None,
) -> ReportingRound:
    """Ask the units below `unit` for their reports: one `RoundReport` a unit, not started."""
    day = on or timezone.localdate()
    if not access.may_launch(actor, unit.pk):
        raise DomainError(MAY_NOT_LAUNCH.format(unit=unit_name_on(unit, day)))
    title = " ".join(title.split())
    if not title:
        raise DomainError(TITLE_NEEDED, field="title")
    if deadline < day:
        raise DomainError(DEADLINE_BEFORE.format(day=day), field="deadline")
    sections = clean_outline(outline)
    if len(instructions.strip()) > MAX_INSTRUCTIONS:
        raise DomainError(
            INSTRUCTIONS_TOO_LONG.format(n=f"{MAX_INSTRUCTIONS:,}".replace(",", ".")),
            field="instructions",
        )
    if reporters not in Reporters.values:
        reporters = Reporters.DIRECT
    units = reporting_units(unit, reporters, day, chosen)
    existing = ReportingRound.objects.filter(
        unit=unit, programme=programme, period=period.label
    ).first()
    if existing is not None:
        raise DomainError(
            DUPLICATE.format(
                unit=unit_name_on(unit, day), title=existing.title, programme=programme.short_name
            )
        )
    rnd = ReportingRound.objects.create(
        programme=programme,
        unit=unit,
        title=title[:300],
        period=period.label,
        deadline=deadline,
        outline=sections,
        reporters=reporters,
        instructions=instructions.strip(),
        launched_on=day,
        launched_by=actor,
    )
    at = _at(day)
    for reporter in units:
        report = RoundReport.objects.create(round=rnd, unit=reporter)
        RoundEvent.objects.create(report=report, action=EventAction.LAUNCHED, actor=actor, at=at)
    return rnd


def _at(day: date | datetime | None) -> datetime:
    if day is None:
        return timezone.now()
    if isinstance(day, datetime):
        return day
    return timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=8)))


def _locked(report: RoundReport) -> RoundReport:
    return (
        RoundReport.objects.select_for_update()
        .select_related("round", "round__programme", "round__unit", "unit")
        .get(pk=report.pk)
    )


def _clean_texts(rnd: ReportingRound, texts: dict[str, str]) -> dict[str, str]:
    out = {}
    for key, title in rnd.sections():
        text = (texts.get(key) or "").replace("\r\n", "\n").strip()
        if len(text) > MAX_TEXT:
            raise DomainError(
                SECTION_TOO_LONG.format(section=title, n=f"{MAX_TEXT:,}".replace(",", ".")),
                field=key,
            )
        if text:
            out[key] = text
    return out


def _check_writer(report: RoundReport, actor: User | None) -> None:
    if not access.may_write(actor, report):
        raise DomainError(
            MAY_NOT_WRITE.format(unit=unit_name_on(report.unit, timezone.localdate()))
        )
    if report.state not in WITH_UNIT:
        raise DomainError(NOT_WITH_UNIT[ReportState(report.state)])


@transaction.atomic
def report_save(
    *,
    report: RoundReport,
    texts: dict[str, str],
    number: str = "",
    signer_name: str = "",
    actor: User | None,
    at: datetime | date | None = None,
) -> RoundReport:
    """Save the unit's working text (a draft: nobody else reads it)."""
    report = _locked(report)
    _check_writer(report, actor)
    report.texts = _clean_texts(report.round, texts)
    report.number = number.strip()[:20]
    report.signer_name = " ".join(signer_name.split())[:80]
    if report.state == ReportState.NOT_STARTED:
        report.state = ReportState.DRAFTING
    report.save()
    last = report.events.order_by("-at", "-pk").first()
    if last is None or last.action != EventAction.DRAFTED:  # one event a run of saves
        RoundEvent.objects.create(
            report=report, action=EventAction.DRAFTED, actor=actor, at=_at(at)
        )
    return report


@transaction.atomic
def report_submit(
    *,
    report: RoundReport,
    actor: User | None,
    texts: dict[str, str] | None = None,
    number: str | None = None,
    signer_name: str | None = None,
    at: datetime | date | None = None,
) -> RoundReport:
    """Send the report to the level above: every section of the outline written."""
    report = _locked(report)
    _check_writer(report, actor)
    if texts is not None:
        report.texts = _clean_texts(report.round, texts)
    if number is not None:
        report.number = number.strip()[:20]
    if signer_name is not None:
        report.signer_name = " ".join(signer_name.split())[:80]
    missing = [title for key, title in report.round.sections() if not report.texts.get(key)]
    if missing:
        raise DomainError(SECTIONS_MISSING.format(sections="; ".join(missing)))
    when = _at(at)
    report.submitted_texts = dict(report.texts)
    report.state = ReportState.SUBMITTED
    report.submitted_at, report.submitted_by = when, actor
    report.save()
    RoundEvent.objects.create(report=report, action=EventAction.SUBMITTED, actor=actor, at=when)
    return report


def _check_reviewer(report: RoundReport, actor: User | None) -> None:
    if not access.may_review(actor, report.round):
        raise DomainError(
            MAY_NOT_REVIEW.format(unit=unit_name_on(report.round.unit, timezone.localdate()))
        )


@transaction.atomic
def report_return(
    *,
    report: RoundReport,
    comments: dict[str, str],
    actor: User | None,
    at: datetime | date | None = None,
) -> RoundReport:
    """Send the report back to the unit with comments per section ("" for the general
    one); the unit revises its text and submits again."""
    report = _locked(report)
    _check_reviewer(report, actor)
    if report.state != ReportState.SUBMITTED:
        raise DomainError(NOT_SUBMITTED.format(state=report.get_state_display().lower()))
    cleaned = _clean_comments(report.round, comments)
    if not cleaned:
        raise DomainError(COMMENTS_NEEDED)
    report.comments = cleaned
    report.state = ReportState.RETURNED
    report.save()
    RoundEvent.objects.create(
        report=report, action=EventAction.RETURNED, actor=actor, at=_at(at), data=cleaned
    )
    return report


def _clean_comments(rnd: ReportingRound, comments: dict[str, str]) -> dict[str, str]:
    keys = {key for key, _ in rnd.sections()} | {""}
    return {
        k: v.replace("\r\n", "\n").strip()[:MAX_TEXT]
        for k, v in comments.items()
        if k in keys and v and v.strip()
    }


@transaction.atomic
def report_accept(
    *,
    report: RoundReport,
    actor: User | None,
    at: datetime | date | None = None,
    snapshot: dict[str, Any] | None = None,
    comments: dict[str, str] | None = None,
) -> RoundReport:
    """Accept the report: its figures are frozen in a snapshot and the unit's entered
    values over the round's period are locked until the report is reopened. Comments
    typed while accepting (per section, "" general) are kept on the step. The operator
    (actor None: the demo, evaluating a round's units at once with `figures.snapshots`)
    may hand the snapshot in; a user's acceptance always evaluates it."""
    if snapshot is not None and actor is not None:
        raise ValueError("only the operator hands a snapshot in")
    report = _locked(report)
    _check_reviewer(report, actor)
    if report.state != ReportState.SUBMITTED:
        raise DomainError(NOT_SUBMITTED.format(state=report.get_state_display().lower()))
    when = _at(at)
    rnd = report.round
    report.snapshot = snapshot if snapshot is not None else figures.snapshot(report.unit, rnd)
    report.state = ReportState.ACCEPTED
    report.accepted_at, report.accepted_by = when, actor
    report.comments = {}
    report.save()
    day = timezone.localtime(when).date()
    indicator_services.figures_lock(
        unit=report.unit,
        period=figures.period_of(rnd),
        reason=LOCK_REASON.format(title=rnd.title, unit=unit_name_on(rnd.unit, day), day=day),
        holder=report.lock_holder,
    )
    RoundEvent.objects.create(
        report=report,
        action=EventAction.ACCEPTED,
        actor=actor,
        at=when,
        data=_clean_comments(rnd, comments or {}),
    )
    return report


@transaction.atomic
def report_reopen(
    *, report: RoundReport, reason: str, actor: User | None, at: datetime | date | None = None
) -> RoundReport:
    """Undo an acceptance, with a reason: the report waits for review again (to be
    returned to the unit or accepted anew), its figures are no longer frozen."""
    report = _locked(report)
    _check_reviewer(report, actor)
    if report.state != ReportState.ACCEPTED:
        raise DomainError(NOT_ACCEPTED)
    reason = reason.strip()
    if not reason:
        raise DomainError(REASON_NEEDED)
    previous = report.snapshot
    report.state = ReportState.SUBMITTED
    report.snapshot = None
    report.accepted_at, report.accepted_by = None, None
    report.save()
    indicator_services.figures_unlock(holder=report.lock_holder)
    RoundEvent.objects.create(
        report=report,
        action=EventAction.REOPENED,
        actor=actor,
        at=_at(at),
        note=reason[:2000],
        data={"snapshot": previous},
    )
    return report


@transaction.atomic
def report_extend(
    *,
    report: RoundReport,
    until: date,
    reason: str = "",
    actor: User | None,
    at: datetime | date | None = None,
) -> RoundReport:
    """Give a unit more time (gia hạn): it is due on `until` instead of the round's
    deadline, and not late before then."""
    report = _locked(report)
    _check_reviewer(report, actor)
    if report.state not in WITH_UNIT:
        raise DomainError(EXTEND_NOT_WITH_UNIT)
    if until <= report.round.deadline:
        raise DomainError(EXTEND_BEFORE.format(day=report.round.deadline), field="until")
    when = _at(at)
    if until < timezone.localtime(when).date():
        raise DomainError(EXTEND_PAST, field="until")
    today = timezone.localtime(when).date()
    latest = max(report.round.deadline, today) + timedelta(days=MAX_EXTENSION_DAYS)
    if until > latest:
        raise DomainError(
            EXTEND_TOO_LONG.format(days=MAX_EXTENSION_DAYS, day=latest), field="until"
        )
    if not reason.strip():
        raise DomainError(EXTEND_REASON, field="reason")
    report.extended_to = until
    report.save()
    RoundEvent.objects.create(
        report=report,
        action=EventAction.EXTENDED,
        actor=actor,
        at=when,
        note=reason.strip()[:2000],
        data={"until": until.isoformat()},
    )
    return report
