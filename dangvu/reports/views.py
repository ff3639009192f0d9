"""Summary reports: list, write the narrative (quoting the accepted reports of the
committee's round), preview, download DOCX, XLSX, JSON."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangvu.accounts.decorators import requires
from dangvu.accounts.http import AuthedRequest
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for
from dangvu.core.errors import DomainError
from dangvu.core.replica import reads_from_replica
from dangvu.indicators import selectors as indicator_selectors
from dangvu.indicators.disclosure import Viewer
from dangvu.indicators.models import Programme
from dangvu.jobs.http import queue_and_open
from dangvu.lib.periods import Period, parse_period
from dangvu.reports import generate, selectors, services
from dangvu.reports.compose import compose
from dangvu.reports.forms import SummaryForm
from dangvu.reports.models import SECTIONS, SummaryReport
from dangvu.rounds import selectors as round_selectors
from dangvu.units.models import Unit


@require_GET
@requires(Capability.VIEW_REPORTS)
@reads_from_replica()
def report_list(request: AuthedRequest) -> HttpResponse:
    reports = selectors.reports_visible(user=request.user)[:100]
    can_write = scope_for(request.user).can(Capability.WRITE_REPORTS)
    return render(request, "reports/list.html", {"reports": reports, "can_write": can_write})


def _initial(report: SummaryReport) -> dict[str, object]:
    fields = [
        "title",
        "superior",
        "issuer",
        "number",
        "symbol",
        "place",
        "issued_on",
        "signer_role",
        "signer_title",
        "signer_name",
        "recipients",
        "section_iv_title",
    ]
    initial: dict[str, object] = {f: getattr(report, f) for f in fields}
    for key, _ in SECTIONS:
        initial[f"s__{key}"] = (report.narrative or {}).get(key, "")
    return initial


def _save(
    request: AuthedRequest,
    form: SummaryForm,
    report: SummaryReport | None,
    unit: Unit,
    period: Period,
    programme: Programme,
) -> SummaryReport | None:
    data = form.cleaned_data
    try:
        return services.summary_report_save(
            report=report,
            programme=programme,
            unit=unit,
            period=period,
            title=data["title"],
            issuer=data["issuer"],
            superior=data["superior"],
            number=data["number"],
            symbol=data["symbol"],
            place=data["place"],
            issued_on=data["issued_on"],
            signer_role=data["signer_role"],
            signer_title=data["signer_title"],
            signer_name=data["signer_name"],
            recipients=data["recipients"],
            section_iv_title=data["section_iv_title"],
            narrative=form.narrative(),
            actor=request.user,
        )
    except DomainError as error:
        form.add_error(None, error.message)
        return None


@require_http_methods(["GET", "POST"])
@requires(Capability.WRITE_REPORTS)
@reads_from_replica()
def report_create(request: AuthedRequest) -> HttpResponse:
    programme = indicator_selectors.programme(request.GET.get("de_an", ""))
    try:
        period = (
            parse_period(request.GET["ky"])
            if request.GET.get("ky")
            else indicator_selectors.default_period(programme)
        )
    except ValueError as error:
        messages.warning(request, str(error))
        period = indicator_selectors.default_period(programme)
    code = request.GET.get("don_vi", "")
    unit = (
        indicator_selectors.reportable_unit(user=request.user, code=code, period=period)
        if code
        else indicator_selectors.default_unit(user=request.user, period=period)
    )
    if unit is None or not scope_for(request.user).reaches_unit_on(
        Capability.WRITE_REPORTS, unit, period.last_day
    ):
        from django.http import Http404

        raise Http404()
    draft = generate.draft(unit=unit, period=period, programme=programme)
    form = SummaryForm(request.POST or None, initial=_initial(draft))
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, None, unit, period, programme)
        if saved is not None:
            messages.success(request, "Đã tạo báo cáo.")
            return redirect("reports:edit", report_id=saved.pk)
    return render(
        request,
        "reports/edit.html",
        {
            "form": form,
            "report": None,
            "unit": unit,
            "unit_name": indicator_selectors.unit_name_on(unit, period.last_day),
            "period": period,
            "paras": None,
        },
    )


@require_http_methods(["GET", "POST"])
@requires(Capability.VIEW_REPORTS)
@reads_from_replica()
def report_edit(request: AuthedRequest, report_id: int) -> HttpResponse:
    report = selectors.report_or_404(user=request.user, report_id=report_id)
    period = selectors.period_of(report)
    can_write = scope_for(request.user).reaches_unit_on(
        Capability.WRITE_REPORTS, report.unit, period.last_day
    )
    form = SummaryForm(request.POST or None, initial=_initial(report))
    if request.method == "POST":
        if not can_write:
            from django.http import Http404

            raise Http404()
        if form.is_valid() and _save(request, form, report, report.unit, period, report.programme):
            messages.success(request, "Đã lưu báo cáo.")
            return redirect("reports:edit", report_id=report.pk)
    data = generate.data_for(report, viewer=Viewer.of(request.user))
    paras = compose(report, data)
    notes = [n for p in paras for n in p.notes]
    rnd = round_selectors.round_for(
        unit_id=report.unit_id, programme_id=report.programme_id, period=report.period
    )
    # While writing: the accepted reports of the round, to quote in each section.
    quotes = round_selectors.quotes(rnd, request.user) if rnd is not None and can_write else {}
    return render(
        request,
        "reports/edit.html",
        {
            "form": form,
            "report": report,
            "unit": report.unit,
            "unit_name": data.unit_name,
            "period": period,
            "paras": paras,
            "notes": notes,
            "findings": data.findings,
            "can_write": can_write,
            "round": rnd if quotes else None,
            "quotes": {f"s__{key}": found for key, found in quotes.items()},
        },
    )


@reads_from_replica()
def _download(request: AuthedRequest, report_id: int, fmt: str) -> HttpResponse:
    report = selectors.report_or_404(user=request.user, report_id=report_id)
    content = generate.render(report, fmt, viewer=Viewer.of(request.user))
    response = HttpResponse(content, content_type=generate.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{generate.file_name(report, fmt)}"'
    return response


@require_POST
@requires(Capability.VIEW_REPORTS)
def make_file(request: AuthedRequest, report_id: int, fmt: str) -> HttpResponse:
    """Make the report's DOCX or XLSX in the background; its page shows the progress and
    then the file. (The plain downloads below stay for scripts.)"""
    if fmt not in {"docx", "xlsx"}:
        raise Http404()
    report = selectors.report_or_404(user=request.user, report_id=report_id)
    return queue_and_open(
        request,
        "report_file",
        title=f"Tệp {fmt.upper()} của báo cáo: {report.title}"[:200],
        params={"report_id": report.pk, "format": fmt},
    )


@require_GET
@requires(Capability.VIEW_REPORTS)
def download_docx(request: AuthedRequest, report_id: int) -> HttpResponse:
    return _download(request, report_id, "docx")


@require_GET
@requires(Capability.VIEW_REPORTS)
def download_xlsx(request: AuthedRequest, report_id: int) -> HttpResponse:
    return _download(request, report_id, "xlsx")


@require_GET
@requires(Capability.VIEW_REPORTS)
def download_json(request: AuthedRequest, report_id: int) -> HttpResponse:
    return _download(request, report_id, "json")
