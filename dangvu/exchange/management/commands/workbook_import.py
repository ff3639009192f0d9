"""`dangvu import FILE.xlsx [--dry-run]`: all or nothing, every bad cell listed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from dangvu.core.management.base import VerbCommand
from dangvu.exchange.services import workbook_import


class Command(VerbCommand):
    verb = "import"
    help = "Nhập tệp Excel theo mẫu trao đổi dữ liệu (toàn bộ hoặc không gì cả)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="tệp .xlsx")
        parser.add_argument(
            "--dry-run", action="store_true", help="kiểm tra thử, không ghi dữ liệu"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        with path.open("rb") as handle:
            report = workbook_import(
                file=handle, actor=None, scope=None, dry_run=options["dry_run"], file_name=path.name
            )
        if not report.ok:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError(f"Không nhập được: {len(report.errors)} lỗi, chưa ghi dữ liệu nào.")
        for name, counts in report.counts.items():
            self.stdout.write(
                f"{name}: thêm {counts.created}, cập nhật {counts.updated}, "
                f"không đổi {counts.unchanged}"
            )
        self.stdout.write(
            "Kiểm tra thử: tệp hợp lệ, chưa ghi dữ liệu." if report.dry_run else "Đã nhập xong."
        )
