from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "dangvu.supervision"
    label = "supervision"
    verbose_name = "Giám sát của Mặt trận Tổ quốc và các đoàn thể"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from dangvu.supervision import models

        auditlog.register(models.Supervision)
