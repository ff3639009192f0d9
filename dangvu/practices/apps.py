from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "dangvu.practices"
    label = "practices"
    verbose_name = "Mô hình học tập và làm theo Bác, điển hình"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from dangvu.practices import models

        auditlog.register(models.Practice)
