"""Reporting rounds: the list, launch, the board (its figures load apart), a unit's report
(write, submit), review (return, accept, reopen, extend). Each POST is one service call;
whoever may not act gets 404, and a refusal changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangvu.accounts.decorators import requires
from dangvu.accounts.http import AuthedRequest
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import Scope, scope_for
from dangvu.core.errors import DomainError
from dangvu.core.templatetags.dangvu import unit_name
from dangvu.home.todo import listed
from dangvu.indicators import presets
from dangvu.indicators import selectors as indicator_selectors
from dangvu.indicators.disclosure import Viewer
from dangvu.indicators.models import Source
from dangvu.indicators.selectors import indicators_of
from dangvu.indicators.services import enterable
from dangvu.lib.dates import format_date
from dangvu.lib.periods import Period
from dangvu.rounds import access, figures, selectors, services
from dangvu.rounds.forms import LaunchForm, outline_text
from dangvu.rounds.models import (
    WITH_UNIT,
    EventAction,
    Reporters,
    ReportingRound,
    ReportState,
    RoundReport,
)
from dangvu.units.selectors import unit_picked

SAVED = "Đã lưu bản nháp."
SUBMITTED = "Đã gửi báo cáo lên {unit}."
RETURNED = "Đã trả lại báo cáo của {unit} kèm ý kiến."
ACCEPTED = "Đã chấp nhận báo cáo của {unit}; số liệu của đơn vị đã được chốt."
REOPENED = "Đã mở lại báo cáo của {unit}."
EXTENDED = "Đã gia hạn cho {unit} đến ngày {day}."
LAUNCHED = "Đã phát động đợt báo cáo; {n} đơn vị phải báo cáo."
NO_WRITER = (
    "{n} đơn vị chưa có ai được viết báo cáo (cần vai trò văn phòng, tổ chức, tuyên giáo hoặc "
    "lãnh đạo cấp ủy tại chính đơn vị): {names}. Hãy đề nghị cấp vai trò cho các đơn vị này."
)
BAD_DAY = "Ngày gia hạn không hợp lệ: chọn một ngày."
TEXT_PREFIX = "muc_"
COMMENT_PREFIX = "y_"


# -- the list and launching -------------------------------------------------------------


@require_GET
@requires(Capability.VIEW_REPORTS)
def round_list(request: AuthedRequest) -> HttpResponse:
    today = timezone.localdate()
    rounds = list(selectors.rounds_visible(user=request.user)[:100])
    counts = selectors.counts_many(rounds, today)
    boards = selectors.boards_visible(user=request.user, rounds=rounds)
    mine = list(selectors.my_reports(user=request.user)[:100])
    return render(
        request,
        "rounds/list.html",
        {
            # A round the user's unit reports in, without its board, is in "mine" already.
            "rounds": [
                (rnd, counts[rnd.pk], presets.span(figures.period_of(rnd)))
                for rnd in rounds
                if rnd.pk in boards
            ],
            "mine": [(r, r.days_late(today)) for r in mine],
            "may_launch": bool(selectors.launch_units(user=request.user)),
        },
    )


def _period_of(request: AuthedRequest, prog: Any) -> Period:
    try:
        chosen = presets.chosen_period(request.POST or request.GET, prog)
    except ValueError as error:
        raise DomainError(str(error)) from error
    return chosen or indicator_selectors.default_period(prog)


@require_http_methods(["GET", "POST"])
@requires(Capability.WRITE_REPORTS)
def round_create(request: AuthedRequest) -> HttpResponse:
    units = selectors.launch_units(user=request.user)
    if not units:
        raise Http404("Không có đơn vị nào bạn được phát động đợt báo cáo.")
    programmes = list(indicator_selectors.programmes_latest_first())
    if not programmes:
        raise Http404("Chưa có đề án.")
    unit_choices = [(u.pk, unit_name(u)) for u in units]
    by_id = {p.pk: p for p in programmes}
    prog = by_id.get(_int(request.POST.get("programme") or request.GET.get("de_an_id")))
    prog = prog or programmes[0]
    form_args = {
        "units": unit_choices,
        "programmes": [(p.pk, p.short_name) for p in programmes],
    }
    error = ""
    period = indicator_selectors.default_period(prog)
    if request.method == "POST":
        form = LaunchForm(request.POST, **form_args)
        if form.is_valid():
            data = form.cleaned_data
            unit = next(u for u in units if u.pk == data["unit"])
            try:
                period = _period_of(request, prog)
                chosen = []
                if data["reporters"] == Reporters.LIST:
                    chosen = _units_listed(request, data["chosen"])
                rnd = services.round_launch(
                    unit=unit,
                    programme=by_id[data["programme"]],
                    title=data["title"],
                    period=period,
                    deadline=data["deadline"],
                    outline=data["outline"],
                    reporters=data["reporters"],
                    chosen=chosen,
                    instructions=data["instructions"],
                    actor=request.user,
                )
            except DomainError as refused:
                error = refused.message
            else:
                messages.success(request, LAUNCHED.format(n=rnd.reports.count()))
                orphans = selectors.without_writer(rnd)
                if orphans:
                    messages.warning(
                        request,
                        NO_WRITER.format(n=len(orphans), names=listed(orphans, len(orphans))),
                    )
                return redirect("rounds:board", round_id=rnd.pk)
    else:
        form = LaunchForm(
            initial={
                "programme": prog.pk,
                "title": f"Sơ kết 5 năm thực hiện {prog.short_name}",
                "outline": outline_text(),
                "reporters": Reporters.DIRECT,
            },
            **form_args,
        )
    return render(
        request,
        "rounds/create.html",
        {
            "form": form,
            "error": error,
            "single_unit": unit_choices[0][1] if len(unit_choices) == 1 else "",
            "presets": presets.presets(prog),
            "period": period,
            "is_preset": presets.is_preset(period, prog),
            "span": presets.span(period),
        },
    )


def _int(raw: str | None) -> int:
    try:
        return int(raw or 0)
    except ValueError:
        return 0


def _units_listed(request: AuthedRequest, text: str) -> list[Any]:
    """The units named one a line (a name, the label the picker shows, or a code)."""
    day = timezone.localdate()
    return [
        unit_picked(user=request.user, text=line, day=day, cap=Capability.VIEW_REPORTS)
        for line in text.splitlines()
        if line.strip()
    ]


# -- the board ---------------------------------------------------------------------------


@require_GET
@requires(Capability.VIEW_REPORTS)
def board(request: AuthedRequest, round_id: int) -> HttpResponse:
    rnd = selectors.round_or_404(user=request.user, round_id=round_id)
    today = timezone.localdate()
    rows = selectors.board_rows(rnd=rnd, user=request.user, day=today)
    return render(
        request,
        "rounds/board.html",
        {
            "rnd": rnd,
            "rows": rows,
            "counts": selectors.counts(rnd, today),
            "round_unit": unit_name(rnd.unit),
            **_period_context(rnd),
            "reviewer": access.may_review(request.user, rnd),
            "with_unit": WITH_UNIT,
            "min_extension": max(rnd.deadline, today).isoformat(),
        },
    )


def _period_context(rnd: Any) -> dict[str, str]:
    period = figures.period_of(rnd)
    return {"period_text": period.display(), "span": presets.span(period)}


@require_GET
@requires(Capability.VIEW_REPORTS)
def board_figures(request: AuthedRequest, round_id: int) -> HttpResponse:
    """The accepted figures side by side: a fragment for htmx, a page without script."""
    rnd = selectors.round_or_404(user=request.user, round_id=round_id)
    data = selectors.board(rnd=rnd, user=request.user)
    context = {"rnd": rnd, "data": data, "round_unit": unit_name(rnd.unit), **_period_context(rnd)}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "rounds/_figures.html", context)
    return render(request, "rounds/figures.html", context)


# -- a unit's report ---------------------------------------------------------------------


def _report_page(
    request: AuthedRequest, report: RoundReport, *, posted: Any = None, error: str = ""
) -> HttpResponse:
    user, rnd = request.user, report.round
    period = figures.period_of(rnd)
    writer = access.may_write(user, report)
    reviewer = access.may_review(user, rnd)
    texts = selectors.texts_shown(report, user)
    state = ReportState(report.state)
    sections = []
    for key, title in rnd.sections():
        text = posted.get(TEXT_PREFIX + key, "") if posted is not None else texts.get(key, "")
        comment = posted.get(COMMENT_PREFIX + key, "") if posted is not None else ""
        sections.append(
            {
                "key": key,
                "title": title,
                "text": text,
                "comment_above": report.comments.get(key, ""),
                "comment": comment,
            }
        )
    scope = scope_for(user)
    context = {
        "report": report,
        "rnd": rnd,
        "state": state,
        "unit_label": unit_name(report.unit, period.last_day),
        "round_unit": unit_name(rnd.unit),
        "period_text": period.display(),
        "span": presets.span(period),
        "sections": sections,
        "writes": writer and state in WITH_UNIT,
        "writer": writer,
        "reviews": reviewer,
        "sees_board": reviewer or access.may_see_board(scope, rnd),
        "general_comment": report.comments.get("", ""),
        "posted_general": posted.get(COMMENT_PREFIX, "") if posted is not None else "",
        "number": posted.get("number", "") if posted is not None else report.number,
        "signer_name": posted.get("signer_name", "") if posted is not None else report.signer_name,
        "reason": posted.get("reason", "") if posted is not None else "",
        "error": error,
        "entry_link": _entry_link(scope, rnd, report, period) if writer else "",
        "history": _history(report, dict(rnd.sections())),
        "late_days": report.days_late(),
        "min_extension": max(rnd.deadline, timezone.localdate()).isoformat(),
        "with_unit": state in WITH_UNIT,
        "text_prefix": TEXT_PREFIX,
        "comment_prefix": COMMENT_PREFIX,
    }
    return render(request, "rounds/report.html", context, status=400 if error else 200)


def _entry_link(scope: Scope, rnd: ReportingRound, report: RoundReport, period: Period) -> str:
    """The entry grid of the unit for the period, if it offers the user anything there (no
    link to a page saying "nothing for you to enter"); with the computed indicators shown
    when the user's are computed ones (an entered value replaces the computation)."""
    if not scope.reaches_unit_on(Capability.ENTER_VALUES, report.unit, period.last_day):
        return ""
    indicators = indicators_of(rnd.programme)
    codes = enterable(scope, indicators, report.unit)
    if not codes:
        return ""
    link = f"{reverse('indicators:entry')}?don_vi={report.unit.code}&ky={period.label}"
    entered = {i.code for i in indicators if i.source == Source.ENTERED}
    return link if codes & entered else link + "&ca_chi_tieu_tinh=1"


