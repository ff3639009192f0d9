"""Shared by the benchmark scripts: refuse to touch a database that holds real data."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any, TextIO

from django.db import connection


def guard() -> None:
    from dangvu.demo.generator import current_state, has_data

    if has_data() and current_state() is None:
        raise SystemExit(
            "Benchmarks rebuild the demo data: run them on an empty or demo database "
            "(DANGVU_DATA_DIR=/tmp/bench or DANGVU_DATABASE_URL=.../dangvu_bench)."
        )


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def header(out: TextIO, title: str) -> None:
    out.write(f"# {title} — database: {connection.vendor}\n")


def summary(values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return (
        f"n={len(ms)} median={statistics.median(ms):.1f} ms p95={percentile(ms, 0.95):.1f} ms "
        f"max={max(ms):.1f} ms"
    )
