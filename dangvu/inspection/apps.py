from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "dangvu.inspection"
    label = "inspection"
    verbose_name = "Kiểm tra, giám sát, kỷ luật đảng"

    # Not in the general audit trail (the administrator reads that, and these records are
    # closed to the administrator): every read and write of a case is a `CaseRead` row.
