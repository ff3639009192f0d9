from __future__ import annotations

from django.contrib import admin

from dangvu.reports.models import SummaryReport


@admin.register(SummaryReport)
class SummaryReportAdmin(admin.ModelAdmin):
    list_display = ["title", "unit", "period", "updated_at"]
    raw_id_fields = ["unit", "created_by"]
