"""`dangvu check [--org CODE] [--period P]`: run the validation rules; exit 1 on errors."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import CommandParser

from dangvu.core.management.base import VerbCommand
from dangvu.indicators.cli import resolve_period, resolve_programme, resolve_unit
from dangvu.indicators.validation import check


class Command(VerbCommand):
    verb = "check"
    help = "Kiểm tra số liệu theo các quy tắc của danh mục chỉ tiêu; thoát mã 1 nếu có lỗi."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", default="", help="mã đơn vị (mặc định: gốc của cây)")
        parser.add_argument(
            "--period", default="", help="kỳ: 2019, 2019Q3, 2019-07, 2018-07-05..2023-06-30"
        )
        parser.add_argument("--program", default="", help="mã đề án (mặc định DA05)")

    def handle(self, *args: Any, **options: Any) -> None:
        programme = resolve_programme(options["program"])
        period = resolve_period(programme, period=options["period"])
        unit = resolve_unit(options["org"], period)
        findings = check(unit=unit, period=period)
        for finding in findings:
            self.stdout.write(str(finding))
        errors = sum(1 for f in findings if f.severity == "error")
        warnings = len(findings) - errors
        self.stdout.write(f"{errors} lỗi, {warnings} cảnh báo ({unit.code}, kỳ {period.label}).")
        if errors:
            sys.exit(1)
