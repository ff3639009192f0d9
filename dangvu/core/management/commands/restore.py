"""`dangvu restore FILE [--force]`: check a backup's manifest and checksums, restore the
database and the data files, migrate forward (dangvu.core.backup; docs/operations.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from dangvu.core.backup import (
    ENGINE_NAME,
    Progress,
    backup_restore,
    describe,
    seconds,
    summary_counts,
)
from dangvu.core.errors import DomainError
from dangvu.core.management.base import VerbCommand


class Command(VerbCommand):
    verb = "restore"
    help = (
        "Khôi phục từ một tệp do `dangvu backup` tạo: kiểm tra bảng kê và mã kiểm tra của "
        "mọi tệp trước, rồi khôi phục cơ sở dữ liệu và các tệp dữ liệu, rồi cập nhật cấu "
        "trúc (migrate) nếu bản sao lưu cũ hơn. Không khôi phục vào cơ sở dữ liệu đang có "
        "dữ liệu, trừ khi có --force. Hãy dừng dangvu (serve, worker) trước khi khôi phục."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="TỆP", help="tệp sao lưu (.tar) do `dangvu backup` tạo")
        parser.add_argument(
            "--force",
            action="store_true",
            help="khôi phục cả khi cơ sở dữ liệu đang có dữ liệu (toàn bộ dữ liệu đó bị thay)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup_restore(
                path=Path(options["file"]), force=options["force"], progress=Progress(sys.stderr)
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        manifest = result.manifest
        self.stdout.write(
            f"Đã khôi phục bản sao lưu ngày {manifest.created_at} "
            f"(dangvu {manifest.dangvu_version}, {ENGINE_NAME[manifest.engine]})."
        )
        if result.replaced:
            self.stdout.write(f"Đã thay dữ liệu cũ: {describe(result.replaced)}.")
        shown = describe(summary_counts(manifest.counts))
        if shown:
            self.stdout.write(f"Cơ sở dữ liệu: {shown} (khớp bảng kê).")
        self.stdout.write(f"Tệp dữ liệu: {len(manifest.media_files)}.")
        if result.applied:
            self.stdout.write(
                f"Đã cập nhật cấu trúc mới hơn bản sao lưu ({len(result.applied)}): "
                + ", ".join(result.applied)
                + "."
            )
        else:
            self.stdout.write("Cấu trúc cơ sở dữ liệu đã mới nhất, không cần cập nhật.")
        self.stdout.write(f"Thời gian: {seconds(result.seconds)}.")
