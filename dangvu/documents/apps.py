from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "dangvu.documents"
    label = "documents"
    verbose_name = "Văn bản"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from dangvu.documents import models

        auditlog.register(models.Document)
        auditlog.register(models.Section)
