"""Reads of the background jobs: a user sees the jobs she asked for, nobody else's (a job's
result — an import's bad cells, an export of members — is as private as what she may read)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from dangvu.accounts.models import User
from dangvu.core.progress import read_state
from dangvu.jobs import registry
from dangvu.jobs.models import Job, JobState
from dangvu.jobs.services import progress_path, roles_fingerprint


def jobs_of(*, user: User, limit: int = 30) -> QuerySet[Job]:
    return Job.objects.filter(actor=user).order_by("-created_at")[:limit]


def job_or_404(*, user: User, job_id: uuid.UUID) -> Job:
    job = Job.objects.filter(pk=job_id, actor=user).first()
    if job is None:
        raise Http404("Không có việc này.")
    return job


WITHHELD = (
    "Vai trò của bạn đã thay đổi từ khi việc này chạy, nên kết quả của nó không còn hiển thị "
    "cho bạn. Hãy yêu cầu lại."
)


def withheld(job: Job, user: User) -> bool:
    """Whether the job's result is hidden from its asker: it was read with roles she no
    longer holds as they were (a role ended, a unit moved out of her reach)."""
    read_with = job.params.get("roles")
    return bool(read_with) and read_with != roles_fingerprint(user)


@dataclass(frozen=True)
class Progress:
    step: str
    done: int
    total: int | None
    seconds: int  # since the job started (or was asked for, while it waits)

    @property
    def elapsed(self) -> str:
        return duration(self.seconds)

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)


WAITING = "Đang chờ đến lượt chạy..."
STARTING = "Đang bắt đầu..."


def progress_of(job: Job) -> Progress:
    since = job.started_at or job.created_at
    seconds = int((timezone.now() - since).total_seconds()) if since else 0
    if job.state == JobState.QUEUED:
        return Progress(step=job.error or WAITING, done=0, total=None, seconds=seconds)
    state = read_state(progress_path(job.pk)) or {}
    total = state.get("total")
    return Progress(
        step=str(state.get("step") or STARTING),
        done=int(state.get("done") or 0),
        total=int(total) if isinstance(total, int) and total > 0 else None,
        seconds=seconds,
    )


def duration(seconds: float) -> str:
    """A duration as a person says it: "8 giây", "2 phút 5 giây", "1 giờ 3 phút"."""
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} giờ {minutes} phút" if minutes else f"{hours} giờ"
    if minutes:
        return f"{minutes} phút {secs} giây" if secs else f"{minutes} phút"
    return f"{secs} giây"


def took(job: Job) -> str:
    """How long the finished job ran (its last run), or ""."""
    if job.started_at is None or job.finished_at is None:
        return ""
    return duration((job.finished_at - job.started_at).total_seconds())


def result_template(job: Job) -> str:
    kind = registry.find(job.kind)
    return kind.result_template if kind is not None else ""
