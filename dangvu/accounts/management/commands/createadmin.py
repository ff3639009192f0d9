"""`dangvu createadmin`: create an administrator, interactively or from flags."""

from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import CommandError, CommandParser

from dangvu.accounts.services import account_create
from dangvu.core.errors import DomainError
from dangvu.core.management.base import VerbCommand


class Command(VerbCommand):
    verb = "createadmin"
    help = "Tạo tài khoản quản trị hệ thống."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username")
        parser.add_argument("--full-name", default="")
        parser.add_argument("--password", help="mặc định: hỏi khi chạy (không hiện trên màn hình)")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"] or input("Tên đăng nhập: ").strip()
        password = options["password"]
        if not password:
            password = getpass.getpass("Mật khẩu: ")
            if password != getpass.getpass("Nhập lại mật khẩu: "):
                raise CommandError("Hai lần nhập mật khẩu không khớp.")
        try:
            user = account_create(
                username=username, password=password, full_name=options["full_name"], is_admin=True
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"Đã tạo tài khoản quản trị {user.username}.")
