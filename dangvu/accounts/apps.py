from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dangvu.accounts"
    label = "accounts"
    verbose_name = "Tài khoản"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from dangvu.accounts import models

        auditlog.register(
            models.User,
            exclude_fields=["password", "last_login"],
        )
        auditlog.register(models.Role)
        # Two-factor devices added and removed, never their secrets or recovery codes.
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        auditlog.register(TOTPDevice, include_fields=["user", "name", "confirmed"])
        auditlog.register(StaticDevice, include_fields=["user", "name"])
        # Grants are not cases: the administrator's trail shows them, refusals included.
        auditlog.register(models.GrantRequest)
        auditlog.register(models.GrantEvent)
