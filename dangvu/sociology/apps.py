from django.apps import AppConfig


class SociologyConfig(AppConfig):
    name = "dangvu.sociology"
    label = "sociology"
    verbose_name = "Điều tra xã hội học"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from dangvu.sociology import models

        # The questionnaire's design is audited; invitations and responses never are: the
        # audit trail would otherwise tie an anonymous answer to its moment and its person.
        auditlog.register(models.Questionnaire)
        auditlog.register(models.Question)
