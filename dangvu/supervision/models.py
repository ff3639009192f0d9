"""Supervision by the Fatherland Front and the socio-political organisations (seed 2.5):
each supervision with its level, the organisation that leads it, what it looked at, what
it found, what it recommended and what became of the recommendations."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from dangvu.units.models import Unit


class FrontLevel(models.TextChoices):
    PROVINCE = "province", "Tỉnh"
    DISTRICT = "district", "Huyện"
    COMMUNE = "commune", "Xã"


class FrontOrganisation(models.TextChoices):
    FRONT = "front", "Mặt trận Tổ quốc"
    UNION = "union", "Công đoàn"
    FARMERS = "farmers", "Hội Nông dân"
    WOMEN = "women", "Hội Liên hiệp Phụ nữ"
    YOUTH = "youth", "Đoàn Thanh niên"
    VETERANS = "veterans", "Hội Cựu chiến binh"


class Supervision(models.Model):
    code = models.CharField("Mã cuộc giám sát", max_length=40, unique=True)
    held_on = models.DateField("Ngày")
    level = models.CharField("Cấp chủ trì", max_length=10, choices=FrontLevel.choices)
    organisation = models.CharField("Chủ trì", max_length=10, choices=FrontOrganisation.choices)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="supervisions", verbose_name="Đơn vị"
    )
    subject = models.TextField("Nội dung giám sát")
    findings = models.TextField("Kết quả giám sát", blank=True)
    recommendations = models.TextField("Kiến nghị", blank=True)
    follow_up = models.TextField("Kết quả thực hiện kiến nghị", blank=True)
    followed_up_on = models.DateField("Ngày báo cáo thực hiện kiến nghị", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "Cuộc giám sát"
        verbose_name_plural = "Cuộc giám sát"
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["held_on"])]

    def __str__(self) -> str:
        return self.code

    @property
    def awaits_follow_up(self) -> bool:
        return bool(self.recommendations) and self.followed_up_on is None
