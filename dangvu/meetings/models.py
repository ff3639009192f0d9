"""Branch meetings (sinh hoạt chi bộ, seed 2.3): each cell's regular monthly meeting and
its thematic meetings, planned ahead, held, attended; judged against the meeting regime in
force (a `MeetingRule`: Hướng dẫn 12-HD/BTCTW 2018, 42-HD/BTCTW 2025), stored with the
meeting when it is recorded so that compliance is a plain count."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from dangvu.core.effective import EffectiveDated, EffectiveQuerySet
from dangvu.members.models import Member
from dangvu.units.models import Unit


class MeetingRule(EffectiveDated):
    code = models.CharField("Số hiệu", max_length=30, unique=True)
    title = models.CharField("Tên văn bản", max_length=300)
    min_minutes = models.PositiveSmallIntegerField("Thời lượng tối thiểu (phút)", null=True)
    thematic_per_quarter = models.PositiveSmallIntegerField("Số buổi chuyên đề mỗi quý", default=1)
    documents_days_before = models.PositiveSmallIntegerField(
        "Gửi tài liệu trước (ngày)", null=True, blank=True
    )

    objects = EffectiveQuerySet.as_manager()

    class Meta:
        verbose_name = "Quy định chế độ sinh hoạt chi bộ"
        ordering = ["valid_from"]

    def __str__(self) -> str:
        return self.code


class MeetingKind(models.TextChoices):
    REGULAR = "regular", "Thường kỳ"
    THEMATIC = "thematic", "Chuyên đề"


class Quality(models.TextChoices):
    GOOD = "good", "Tốt"
    FAIR = "fair", "Khá"
    AVERAGE = "average", "Trung bình"
    POOR = "poor", "Kém"


class Meeting(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField("Loại", max_length=10, choices=MeetingKind.choices)
    month = models.DateField("Tháng")  # the first day of the month it belongs to
    planned_on = models.DateField("Ngày dự kiến", null=True, blank=True)
    topics = models.TextField("Nội dung dự kiến", blank=True)
    planned_at = models.DateField("Ngày nhập kế hoạch", null=True, blank=True)
    documents_sent_on = models.DateField("Ngày gửi tài liệu", null=True, blank=True)
    held_on = models.DateField("Ngày sinh hoạt", null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField("Thời lượng (phút)", null=True, blank=True)
    minutes = models.TextField("Biên bản (tóm tắt)", blank=True)
    minutes_file = models.FileField("Tệp biên bản", upload_to="bien-ban/%Y/%m/", blank=True)
    quality = models.CharField(
        "Chi bộ tự đánh giá", max_length=8, choices=Quality.choices, blank=True
    )
    upper_member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Cấp ủy viên cấp trên được phân công dự",
    )
    upper_attended = models.BooleanField("Cấp ủy viên cấp trên có dự", default=False)
    #: Judged against the rule in force when recorded: met the regime, and why not.
    compliant = models.BooleanField(default=False, editable=False)
    shortfalls = models.CharField(max_length=300, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "Buổi sinh hoạt chi bộ"
        verbose_name_plural = "Buổi sinh hoạt chi bộ"
        ordering = ["-month", "unit"]
        indexes = [
            models.Index(fields=["unit", "month"]),
            models.Index(fields=["held_on"]),
            # A province's meetings of a few days (the part of a month a period cuts, the
            # current month) are read unit by unit within its subtree, not by date across
            # the country's (issue 17).
            models.Index(fields=["unit", "held_on"], name="meetings_unit_held_on"),
            # The cells' compliance counts each cell's regular meetings over a period from
            # the index alone (PostgreSQL; SQLite has no INCLUDE and gets the key columns).
            models.Index(
                fields=["unit", "month"],
                include=["held_on"],
                condition=models.Q(kind="regular"),
                name="meetings_regular_months",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "month"],
                condition=models.Q(kind="regular"),
                name="one_regular_meeting_a_month",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.month:%m/%Y} — {self.unit_id}"


class MeetingAttendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="meeting_attendances")
    present = models.BooleanField("Có mặt", default=True)
    absence_reason = models.CharField("Lý do vắng", max_length=200, blank=True)

    class Meta:
        verbose_name = "Dự sinh hoạt chi bộ"
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="attend_once")]

    def __str__(self) -> str:
        return f"{self.member_id} @ {self.meeting_id}"
