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
            },
        )
    return programme


def sync_after_migrate(**kwargs: Any) -> None:
    catalogue_sync()
