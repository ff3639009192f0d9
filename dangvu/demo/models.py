"""Which demo data set this database holds, so `dangvu demo` is idempotent."""

from __future__ import annotations

from django.db import models


class DemoState(models.Model):
    seed = models.IntegerField()
    version = models.CharField(max_length=20)
    built_at = models.DateTimeField(auto_now_add=True)
    seconds = models.FloatField(default=0)
    summary = models.JSONField(default=dict)

    class Meta:
        verbose_name = "Dữ liệu mẫu"

    def __str__(self) -> str:
        return f"demo seed={self.seed} v{self.version}"