def _history(report: RoundReport, titles: dict[str, str]) -> list[dict[str, Any]]:
    """The report's steps as its page shows them: who, when, the note, the comments."""
    out = []
    for event in selectors.report_events(report):
        lines = []
        if event.action in (EventAction.RETURNED, EventAction.ACCEPTED):
            lines = [
                (titles.get(key, key) if key else "Ý kiến chung", text)
                for key, text in event.data.items()
                if isinstance(text, str)
            ]
        elif event.action == EventAction.EXTENDED and event.data.get("until"):
            until = date.fromisoformat(event.data["until"])
            lines = [("Gia hạn đến", format_date(until))]
        out.append(
            {
                "label": event.get_action_display(),
                "actor": event.actor.display_name if event.actor else "",
                "at": event.at,
                "note": event.note,
                "lines": lines,
            }
        )
    return out


@require_GET
@requires(Capability.VIEW_REPORTS)
def report_page(request: AuthedRequest, round_id: int, report_id: int) -> HttpResponse:
    report = selectors.report_or_404(user=request.user, round_id=round_id, report_id=report_id)
    return _report_page(request, report)


@require_GET
@requires(Capability.VIEW_REPORTS)
def report_figures(request: AuthedRequest, round_id: int, report_id: int) -> HttpResponse:
    """The unit's figures for the round's period, read only: a fragment for htmx (they take
    a while to compute), a page without script."""
    report = selectors.report_or_404(user=request.user, round_id=round_id, report_id=report_id)
    rnd = report.round
    period = figures.period_of(rnd)
    data = indicator_selectors.report_for(
        unit=report.unit,
        period=period,
        prog=rnd.programme,
        viewer=Viewer.of(request.user),
        with_findings=False,
    )
    context = {
        "report": report,
        "rnd": rnd,
        "figures": data,
        "unit_label": unit_name(report.unit, period.last_day),
        "span": presets.span(period),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "rounds/_unit_figures.html", context)
    return render(request, "rounds/unit_figures.html", context)


