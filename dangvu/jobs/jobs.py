"""The jobs app's own scheduled job: clear old result files and old jobs."""

from __future__ import annotations

from dangvu.core.progress import Progress
from dangvu.jobs import services
from dangvu.jobs.models import Job
from dangvu.jobs.registry import Outcome, kind


@kind("jobs_purge", label="Dọn việc cũ")
def run_purge(job: Job, progress: Progress) -> Outcome:
    progress.step("Đang dọn tệp kết quả cũ")
    return Outcome(result=services.purge())
