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


class GrantStatus(models.TextChoices):
    PENDING = "pending", "Chờ xác nhận"
    CONFIRMED = "confirmed", "Đã xác nhận"
    DECLINED = "declined", "Bị từ chối"


class GrantRequest(models.Model):
    """A grant of a guarded department (inspection, leadership) asked for by someone who does
    not hold it — the administrator or an organisation officer (đề nghị cấp quyền).

    It waits for a holder of the department to confirm it (the role is made then) or refuse
    it. When nobody could confirm it (a fresh installation), the role is made at once and
    the request stays pending with `without_confirmation` set: every holder of a guarded
    department sees it as "Cấp không qua xác nhận" and a later holder confirms or ends it.
    The operator's emergency grant on the server (`dangvu grant`, `by_operator`, with its
    `reason`) is shown and decided the same way.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grant_requests"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    department = models.CharField("Bộ phận", max_length=16, choices=Department.choices)
    title = models.CharField("Chức danh", max_length=120, blank=True)
    valid_from = models.DateField("Từ ngày")
    valid_to = models.DateField("Đến ngày (không tính)")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        "Trạng thái", max_length=16, choices=GrantStatus.choices, default=GrantStatus.PENDING
    )
    without_confirmation = models.BooleanField("Cấp không qua xác nhận", default=False)
    # Granted by the operator on the server (`dangvu grant`) when nobody could confirm it.
    by_operator = models.BooleanField("Cấp bằng dòng lệnh trên máy chủ", default=False)
    reason = models.CharField("Lý do", max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    role = models.OneToOneField(
        Role, on_delete=models.SET_NULL, null=True, blank=True, related_name="grant_request"
    )

    class Meta:
        verbose_name = "Đề nghị cấp quyền"
        verbose_name_plural = "Đề nghị cấp quyền"
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return (
            f"{self.get_department_display()} @ {self.unit.code} cho {self.user.username}"
            f" ({self.get_status_display()})"
        )


class GrantEventKind(models.TextChoices):
    GRANTED = "granted", "Cấp vai trò"
    GRANTED_UNCONFIRMED = "granted_unconfirmed", "Cấp không qua xác nhận"
    REQUESTED = "requested", "Đề nghị cấp vai trò"
    CONFIRMED = "confirmed", "Xác nhận đề nghị"
    DECLINED = "declined", "Từ chối đề nghị"
    REVOKED = "revoked", "Thu hồi vai trò"
    REFUSED = "refused", "Bị từ chối: không đủ quyền"
    # The account given to the person in front of the holder: a one-time password she set,
    # its two-factor devices removed, its sessions ended (accounts/grants.handover_due).
    HANDED_OVER = "handed_over", "Trao tài khoản (mật khẩu dùng một lần)"
    OPERATOR_GRANTED = "operator_granted", "Cấp bằng dòng lệnh, không qua xác nhận"


class GrantEvent(models.Model):
    """One line of the grant log (nhật ký cấp quyền): every grant, request, confirmation,
    revocation and every refused attempt, with who acted. A refusal is written outside the
    refused write's transaction, so it stays when the write is rolled back."""

    at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=24, choices=GrantEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    username = models.CharField(max_length=150)  # kept when the account is not created
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, related_name="+")
    department = models.CharField(max_length=16, choices=Department.choices)
    valid_from = models.DateField(null=True)
    role = models.ForeignKey(Role, on_delete=models.SET_NULL, null=True, related_name="+")
    request = models.ForeignKey(
        GrantRequest, on_delete=models.SET_NULL, null=True, related_name="events"
    )
    message = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = "Nhật ký cấp quyền"
        verbose_name_plural = "Nhật ký cấp quyền"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        who = self.actor.username if self.actor else "Hệ thống"
        what = f"{self.get_department_display()} @ {self.unit.code if self.unit else '?'}"
        return f"{self.get_kind_display()}: {who} → {self.username}, {what}"
