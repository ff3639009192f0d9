"""`dangvu export FILE.xlsx [--org CODE] [--as USERNAME]`: the same workbook format,
round-trips with import. Inspection cases are exported only with --as, to that user's reach,
each recorded as read by them (see `exchange.management.acting`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from dangvu.core.management.base import VerbCommand
from dangvu.core.progress import TerminalProgress
from dangvu.exchange.management.acting import (
    CLOSED_SHEETS,
    NAME_A_USER,
    acting,
    add_as_argument,
    closed_sheets,
)
from dangvu.exchange.services import workbook_export


class Command(VerbCommand):
    verb = "export"
    help = "Xuất dữ liệu ra tệp Excel theo mẫu trao đổi dữ liệu."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="tệp .xlsx cần ghi")
        parser.add_argument("--org", default="", help="mã đơn vị: chỉ xuất đơn vị này và cấp dưới")
        add_as_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        actor, scope = acting(options["as_user"])
        try:
            with path.open("wb") as out, TerminalProgress() as progress:
                counts = workbook_export(
                    out=out,
                    actor=actor,
                    scope=scope,
                    org_code=options["org"],
                    progress=progress,
                )
        except ValueError as error:
            path.unlink(missing_ok=True)
            raise CommandError(str(error)) from error
        for name, n in counts.items():
            self.stdout.write(f"{name}: {n} dòng")
        closed = closed_sheets(scope)
        if closed:
            self.stdout.write(CLOSED_SHEETS.format(names=", ".join(closed)))
            if actor is None:
                self.stdout.write(NAME_A_USER)
        self.stdout.write(f"Đã ghi {path}.")
