from django.apps import AppConfig


class StudyConfig(AppConfig):
    name = "dangvu.study"
    label = "study"
    verbose_name = "Học tập, bồi dưỡng"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from dangvu.study import models

        auditlog.register(models.StudySession)
        auditlog.register(models.TrainingClass)
        auditlog.register(models.TheoryTraining)
