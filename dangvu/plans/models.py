"""Units' plans for carrying out a programme (kế hoạch thực hiện đề án, seed section 1):
submitted by a unit, approved — or returned with comments — by the level above."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from dangvu.indicators.models import Programme
from dangvu.units.models import Unit


class PlanStatus(models.TextChoices):
    SUBMITTED = "submitted", "Chờ phê duyệt"
    RETURNED = "returned", "Trả lại để hoàn chỉnh"
    APPROVED = "approved", "Đã phê duyệt"


class UnitPlan(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="plans")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="plans")
    number = models.CharField("Số, ký hiệu kế hoạch", max_length=40, blank=True)
    title = models.CharField("Trích yếu", max_length=300)
    submitted_on = models.DateField("Ngày trình")
    status = models.CharField(
        "Trạng thái", max_length=10, choices=PlanStatus.choices, default=PlanStatus.SUBMITTED
    )
    comments = models.TextField("Ý kiến của cấp trên", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_on = models.DateField("Ngày phê duyệt", null=True, blank=True)

    class Meta:
        verbose_name = "Kế hoạch thực hiện"
        verbose_name_plural = "Kế hoạch thực hiện"
        ordering = ["unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "unit"], name="one_plan_per_unit")
        ]

    def __str__(self) -> str:
        return self.title
