"""`dangvu serve`: the production server (Granian, WSGI) with static files from WhiteNoise."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser
from django.db import connections

from dangvu.core.management.base import VerbCommand
from dangvu.core.secret_key import refuse_demo_secret_key


def run_server(*, host: str, port: int, workers: int, threads: int = 0) -> None:
    """Collect static files, then hand the process to Granian (WSGI, one process per worker).

    `threads` is the blocking threads per worker that run Django: a long request (a DOCX
    report, a workbook import) holds one of them, not the whole worker."""
    from granian.constants import Interfaces
    from granian.server import Server

    # Collect first: WhiteNoise indexes the static folder when the application loads.
    call_command("collectstatic", interactive=False, verbosity=0)
    connections.close_all()  # never share a database connection with the workers

    # The reverse proxy in front keeps the access log; DANGVU_ACCESS_LOG=- (stdout) or a
    # file path turns Granian's on as well (it costs about a fifth of a light request).
    access_log = os.environ.get("DANGVU_ACCESS_LOG", "off")
    Server(
        "dangvu.wsgi:application",
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=workers,
        blocking_threads=threads or int(os.environ.get("DANGVU_THREADS", "4")),
        backlog=2048,
        respawn_failed_workers=True,
        log_access=access_log != "off",
        log_dictconfig=_log_config(access_log),
    ).serve()


def _log_config(access_log: str) -> dict[str, Any]:
    """Granian's own log to stderr; the access log to stdout ("-") or a file."""
    access: dict[str, Any] = (
        {"class": "logging.StreamHandler", "stream": "ext://sys.stdout"}
        if access_log in {"-", "off"}
        else {"class": "logging.FileHandler", "filename": access_log}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": "%(message)s"}},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "plain"},
            "access": {**access, "formatter": "plain"},
        },
        "loggers": {
            "_granian": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "granian.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        },
    }


def default_workers() -> int:
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        return 2
    return min(8, 2 * (os.cpu_count() or 1) + 1)


class Command(VerbCommand):
    verb = "serve"
    help = "Chạy máy chủ web (Granian) phục vụ dangvu, kèm tệp tĩnh."

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
        # The demo is `DANGVU_INSECURE_DEMO` (which `dangvu serve --insecure-demo` sets before
        # Django starts): the workers load dangvu.wsgi, which refuses the demo key otherwise.
        try:
            refuse_demo_secret_key()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"dangvu đang chạy tại http://{options['host']}:{options['port']}/")
        run_server(
            host=options["host"],
            port=options["port"],
            workers=options["workers"] or default_workers(),
        )
