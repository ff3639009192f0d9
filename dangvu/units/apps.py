from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "dangvu.units"
    label = "units"
    verbose_name = "Tổ chức đảng"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from dangvu.units import models

        auditlog.register(models.Unit)
        auditlog.register(models.UnitVersion, exclude_fields=["name_search", "name_sort"])
        auditlog.register(models.Reorganisation, m2m_fields={"units"})
        auditlog.register(models.UnitSuccession)
