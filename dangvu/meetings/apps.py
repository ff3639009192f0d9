from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "dangvu.meetings"
    label = "meetings"
    verbose_name = "Sinh hoạt chi bộ"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from dangvu.core import reference
        from dangvu.meetings import models
        from dangvu.meetings.rules import rules_sync

        # The meeting regimes ship as data (rules.py), kept in step after migrate.
        reference.register(self, sync=lambda: rules_sync(models.MeetingRule))

        auditlog.register(models.Meeting)
