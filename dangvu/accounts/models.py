"""Accounts and roles. A role is held *at a unit*, for one department, over a period."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models

from dangvu.core.effective import EffectiveDated, EffectiveQuerySet
from dangvu.members.models import Member
from dangvu.units.models import Unit


class User(AbstractUser):
    full_name = models.CharField("Họ và tên", max_length=120, blank=True)
    member = models.OneToOneField(
        Member,
        verbose_name="Đảng viên",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="account",
    )

    class Meta:
        verbose_name = "Tài khoản"
        verbose_name_plural = "Tài khoản"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class Department(models.TextChoices):
    ORGANISATION = "organisation", "Tổ chức"
    PROPAGANDA = "propaganda", "Tuyên giáo"
    INSPECTION = "inspection", "Kiểm tra"
    OFFICE = "office", "Văn phòng"
    FRONT = "front", "Mặt trận, đoàn thể"
    LEADERSHIP = "leadership", "Lãnh đạo (Thường trực, Ban Thường vụ)"
    SECRETARY = "secretary", "Bí thư, cấp ủy"
    MEMBER = "member", "Đảng viên"


class Role(EffectiveDated):
    """`user` works for `department` at `unit` over [valid_from, valid_to); reaches its subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="roles")
    department = models.CharField("Bộ phận", max_length=16, choices=Department.choices)
    title = models.CharField("Chức danh", max_length=120, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    objects = EffectiveQuerySet.as_manager()

    class Meta:
        verbose_name = "Vai trò"
        verbose_name_plural = "Vai trò"
        ordering = ["user", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_from__lt=models.F("valid_to")), name="role_interval"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_department_display()} @ {self.unit.code}"
