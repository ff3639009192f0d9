from django.db import migrations


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    from dangvu.meetings.rules import rules_sync

    rules_sync(apps.get_model("meetings", "MeetingRule"))


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
