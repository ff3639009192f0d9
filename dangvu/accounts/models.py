"""Accounts and roles. A role is held *at a unit*, for one department, over a period."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils import timezone

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
    # Set when an officer creates the account or resets its password: the password is a
    # one-time one, to be replaced at the next sign-in before anything else.
    must_change_password = models.BooleanField("Phải đổi mật khẩu", default=False)
    password_changed_at = models.DateTimeField("Đổi mật khẩu lúc", null=True, blank=True)

    class Meta:
        verbose_name = "Tài khoản"
        verbose_name_plural = "Tài khoản"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class UserSession(AbstractBaseSession):
    """A signed-in browser: Django's session row, plus whose it is, from where, and when it
    was last seen (dangvu.accounts.sessions keeps these up to date)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sessions",
    )
    user_agent = models.CharField("Trình duyệt", max_length=300, blank=True)
    address = models.GenericIPAddressField("Địa chỉ", null=True, blank=True)
    created_at = models.DateTimeField("Đăng nhập lúc", default=timezone.now)
    last_seen = models.DateTimeField("Lần cuối", default=timezone.now)

    class Meta:
        verbose_name = "Phiên đăng nhập"
        verbose_name_plural = "Phiên đăng nhập"

    @classmethod
    def get_session_store_class(cls) -> type:
        from dangvu.accounts.sessions import SessionStore

        return SessionStore


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
