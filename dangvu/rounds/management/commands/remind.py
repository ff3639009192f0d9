"""`dangvu remind`: remind the units whose reports are due soon or late (meant to run daily)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from dangvu.core.management.base import VerbCommand
from dangvu.rounds.services_reminders import reminders_send

BAD_DATE = "Ngày không hợp lệ: {value} (ví dụ 2023-06-15 hoặc 15/06/2023)."
NOTHING = "Không có báo cáo nào cần nhắc."
DONE = "Đã nhắc {n} báo cáo ({emailed} e-mail)."
DONE_NO_MAIL = "Đã nhắc {n} báo cáo (chưa cấu hình e-mail: chỉ nhắc trong ứng dụng)."


def parse_day(value: str) -> date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    raise CommandError(BAD_DATE.format(value=value))


class Command(VerbCommand):
    verb = "remind"
    help = (
        "Nhắc các đơn vị có báo cáo trong đợt báo cáo sắp đến hạn (một lần) hoặc đã quá hạn "
        "(ngày đầu quá hạn, rồi mỗi tuần một lần): trong ứng dụng và qua e-mail khi đã cấu "
        "hình DANGVU_SMTP_HOST. Chạy mỗi ngày một lần, ví dụ bằng cron: "
        "0 7 * * * dangvu remind. Chạy lại trong ngày không nhắc hai lần."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", default="", help="nhắc như vào ngày này (mặc định: hôm nay), 2023-06-15"
        )
        parser.add_argument(
            "--ahead", type=int, default=3, help="nhắc trước hạn bao nhiêu ngày (mặc định 3)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        day = parse_day(options["date"]) if options["date"] else timezone.localdate()
        if options["ahead"] < 0:
            raise CommandError("Số ngày nhắc trước hạn không được âm.")
        sent = reminders_send(today=day, ahead=options["ahead"])
        if not sent:
            self.stdout.write(NOTHING)
        elif settings.MAIL_ENABLED:
            emailed = sum(r.emailed for r in sent)
            self.stdout.write(DONE.format(n=len(sent), emailed=emailed))
        else:
            self.stdout.write(DONE_NO_MAIL.format(n=len(sent)))
