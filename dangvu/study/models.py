"""Study sessions (hội nghị học tập, quán triệt), their sites and attendance; training
classes (lớp bồi dưỡng, cập nhật kiến thức) and political-theory training."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from dangvu.documents.models import Document
from dangvu.members.models import Member
from dangvu.units.models import Unit


class SessionForm(models.TextChoices):
    IN_PERSON = "in_person", "Trực tiếp"
    ONLINE = "online", "Trực tuyến"
    MIXED = "mixed", "Kết hợp trực tiếp và trực tuyến"


class StudySession(models.Model):
    title = models.CharField("Tên hội nghị", max_length=300)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="study_sessions", verbose_name="Đơn vị tổ chức"
    )
    held_on = models.DateField("Ngày tổ chức")
    form = models.CharField(
        "Hình thức", max_length=12, choices=SessionForm.choices, default=SessionForm.IN_PERSON
    )
    speaker = models.CharField("Báo cáo viên", max_length=160, blank=True)
    documents = models.ManyToManyField(
        Document, related_name="study_sessions", verbose_name="Văn bản học tập"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        verbose_name = "Hội nghị học tập, quán triệt"
        verbose_name_plural = "Hội nghị học tập, quán triệt"
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["held_on"])]

    def __str__(self) -> str:
        return self.title


class Site(models.Model):
    """A site of the session (điểm cầu): where members follow it, in person or online."""

    session = models.ForeignKey(StudySession, on_delete=models.CASCADE, related_name="sites")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="study_sites")
    name = models.CharField("Tên điểm cầu", max_length=200)
    is_main = models.BooleanField("Điểm cầu chính", default=False)

    class Meta:
        verbose_name = "Điểm cầu"
        ordering = ["session", "-is_main", "name"]

    def __str__(self) -> str:
        return self.name


class Attendance(models.Model):
    """A member expected at a session (at a site), and whether they attended."""

    session = models.ForeignKey(StudySession, on_delete=models.CASCADE, related_name="attendances")
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="study_attendances")
    attended = models.BooleanField("Có mặt", default=False)

    class Meta:
        verbose_name = "Tham dự học tập"
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="attendance_once")
        ]
        indexes = [models.Index(fields=["site", "attended"])]

    def __str__(self) -> str:
        return f"{self.member_id} @ {self.session_id}"


class TrainingKind(models.TextChoices):
    REFRESHER = "refresher", "Bồi dưỡng, cập nhật kiến thức lý luận chính trị"
    NEW_THEORY = "new_theory", "Thông tin lý luận mới"


class TrainingClass(models.Model):
    title = models.CharField("Tên lớp", max_length=300)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="training_classes",
        verbose_name="Đơn vị tổ chức",
    )
    kind = models.CharField(
        "Loại lớp", max_length=12, choices=TrainingKind.choices, default=TrainingKind.REFRESHER
    )
    start_on = models.DateField("Ngày khai giảng")
    end_on = models.DateField("Ngày bế giảng")
    participants = models.ManyToManyField(
        Member, related_name="training_classes", blank=True, verbose_name="Học viên"
    )

    class Meta:
        verbose_name = "Lớp bồi dưỡng"
        verbose_name_plural = "Lớp bồi dưỡng"
        ordering = ["-start_on"]

    def __str__(self) -> str:
        return self.title


class TheoryLevel(models.TextChoices):
    ADVANCED = "advanced", "Cao cấp lý luận chính trị"
    INTERMEDIATE = "intermediate", "Trung cấp lý luận chính trị"


class TheoryTraining(models.Model):
    """A member who completed political-theory training (đào tạo cao cấp, trung cấp LLCT)."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="theory_trainings")
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="theory_trainings",
        verbose_name="Đơn vị cử đi học",
    )
    level = models.CharField("Trình độ", max_length=14, choices=TheoryLevel.choices)
    completed_on = models.DateField("Ngày tốt nghiệp")
    institution = models.CharField("Cơ sở đào tạo", max_length=200, blank=True)

    class Meta:
        verbose_name = "Đào tạo lý luận chính trị"
        ordering = ["-completed_on"]

    def __str__(self) -> str:
        return f"{self.member_id} {self.get_level_display()}"
