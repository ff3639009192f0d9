"""`dangvu tallies rebuild|advance|check`: the counts per unit and closed month that the
indicator engine reads instead of the large event tables (`indicators.services_tallies`)."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import CommandError, CommandParser

from dangvu.core.management.base import VerbCommand
from dangvu.indicators import services_tallies as tallies


class Command(VerbCommand):
    verb = "tallies"
    help = (
        "Số liệu tổng hợp theo tháng: rebuild (tạo lại từ dữ liệu gốc), new (chỉ tạo cho các "
        "nguồn chưa có, sau khi nâng cấp), advance (đưa các tháng vừa kết thúc vào, chạy mỗi "
        "đêm), check (so với dữ liệu gốc; thoát mã 1 nếu lệch)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild", "new", "advance", "check"])
        parser.add_argument(
            "--jobs",
            type=int,
            default=None,
            help=(
                "rebuild: số nguồn dựng cùng lúc, mỗi nguồn một kết nối PostgreSQL (mặc định: "
                f"số lõi CPU, tối đa {tallies.MAX_JOBS}; SQLite luôn dựng lần lượt)."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        action = options["action"]
        if action == "rebuild":
            jobs = options["jobs"]
            if jobs is not None and jobs < 1:
                raise CommandError("--jobs phải là một số nguyên dương.")
            timings: dict[str, float] = {}
            count = tallies.rebuild(jobs=jobs, timings=timings)
            if options["verbosity"] >= 2:
                for source, seconds in sorted(timings.items(), key=lambda item: -item[1]):
                    self.stdout.write(f"  {source}: {seconds:.1f} giây")
            self.stdout.write(f"Đã tạo lại {count} số tổng hợp ({_seconds(started)}).")
        elif action == "new":
            count = tallies.build_new()
            self.stdout.write(
                f"Đã tạo {count} số tổng hợp cho các nguồn mới ({_seconds(started)})."
            )
        elif action == "advance":
            count = tallies.advance()
            self.stdout.write(
                f"Đã thêm {count} số tổng hợp của các tháng vừa qua ({_seconds(started)})."
            )
        else:
            found = tallies.differences()
            for line in found:
                self.stdout.write(line)
            if found:
                self.stdout.write(
                    "Số tổng hợp lệch với dữ liệu gốc: chạy `dangvu tallies rebuild`."
                )
                sys.exit(1)
            self.stdout.write(f"Số tổng hợp khớp với dữ liệu gốc ({_seconds(started)}).")


def _seconds(started: float) -> str:
    return f"{time.perf_counter() - started:.1f} giây"
