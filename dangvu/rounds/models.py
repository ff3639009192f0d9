"""Reporting rounds (đợt báo cáo sơ kết, tổng kết): a committee asks the units below it for
their reports on a programme over a period, by a deadline and to an outline; each unit's
office writes its text beside its figures and submits; the level above returns it with
comments per section or accepts it, which freezes a snapshot of its figures (and locks its
entered values) until it is reopened with a reason. Every step is a `RoundEvent`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from dangvu.indicators.models import Programme
from dangvu.units.models import Unit


class Reporters(models.TextChoices):
    DIRECT = "direct", "Các đơn vị trực thuộc"
    GRASSROOTS = "grassroots", "Tất cả tổ chức cơ sở đảng"
    LIST = "list", "Danh sách đơn vị chọn"


class ReportState(models.TextChoices):
    NOT_STARTED = "not_started", "Chưa bắt đầu"
    DRAFTING = "drafting", "Đang soạn"
    SUBMITTED = "submitted", "Đã gửi, chờ xem xét"
    RETURNED = "returned", "Bị trả lại"
    ACCEPTED = "accepted", "Đã chấp nhận"


#: States in which the unit's office writes (the report is with the unit).
WITH_UNIT = frozenset({ReportState.NOT_STARTED, ReportState.DRAFTING, ReportState.RETURNED})


class ReportingRound(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="rounds")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="rounds_launched")
    title = models.CharField("Tên đợt báo cáo", max_length=300)
    period = models.CharField("Kỳ báo cáo", max_length=30)  # canonical label (lib/periods)
    deadline = models.DateField("Hạn nộp")
    #: The report's sections: [[key, heading], ...] in document order.
    outline = models.JSONField("Đề cương", default=list)
    reporters = models.CharField(
        "Đơn vị báo cáo", max_length=12, choices=Reporters.choices, default=Reporters.DIRECT
    )
    instructions = models.TextField("Hướng dẫn", blank=True)
    launched_on = models.DateField("Ngày phát động")
    launched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Đợt báo cáo"
        verbose_name_plural = "Đợt báo cáo"
        ordering = ["-launched_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "programme", "period"], name="one_round_per_unit_period"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def sections(self) -> list[tuple[str, str]]:
        return [(str(key), str(title)) for key, title in self.outline]


class RoundReport(models.Model):
    """One reporting unit's report in a round: the working text its office edits
    (`texts`), the text it last submitted (`submitted_texts`, what the level above reads),
    the level above's comments when it returned it, and, once accepted, the snapshot of
    its figures."""

    round = models.ForeignKey(ReportingRound, on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="round_reports")
    state = models.CharField(
        "Trạng thái", max_length=12, choices=ReportState.choices, default=ReportState.NOT_STARTED
    )
    texts = models.JSONField("Nội dung đang soạn", default=dict)
    submitted_texts = models.JSONField("Nội dung đã gửi", default=dict)
    #: An extension the level above granted this unit (gia hạn); the round's deadline else.
    extended_to = models.DateField("Gia hạn đến", null=True, blank=True)
    number = models.CharField("Số", max_length=20, blank=True)
    signer_name = models.CharField("Người ký", max_length=80, blank=True)
    #: The level above's comments when it last returned the report: {section key: text},
    #: "" for the general comment.
    comments = models.JSONField("Ý kiến của cấp trên", default=dict)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    #: Accepted: {"indicators": {code: JSON value}, "totals": {code: number|null},
    #: "kinds": {code: kind}} — the figures as they stood when accepted.
    snapshot = models.JSONField("Số liệu đã chốt", null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "Báo cáo của đơn vị trong đợt"
        verbose_name_plural = "Báo cáo của đơn vị trong đợt"
        ordering = ["round", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="one_report_per_unit_round")
        ]

    def __str__(self) -> str:
        return f"{self.round.title} — {self.unit.code}"

    @property
    def lock_holder(self) -> str:
        return f"rounds.RoundReport:{self.pk}"

    @property
    def due(self) -> Any:
        """The day the report is due: the unit's extension, else the round's deadline."""
        return self.extended_to or self.round.deadline

    def is_late(self, day: Any = None) -> bool:
        """Not yet with the level above (or returned and not sent again) after the day
        it was due."""
        today = day or timezone.localdate()
        return self.state in WITH_UNIT and today > self.due

    def days_late(self, day: Any = None) -> int:
        today = day or timezone.localdate()
        return (today - self.due).days if self.is_late(today) else 0

    def submitted_late(self) -> bool:
        return (
            self.submitted_at is not None
            and timezone.localtime(self.submitted_at).date() > self.due
        )


class EventAction(models.TextChoices):
    LAUNCHED = "launched", "Phát động"
    DRAFTED = "drafted", "Lưu bản nháp"
    SUBMITTED = "submitted", "Gửi báo cáo"
    RETURNED = "returned", "Trả lại"
    ACCEPTED = "accepted", "Chấp nhận"
    REOPENED = "reopened", "Mở lại"
    EXTENDED = "extended", "Gia hạn"
    REMINDED = "reminded", "Nhắc nhở"


class RoundEvent(models.Model):
    """A step of a report's life, shown on its page (the audit trail has the diffs)."""

    report = models.ForeignKey(RoundReport, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=12, choices=EventAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)
    #: Returned: the comments per section; reminded: {"kind": "before"|"late", "emailed": n}.
    data = models.JSONField(default=dict)

    class Meta:
        verbose_name = "Bước của báo cáo"
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["report", "action"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%d/%m/%Y}"
