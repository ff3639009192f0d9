"""Every document belongs to a committee of the tree (its question bank is written at or
above it). Documents registered without one belong to the root of the tree as it stands
today: the province, whose officers registered them."""

from datetime import date

import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone


def fill_owner(apps, schema_editor):  # type: ignore[no-untyped-def]
    Document = apps.get_model("documents", "Document")
    UnitVersion = apps.get_model("units", "UnitVersion")
    if not Document.objects.filter(unit__isnull=True).exists():
        return
    day: date = timezone.localdate()
    roots = UnitVersion.objects.filter(parent__isnull=True)
    root = (
        roots.filter(valid_from__lte=day, valid_to__gt=day).order_by("pk").first()
        or roots.order_by("-valid_from").first()
    )
    if root is None:
        raise RuntimeError("Documents without an owning unit and no organisation tree.")
    Document.objects.filter(unit__isnull=True).update(unit_id=root.unit_id)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_initial"),
        ("units", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(fill_owner, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="document",
            name="unit",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="documents",
                to="units.unit",
                verbose_name="Cấp ủy quản lý văn bản",
            ),
        ),
    ]
