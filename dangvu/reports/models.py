"""A summary report (báo cáo sơ kết, tổng kết): its heading, signature and the narrative
the user writes; the figures come from the indicators when the document is generated."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from dangvu.indicators.models import Programme
from dangvu.units.models import Unit

#: Narrative sections the user writes, in document order: (key, heading shown in the form).
SECTIONS = [
    ("intro", "Mở đầu (sau câu về tình hình tổ chức đảng)"),
    ("1", "I.1. Công tác lãnh đạo, chỉ đạo, triển khai thực hiện"),
    ("2.1", "I.2.1. Nền tảng chính trị, tư tưởng"),
    ("2.2", "I.2.2. Nhận diện, đấu tranh với biểu hiện suy thoái; cam kết, kiểm điểm"),
    ("2.3", "I.2.3. Sinh hoạt chi bộ"),
    ("2.4", "I.2.4. Kiểm tra, giám sát, kỷ luật"),
    ("2.5", "I.2.5. Giám sát của Mặt trận và các đoàn thể"),
    ("II.1", "II.1. Tồn tại, hạn chế"),
    ("II.2", "II.2. Nguyên nhân"),
    ("III", "III. Bài học kinh nghiệm"),
    ("IV", "IV. Nhiệm vụ, giải pháp thời gian tới"),
]


class SummaryReport(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="summary_reports")
    period = models.CharField("Kỳ báo cáo", max_length=30)
    title = models.TextField("Trích yếu")
    number = models.CharField("Số", max_length=20, blank=True)
    symbol = models.CharField("Ký hiệu", max_length=30, default="BC/TU")
    place = models.CharField("Địa danh", max_length=60, default="Đắk Nông")
    issued_on = models.DateField("Ngày ban hành", null=True, blank=True)
    superior = models.CharField("Cơ quan cấp trên", max_length=120, blank=True)
    issuer = models.CharField("Cơ quan ban hành", max_length=120)
    signer_role = models.CharField("Thẩm quyền ký", max_length=60, default="T/M BAN THƯỜNG VỤ")
    signer_title = models.CharField("Chức vụ người ký", max_length=60, default="BÍ THƯ")
    signer_name = models.CharField("Người ký", max_length=80, blank=True)
    recipients = models.TextField("Nơi nhận", blank=True)
    section_iv_title = models.CharField(
        "Tiêu đề mục IV", max_length=200, default="NHIỆM VỤ, GIẢI PHÁP THỜI GIAN TỚI"
    )
    narrative = models.JSONField("Nội dung", default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "Báo cáo sơ kết, tổng kết"
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.title

    def text(self, key: str) -> list[str]:
        """The paragraphs the user wrote for a section (blank lines separate them)."""
        raw = (self.narrative or {}).get(key, "")
        return [p.strip() for p in raw.replace("\r\n", "\n").split("\n\n") if p.strip()]

    @property
    def number_line(self) -> str:
        number = self.number.strip() or "      "
        return f"Số {number}-{self.symbol}"
