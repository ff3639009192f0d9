"""`dangvu import FILE.xlsx [--dry-run] [--as USERNAME]`: all or nothing, every bad cell
listed. With --as the import is that user's (their reach; rows outside it refused), and
only then may it carry inspection cases (see `exchange.management.acting`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from dangvu.core.management.base import VerbCommand
from dangvu.core.progress import TerminalProgress
from dangvu.exchange.management.acting import NAME_A_USER, acting, add_as_argument
from dangvu.exchange.services import SHEET_NOT_ALLOWED, workbook_import


class Command(VerbCommand):
    verb = "import"
    help = "Nhập tệp Excel theo mẫu trao đổi dữ liệu (toàn bộ hoặc không gì cả)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="tệp .xlsx")
        parser.add_argument(
            "--dry-run", action="store_true", help="kiểm tra thử, không ghi dữ liệu"
        )
        add_as_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        actor, scope = acting(options["as_user"])
        with path.open("rb") as handle, TerminalProgress() as progress:
            report = workbook_import(
                file=handle,
                actor=actor,
                scope=scope,
                dry_run=options["dry_run"],
                file_name=path.name,
                progress=progress,
            )
        if not report.ok:
            for error in report.errors:
                self.stderr.write(str(error))
            if actor is None and any(e.reason == SHEET_NOT_ALLOWED for e in report.errors):
                self.stderr.write(NAME_A_USER)
            raise CommandError(f"Không nhập được: {len(report.errors)} lỗi, chưa ghi dữ liệu nào.")
        for name, counts in report.counts.items():
            self.stdout.write(
                f"{name}: thêm {counts.created}, cập nhật {counts.updated}, "
                f"không đổi {counts.unchanged}"
            )
        self.stdout.write(
            "Kiểm tra thử: tệp hợp lệ, chưa ghi dữ liệu." if report.dry_run else "Đã nhập xong."
        )
