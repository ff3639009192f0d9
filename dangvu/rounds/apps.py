from django.apps import AppConfig


class RoundsConfig(AppConfig):
    name = "dangvu.rounds"
    label = "rounds"
    verbose_name = "Đợt báo cáo sơ kết, tổng kết"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from dangvu.rounds import models

        auditlog.register(models.ReportingRound)
        auditlog.register(models.RoundReport, exclude_fields=["snapshot"])
