"""Reminders of reporting rounds: once before the deadline, the first day late and weekly
after, never twice the same day; an event on the report's history each time and, with mail
configured, an e-mail to the unit's office, delivered here to a real SMTP server
(aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import email
import email.policy
import logging
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core.management import CommandError, call_command

from dangvu import cli
from dangvu.accounts.models import Department, User
from dangvu.conftest import World, _user
from dangvu.rounds import services
from dangvu.rounds.models import EventAction, ReportingRound, RoundEvent
from dangvu.rounds.services_reminders import reminders_send
from dangvu.rounds.tests.conftest import report_of, texts_for

TITLE = "Sơ kết 5 năm thực hiện Đề án 05-ĐA/TU"
PUBLIC = "https://dangvu.example.vn"


@dataclass
class Received:
    to: list[str]
    subject: str
    body: str


@dataclass
class Inbox:
    """What the SMTP server accepted; addresses in `refuse` are refused (550)."""

    messages: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return "550 không có hộp thư này"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        self.messages.append(
            Received(list(envelope.rcpt_tos), str(message["subject"]).strip(), body.get_content())
        )
        return "250 OK"

    def to(self, address: str) -> list[Received]:
        return [m for m in self.messages if address in m.to]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def mail_to(settings: Any, port: int) -> None:
    settings.MAIL_ENABLED = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "dangvu@tinhuy.example.vn"
    settings.DANGVU_PUBLIC_URL = PUBLIC


@pytest.fixture
def smtp(settings: Any) -> Iterator[Inbox]:
    """A real SMTP server on 127.0.0.1, and Django's SMTP backend pointed at it."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    mail_to(settings, port)
    yield inbox
    controller.stop()


@pytest.fixture
def addresses(world: World, offices: dict[str, User]) -> dict[str, str]:
    """Who has an e-mail address: Cư Jút's office and leadership, Đắk Mil's office (Tuy
    Đức's has none); and some who must get nothing: the province's office, Cư Jút's
    inspection, a former Cư Jút officer, a disabled account."""
    _user(world, "lanhdao.cujut", roles=(("DN.CUJUT", Department.LEADERSHIP),))
    _user(world, "kiemtra.cujut", roles=(("DN.CUJUT", Department.INSPECTION),))
    _user(world, "vp.cujut.cu", roles=(("DN.CUJUT", Department.OFFICE),), until=date(2023, 1, 1))
    _user(world, "vp.cujut.khoa", roles=(("DN.CUJUT", Department.OFFICE),))
    User.objects.filter(username="vp.cujut.khoa").update(is_active=False)
    emails = {
        name: f"{name}@example.vn"
        for name in (
            "vp.cujut",
            "lanhdao.cujut",
            "vp.dakmil",
            "vp.tinh",
            "kiemtra.cujut",
            "vp.cujut.cu",
            "vp.cujut.khoa",
        )
    }
    for name, address in emails.items():
        User.objects.filter(username=name).update(email=address)
    return emails


def reminded(rnd: ReportingRound) -> list[tuple[str, str, int]]:
    return list(
        RoundEvent.objects.filter(report__round=rnd, action=EventAction.REMINDED)
        .order_by("pk")
        .values_list("report__unit__code", "data__kind", "data__emailed")
    )


def kinds_on(day: date) -> list[tuple[str, str, int]]:
    return [(r.report.unit.code, r.kind, r.days) for r in reminders_send(today=day)]


