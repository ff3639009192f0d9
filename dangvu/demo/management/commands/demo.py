"""`dangvu demo`: migrate, load the Đắk Nông demo data, print the accounts, serve."""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
import time
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser

from dangvu.assessments.public import WILDCARD_HOSTS, served_url
from dangvu.core.errors import DomainError
from dangvu.core.management.base import VerbCommand
from dangvu.core.progress import TerminalProgress
from dangvu.demo.accounts import DEMO_PASSWORD
from dangvu.demo.generator import build_demo
from dangvu.demo.registry import ordered_steps
from dangvu.settings import envlist


class Command(VerbCommand):
    verb = "demo"
    help = "Chạy thử dangvu với dữ liệu mẫu Đắk Nông (SQLite nhúng) trên 127.0.0.1."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--host",
            default="127.0.0.1",
            help="0.0.0.0: cho điện thoại cùng mạng mở (in ra địa chỉ)",
        )
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
        bar = TerminalProgress(sys.stdout)

        def told(label: str) -> None:
            if not bar.bar:  # a log: one line per step
                self.stdout.write(f"• {label}")
                return
            if bar.total is None:  # on a terminal: one bar over the build's steps
                bar.step("Tạo dữ liệu mẫu", total=len(ordered_steps()) + 2)
            bar.say(label)
            bar.advance()

        try:
            with bar:
                state, built = build_demo(
                    seed=options["seed"], fresh=options["fresh"], progress=told
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

        for line in serve_to_phones(host=options["host"], port=options["port"]):
            self.stdout.write(line)
        start_worker()
        self.stdout.write("• Đã chạy tiến trình việc nền (nhập, xuất dữ liệu, báo cáo lớn).")
        run_server(host=options["host"], port=options["port"], workers=2)


def start_worker() -> subprocess.Popen[bytes]:
    """`dangvu worker` beside the demo's server, in the same process group (Ctrl+C stops
    both); it also stops when the demo's process ends, however it ends."""
    env = {**os.environ, "DANGVU_WORKER_PARENT": str(os.getpid())}
    worker = subprocess.Popen([sys.executable, "-m", "dangvu.cli", "worker"], env=env)
    atexit.register(_stop, worker)
    return worker


def _stop(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()


def serve_to_phones(*, host: str, port: int) -> list[str]:
    """Where to open the demo. Served on every interface (``--host 0.0.0.0``), it is also
    opened by the phones on the same network, at this machine's LAN address: that address
    becomes the public one (QR codes, printed links; unless DANGVU_PUBLIC_URL says
    otherwise) and an allowed host, for this process and the server's workers."""
    local = f"http://{'127.0.0.1' if host in WILDCARD_HOSTS else host}:{port}/"
    lines = [f"\nMở {local} trên trình duyệt. Ctrl+C để dừng."]
    if host not in WILDCARD_HOSTS:
        return lines
    public = os.environ.get("DANGVU_PUBLIC_URL", "").strip().rstrip("/") or served_url(host, port)
    os.environ["DANGVU_PUBLIC_URL"] = settings.DANGVU_PUBLIC_URL = public
    name = urlsplit(public).hostname or ""
    hosts = envlist("DANGVU_ALLOWED_HOSTS", "127.0.0.1,localhost")
    if name and name not in hosts:
        hosts.append(name)
    os.environ["DANGVU_ALLOWED_HOSTS"] = ",".join(hosts)
    settings.ALLOWED_HOSTS = hosts
    lines.append(
        f"Điện thoại, máy tính cùng mạng (Wi-Fi) mở: {public}/ — mã QR trên màn hình trình "
        "chiếu dẫn tới địa chỉ này."
    )
    return lines
