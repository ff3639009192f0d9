from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "dangvu.meetings"
    label = "meetings"
    verbose_name = "Sinh hoạt chi bộ"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from dangvu.meetings import models

        auditlog.register(models.Meeting)
