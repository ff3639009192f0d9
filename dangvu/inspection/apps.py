from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "dangvu.inspection"
    label = "inspection"
    verbose_name = "Kiểm tra, giám sát, kỷ luật đảng"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from dangvu.inspection import models

        auditlog.register(models.InspectionCase)
