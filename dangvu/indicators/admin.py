"""Administrators define programmes, their groups and indicators here (the Đề án 05
catalogue ships as data; a new programme is added the same way, without code)."""

from __future__ import annotations

from django.contrib import admin

from dangvu.indicators.models import EnteredValue, Indicator, IndicatorGroup, Programme


class GroupInline(admin.TabularInline):
    model = IndicatorGroup
    extra = 0
    fields = ["order", "code", "number", "title", "is_task_group"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["short_name", "symbol", "issued_on", "report_from", "report_to"]
    inlines = [GroupInline]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "group", "source", "kind", "unit_label"]
    list_filter = ["group__programme", "group", "source", "kind"]
    search_fields = ["code", "label"]


@admin.register(EnteredValue)
class EnteredValueAdmin(admin.ModelAdmin):
    list_display = ["indicator", "key", "unit", "period", "value", "entered_by", "entered_at"]
    list_filter = ["indicator__group"]
    search_fields = ["indicator__code", "unit__code"]
    raw_id_fields = ["unit", "indicator", "entered_by"]
