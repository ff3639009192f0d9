"""A record of every import and export of the exchange workbook."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ExchangeKind(models.TextChoices):
    IMPORT = "import", "Nhập dữ liệu"
    DRY_RUN = "dry_run", "Kiểm tra thử"
    EXPORT = "export", "Xuất dữ liệu"


class ExchangeLog(models.Model):
    kind = models.CharField("Loại", max_length=16, choices=ExchangeKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    at = models.DateTimeField("Thời điểm", auto_now_add=True)
    file_name = models.CharField("Tệp", max_length=255, blank=True)
    org_code = models.CharField("Đơn vị", max_length=40, blank=True)
    succeeded = models.BooleanField("Thành công", default=False)
    counts = models.JSONField("Số dòng theo trang", default=dict)
    error_count = models.PositiveIntegerField("Số lỗi", default=0)
    stored_file = models.FileField("Bản lưu tệp nhập", upload_to="imports/%Y/%m/", blank=True)

    class Meta:
        verbose_name = "Lượt nhập, xuất dữ liệu"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name}"
