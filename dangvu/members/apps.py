from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "dangvu.members"
    label = "members"
    verbose_name = "Đảng viên"

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.utils.module_loading import autodiscover_modules

        from dangvu.members import models

        auditlog.register(models.Member, exclude_fields=["name_search", "name_sort"])
        auditlog.register(models.Membership)
        # Each app plugs its part of the member's page in its own `member_page.py`.
        autodiscover_modules("member_page")
