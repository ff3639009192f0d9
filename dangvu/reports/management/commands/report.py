"""`dangvu report`: the summary report as DOCX, XLSX or JSON (contract in cli.md). Where the
unit ran a reporting round for the programme and period, the JSON carries its counts
(`"round"`) and the DOCX ends with the accepted units' figures (docs/rounds-documents.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from dangvu.core.management.base import VerbCommand
from dangvu.core.progress import TerminalProgress
from dangvu.indicators.cli import resolve_period, resolve_programme, resolve_unit
from dangvu.indicators.disclosure import Viewer
from dangvu.indicators.selectors import report_for
from dangvu.reports import generate
from dangvu.reports.models import SummaryReport


class Command(VerbCommand):
    verb = "report"
    help = (
        "Báo cáo sơ kết, tổng kết của một đơn vị trong một kỳ (docx, xlsx hoặc json); có đợt "
        "báo cáo thì kèm phụ lục số liệu các đơn vị (docx) và tình hình đợt (json)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--program", default="", help="mã đề án (mặc định DA05)")
        parser.add_argument(
            "--org", default="", help="mã đơn vị (mặc định: gốc của cây vào ngày cuối kỳ)"
        )
        parser.add_argument(
            "--from", dest="start", default="", help="từ ngày (2018-07-05 hoặc 05/07/2018)"
        )
        parser.add_argument("--to", dest="end", default="", help="đến ngày")
        parser.add_argument("--format", choices=["docx", "xlsx", "json"], default="docx")
        parser.add_argument(
            "--out", default="", help="tệp ghi ra (mặc định: json ra màn hình, docx/xlsx ra tệp)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        programme = resolve_programme(options["program"])
        period = resolve_period(programme, start=options["start"], end=options["end"])
        unit = resolve_unit(options["org"], period)
        fmt = options["format"]
        summary = SummaryReport.objects.filter(
            programme=programme, unit=unit, period=period.label
        ).order_by("-updated_at").first() or generate.draft(
            unit=unit, period=period, programme=programme
        )
        # The command line is the operator: every figure as it is.
        operator = Viewer.operator()
        with TerminalProgress() as progress:  # on stderr: the JSON on stdout stays clean
            progress.step("Đang tính số liệu của báo cáo")
            data = report_for(unit=unit, period=period, prog=programme, viewer=operator)
            progress.step(f"Đang viết báo cáo ({fmt})")
            content = generate.render(summary, fmt, viewer=operator, data=data)
        if fmt == "json" and not options["out"]:
            sys.stdout.write(content.decode() + "\n")
            return
        path = Path(options["out"] or generate.file_name(summary, fmt))
        path.write_bytes(content)
        self.stdout.write(f"Đã ghi {path}.")
