"""The indicator catalogue ships as data (data/catalogue.json, transcribed from
shared/product/indicators.md) and is synchronised into the database on every migrate."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction

from dangvu.accounts.models import Department
from dangvu.accounts.permissions import DEPARTMENT_CAPABILITIES, Capability
from dangvu.indicators.models import Indicator, IndicatorGroup, Programme

CATALOGUE = Path(__file__).parent / "data" / "catalogue.json"


@cache
def raw() -> dict[str, Any]:
    return json.loads(CATALOGUE.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str  # error, warning
    label: str
    expr: str


def rules() -> list[Rule]:
    return [Rule(**r) for r in raw()["rules"]]


def dimension_keys(dimension: str) -> list[tuple[str, str]] | None:
    """The keys of a non-period dimension with their labels (None for year, month...)."""
    keys = raw()["dimensions"].get(dimension)
    return [(k[0], k[1]) for k in keys] if keys else None


PERIOD_DIMS = {"year", "quarter", "month"}
#: The periods a sensitive figure may be published in to those who do not reach its records.
GRAINS = {"year"}


def _owner(indicator: dict[str, Any], group: dict[str, Any]) -> str:
    """The department that answers for the indicator: its own, or its group's."""
    owner = indicator.get("owner") or group.get("owner") or Department.LEADERSHIP
    if Capability.ENTER_VALUES not in DEPARTMENT_CAPABILITIES.get(owner, ()):
        raise ValueError(f"{indicator['code']}: the owner {owner!r} enters no values")
    return str(owner)


def _sensitivity(indicator: dict[str, Any], group: dict[str, Any]) -> tuple[str, str]:
    """(capability that reaches the records, grain) of a figure about persons, or ("", "")."""
    found = indicator.get("sensitive", group.get("sensitive"))
    if not found:
        return "", ""
    reach, grain = Capability(found["reach"]), found.get("grain", "year")
    finer = [d for d in indicator["dims"] if d in PERIOD_DIMS and d != grain]
    if grain not in GRAINS or finer or indicator["kind"] == "rate":
        raise ValueError(f"{indicator['code']}: a sensitive figure is a count by {GRAINS}")
    return str(reach), grain


@transaction.atomic
def catalogue_sync() -> Programme:
    """Create or update the programme, its groups and its indicators from the catalogue."""
    data = raw()
    p = data["programme"]
    programme, _ = Programme.objects.update_or_create(
        code=p["code"],
        defaults={
            "symbol": p["symbol"],
            "name": p["name"],
            "short_name": p["short_name"],
            "issued_on": date.fromisoformat(p["issued_on"]),
            "issuer": p["issuer"],
            "report_from": date.fromisoformat(p["report_from"]),
            "report_to": date.fromisoformat(p["report_to"]),
        },
    )
    groups = {}
    group_data = {g["code"]: g for g in data["groups"]}
    for order, g in enumerate(data["groups"]):
        groups[g["code"]], _ = IndicatorGroup.objects.update_or_create(
            programme=programme,
            code=g["code"],
            defaults={
                "number": g["number"],
                "title": g["title"],
                "is_task_group": g["task_group"],
                "order": order,
            },
        )
    for order, i in enumerate(data["indicators"]):
        group = group_data[i["group"]]
        sensitive, grain = _sensitivity(i, group)
        Indicator.objects.update_or_create(
            code=i["code"],
            defaults={
                "label": i["label"],
                "group": groups[i["group"]],
                "source": i["source"],
                "dims": i["dims"],
                "kind": i["kind"],
                "unit_label": i.get("unit", ""),
                "seed": i.get("seed"),
                "note": i.get("note", ""),
                "order": order,
                "owner": _owner(i, group),
                "sensitive": sensitive,
                "grain": grain,
            },
        )
    return programme
