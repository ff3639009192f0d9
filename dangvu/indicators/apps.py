from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "dangvu.indicators"
    label = "indicators"
    verbose_name = "Chỉ tiêu, báo cáo"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate
        from django.utils.module_loading import autodiscover_modules

        from dangvu.indicators.catalogue import sync_after_migrate

        # Each app declares the indicators it computes in its own `indicators.py`.
        autodiscover_modules("indicators")
        # The catalogue ships as data (data/catalogue.json) and is kept in step on migrate.
        post_migrate.connect(sync_after_migrate, sender=self)

        from auditlog.registry import auditlog

        from dangvu.indicators import models

        auditlog.register(models.EnteredValue)

        from auditlog.signals import post_log

        from dangvu.indicators.audit import withhold_figure

        post_log.connect(withhold_figure, sender=models.EnteredValue)
