"""`dangvu export FILE.xlsx [--org CODE]`: the same workbook format, round-trips with import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from dangvu.core.management.base import VerbCommand
from dangvu.exchange.selectors import workbook_export


class Command(VerbCommand):
    verb = "export"
    help = "Xuất dữ liệu ra tệp Excel theo mẫu trao đổi dữ liệu."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="tệp .xlsx cần ghi")
        parser.add_argument("--org", default="", help="mã đơn vị: chỉ xuất đơn vị này và cấp dưới")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            with path.open("wb") as out:
                counts = workbook_export(out=out, actor=None, scope=None, org_code=options["org"])
        except ValueError as error:
            path.unlink(missing_ok=True)
            raise CommandError(str(error)) from error
        for name, n in counts.items():
            self.stdout.write(f"{name}: {n} dòng")
        self.stdout.write(f"Đã ghi {path}.")
