"""The demo generator's steps. Each app adds its records with a step in its `demo.py`:

    @demo_step(order=300, label="Kiểm điểm, xếp loại")
    def reviews(ctx: DemoContext) -> None: ...

Steps run in `order`; the context carries the random generator and what earlier steps
built (units by key, members, the period), so later steps can build on them.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

#: The seed report's period, and the day the 2025 reorganisation took effect.
PERIOD_START = date(2018, 7, 5)
PERIOD_END = date(2023, 6, 30)
REORGANISATION_2025 = date(2025, 7, 1)
PROVINCE_FOUNDED = date(2004, 1, 1)


@dataclass
class DemoContext:
    seed: int
    rng: random.Random
    today: date
    units: dict[str, Any] = field(default_factory=dict)  # code -> Unit
    info: dict[str, dict[str, Any]] = field(default_factory=dict)  # code -> facts of the unit
    personas: dict[str, Any] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)
    documents: dict[str, Any] = field(default_factory=dict)  # key -> Document (study)


@dataclass(frozen=True)
class Step:
    order: int
    label: str
    run: Callable[[DemoContext], None]


STEPS: list[Step] = []


def demo_step(
    *, order: int, label: str
) -> Callable[[Callable[[DemoContext], None]], Callable[[DemoContext], None]]:
    def register(fn: Callable[[DemoContext], None]) -> Callable[[DemoContext], None]:
        if not any(
            s.run.__qualname__ == fn.__qualname__ and s.run.__module__ == fn.__module__
            for s in STEPS
        ):
            STEPS.append(Step(order, label, fn))
        return fn

    return register


def ordered_steps() -> list[Step]:
    return sorted(STEPS, key=lambda s: s.order)
