from django.db import migrations


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    from dangvu.reviews.rules import rules_sync

    rules_sync(apps.get_model("reviews", "RatingScheme"), apps.get_model("reviews", "RatingGrade"))


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
