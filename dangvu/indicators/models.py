"""Programmes (Đề án), their indicators (chỉ tiêu) and entered aggregate values."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from dangvu.accounts.models import Department
from dangvu.units.models import Unit


class Programme(models.Model):
    """A party-building programme, e.g. Đề án 05-ĐA/TU."""

    code = models.CharField("Mã", max_length=20, unique=True)
    symbol = models.CharField("Số, ký hiệu", max_length=40)
    name = models.TextField("Tên đề án")
    short_name = models.CharField("Tên ngắn", max_length=120)
    issued_on = models.DateField("Ngày ban hành")
    issuer = models.CharField("Cơ quan ban hành", max_length=200)
    # The period its review report covers by default (e.g. the 5-year review: sơ kết).
    report_from = models.DateField("Báo cáo từ ngày")
    report_to = models.DateField("Báo cáo đến ngày")

    class Meta:
        verbose_name = "Đề án"
        verbose_name_plural = "Đề án"

    def __str__(self) -> str:
        return self.short_name


class IndicatorGroup(models.Model):
    """A section of the report: the organisation, leadership, or one of the task groups."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="groups")
    code = models.CharField(max_length=10)
    number = models.CharField("Số mục", max_length=10, blank=True)
    title = models.CharField("Tên nhóm", max_length=300)
    is_task_group = models.BooleanField("Nhóm nhiệm vụ", default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "Nhóm chỉ tiêu"
        ordering = ["programme", "order"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="indicator_group_code")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()


class Source(models.TextChoices):
    COMPUTED = "computed", "Tính từ dữ liệu"
    ENTERED = "entered", "Nhập tổng hợp"


class Kind(models.TextChoices):
    STATE = "state", "Số tại cuối kỳ"
    FLOW = "flow", "Số phát sinh trong kỳ"
    RATE = "rate", "Tỷ lệ"


class Indicator(models.Model):
    code = models.CharField("Mã chỉ tiêu", max_length=80, unique=True)
    label = models.CharField("Tên chỉ tiêu", max_length=300)
    group = models.ForeignKey(IndicatorGroup, on_delete=models.PROTECT, related_name="indicators")
    source = models.CharField("Nguồn", max_length=10, choices=Source.choices)
    dims = models.JSONField("Chiều", default=list)
    kind = models.CharField("Loại", max_length=10, choices=Kind.choices, default=Kind.FLOW)
    unit_label = models.CharField("Đơn vị tính", max_length=40, blank=True)
    seed = models.JSONField("Số liệu báo cáo gốc", null=True, blank=True)
    note = models.TextField("Ghi chú", blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    # The department that answers for the figure: it alone (with the committee leadership)
    # enters or overrides its values. Unset, only the leadership does.
    owner = models.CharField(
        "Ban phụ trách", max_length=20, choices=Department.choices, default=Department.LEADERSHIP
    )
    # A figure about persons (inspection, discipline, ratings): the capability that reaches
    # its records. Others see it only in whole `grain` periods and never below 5 (disclosure.py).
    sensitive = models.CharField("Số liệu về con người: ai xem số nhỏ", max_length=20, blank=True)
    grain = models.CharField("Kỳ công bố ngắn nhất", max_length=10, blank=True)

    class Meta:
        verbose_name = "Chỉ tiêu"
        verbose_name_plural = "Chỉ tiêu"
        ordering = ["group__order", "order"]

    def __str__(self) -> str:
        return f"{self.code} — {self.label}"


class EnteredValue(models.Model):
    """An aggregate typed in (or imported) for one unit, period and key; it replaces the
    computed value of that unit and everything beneath it (the roll-up rule)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="entered")
    key = models.CharField("Khóa", max_length=40, blank=True)  # e.g. "commune", "nq-dh-xiii"
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="entered_values")
    period = models.CharField("Kỳ", max_length=30)  # canonical label: 2019, 2019Q3, 2019-07, a..b
    period_start = models.DateField()
    period_end = models.DateField()  # exclusive
    value = models.DecimalField("Giá trị", max_digits=16, decimal_places=2)
    note = models.CharField("Ghi chú", max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "Số liệu nhập"
        verbose_name_plural = "Số liệu nhập"
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "key", "unit", "period"], name="entered_value_unique"
            )
        ]
        indexes = [models.Index(fields=["indicator", "period"])]

    def __str__(self) -> str:
        key = f"[{self.key}]" if self.key else ""
        where = f"{self.indicator.code}{key} {self.unit.code} {self.period}"
        # A figure about persons is not written where it is named (the audit trail keeps
        # this text): see indicators/audit.py.
        return where if self.indicator.sensitive else f"{where} = {self.value}"


class FiguresLock(models.Model):
    """The figures of a unit for a period, frozen because the level above accepted them
    (a reporting round's report, DHIS2's "approved data is locked"): while the lock stands
    no entered value of the unit overlapping the period is written, changed or cleared.
    Records still are (life goes on); the round's board shows what moved since."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="figure_locks")
    period_start = models.DateField()
    period_end = models.DateField()  # exclusive
    reason = models.CharField("Lý do", max_length=300)
    # The record that holds the lock (e.g. "rounds.RoundReport:12"): released by it alone.
    holder = models.CharField(max_length=60, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Số liệu đã chốt"
        verbose_name_plural = "Số liệu đã chốt"
        indexes = [models.Index(fields=["unit", "period_start"])]

    def __str__(self) -> str:
        return f"{self.unit.code} {self.period_start}..{self.period_end}: {self.reason}"


class Tally(models.Model):
    """How many records of one source (an `events` call of a computation) count under a
    unit in a closed month, per key: the unit's whole subtree as it stood when the records
    were made (every ancestor on a record's path gets a row). Kept by the services that
    write the records, in their transaction (`indicators.services_tallies`); rebuilt from the
    records by `dangvu tallies rebuild`. The engine reads a unit's past months here."""

    source = models.CharField(max_length=80)
    # No database constraint: units are never deleted, and a country's millions of counts
    # would each be checked at commit.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", db_constraint=False)
    month = models.DateField()  # its first day
    key = models.CharField(max_length=100, blank=True, default="")
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "unit", "month", "key"], name="tally_cell")
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.unit_id} {self.month:%Y-%m} {self.key}: {self.n}"


class TallyPart(models.Model):
    """A unit's own records of one source in one month, per key and the path the unit had
    then: what `Tally` adds up along the path, kept to take it back when they change."""

    source = models.CharField(max_length=80)
    # No database constraint: units are never deleted, and a country's millions of counts
    # would each be checked at commit.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", db_constraint=False)
    month = models.DateField()
    key = models.CharField(max_length=100, blank=True, default="")
    path = models.CharField(max_length=400)
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "unit", "month", "key", "path"], name="tally_part_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.path} {self.month:%Y-%m} {self.key}: {self.n}"


class TallyState(models.Model):
    """The months a source's tallies hold: [start, horizon). Later months (the current
    one, and those not yet advanced into) are read from the records."""

    source = models.CharField(max_length=80, unique=True)
    start = models.DateField()
    horizon = models.DateField()
    built_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.source} [{self.start}, {self.horizon})"
