from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "dangvu.indicators"
    label = "indicators"
    verbose_name = "Chỉ tiêu, báo cáo"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from dangvu.core import reference
        from dangvu.indicators.catalogue import catalogue_sync

        # Each app declares the indicators it computes in its own `indicators.py`.
        autodiscover_modules("indicators")
        # The catalogue ships as data (data/catalogue.json) and is kept in step on migrate.
        reference.register(self, sync=catalogue_sync)

        from auditlog.registry import auditlog

        from dangvu.indicators import models

        auditlog.register(models.EnteredValue)

        from auditlog.signals import post_log

        from dangvu.indicators.audit import withhold_figure

        post_log.connect(withhold_figure, sender=models.EnteredValue)

        from dangvu.indicators import services_tallies
        from dangvu.units.signals import paths_changed

        paths_changed.connect(services_tallies.on_paths_changed, dispatch_uid="tallies")

        from dangvu.members.signals import memberships_changed

        memberships_changed.connect(services_tallies.on_records_changed, dispatch_uid="tallies")
