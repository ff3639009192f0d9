"""dangvu bench exchange_roundtrip — export the demo workbook, import it into an empty
database, export again; time each step and check the two exports are identical.

Usage: DANGVU_DATA_DIR=/tmp/bench dangvu bench exchange_roundtrip
(needs the demo data: `dangvu demo --no-serve` first)
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import TextIO

sys.path.insert(0, str(Path(__file__).parent))
from _common import guard, header, timed


def _values(data: bytes) -> dict[str, list[list]]:
    from dangvu.exchange.services import read_workbook

    return dict(read_workbook(data))


def main(args: list[str], out: TextIO) -> None:
    from django.db import transaction

    from dangvu.demo.generator import build_demo, wipe
    from dangvu.exchange.services import workbook_export, workbook_import

    guard()
    header(out, "exchange workbook round trip")
    build_demo(seed=2018)
    first = io.BytesIO()
    seconds, counts = timed(lambda: workbook_export(out=first, actor=None, scope=None))
    out.write(
        f"export: {seconds:.1f} s ({', '.join(f'{k} {v}' for k, v in counts.items())}), "
        f"{len(first.getvalue()) / 1e6:.1f} MB\n"
    )
    with transaction.atomic():
        wipe()
        seconds, report = timed(
            lambda: workbook_import(
                file=io.BytesIO(first.getvalue()), actor=None, scope=None, file_name="bench.xlsx"
            )
        )
        out.write(f"import into an empty database: {seconds:.1f} s, errors: {len(report.errors)}\n")
        second = io.BytesIO()
        seconds, _ = timed(lambda: workbook_export(out=second, actor=None, scope=None))
        out.write(f"export again: {seconds:.1f} s\n")
        same = _values(first.getvalue()) == _values(second.getvalue())
        out.write(f"identical content: {same}\n")
        transaction.set_rollback(True)  # keep the demo data as it was
