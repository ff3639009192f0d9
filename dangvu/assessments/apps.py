from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "dangvu.assessments"
    label = "assessments"
    verbose_name = "Kiểm tra nhanh sau học tập"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from dangvu.assessments import models

        auditlog.register(models.Question)
        auditlog.register(models.Assessment)
