"""The registry of Party documents (văn bản) and their sections (so questions can point
at what they test)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from dangvu.documents.symbols import TYPES
from dangvu.units.models import Unit


class Document(models.Model):
    number = models.PositiveIntegerField(
        "Số", null=True, blank=True
    )  # congress resolutions have none
    type_code = models.CharField(
        "Loại văn bản", max_length=8, choices=[(k, v) for k, v in TYPES.items()]
    )
    issuer_code = models.CharField("Ký hiệu cơ quan ban hành", max_length=20)  # TW, TU, BTGTU...
    term = models.CharField("Nhiệm kỳ", max_length=20, blank=True)  # e.g. 2020-2025
    issued_on = models.DateField("Ngày ban hành")
    issuer = models.CharField("Cơ quan ban hành", max_length=200)
    title = models.TextField("Trích yếu")
    key = models.SlugField(
        "Mã ngắn", max_length=40, blank=True, help_text="khóa trong chỉ tiêu, ví dụ nq-dh-xiii"
    )
    body = models.TextField("Toàn văn", blank=True)
    file = models.FileField("Tệp văn bản", upload_to="documents/%Y/", blank=True)
    # The committee that registered the document and answers for it (its question bank
    # is written at or above it): the issuing committee when it is in the tree, else the
    # committee that brought the document in (the province, for the Centre's documents).
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name="Cấp ủy quản lý văn bản",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        verbose_name = "Văn bản"
        verbose_name_plural = "Văn bản"
        ordering = ["-issued_on", "type_code", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["number", "type_code", "issuer_code", "term"], name="document_symbol_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.symbol or self.type_name} — {self.title[:80]}"

    @property
    def symbol(self) -> str:
        if self.number is None:
            return ""
        return f"{self.number:02d}-{self.type_code}/{self.issuer_code}"

    @property
    def display(self) -> str:
        """How the seed names a document: "Kết luận số 01-KL/TW, ngày 18/5/2021", "Đề án
        số 05-ĐA/TU, ngày 05/7/2018" (a day under 10 and months 1–2 take a 0)."""
        if self.number is None:
            return self.title
        day = self.issued_on
        month = f"{day.month:02d}" if day.month < 3 else str(day.month)
        return f"{self.type_name} số {self.symbol}, ngày {day.day:02d}/{month}/{day.year}"

    @property
    def type_name(self) -> str:
        return TYPES.get(self.type_code, self.type_code)


class Section(models.Model):
    """A part of a document (phần, mục) that questions can be tied to."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField("Thứ tự", default=0)
    title = models.CharField("Tên phần, mục", max_length=300)
    text = models.TextField("Nội dung", blank=True)

    class Meta:
        verbose_name = "Phần, mục của văn bản"
        ordering = ["document", "order"]

    def __str__(self) -> str:
        return self.title