def test_it_reminds_once_before_then_when_late_then_weekly(
    world: World, offices: dict[str, User], rnd: ReportingRound
) -> None:
    assert kinds_on(date(2023, 6, 11)) == []  # four days before: not yet
    before = [("DN.CUJUT", "before", 3), ("DN.DAKMIL", "before", 3), ("DN.TUYDUC", "before", 3)]
    assert kinds_on(date(2023, 6, 12)) == before
    assert reminded(rnd) == [
        ("DN.CUJUT", "before", 0),
        ("DN.DAKMIL", "before", 0),
        ("DN.TUYDUC", "before", 0),
    ]
    # Twice the same day, or the days after: nothing more before the deadline.
    assert kinds_on(date(2023, 6, 12)) == []
    assert kinds_on(date(2023, 6, 15)) == []
    assert len(reminded(rnd)) == 3
    services.report_submit(
        report=report_of(rnd, world, "DN.CUJUT"), texts=texts_for(rnd), actor=offices["vp.cujut"]
    )
    assert kinds_on(date(2023, 6, 16)) == [("DN.DAKMIL", "late", 1), ("DN.TUYDUC", "late", 1)]
    assert kinds_on(date(2023, 6, 16)) == []
    for day in range(17, 23):
        assert kinds_on(date(2023, 6, day)) == [], day
    # Tuy Đức is given until 30/06: reminded again before its new day, then late after it.
    services.report_extend(
        report=report_of(rnd, world, "DN.TUYDUC"),
        until=date(2023, 6, 30),
        reason="Đại hội.",
        actor=offices["vp.tinh"],
        at=date(2023, 6, 20),
    )
    assert kinds_on(date(2023, 6, 23)) == [("DN.DAKMIL", "late", 8)]
    assert kinds_on(date(2023, 6, 27)) == [("DN.TUYDUC", "before", 3)]
    assert kinds_on(date(2023, 6, 29)) == []
    assert kinds_on(date(2023, 6, 30)) == [("DN.DAKMIL", "late", 15)]
    assert kinds_on(date(2023, 7, 1)) == [("DN.TUYDUC", "late", 1)]
    # A returned report is with its unit again, and late: reminded.
    dakmil = report_of(rnd, world, "DN.DAKMIL")
    services.report_submit(report=dakmil, texts=texts_for(rnd), actor=offices["vp.dakmil"])
    assert kinds_on(date(2023, 7, 7)) == []
    services.report_return(report=dakmil, comments={"": "Bổ sung."}, actor=offices["vp.tinh"])
    assert kinds_on(date(2023, 7, 8)) == [("DN.DAKMIL", "late", 23), ("DN.TUYDUC", "late", 8)]
    # Every reminder is on the report's history, by nobody (the system).
    events = RoundEvent.objects.filter(report__round=rnd, action=EventAction.REMINDED)
    assert events.count() == 11
    assert set(events.values_list("actor", flat=True)) == {None}
    assert reminders_send(today=date(2023, 7, 8)) == []


def test_it_emails_the_units_office_through_a_real_smtp_server(
    world: World,
    offices: dict[str, User],
    rnd: ReportingRound,
    addresses: dict[str, str],
    smtp: Inbox,
) -> None:
    sent = reminders_send(today=date(2023, 6, 12))
    assert [(r.report.unit.code, r.emailed) for r in sent] == [
        ("DN.CUJUT", 2),
        ("DN.DAKMIL", 1),
        ("DN.TUYDUC", 0),  # nobody there has an address: in the app only
    ]
    assert reminded(rnd) == [
        ("DN.CUJUT", "before", 2),
        ("DN.DAKMIL", "before", 1),
        ("DN.TUYDUC", "before", 0),
    ]
    assert sorted(a for m in smtp.messages for a in m.to) == [
        "lanhdao.cujut@example.vn",
        "vp.cujut@example.vn",
        "vp.dakmil@example.vn",
    ]
    [message] = smtp.to("vp.cujut@example.vn")
    assert message.to == ["vp.cujut@example.vn"]  # one message each: no shared To line
    assert message.subject == f"Nhắc hạn nộp báo cáo «{TITLE}»: còn 3 ngày"
    report = report_of(rnd, world, "DN.CUJUT")
    for line in (
        "Kính gửi Huyện ủy Cư Jút,",
        "Báo cáo của đơn vị gửi Đảng bộ tỉnh Đắk Nông có hạn nộp ngày 15/06/2023: còn 3 ngày.",
        f"Đợt báo cáo: {TITLE}",
        "Đơn vị nhận báo cáo: Đảng bộ tỉnh Đắk Nông",
        "Hạn nộp: 15/06/2023",
        f"Viết và gửi báo cáo tại: {PUBLIC}/dot-bao-cao/{rnd.pk}/bao-cao/{report.pk}/",
    ):
        assert line in message.body, line
    # The same day again: not a second e-mail.
    assert reminders_send(today=date(2023, 6, 12)) == []
    assert len(smtp.messages) == 3
    # Late, and returned with comments: said in the subject and the body.
    dakmil = report_of(rnd, world, "DN.DAKMIL")
    services.report_submit(report=dakmil, texts=texts_for(rnd), actor=offices["vp.dakmil"])
    services.report_return(
        report=dakmil, comments={"": "Bổ sung.", "2.3": "Thiếu số liệu."}, actor=offices["vp.tinh"]
    )
    reminders_send(today=date(2023, 6, 20))
    [late] = smtp.to("vp.dakmil@example.vn")[1:]
    assert late.subject == f"Báo cáo «{TITLE}» đã quá hạn 5 ngày"
    assert "hạn nộp ngày 15/06/2023, đã quá hạn 5 ngày." in late.body
    assert "Báo cáo đã bị trả lại với 2 ý kiến: cần sửa và gửi lại." in late.body


