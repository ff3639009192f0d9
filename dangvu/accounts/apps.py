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
        # Grants are not cases: the administrator's trail shows them, refusals included.
        auditlog.register(models.GrantRequest)
        auditlog.register(models.GrantEvent)