def _writable(request: AuthedRequest, round_id: int, report_id: int) -> RoundReport:
    report = selectors.report_or_404(user=request.user, round_id=round_id, report_id=report_id)
    if not access.may_write(request.user, report):
        raise Http404(selectors.REPORT_NOT_FOUND)
    return report


def _reviewable(request: AuthedRequest, round_id: int, report_id: int) -> RoundReport:
    """A report the user reads and reviews (return, accept, reopen: it was sent)."""
    report = selectors.report_or_404(user=request.user, round_id=round_id, report_id=report_id)
    if not access.may_review(request.user, report.round):
        raise Http404(selectors.REPORT_NOT_FOUND)
    return report


def _texts(request: AuthedRequest, report: RoundReport) -> dict[str, str]:
    return {key: request.POST.get(TEXT_PREFIX + key, "") for key, _ in report.round.sections()}


def _to_report(report: RoundReport) -> HttpResponse:
    return redirect("rounds:report", round_id=report.round_id, report_id=report.pk)


def _act(
    request: AuthedRequest,
    report: RoundReport,
    call: Callable[[], RoundReport],
    success: str,
) -> HttpResponse:
    """Run one service call: on success a message and the report's page (or the board,
    when the user may not read the report any more); on refusal the page again, with
    what was typed and the reason, nothing changed."""
    try:
        done = call()
    except DomainError as refused:
        return _report_page(request, report, posted=request.POST, error=refused.message)
    messages.success(request, success)
    if access.may_read(request.user, done):
        return _to_report(done)
    return redirect("rounds:board", round_id=done.round_id)


