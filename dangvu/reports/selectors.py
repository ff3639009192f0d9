"""Reads of summary reports, through the user's scope."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from dangvu.accounts.models import User
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for
from dangvu.lib.periods import Period, parse_period
from dangvu.reports.models import SummaryReport


def reports_visible(*, user: User) -> QuerySet[SummaryReport]:
    units = scope_for(user).units(Capability.VIEW_REPORTS)
    return (
        SummaryReport.objects.filter(unit__in=units)
        .select_related("unit", "programme")
        .prefetch_related("unit__versions")
    )


def report_or_404(
    *, user: User, report_id: int, cap: Capability = Capability.VIEW_REPORTS
) -> SummaryReport:
    report = SummaryReport.objects.filter(pk=report_id).select_related("unit", "programme").first()
    if report is None:
        raise Http404("Không tìm thấy báo cáo.")
    period = period_of(report)
    if not scope_for(user).reaches_unit_on(cap, report.unit, period.last_day):
        raise Http404("Không tìm thấy báo cáo.")
    return report


def period_of(report: SummaryReport) -> Period:
    return parse_period(report.period)
