"""Surveys of how a programme is carried out (khảo sát việc thực hiện, seed section 1): a
round conducted by a committee, the units it visited, what it found and the conclusion
document issued after it (e.g. Kết luận 666-KL/TU)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from dangvu.documents.models import Document
from dangvu.indicators.models import Programme
from dangvu.units.models import Unit


class ImplementationSurvey(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="surveys")
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="surveys_conducted",
        verbose_name="Cấp ủy tiến hành",
    )
    title = models.CharField("Tên đợt khảo sát", max_length=300)
    started_on = models.DateField("Từ ngày")
    ended_on = models.DateField("Đến ngày")
    findings = models.TextField("Kết quả khảo sát", blank=True)
    conclusion = models.ForeignKey(
        Document,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Văn bản kết luận",
    )
    targets = models.ManyToManyField(
        Unit, related_name="surveys_received", verbose_name="Đơn vị được khảo sát"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "Đợt khảo sát việc thực hiện"
        verbose_name_plural = "Đợt khảo sát việc thực hiện"
        ordering = ["-started_on"]

    def __str__(self) -> str:
        return self.title
