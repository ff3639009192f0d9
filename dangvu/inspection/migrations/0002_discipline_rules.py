from django.db import migrations


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    from dangvu.inspection.rules import rules_sync

    rules_sync(
        apps.get_model("inspection", "DisciplineRule"),
        apps.get_model("inspection", "DisciplineForm"),
    )


class Migration(migrations.Migration):
    dependencies = [("inspection", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
