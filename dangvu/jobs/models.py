"""Background jobs as their users see them: what was asked, by whom, how far it is, what
came out. The queue itself (which worker runs what) is django-tasks' `DBTaskResult`; a job
names its task result (`task_id`)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class JobState(models.TextChoices):
    QUEUED = "queued", "Đang chờ"
    RUNNING = "running", "Đang chạy"
    DONE = "done", "Đã xong"
    FAILED = "failed", "Không thành công"


class Job(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField("Loại việc", max_length=32)
    title = models.CharField("Việc", max_length=200)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người yêu cầu",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="jobs",
    )
    params = models.JSONField("Tham số", default=dict, blank=True)
    input = models.FileField("Tệp đầu vào", upload_to="jobs/in/%Y/%m/", blank=True)
    state = models.CharField(
        "Trạng thái", max_length=16, choices=JobState.choices, default=JobState.QUEUED
    )
    task_id = models.CharField("Mã việc trong hàng đợi", max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField("Số lần chạy", default=0)
    created_at = models.DateTimeField("Lúc yêu cầu", auto_now_add=True)
    started_at = models.DateTimeField("Lúc bắt đầu", null=True, blank=True)
    finished_at = models.DateTimeField("Lúc xong", null=True, blank=True)
    result = models.JSONField("Kết quả", default=dict, blank=True)
    file = models.FileField("Tệp kết quả", upload_to="jobs/out/%Y/%m/", blank=True)
    file_name = models.CharField("Tên tệp kết quả", max_length=200, blank=True)
    error = models.TextField("Lỗi", blank=True)

    class Meta:
        verbose_name = "Việc chạy nền"
        verbose_name_plural = "Các việc chạy nền"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["actor", "-created_at"], name="jobs_actor_recent")]

    def __str__(self) -> str:
        return self.title

    @property
    def finished(self) -> bool:
        return self.state in {JobState.DONE, JobState.FAILED}


class ScheduledRun(models.Model):
    """One occurrence of a scheduled job, claimed by the first worker that sees it due (the
    unique constraint makes that one worker, however many run)."""

    name = models.CharField(max_length=64)
    due_at = models.DateTimeField()
    job = models.ForeignKey(Job, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "due_at"], name="jobs_scheduled_once")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.due_at:%Y-%m-%d %H:%M}"