def _write(request: AuthedRequest, round_id: int, report_id: int, submit: bool) -> HttpResponse:
    """Save the unit's working text, or submit it (the same fields either way)."""
    report = _writable(request, round_id, report_id)
    step = services.report_submit if submit else services.report_save
    return _act(
        request,
        report,
        lambda: step(
            report=report,
            texts=_texts(request, report),
            number=request.POST.get("number", ""),
            signer_name=request.POST.get("signer_name", ""),
            actor=request.user,
        ),
        SUBMITTED.format(unit=unit_name(report.round.unit)) if submit else SAVED,
    )


@require_POST
@requires(Capability.VIEW_REPORTS)
def report_save(request: AuthedRequest, round_id: int, report_id: int) -> HttpResponse:
    return _write(request, round_id, report_id, submit=False)


@require_POST
@requires(Capability.VIEW_REPORTS)
def report_submit(request: AuthedRequest, round_id: int, report_id: int) -> HttpResponse:
    return _write(request, round_id, report_id, submit=True)


def _comments(request: AuthedRequest, report: RoundReport) -> dict[str, str]:
    """The reviewer's comments posted per section ("" the general one)."""
    keys = ["", *(key for key, _ in report.round.sections())]
    return {key: request.POST.get(COMMENT_PREFIX + key, "") for key in keys}


@require_POST
@requires(Capability.VIEW_REPORTS)
def report_return(request: AuthedRequest, round_id: int, report_id: int) -> HttpResponse:
    report = _reviewable(request, round_id, report_id)
    comments = _comments(request, report)
    return _act(
        request,
        report,
        lambda: services.report_return(report=report, comments=comments, actor=request.user),
        RETURNED.format(unit=unit_name(report.unit)),
    )


@require_POST
@requires(Capability.VIEW_REPORTS)
def report_accept(request: AuthedRequest, round_id: int, report_id: int) -> HttpResponse:
    report = _reviewable(request, round_id, report_id)
    comments = _comments(request, report)
    return _act(
        request,
        report,
        lambda: services.report_accept(report=report, actor=request.user, comments=comments),
        ACCEPTED.format(unit=unit_name(report.unit)),
    )


@require_POST
@requires(Capability.VIEW_REPORTS)
def report_reopen(request: AuthedRequest, round_id: int, report_id: int) -> HttpResponse:
    report = _reviewable(request, round_id, report_id)
    return _act(
        request,
        report,
        lambda: services.report_reopen(
            report=report, reason=request.POST.get("reason", ""), actor=request.user
        ),
        REOPENED.format(unit=unit_name(report.unit)),
    )


@require_POST
@requires(Capability.VIEW_REPORTS)
def report_extend(request: AuthedRequest, round_id: int, report_id: int) -> HttpResponse:
    """Give the unit more time: from the board (a draft the reviewer may not read) or from
    the report's page; a refusal is a message on the page it came from."""
    report = selectors.report_to_review_or_404(
        user=request.user, round_id=round_id, report_id=report_id
    )
    back = (
        _to_report(report)
        if request.POST.get("from") == "report" and access.may_read(request.user, report)
        else redirect("rounds:board", round_id=report.round_id)
    )
    try:
        until = date.fromisoformat(request.POST.get("until", "").strip())
    except ValueError:
        messages.error(request, BAD_DAY)
        return back
    try:
        services.report_extend(
            report=report,
            until=until,
            reason=request.POST.get("reason", ""),
            actor=request.user,
        )
    except DomainError as refused:
        messages.error(request, f"{unit_name(report.unit)}: {refused.message}")
        return back
    messages.success(request, EXTENDED.format(unit=unit_name(report.unit), day=format_date(until)))
    return back
