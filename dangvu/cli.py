"""The `dangvu` command line (contract: shared/product/cli.md).

Each verb is a Django management command; `dangvu manage ...` passes through to Django.
"""

from __future__ import annotations

import os
import sys

VERBS = {
    "demo": "demo",
    "serve": "serve",
    "migrate": "migrate",
    "createadmin": "createadmin",
    "grant": "grant_role",
    "import": "workbook_import",
    "export": "workbook_export",
    "report": "report",
    "remind": "remind",
    "check": "data_check",
    "tallies": "tallies",
    "backup": "backup",
    "restore": "restore",
    "worker": "worker",
    "bench": "bench",
}

USAGE = """dangvu — quản lý công tác Đảng vụ

Cách dùng: dangvu <lệnh> [tùy chọn]   (dangvu <lệnh> --help để xem chi tiết)

  demo         chạy thử với dữ liệu mẫu Đắk Nông trên http://127.0.0.1:8000
  serve        chạy máy chủ web (Granian, có tệp tĩnh)
  migrate      cập nhật cấu trúc cơ sở dữ liệu
  createadmin  tạo tài khoản quản trị
  grant        cấp khẩn cấp vai trò Kiểm tra, Lãnh đạo khi không còn ai xác nhận được:
               dangvu grant TÊN --unit MÃ --department inspection|leadership
               [--from dd/mm/yyyy] --reason "lý do" (in ra mật khẩu dùng một lần)
  import       nhập tệp Excel theo mẫu trao đổi dữ liệu (--as TÊN: với quyền người đó)
  export       xuất tệp Excel theo mẫu trao đổi dữ liệu (--as TÊN: với quyền người đó)
  report       báo cáo sơ kết, tổng kết (docx, xlsx, json)
  remind       nhắc các đơn vị sắp đến hạn, quá hạn nộp báo cáo (chạy mỗi ngày)
  check        kiểm tra số liệu theo các quy tắc
  tallies      số liệu tổng hợp theo tháng: rebuild | advance (mỗi đêm) | check
  worker       chạy các việc nền (nhập, xuất dữ liệu, báo cáo lớn, nhắc hạn)
  backup       sao lưu cơ sở dữ liệu
  restore      khôi phục cơ sở dữ liệu từ bản sao lưu
  bench        đo hiệu năng (xem thư mục bench/)
  manage       các lệnh quản trị của Django
"""


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(USAGE)
        return
    verb, rest = args[0], args[1:]
    if verb == "demo" or "--insecure-demo" in rest:
        # The demo is served over plain HTTP on localhost: no secure-only cookies.
        os.environ.setdefault("DANGVU_INSECURE_DEMO", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
    from django.core.management import execute_from_command_line

    if verb == "manage":
        execute_from_command_line(["dangvu manage", *rest])
        return
    command = VERBS.get(verb)
    if command is None:
        print(f"Lệnh không hợp lệ: {verb}. Gõ `dangvu --help` để xem các lệnh.", file=sys.stderr)
        sys.exit(2)
    import django
    from django.core.management import get_commands

    django.setup()
    if command not in get_commands():
        print(f"Lệnh `dangvu {verb}` chưa có trong phiên bản này.", file=sys.stderr)
        sys.exit(2)
    execute_from_command_line(["dangvu", command, *rest])


if __name__ == "__main__":
    main()
