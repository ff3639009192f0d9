"""Make a province-sized exchange workbook from the demo's: every sheet replicated
`--copies` times, each copy with its own unit codes, card numbers and record codes (the
copy's prefix, e.g. `A3.DN.CUJUT` and `A3.67012345`), so that the copies are distinct trees
with distinct members. Different `--tag`s make workbooks that can be imported side by side
(several "provinces" in one database).

Usage (from the worktree, with Django set up as for `dangvu`):
    dangvu export /tmp/demo.xlsx                      # the demo's workbook
    python bench/big_workbook.py /tmp/demo.xlsx /tmp/big-A.xlsx --copies 5 --tag A

Five copies of the demo (33,390 members, 133,176 member reviews) make 166,950 members and
665,880 reviews: a large province.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source")
    parser.add_argument("target")
    parser.add_argument("--copies", type=int, default=5)
    parser.add_argument("--tag", default="A", help="letters that make this workbook's codes")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
    import django

    django.setup()
    write(Path(args.source).read_bytes(), args.target, copies=args.copies, tag=args.tag.upper())


def write(raw: bytes, target: str, *, copies: int, tag: str) -> dict[str, int]:
    import xlsxwriter

    from dangvu.exchange import workbook as wb
    from dangvu.exchange.services import read_workbook  # the sheets registered at setup

    book = xlsxwriter.Workbook(target, {"constant_memory": True})
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    counts: dict[str, int] = {}
    for title, rows in read_workbook(raw):
        spec = wb.registry.find(title)
        sheet = book.add_worksheet(title)
        if not rows:
            continue
        header = rows[0]
        sheet.write_row(0, 0, header)
        if spec is None:
            continue
        by_key = {wb.header_key(c.header): c for c in spec.columns}
        renamed = [
            i
            for i, h in enumerate(header)
            if (c := by_key.get(wb.header_key(h))) is not None and c.parse in (wb.code, wb.card)
        ]
        line = 1
        for copy in range(copies):
            prefix = f"{tag}{copy + 1}."
            for row in rows[1:]:
                out = list(row)
                for i in renamed:
                    if i < len(out) and out[i] not in (None, ""):
                        out[i] = prefix + wb.text(out[i])
                for column, value in enumerate(out):
                    if isinstance(value, dt.date):
                        sheet.write_datetime(line, column, value, date_format)
                    elif value not in (None, ""):
                        sheet.write(line, column, value)
                line += 1
        counts[title] = line - 1
    book.close()
    return counts


if __name__ == "__main__":
    main(sys.argv[1:])
