from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "dangvu.plans"
    label = "plans"
    verbose_name = "Kế hoạch thực hiện đề án"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from dangvu.plans import models

        auditlog.register(models.UnitPlan)
