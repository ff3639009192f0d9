from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "dangvu.inspection"
    label = "inspection"
    verbose_name = "Kiểm tra, giám sát, kỷ luật đảng"

    # Not in the general audit trail (the administrator reads that, and these records are
    # closed to the administrator): every read and write of a case is a `CaseRead` row.

    def ready(self) -> None:
        from dangvu.core import reference
        from dangvu.inspection import models
        from dangvu.inspection.rules import rules_sync

        # The forms of discipline ship as data (rules.py), kept in step after migrate.
        reference.register(
            self, sync=lambda: rules_sync(models.DisciplineRule, models.DisciplineForm)
        )
