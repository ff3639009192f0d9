"""Reminders of reporting rounds (nhắc nhở): a report still with its unit is reminded once
in the days before it is due, then on the first day it is late and at most once a week
after. Each reminder is a `RoundEvent` (REMINDED, {"kind", "emailed", "due"}) on the
report's history — which is also how a second run on the same day knows to send nothing —
and, when mail is configured (settings.MAIL_ENABLED), an e-mail to every user with an
address holding a role in force with WRITE_REPORTS at the reporting unit (its office).
In the app, the unit's office sees the same report in its things to do (rounds/todo.py).

Mail failures are logged and never lose the in-app reminder: the event is written with
the number of e-mails that did go (`dangvu remind` runs it daily)."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from dangvu.accounts.models import Role
from dangvu.accounts.permissions import DEPARTMENT_CAPABILITIES, Capability
from dangvu.core.effective import active_on
from dangvu.indicators.selectors import unit_name_on
from dangvu.rounds.models import WITH_UNIT, EventAction, ReportState, RoundEvent, RoundReport
from dangvu.rounds.services import _at
from dangvu.rounds.todo import report_path

log = logging.getLogger(__name__)

BEFORE = "before"
LATE = "late"
#: Days between two reminders of a report that stays late.
LATE_EVERY = 7

SUBJECT_BEFORE = "Nhắc hạn nộp báo cáo «{title}»: còn {days} ngày"
SUBJECT_DUE_TODAY = "Nhắc hạn nộp báo cáo «{title}»: hôm nay là ngày cuối"
SUBJECT_LATE = "Báo cáo «{title}» đã quá hạn {days} ngày"
BODY = """Kính gửi {unit},

{state}

Đợt báo cáo: {title}
Đơn vị nhận báo cáo: {above}
Hạn nộp: {due}

{link}

