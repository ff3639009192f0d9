"""Administrators define programmes, their groups and indicators here (the Đề án 05
catalogue ships as data; a new programme is added the same way, without code).

The admin is no way around the indicators' rules. Who answers for a figure (`owner`) and
which figures are about persons (`sensitive`, `grain`), with what the engine computes
(`code`, `source`, `dims`, `kind`), are the catalogue's: set when an indicator is added and
never rewritten here, or an administrator could lift the disclosure of inspection figures
(item 5) or hand another department the entry of a figure (item 2). Entered values are read
only here — they are typed through the entry grid and the SoLieu sheet, whose service holds
the owner rule (the administrator enters none) — and a value of a figure about persons is
listed only to a viewer who reaches those records everywhere, as the SoLieu export does."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from dangvu.indicators.disclosure import Viewer
from dangvu.indicators.models import EnteredValue, Indicator, IndicatorGroup, Programme

#: What an indicator is, as the catalogue defines it: fixed once the indicator exists.
CATALOGUE_FIELDS = ("code", "source", "dims", "kind", "owner", "sensitive", "grain")


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

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return CATALOGUE_FIELDS if obj is not None else ()


@admin.register(EnteredValue)
class EnteredValueAdmin(admin.ModelAdmin):
    list_display = ["indicator", "key", "unit", "period", "value", "entered_by", "entered_at"]
    list_filter = ["indicator__group"]
    search_fields = ["indicator__code", "unit__code"]
    raw_id_fields = ["unit", "indicator", "entered_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[EnteredValue]:
        viewer = Viewer.of(request.user)  # type: ignore[arg-type]
        caps = set(Indicator.objects.exclude(sensitive="").values_list("sensitive", flat=True))
        hidden = [cap for cap in caps if not viewer.sees_everything(cap)]
        return super().get_queryset(request).exclude(indicator__sensitive__in=hidden)
