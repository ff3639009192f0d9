"""The one task of the queue: run a job (`services.run`). Every kind goes through it, so the
queue's rows name a job and the job's row says what to do."""

from __future__ import annotations

from django_tasks import task

from dangvu.jobs import services


@task()
def run_job(job_id: str) -> None:
    services.run(job_id)
