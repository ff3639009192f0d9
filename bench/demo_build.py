"""dangvu bench demo_build — build the Đắk Nông demo data set from scratch, timed per step.

Usage: DANGVU_DATA_DIR=/tmp/bench dangvu migrate && DANGVU_DATA_DIR=/tmp/bench dangvu bench demo_build
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TextIO

sys.path.insert(0, str(Path(__file__).parent))
from _common import guard, header


def main(args: list[str], out: TextIO) -> None:
    from dangvu.demo.generator import build_demo

    guard()
    header(out, "demo build")
    started = time.perf_counter()
    marks: list[tuple[str, float]] = []
    build_demo(
        seed=2018, fresh=True, progress=lambda label: marks.append((label, time.perf_counter()))
    )
    total = time.perf_counter() - started
    for (label, at), (_, nxt) in zip(marks, [*marks[1:], ("end", started + total)], strict=True):
        out.write(f"  {label}: {nxt - at:.1f} s\n")
    out.write(f"total: {total:.1f} s\n")
