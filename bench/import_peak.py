"""Import one workbook through `workbook_import` (what `dangvu import` runs) in a fresh
process, and print one JSON line: wall time of the import, the process's peak resident
memory and CPU time (`resource.getrusage`), errors and counts.

Usage (the database named by DANGVU_DATABASE_URL, migrated; PYTHONPATH the tree measured):
    PYTHONPATH=$PWD python bench/import_peak.py /tmp/big-A.xlsx [--dry-run]
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> None:
    path, dry_run = argv[0], "--dry-run" in argv[1:]
    # The tree on PYTHONPATH is measured (the worktree, or a copy of an earlier commit).
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
    import django

    django.setup()
    from dangvu.exchange.services import workbook_import

    started = time.perf_counter()
    with open(path, "rb") as file:
        report = workbook_import(
            file=file, actor=None, scope=None, dry_run=dry_run, file_name=Path(path).name
        )
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak_kb = usage.ru_maxrss
    print(
        json.dumps(
            {
                "file": Path(path).name,
                "dry_run": dry_run,
                "import_s": round(seconds, 1),
                "import_peak_mb": round(peak_kb / 1024),
                # this process's CPU (a shared machine stretches the wall time; the
                # database's own work is in the wall time only)
                "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
                "errors": len(report.errors),
                "first_errors": [str(e) for e in report.errors[:3]],
                "counts": {k: vars(v) for k, v in report.counts.items()},
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])
