"""Models of learning from and following Hồ Chí Minh and other good practices (mô hình,
điển hình; seed 2.1: "333 mô hình mới"), registered per unit with what they do, the
evidence of their results and the recognition they received."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from dangvu.units.models import Unit


class Field(models.TextChoices):
    HCM = "hcm", "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"
    PARTY = "party", "Xây dựng Đảng, sinh hoạt chi bộ"
    ECONOMY = "economy", "Phát triển kinh tế, giảm nghèo"
    SOCIETY = "society", "Văn hóa, xã hội, an ninh trật tự"
    OTHER = "other", "Lĩnh vực khác"


class Practice(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="practices")
    name = models.CharField("Tên mô hình", max_length=300)
    field = models.CharField("Lĩnh vực", max_length=10, choices=Field.choices, default=Field.HCM)
    started_on = models.DateField("Ngày xây dựng, đăng ký")
    description = models.TextField("Nội dung, cách làm", blank=True)
    evidence = models.TextField("Kết quả, minh chứng", blank=True)
    recognition = models.CharField("Khen thưởng, nhân rộng", max_length=300, blank=True)
    recognized_on = models.DateField("Ngày được công nhận", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "Mô hình"
        verbose_name_plural = "Mô hình"
        ordering = ["-started_on", "pk"]
        indexes = [models.Index(fields=["started_on"])]

    def __str__(self) -> str:
        return self.name
