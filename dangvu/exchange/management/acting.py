"""Who the command line acts as: `--as USERNAME` names the user whose roles apply.

Without it, `dangvu import` and `dangvu export` run with the administrator's capabilities
over the whole tree (`exchange.context.may`): every sheet but the inspection cases, which
are read only by a named person, each read recorded against them. With it, the run is that
user's, exactly as on the exchange page: their reach, their sheets, their name in the
exchange log and in the read log of every case.
"""

from __future__ import annotations

from django.core.management.base import CommandError, CommandParser

from dangvu.accounts.models import User
from dangvu.accounts.scope import Scope, scope_for

UNKNOWN_USER = "Không có tài khoản {name} (hoặc tài khoản đã bị khóa)."
CLOSED_SHEETS = "Không có quyền với trang {names}: chỉ ghi dòng tiêu đề."
NAME_A_USER = "Các trang này chỉ mở cho người có quyền: chạy lại với --as TÊN_ĐĂNG_NHẬP."


def add_as_argument(parser: CommandParser) -> None:
    parser.add_argument(
        "--as",
        dest="as_user",
        default="",
        metavar="TÊN_ĐĂNG_NHẬP",
        help="chạy với quyền của người dùng này (bắt buộc cho trang KiemTra: hồ sơ kiểm tra "
        "chỉ do người có quyền đọc, và mỗi lượt đọc được ghi tên người đó)",
    )


def acting(username: str) -> tuple[User | None, Scope | None]:
    """The named, active user and their scope; (None, None) when no name is given."""
    if not username:
        return None, None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(UNKNOWN_USER.format(name=username))
    return user, scope_for(user)


def closed_sheets(scope: Scope | None) -> list[str]:
    """The sheets this run may not open (written as their header, refused on import)."""
    from dangvu.exchange.context import may
    from dangvu.exchange.workbook import registry

    return [spec.name for spec in registry.ordered() if not may(scope, spec.capability)]
