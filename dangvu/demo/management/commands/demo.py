"""`dangvu demo`: migrate, load the Đắk Nông demo data, print the accounts, serve."""

from __future__ import annotations

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser

from dangvu.core.errors import DomainError
from dangvu.core.management.base import VerbCommand
from dangvu.demo.accounts import DEMO_PASSWORD
from dangvu.demo.generator import build_demo


class Command(VerbCommand):
    verb = "demo"
    help = "Chạy thử dangvu với dữ liệu mẫu Đắk Nông (SQLite nhúng) trên 127.0.0.1."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--fresh", action="store_true", help="xóa và tạo lại dữ liệu mẫu")
        parser.add_argument(
            "--no-serve", action="store_true", help="chỉ tạo dữ liệu, không chạy web"
        )
        parser.add_argument(
            "--seed", type=int, default=2018, help="hạt giống ngẫu nhiên (mặc định 2018)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write("• Cập nhật cấu trúc cơ sở dữ liệu")
        call_command("migrate", interactive=False, verbosity=0)
        started = time.perf_counter()
        try:
            state, built = build_demo(
                seed=options["seed"],
                fresh=options["fresh"],
                progress=lambda label: self.stdout.write(f"• {label}"),
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        if built:
            self.stdout.write(f"Đã tạo dữ liệu mẫu trong {time.perf_counter() - started:.1f} giây.")
        else:
            self.stdout.write(
                f"Dữ liệu mẫu (seed {state.seed}) đã có sẵn; dùng --fresh để tạo lại."
            )
        self.stdout.write("\nTài khoản mẫu (mật khẩu chung: " + DEMO_PASSWORD + "):")
        for account in state.summary.get("accounts", []):
            self.stdout.write(
                f"  {account['username']:<16} {account['description']} — {account['full_name']}"
            )
        live = state.summary.get("live_assessment")
        if live:
            self.stdout.write(
                f"\nBài kiểm tra nhanh dùng thử: mã {live['code']} (đăng nhập bằng tài khoản đảng viên, "
                f"vào /k/{live['code']}/; màn hình trình chiếu: /kiem-tra/{live['id']}/trinh-chieu/ với bithu.cujut)."
            )
        if options["no_serve"]:
            return
        from dangvu.core.management.commands.serve import run_server

        self.stdout.write(
            f"\nMở http://{options['host']}:{options['port']}/ trên trình duyệt. Ctrl+C để dừng."
        )
        run_server(host=options["host"], port=options["port"], workers=2)
