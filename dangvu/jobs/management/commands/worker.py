"""`dangvu worker`: run the background jobs (imports, exports, large reports, reminders)."""

from __future__ import annotations

import logging
import sys
from typing import Any

from django.core.management.base import CommandParser

from dangvu.core.management.base import VerbCommand
from dangvu.jobs.worker import JobWorker


class Command(VerbCommand):
    verb = "worker"
    help = (
        "Chạy các việc nền: nhập, xuất dữ liệu, báo cáo lớn, nhắc hạn báo cáo và các việc "
        "định kỳ hằng ngày. Chạy một hoặc vài tiến trình trên mỗi máy chủ; việc của một tiến "
        "trình bị dừng đột ngột được chạy lại."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="chạy hết các việc đang chờ rồi thoát (dùng trong kiểm thử, cron)",
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="số giây chờ giữa hai lần xem hàng đợi"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        for name in ("dangvu.jobs", "django_tasks_db", "django_tasks"):
            logger = logging.getLogger(name)
            logger.addHandler(handler)
            logger.setLevel(logging.INFO if options["verbosity"] >= 1 else logging.WARNING)
            logger.propagate = False
        worker = JobWorker(interval=options["interval"], batch=options["once"])
        worker.configure_signals()
        worker.run()
