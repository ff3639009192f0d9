"""Indicator pages: the figures of a unit and period, drill-down, dashboards, entry grid."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods

from dangvu.accounts.decorators import requires
from dangvu.accounts.http import AuthedRequest
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for
from dangvu.core.errors import DomainError
from dangvu.core.replica import reads_from_replica
from dangvu.indicators import presets, selectors, services
from dangvu.indicators.catalogue import dimension_keys
from dangvu.indicators.disclosure import Viewer, withheld
from dangvu.indicators.engine import key_dim
from dangvu.indicators.explain import explanations
from dangvu.indicators.forms import EntryGrid, field_name
from dangvu.indicators.models import EnteredValue, Indicator, Programme, Source
from dangvu.indicators.selectors import Line
from dangvu.lib.dates import format_number
from dangvu.lib.periods import Period
from dangvu.lib.svgchart import bar_chart
from dangvu.units.models import Unit
from dangvu.units.selectors import unit_picked


def _period(request: AuthedRequest, prog: Programme) -> Period:
    try:
        chosen = presets.chosen_period(request.GET, prog)
    except ValueError as error:
        messages.warning(request, str(error))
        chosen = None
    return chosen or selectors.default_period(prog)


def _unit(request: AuthedRequest, period: Period) -> Unit:
    typed = request.GET.get("don_vi", "").strip()
    if typed:
        # The unit picker sends a code; without its script, a name as typed.
        try:
            code = unit_picked(
                user=request.user,
                text=typed,
                day=period.last_day,
                cap=Capability.VIEW_REPORTS,
                include_ended=False,
            ).code
        except DomainError as error:
            messages.warning(request, error.message)
        else:
            return selectors.reportable_unit(user=request.user, code=code, period=period)
    unit = selectors.default_unit(user=request.user, period=period)
    if unit is None:
        raise Http404("Không có đơn vị nào trong phạm vi của bạn vào ngày cuối của kỳ.")
    return unit


@dataclass
class Selection:
    """The programme, period and unit a page is about (from ?de_an, ?ky, ?don_vi)."""

    prog: Programme
    period: Period
    unit: Unit
    unit_name: str
    #: Indicator codes are shown, small, to those who type or import them.
    staff: bool

    @property
    def query(self) -> str:
        return f"don_vi={self.unit.code}&ky={self.period.label}"

    def context(self, **more: object) -> dict[str, object]:
        return {
            "prog": self.prog,
            "period": self.period,
            "unit": self.unit,
            "unit_name": self.unit_name,
            "staff": self.staff,
            "query": self.query,
            "presets": presets.presets(self.prog),
            "is_preset": presets.is_preset(self.period, self.prog),
            "span": presets.span(self.period),
            "period_text": presets.describe(self.period, self.prog),
            **more,
        }


def _selection(request: AuthedRequest) -> Selection:
    prog = selectors.programme(request.GET.get("de_an", ""))
    period = _period(request, prog)
    unit = _unit(request, period)
    return Selection(
        prog,
        period,
        unit,
        selectors.unit_name_on(unit, period.last_day),
        staff=scope_for(request.user).can(Capability.EXCHANGE)
        or scope_for(request.user).can(Capability.ENTER_VALUES),
    )


@require_GET
@requires(Capability.VIEW_REPORTS)
@reads_from_replica()
def overview(request: AuthedRequest) -> HttpResponse:
    sel = _selection(request)
    report = selectors.report_for(
        unit=sel.unit, period=sel.period, prog=sel.prog, viewer=Viewer.of(request.user)
    )
    scope = scope_for(request.user)
    context = sel.context(
        report=report,
        findings=explanations(report.findings),
        can_enter=scope.can(Capability.ENTER_VALUES),
        can_write=scope.can(Capability.WRITE_REPORTS),
    )
    return render(request, "indicators/overview.html", context)


@require_GET
@requires(Capability.VIEW_REPORTS)
@reads_from_replica()
def dashboard(request: AuthedRequest, group: str) -> HttpResponse:
    sel = _selection(request)
    period, unit = sel.period, sel.unit
    group_obj = selectors.group_or_404(sel.prog, group)
    indicators = list(group_obj.indicators.all())
    ev = selectors.figures(
        viewer=Viewer.of(request.user),
        targets=[unit],
        period=period,
        indicators=indicators,
        split="year",
    )
    charts = []
    for indicator in indicators:
        values = ev.of(indicator.code, unit.pk)
        years = list(values)
        totals = []
        for year in years:
            row = [v for v in values[year].values() if v is not None]
            totals.append(sum(row) if row else None)
        missing = all(v is None for v in totals)
        shown = [None if withheld(v) else v for v in totals]  # a withheld year draws no bar
        published = ev.published.get(indicator.code)
        charts.append(
            {
                "indicator": indicator,
                "svg": mark_safe(bar_chart(years, shown, title=indicator.label)),
                "missing": missing,
                "note": published.note if published else "",
            }
        )
    return render(request, "indicators/dashboard.html", sel.context(group=group_obj, charts=charts))


@require_GET
@requires(Capability.VIEW_REPORTS)
@reads_from_replica()
def drill(request: AuthedRequest, code: str) -> HttpResponse:
    sel = _selection(request)
    indicator = selectors.indicator_or_404(code)
    period, unit = sel.period, sel.unit
    drill = selectors.drill_down(user=request.user, unit=unit, indicator=indicator, period=period)
    own = drill.own
    buckets = list(own)
    dimension = key_dim(indicator.dims)
    keys = [""] if dimension is None else [k for k in (own[buckets[0]] if buckets else {})]
    context = sel.context(
        indicator=indicator,
        rows=drill.rows,
        own=own,
        buckets=buckets,
        keys=keys,
        indicator_keys=(dimension_keys(dimension) or []) if dimension else [],
        entered_here=drill.entered_here,
        published=drill.published,
    )
    return render(request, "indicators/drill.html", context)


def _entry_lines(
    request: AuthedRequest, period: Period, include_computed: bool, unit: Unit, prog: Programme
) -> list[tuple[Line, list[tuple[str, str]]]]:
    """The rows of the grid: the indicators the user may enter at the unit (their own
    department's, or every one for the leadership) that take a value for the period."""
    candidates = [
        Line(indicator, {}, "missing")  # the grid shows what was entered, not the figures
        for indicator in selectors.indicators_of(prog)
        if (indicator.source == Source.ENTERED or include_computed)
        and services.period_fits(indicator, period)
    ]
    mine = services.enterable(
        scope_for(request.user), [line.indicator for line in candidates], unit
    )
    return [
        (line, line.key_labels or [("", line.indicator.unit_label or "Giá trị")])
        for line in candidates
        if line.indicator.code in mine
    ]


@require_http_methods(["GET", "POST"])
@requires(Capability.ENTER_VALUES)
def entry(request: AuthedRequest) -> HttpResponse:
    sel = _selection(request)
    period, unit = sel.period, sel.unit
    if not scope_for(request.user).reaches_unit_on(Capability.ENTER_VALUES, unit, period.last_day):
        raise Http404()
    include_computed = request.GET.get("ca_chi_tieu_tinh") == "1"
    lines = _entry_lines(request, period, include_computed, unit, sel.prog)
    existing = {
        (e.indicator.code, e.key): e for e in selectors.entered_values(unit=unit, period=period)
    }
    initial = {field_name(c, k): format_number(float(e.value)) for (c, k), e in existing.items()}
    form = EntryGrid(request.POST or None, lines=lines, initial=initial)
    if request.method == "POST" and form.is_valid():
        errors = _save_grid(request, form, existing, unit, period)
        if not errors:
            messages.success(request, "Đã lưu số liệu.")
            extra = "&ca_chi_tieu_tinh=1" if include_computed else ""
            return redirect(f"{request.path}?{sel.query}{extra}")
        for error in errors:
            messages.error(request, error)
    context = sel.context(form=form, include_computed=include_computed)
    return render(request, "indicators/entry.html", context)


def _save_grid(
    request: AuthedRequest,
    form: EntryGrid,
    existing: dict[tuple[str, str], EnteredValue],
    unit: Unit,
    period: Period,
) -> list[str]:
    """Validate every cell first; write only when all are valid (nothing half-saved)."""
    changes: list[tuple[Indicator, str, Decimal | None]] = []
    errors: list[str] = []
    for indicator, cells in form.rows:
        for name, key, label in cells:
            raw = (form.cleaned_data.get(name) or "").strip()
            if not raw:
                if (indicator.code, key) in existing:
                    changes.append((indicator, key, None))
                continue
            try:
                changes.append((indicator, key, services.parse_value(raw)))
            except DomainError as error:
                errors.append(f"{indicator.label} ({label}): {error.message}")
    # A cell the grid does not offer (another department's indicator) is refused, not
    # silently dropped: the service's check says why.
    for name in request.POST:
        if name.startswith("v__") and name not in form.fields and request.POST[name].strip():
            found = selectors.indicator_or_none(name.split("__")[1])
            if found is not None:
                try:
                    services.check_may_enter(
                        scope=scope_for(request.user), indicator=found, unit=unit
                    )
                except DomainError as error:
                    errors.append(error.message)
    if errors:
        return errors
    try:
        services.entered_values_save(unit=unit, period=period, changes=changes, actor=request.user)
    except DomainError as error:
        return [error.message]
    return []