Thư này do hệ thống dangvu gửi tự động, xin đừng trả lời thư.
"""
STATE_BEFORE = "Báo cáo của đơn vị gửi {above} có hạn nộp ngày {due}: còn {days} ngày."
STATE_DUE_TODAY = "Báo cáo của đơn vị gửi {above} có hạn nộp hôm nay, ngày {due}."
STATE_LATE = "Báo cáo của đơn vị gửi {above} hạn nộp ngày {due}, đã quá hạn {days} ngày."
STATE_RETURNED = " Báo cáo đã bị trả lại với {n} ý kiến: cần sửa và gửi lại."
LINK = "Viết và gửi báo cáo tại: {url}"
NO_LINK = "Đăng nhập dangvu để viết và gửi báo cáo (trang chủ, mục «Việc cần làm»)."


@dataclass(frozen=True)
class Reminder:
    """A reminder sent: of which report, before the day or late, by how many days (left
    or late), and to how many e-mail addresses."""

    report: RoundReport
    kind: str
    days: int
    emailed: int


def reminders_send(*, today: date, ahead: int = 3) -> list[Reminder]:
    """Remind the reports due within `ahead` days (once per due day) and the late ones
    (the first day late, then every `LATE_EVERY` days): an event on each report's history
    and, when mail is configured, an e-mail to its unit's office. Safe to run again: what
    was sent is not sent twice."""
    candidates = list(
        RoundReport.objects.annotate(due_on=Coalesce(F("extended_to"), F("round__deadline")))
        .filter(
            state__in=WITH_UNIT,
            round__launched_on__lte=today,
            due_on__lte=today + timedelta(days=ahead),
        )
        .order_by("due_on", "round_id", "unit__code")
        .values_list("pk", "unit_id")
    )
    if not candidates:
        return []
    addresses = _addresses({unit_id for _, unit_id in candidates}, today)
    mailer = _Mailer() if settings.MAIL_ENABLED else None
    sent = []
    try:
        for pk, unit_id in candidates:
            reminder = _remind(pk, today, ahead, addresses.get(unit_id, []), mailer)
            if reminder is not None:
                sent.append(reminder)
    finally:
        if mailer is not None:
            mailer.close()
    return sent


def _kind(report: RoundReport, today: date, ahead: int) -> tuple[str, int] | None:
    """What reminder the report is owed today, if any: (kind, days left or late)."""
    due = report.due
    reminded = [
        (e.data.get("kind"), timezone.localtime(e.at).date())
        for e in report.events.filter(action=EventAction.REMINDED)
        if e.data.get("due") in (None, due.isoformat())  # a new due day starts afresh
    ]
    if today > due:
        last = max((day for kind, day in reminded if kind == LATE), default=None)
        if last is None or (today - last).days >= LATE_EVERY:
            return LATE, (today - due).days
        return None
    if (due - today).days <= ahead and not any(kind == BEFORE for kind, _ in reminded):
        return BEFORE, (due - today).days
    return None


@transaction.atomic
def _remind(
    pk: int, today: date, ahead: int, addresses: list[str], mailer: _Mailer | None
) -> Reminder | None:
    report = (
        RoundReport.objects.select_for_update()
        .select_related("round", "round__unit", "unit")
        .get(pk=pk)
    )
    if report.state not in WITH_UNIT:
        return None
    owed = _kind(report, today, ahead)
    if owed is None:
        return None
    kind, days = owed
    emailed = mailer.send(_message(report, kind, days, today), addresses) if mailer else 0
    at = timezone.now() if today == timezone.localdate() else _at(today)
    RoundEvent.objects.create(
        report=report,
        action=EventAction.REMINDED,
        at=at,
        data={"kind": kind, "emailed": emailed, "due": report.due.isoformat()},
    )
    return Reminder(report, kind, days, emailed)


def _addresses(unit_ids: set[int], day: date) -> dict[int, list[str]]:
    """Per unit, the e-mail addresses of the active users holding a role in force on
    `day` with WRITE_REPORTS at the unit itself (its office: `access.may_write`)."""
    departments = [
        d for d, caps in DEPARTMENT_CAPABILITIES.items() if Capability.WRITE_REPORTS in caps
    ]
    rows = (
        Role.objects.filter(
            active_on(day),
            unit_id__in=unit_ids,
            department__in=departments,
            user__is_active=True,
        )
        .exclude(user__email="")
        .order_by("unit_id", "user__email")
        .values_list("unit_id", "user__email")
    )
    found: dict[int, list[str]] = {}
    for unit_id, email in rows:
        emails = found.setdefault(unit_id, [])
        if email.lower() not in {e.lower() for e in emails}:
            emails.append(email)
    return found


def _message(report: RoundReport, kind: str, days: int, today: date) -> dict[str, str]:
    rnd = report.round
    above = unit_name_on(rnd.unit, today)
    due = f"{report.due:%d/%m/%Y}"
    if kind == LATE:
        subject = SUBJECT_LATE.format(title=rnd.title, days=days)
        state = STATE_LATE.format(above=above, due=due, days=days)
    elif days == 0:
        subject = SUBJECT_DUE_TODAY.format(title=rnd.title)
        state = STATE_DUE_TODAY.format(above=above, due=due)
    else:
        subject = SUBJECT_BEFORE.format(title=rnd.title, days=days)
        state = STATE_BEFORE.format(above=above, due=due, days=days)
    if report.state == ReportState.RETURNED:
        state += STATE_RETURNED.format(n=len(report.comments or {}))
    public = settings.DANGVU_PUBLIC_URL
    link = LINK.format(url=public + report_path(rnd.pk, report.pk)) if public else NO_LINK
    body = BODY.format(
        unit=unit_name_on(report.unit, today),
        state=state,
        title=rnd.title,
        above=above,
        due=due,
        link=link,
    )
    return {"subject": " ".join(subject.split())[:250], "body": body}


#: One message refused (its address, its content): the others still go.
REFUSED = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


class _Mailer:
    """One SMTP connection for the run, opened when the first message goes. A message
    refused (one address) is logged and the others still go; a server that cannot be
    reached is logged once and nothing more is tried in this run."""

    def __init__(self) -> None:
        self.connection: Any = None
        self.broken = False

    def send(self, message: dict[str, str], addresses: list[str]) -> int:
        sent = 0
        for address in addresses:
            if self.broken or not self._open():
                break
            email = EmailMessage(
                message["subject"], message["body"], to=[address], connection=self.connection
            )
            try:
                sent += email.send()
            except REFUSED as error:
                log.warning("Reminder to %s not sent: %s", address, error)
            except Exception:
                log.exception("Mail server failed: the reminders stay in the app only")
                self.broken = True
        return sent

    def _open(self) -> bool:
        if self.connection is None:
            try:
                self.connection = get_connection(fail_silently=False)
                self.connection.open()
            except Exception:
                log.exception("Mail server unreachable: the reminders stay in the app only")
                self.broken = True
                return False
        return True

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.close()
            except Exception:
                log.warning("Closing the mail connection failed", exc_info=True)
