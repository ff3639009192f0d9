"""For tests: run the queued jobs in this process, through the worker's own `run_task`
(the worker's polling loop closes connections between tasks, which a test's transaction
must not see; the loop itself is tested with a real `dangvu worker` process)."""

from __future__ import annotations

from django.db import transaction
from django_tasks_db.models import DBTaskResult

from dangvu.jobs.worker import JobWorker


def run_queued(limit: int = 100) -> int:
    worker = JobWorker(batch=True)
    ran = 0
    while ran < limit:
        with transaction.atomic():
            result = DBTaskResult.objects.ready().get_locked()
            if result is None:
                break
            result.claim(worker.worker_id)
        worker.run_task(result)
        ran += 1
    return ran
