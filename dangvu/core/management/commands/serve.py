"""`dangvu serve`: the production server (gunicorn) with static files from WhiteNoise."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser
from django.db import connections

from dangvu.core.management.base import VerbCommand
from dangvu.settings import DEMO_SECRET_KEY

DEMO_KEY_REFUSED = (
    "Đang dùng khóa bí mật mặc định của bản chạy thử. Đặt DANGVU_SECRET_KEY, "
    "hoặc thêm --insecure-demo nếu chỉ chạy thử trên máy này."
)


def run_server(*, host: str, port: int, workers: int, threads: int = 4) -> None:
    """Collect static files, then hand the process to gunicorn."""
    from gunicorn.app.base import BaseApplication

    # Collect first: WhiteNoise indexes the static folder when the application loads.
    call_command("collectstatic", interactive=False, verbosity=0)
    from dangvu.wsgi import application

    connections.close_all()  # never share a database connection with forked workers

    class Server(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("accesslog", os.environ.get("DANGVU_ACCESS_LOG", "-"))
            self.cfg.set("timeout", 120)
            self.cfg.set(
                "forwarded_allow_ips", os.environ.get("DANGVU_FORWARDED_ALLOW_IPS", "127.0.0.1")
            )

        def load(self) -> Any:
            return application

    Server().run()


def default_workers() -> int:
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        return 2
    return min(8, 2 * (os.cpu_count() or 1) + 1)


class Command(VerbCommand):
    verb = "serve"
    help = "Chạy máy chủ web (gunicorn) phục vụ dangvu, kèm tệp tĩnh."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers", type=int, default=0, help="số tiến trình (mặc định theo máy)"
        )
        parser.add_argument(
            "--insecure-demo",
            action="store_true",
            help="cho phép khóa bí mật mặc định và HTTP thường (chỉ để chạy thử)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.SECRET_KEY == DEMO_SECRET_KEY and not options["insecure_demo"]:
            raise CommandError(DEMO_KEY_REFUSED)
        self.stdout.write(f"dangvu đang chạy tại http://{options['host']}:{options['port']}/")
        run_server(
            host=options["host"],
            port=options["port"],
            workers=options["workers"] or default_workers(),
        )
