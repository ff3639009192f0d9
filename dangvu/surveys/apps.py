from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "dangvu.surveys"
    label = "surveys"
    verbose_name = "Khảo sát"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from dangvu.surveys import models

        auditlog.register(models.ImplementationSurvey)
