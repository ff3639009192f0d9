from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "dangvu.members"
    label = "members"
    verbose_name = "Đảng viên"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from dangvu.members import models

        auditlog.register(models.Member, exclude_fields=["name_search", "name_sort"])
        auditlog.register(models.Membership)