def test_a_refused_address_or_a_dead_server_loses_no_reminder(
    world: World,
    offices: dict[str, User],
    rnd: ReportingRound,
    addresses: dict[str, str],
    smtp: Inbox,
    settings: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    smtp.refuse.add("vp.cujut@example.vn")
    with caplog.at_level(logging.WARNING, logger="dangvu.rounds.services_reminders"):
        sent = reminders_send(today=date(2023, 6, 12))
    assert [r.emailed for r in sent] == [1, 1, 0]
    assert [m.to for m in smtp.messages] == [["lanhdao.cujut@example.vn"], ["vp.dakmil@example.vn"]]
    assert "vp.cujut@example.vn" in caplog.text
    # Nothing listens on the port: every reminder is still written, none e-mailed.
    settings.EMAIL_PORT = free_port()
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="dangvu.rounds.services_reminders"):
        sent = reminders_send(today=date(2023, 6, 16))
    assert [(r.report.unit.code, r.kind, r.emailed) for r in sent] == [
        ("DN.CUJUT", "late", 0),
        ("DN.DAKMIL", "late", 0),
        ("DN.TUYDUC", "late", 0),
    ]
    assert caplog.text.count("unreachable") == 1  # said once, not tried for each
    assert len(reminded(rnd)) == 6


def test_the_command_reminds_and_says_how_many(
    world: World,
    offices: dict[str, User],
    rnd: ReportingRound,
    addresses: dict[str, str],
    smtp: Inbox,
    settings: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.VERBS["remind"] == "remind"
    call_command("remind", "--date", "2023-06-12")
    assert capsys.readouterr().out.strip() == "Đã nhắc 3 báo cáo (3 e-mail)."
    call_command("remind", "--date", "12/06/2023")
    assert capsys.readouterr().out.strip() == "Không có báo cáo nào cần nhắc."
    settings.MAIL_ENABLED = False
    call_command("remind", "--date", "2023-06-16")
    assert capsys.readouterr().out.strip() == (
        "Đã nhắc 3 báo cáo (chưa cấu hình e-mail: chỉ nhắc trong ứng dụng)."
    )
    assert len(smtp.messages) == 3
    with pytest.raises(CommandError, match="Ngày không hợp lệ: 2023-13-01"):
        call_command("remind", "--date", "2023-13-01")
    assert len(reminded(rnd)) == 6


def test_without_mail_configured_nothing_is_sent(
    world: World, offices: dict[str, User], rnd: ReportingRound, addresses: dict[str, str]
) -> None:
    from django.conf import settings
    from django.core import mail

    assert settings.MAIL_ENABLED is False  # no DANGVU_SMTP_HOST in the tests' environment
    sent = reminders_send(today=date(2023, 6, 12))
    assert [r.emailed for r in sent] == [0, 0, 0]
    assert mail.outbox == []
