"""`dangvu bench NAME`: run a benchmark script from the repository's bench/ folder."""

from __future__ import annotations

import argparse
import runpy
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from dangvu.core.management.base import VerbCommand

BENCH_DIR = Path(__file__).resolve().parents[4] / "bench"


class Command(VerbCommand):
    verb = "bench"
    help = "Đo hiệu năng; các bài đo nằm trong thư mục bench/."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", nargs="?", help="tên bài đo (bỏ trống để xem danh sách)")
        parser.add_argument(
            "bench_args", nargs=argparse.REMAINDER, metavar="ARG", help="tham số cho bài đo"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scripts = sorted(p.stem for p in BENCH_DIR.glob("*.py") if not p.stem.startswith("_"))
        name = options["name"]
        if not name:
            self.stdout.write("Các bài đo: " + ", ".join(scripts))
            return
        if name not in scripts:
            raise CommandError(f"Không có bài đo {name}. Các bài đo: {', '.join(scripts)}")
        module = runpy.run_path(str(BENCH_DIR / f"{name}.py"))
        module["main"](options["bench_args"], self.stdout)
