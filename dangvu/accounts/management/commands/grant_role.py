"""`dangvu grant USERNAME --unit CODE --department inspection|leadership [--from dd/mm/yyyy]
--reason "…"`: the operator's emergency grant of a guarded department when nobody is left to
confirm one (`accounts.services.role_grant_by_operator`). Recorded in the grant log as made
from the command line, with the reason, and flagged "granted without confirmation" for every
later holder to confirm or end; the account is handed over with a one-time password printed
here once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from dangvu.accounts import grants, services
from dangvu.accounts.models import User
from dangvu.core.errors import DomainError
from dangvu.core.management.base import VerbCommand
from dangvu.lib.dates import parse_date
from dangvu.units.models import Unit

UNKNOWN_USER = "Không có tài khoản {name}."
UNKNOWN_UNIT = "Không có đơn vị mã {code}."
GRANTED = (
    "Đã cấp vai trò {department} tại {unit} cho {username} từ {start:%d/%m/%Y}, không qua xác "
    "nhận. Việc cấp được ghi vào nhật ký cấp quyền (cấp bằng dòng lệnh, kèm lý do) và hiện ở "
    'mục "Cấp không qua xác nhận" để mọi người giữ vai trò kiểm tra, lãnh đạo sau này xác '
    "nhận hoặc chấm dứt."
)
PASSWORD = "Mật khẩu dùng một lần (chỉ hiện lần này): {password}"
HANDED_OVER = (
    "Mật khẩu cũ, thiết bị xác thực hai bước và mọi phiên đăng nhập của tài khoản đã bị gỡ. "
    "Hãy trao tận tay mật khẩu này cho người nhận vai trò: khi đăng nhập, người đó đặt mật "
    "khẩu riêng và bật xác thực hai bước."
)
KEPT = (
    "Tài khoản đang giữ vai trò kiểm tra, lãnh đạo đã được xác nhận: mật khẩu và xác thực "
    "hai bước được giữ nguyên."
)


class Command(VerbCommand):
    verb = "grant"
    help = (
        "Cấp khẩn cấp vai trò Kiểm tra hoặc Lãnh đạo khi không còn ai giữ vai trò đó để xác "
        "nhận (người vận hành máy chủ). Ghi vào nhật ký cấp quyền; tài khoản được trao bằng "
        "một mật khẩu dùng một lần in ra một lần."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", metavar="TÊN_ĐĂNG_NHẬP")
        parser.add_argument("--unit", required=True, metavar="MÃ_ĐƠN_VỊ")
        parser.add_argument("--department", required=True, choices=sorted(grants.GUARDED))
        parser.add_argument(
            "--from", dest="valid_from", default="", metavar="dd/mm/yyyy", help="mặc định: hôm nay"
        )
        parser.add_argument(
            "--reason", required=True, metavar="LÝ_DO", help="ghi vào nhật ký cấp quyền"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(UNKNOWN_USER.format(name=options["username"]))
        unit = Unit.objects.filter(code=options["unit"].strip()).first()
        if unit is None:
            raise CommandError(UNKNOWN_UNIT.format(code=options["unit"]))
        try:
            start = parse_date(options["valid_from"]) if options["valid_from"] else None
        except ValueError as error:
            raise CommandError(str(error)) from error
        try:
            grant = services.role_grant_by_operator(
                user=user,
                unit=unit,
                department=options["department"],
                reason=options["reason"],
                valid_from=start,
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        role = grant.role
        self.stdout.write(
            GRANTED.format(
                department=grants.department_label(role.department),
                unit=unit.code,
                username=user.username,
                start=role.valid_from,
            )
        )
        if grant.password is None:
            self.stdout.write(KEPT)
            return
        self.stdout.write(PASSWORD.format(password=grant.password))
        self.stdout.write(HANDED_OVER)
