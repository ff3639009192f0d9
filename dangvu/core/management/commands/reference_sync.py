"""`dangvu manage reference_sync`: bring the shipped rules and catalogue in step."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from dangvu.core import reference


class Command(BaseCommand):
    help = "Cập nhật dữ liệu tham chiếu (quy định, danh mục chỉ tiêu) theo phiên bản đang chạy."

    def handle(self, *args: Any, **options: Any) -> None:
        reference.sync()
        self.stdout.write(f"Đã cập nhật dữ liệu tham chiếu: {', '.join(sorted(reference.SYNCS))}.")
