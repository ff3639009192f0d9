from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "dangvu.reports"
    label = "reports"
    verbose_name = "Báo cáo sơ kết, tổng kết"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from dangvu.reports import models

        auditlog.register(models.SummaryReport)
