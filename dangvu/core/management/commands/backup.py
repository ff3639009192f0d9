"""`dangvu backup [--out FILE]`: one file with the database, the data files and a manifest
(dangvu.core.backup; docs/operations.md, Backups)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from dangvu.core.backup import (
    Progress,
    backup_create,
    describe,
    human_size,
    seconds,
    summary_counts,
)
from dangvu.core.errors import DomainError
from dangvu.core.management.base import VerbCommand


class Command(VerbCommand):
    verb = "backup"
    help = (
        "Sao lưu trực tuyến (không cần dừng dangvu) vào một tệp .tar: cơ sở dữ liệu "
        "(PostgreSQL: pg_dump; SQLite: bản chụp nhất quán), các tệp dữ liệu đã tải lên "
        "(tệp nhập, biên bản, văn bản) và bảng kê có mã kiểm tra sha256. "
        "Khôi phục bằng `dangvu restore TỆP`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out",
            default="",
            metavar="TỆP",
            help=(
                "tệp ghi ra, hoặc thư mục để ghi vào (mặc định: "
                "dangvu-backup-NĂMTHÁNGNGÀY-GIỜPHÚTGIÂY.tar ở thư mục hiện tại)"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup_create(
                out=Path(options["out"]) if options["out"] else None,
                progress=Progress(sys.stderr),
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        manifest = result.manifest
        self.stdout.write(f"Đã sao lưu vào {result.path} ({human_size(result.size)}).")
        shown = describe(summary_counts(manifest.counts))
        if shown:
            self.stdout.write(f"Cơ sở dữ liệu: {shown}.")
        self.stdout.write(f"Tệp dữ liệu: {len(manifest.media_files)}.")
        self.stdout.write(f"Thời gian: {seconds(result.seconds)}.")
