from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "dangvu.awards"
    label = "awards"
    verbose_name = "Khen thưởng"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from dangvu.awards import models

        auditlog.register(models.AwardDecision)
        auditlog.register(models.AwardRecipient)
