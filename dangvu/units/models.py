"""The organisation tree (cây tổ chức đảng), effective-dated.

A `Unit` is the identity of a party organisation (its stable code). What it is called,
what kind it is and where it sits in the tree changes over time; each state is a
`UnitVersion` valid over [valid_from, valid_to). Nothing is ever deleted: a reorganisation
closes versions and opens new ones, and records the event (`Reorganisation`) with the
successor links (`UnitSuccession`) so that a unit merged away shows where it went.

Each version carries the materialised path of unit ids from the root ("/1/5/42/") as it
stood during that version, so "the subtree of U on date D" is one indexed prefix match.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from dangvu.core.effective import BEGINNING, END_OF_TIME, EffectiveDated, EffectiveQuerySet
from dangvu.lib.vietnamese import collation_key, search_text


class UnitKind(models.TextChoices):
    PROVINCE = "province", "Đảng bộ tỉnh"
    DIRECT = "direct", "Đảng bộ trực thuộc"
    GRASSROOTS_COMMITTEE = "grassroots_committee", "Đảng bộ cơ sở"
    GRASSROOTS_CELL = "grassroots_cell", "Chi bộ cơ sở"
    PARTIAL_COMMITTEE = "partial_committee", "Đảng bộ bộ phận"
    CELL = "cell", "Chi bộ trực thuộc"


#: Kinds where members are active (sinh hoạt): the cells.
CELL_KINDS = frozenset({UnitKind.GRASSROOTS_CELL, UnitKind.CELL})
#: Grassroots party organisations (tổ chức cơ sở đảng).
GRASSROOTS_KINDS = frozenset({UnitKind.GRASSROOTS_COMMITTEE, UnitKind.GRASSROOTS_CELL})


class Unit(models.Model):
    """A party organisation's identity; its changing state lives in `UnitVersion`."""

    code = models.CharField("Mã đơn vị", max_length=40, unique=True)
    # Denormalised from the versions, kept by the services: the whole lifetime.
    founded_on = models.DateField("Ngày thành lập", default=BEGINNING)
    dissolved_on = models.DateField("Ngày giải thể", default=END_OF_TIME)

    class Meta:
        verbose_name = "Tổ chức đảng"
        verbose_name_plural = "Tổ chức đảng"

    def __str__(self) -> str:
        return self.code

    def version_on(self, day: date) -> UnitVersion | None:
        return self.versions.as_of(day).first()

    def latest_version(self) -> UnitVersion:
        version = self.versions.order_by("-valid_from").first()
        assert version is not None, f"unit {self.code} has no version"
        return version

    @property
    def is_dissolved(self) -> bool:
        return self.dissolved_on < END_OF_TIME


class UnitVersionQuerySet(EffectiveQuerySet):
    def roots(self) -> UnitVersionQuerySet:
        return self.filter(parent__isnull=True)

    def cells(self) -> UnitVersionQuerySet:
        return self.filter(kind__in=CELL_KINDS)

    def under(self, path: str) -> UnitVersionQuerySet:
        """Versions inside the subtree whose root has this path (the root included)."""
        return self.filter(path__startswith=path)


class UnitVersion(EffectiveDated):
    """The state of a unit over [valid_from, valid_to): name, kind, parent, path."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="versions")
    name = models.CharField("Tên đơn vị", max_length=255)
    kind = models.CharField("Loại đơn vị", max_length=32, choices=UnitKind.choices)
    parent = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="child_versions"
    )
    path = models.CharField(max_length=400)
    depth = models.PositiveSmallIntegerField(default=0)
    name_search = models.CharField(max_length=300, default="")
    name_sort = models.CharField(max_length=600, default="")

    objects = UnitVersionQuerySet.as_manager()

    class Meta:
        verbose_name = "Phiên bản đơn vị"
        ordering = ["name_sort"]
        indexes = [
            models.Index(fields=["unit", "valid_from"]),
            models.Index(fields=["valid_from", "valid_to"]),
            models.Index(fields=["parent", "valid_from"]),
            models.Index(
                fields=["path"], name="units_version_path_like", opclasses=["varchar_pattern_ops"]
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__lt=models.F("valid_to")), name="unit_version_interval"
            ),
            models.UniqueConstraint(fields=["unit", "valid_from"], name="unit_version_start"),
        ]

    def __str__(self) -> str:
        return self.name

    def fill_derived(self) -> UnitVersion:
        """Compute the search and sort columns; bulk writers call this before bulk_create."""
        self.name_search = search_text(self.name)[:300]
        self.name_sort = collation_key(self.name)[:600]
        return self

    def save(self, *args: object, **kwargs: object) -> None:
        self.fill_derived()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def is_cell(self) -> bool:
        return self.kind in CELL_KINDS

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part][:-1]


class ReorganisationKind(models.TextChoices):
    CREATE = "create", "Thành lập"
    RENAME = "rename", "Đổi tên"
    MOVE = "move", "Chuyển cấp trên"
    MERGE = "merge", "Sáp nhập"
    SPLIT = "split", "Chia tách"
    DISSOLVE = "dissolve", "Giải thể"
    CORRECT = "correct", "Cập nhật từ tệp dữ liệu"


class Reorganisation(models.Model):
    """One change to the tree, effective from a date, as decided by a competent body."""

    kind = models.CharField("Loại thay đổi", max_length=16, choices=ReorganisationKind.choices)
    effective_on = models.DateField("Ngày hiệu lực")
    decision = models.CharField("Số quyết định", max_length=120, blank=True)
    note = models.TextField("Ghi chú", blank=True)
    units = models.ManyToManyField(Unit, related_name="reorganisations")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Thay đổi tổ chức"
        ordering = ["-effective_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_on:%d/%m/%Y}"


class UnitSuccession(models.Model):
    """`predecessor` ceased on `effective_on` and `successor` took over (all or part of) it."""

    predecessor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="successions")
    successor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="precessions")
    effective_on = models.DateField("Ngày hiệu lực")
    reorganisation = models.ForeignKey(
        Reorganisation, on_delete=models.PROTECT, null=True, blank=True, related_name="successions"
    )

    class Meta:
        verbose_name = "Kế thừa đơn vị"
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="unit_succession_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"
