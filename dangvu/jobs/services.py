"""Writes of the background jobs: submit one, run one (in a worker), and the worker's
housekeeping — put back the jobs of a worker that died, start the scheduled jobs, clear old
files.

A job runs at least once and, whatever kills its worker, again (up to `MAX_ATTEMPTS` runs):
the kinds are written so that a second run is harmless — an import is one transaction that a
killed worker never commits, an export or a report is simply made again, reminders are sent
once a day whatever the number of runs.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from dangvu.accounts.models import User
from dangvu.core.errors import DomainError
from dangvu.core.progress import FileProgress
from dangvu.jobs import registry
from dangvu.jobs.models import Job, JobState, ScheduledRun

log = logging.getLogger("dangvu.jobs")

MAX_ATTEMPTS = 3
UNKNOWN_KIND = "Loại việc không còn trong phiên bản này."
FAILED = "Có lỗi khi chạy việc này. Quản trị viên xem chi tiết trong nhật ký máy chủ."
WORKER_LOST = "Máy chạy việc nền dừng đột ngột {n} lần khi đang làm việc này; đã dừng thử lại."
RETRYING = "Máy chạy việc nền dừng đột ngột; việc được chạy lại (lần {n})."
#: Unfinished jobs one person may have at once: enough for real work, and a bound on what
#: one account (or a script holding its session) can pile on the workers.
MAX_UNFINISHED = 5
TOO_MANY = (
    "Bạn đang có {n} việc chạy nền chưa xong. Chờ các việc đó xong (xem “Việc chạy nền”) "
    "rồi yêu cầu thêm."
)


def progress_path(job_id: uuid.UUID | str) -> Path:
    """Where a running job's progress is kept (in the data directory, which every app server
    and worker shares)."""
    return Path(settings.DATA_DIR) / "jobs" / "progress" / f"{job_id}.json"


@transaction.atomic
def submit(
    kind: str,
    *,
    actor: User | None,
    title: str,
    params: dict[str, Any] | None = None,
    input_file: IO[bytes] | None = None,
    input_name: str = "",
) -> Job:
    """Queue a job of `kind` (in the same transaction as the caller's writes: a request that
    fails queues nothing). The input file, if any, is kept in the data directory until the
    job is over."""
    from dangvu.jobs.tasks import run_job

    if registry.find(kind) is None:
        raise ValueError(f"unknown job kind {kind!r}")
    if actor is not None:
        # One request at a time per person past this point: parallel requests cannot all
        # pass the count below.
        User.objects.select_for_update().filter(pk=actor.pk).exists()
        unfinished = Job.objects.filter(
            actor=actor, state__in=[JobState.QUEUED, JobState.RUNNING]
        ).count()
        if unfinished >= MAX_UNFINISHED:
            raise DomainError(TOO_MANY.format(n=unfinished))
    job = Job(kind=kind, actor=actor, title=title[:200], params=params or {})
    if input_file is not None:
        job.input.save(input_name[-100:] or "input", ContentFile(input_file.read()), save=False)
    job.save()
    result = run_job.enqueue(str(job.pk))
    job.task_id = str(result.id)
    job.save(update_fields=["task_id"])
    return job


def run(job_id: str) -> None:
    """Run the job (called by the task in a worker). A finished job is not run again."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.finished:
        return
    kind = registry.find(job.kind)
    job.attempts += 1
    job.state = JobState.RUNNING
    job.started_at = timezone.now()
    # The asker's roles when the job reads: its result is shown to her only while they hold.
    job.params = {**job.params, "roles": roles_fingerprint(job.actor)}
    job.save(update_fields=["attempts", "state", "started_at", "params"])
    path = progress_path(job.pk)
    progress = FileProgress(path)
    try:
        if kind is None:
            raise LookupError(UNKNOWN_KIND)
        outcome = kind.run(job, progress)
        job.result = outcome.result
        if outcome.content is not None:
            job.file.save(
                outcome.file_name[-100:] or "ket-qua", ContentFile(outcome.content), save=False
            )
            job.file_name = outcome.file_name[:200]
    except (DomainError, Http404) as refused:  # refused for a reason the user can read
        _fail(job, str(refused) or FAILED)
    except Exception:
        log.exception("job %s (%s) failed", job.pk, job.kind)
        _fail(job, UNKNOWN_KIND if kind is None else FAILED)
    else:
        if Job.objects.filter(pk=job.pk, state=JobState.FAILED).exists():
            # Given up on meanwhile (its worker was judged dead three times): keep that end.
            return
        job.state = JobState.DONE
        job.finished_at = timezone.now()
        job.save(update_fields=["result", "file", "file_name", "state", "finished_at"])
    finally:
        progress.close()
        path.unlink(missing_ok=True)
        if job.input:
            job.input.delete(save=False)
            Job.objects.filter(pk=job.pk).update(input="")


def _fail(job: Job, message: str) -> None:
    job.state, job.error, job.finished_at = JobState.FAILED, message, timezone.now()
    job.save(update_fields=["state", "error", "finished_at"])


def roles_fingerprint(user: User | None) -> str:
    """A digest of the user's roles as they stand (unit, department, period) and of her
    account's standing: when it changes, what a job read for her is no longer hers to see."""
    if user is None:
        return ""
    from hashlib import sha256

    from dangvu.accounts.models import Role
    from dangvu.core.replica import on_primary

    with on_primary():
        roles = sorted(
            f"{unit}:{department}:{start}:{end}"
            for unit, department, start, end in Role.objects.filter(user=user).values_list(
                "unit_id", "department", "valid_from", "valid_to"
            )
        )
        standing = User.objects.filter(pk=user.pk).values_list("is_active", "is_superuser").first()
    return sha256(repr((standing, roles)).encode()).hexdigest()


# --- the worker's housekeeping ---------------------------------------------------------

JOBS_LOCK_SPACE = 0x6A6F62  # "job": the first key of the workers' advisory locks


def new_worker_id() -> str:
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _lock_key(worker_id: str) -> int:
    return int.from_bytes(uuid.uuid5(uuid.NAMESPACE_OID, worker_id).bytes[:4], "big", signed=True)


class Liveness:
    """Tells whether a worker is alive. On PostgreSQL a worker holds an advisory lock on a
    connection of its own for as long as it lives: the server drops the lock the moment the
    process dies (SIGKILL included), so a worker that can take that lock knows its holder is
    gone. On SQLite (one machine) the worker's process id is checked."""

    def __init__(self, worker_id: str) -> None:
        self.worker_id = worker_id
        self._held: Any = None

    def hold(self) -> None:
        if connection.vendor != "postgresql" or self._held is not None:
            return
        held = connection.get_new_connection(connection.get_connection_params())
        held.autocommit = True
        held.execute(
            "SELECT pg_advisory_lock(%s, %s)", (JOBS_LOCK_SPACE, _lock_key(self.worker_id))
        )
        self._held = held

    def still_held(self) -> bool:
        """Whether the lock is still ours. A dropped connection (PostgreSQL restarted, a
        network blip) frees it: then others may judge this worker dead and run its job."""
        if self._held is None:
            return connection.vendor != "postgresql"
        try:
            self._held.execute("SELECT 1")
        except Exception:
            self._held = None
            return False
        return True

    def release(self) -> None:
        if self._held is not None:
            self._held.close()
            self._held = None

    @staticmethod
    def alive(worker_id: str) -> bool:
        if connection.vendor == "postgresql":
            # On a connection of its own: never inside the caller's transaction or session.
            key = (JOBS_LOCK_SPACE, _lock_key(worker_id))
            probe = connection.get_new_connection(connection.get_connection_params())
            try:
                probe.autocommit = True
                (free,) = probe.execute("SELECT pg_try_advisory_lock(%s, %s)", key).fetchone()
            finally:
                probe.close()  # closing frees the lock if it was taken
            return not free
        host, _, rest = worker_id.partition(":")
        pid = rest.partition(":")[0]
        if host != socket.gethostname()[:32] or not pid.isdigit():
            return True  # another machine's worker: SQLite serves one machine; assume alive
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True


def recover(*, me: str = "") -> int:
    """Put back in the queue the jobs whose worker died while running them (or, after
    `MAX_ATTEMPTS` runs, mark them failed). Returns how many were put back or failed."""
    count = 0
    for result in DBTaskResult.objects.filter(status="RUNNING").only("id", "worker_ids"):
        worker = result.worker_ids[-1] if result.worker_ids else ""
        if worker == me or (worker and Liveness.alive(worker)):
            continue
        with transaction.atomic():
            locked = (
                DBTaskResult.objects.select_for_update()
                .filter(pk=result.pk, status="RUNNING")
                .first()
            )
            if locked is None or (locked.worker_ids[-1:] or [""])[0] != worker:
                continue
            runs = len(locked.worker_ids)
            job = Job.objects.filter(task_id=str(locked.pk)).first()
            if runs >= MAX_ATTEMPTS:
                message = WORKER_LOST.format(n=runs)
                locked.set_failed(RuntimeError(message))
                if job is not None and not job.finished:
                    _fail(job, message)
                    if job.input:  # the asker's upload is not kept for a job that is over
                        job.input.delete(save=False)
                        Job.objects.filter(pk=job.pk).update(input="")
                log.error(
                    "job task %s: worker %s died; failed after %d runs", locked.pk, worker, runs
                )
            else:
                locked.status = "READY"
                locked.save(update_fields=["status"])
                if job is not None and not job.finished:
                    job.state = JobState.QUEUED
                    job.error = RETRYING.format(n=runs + 1)
                    job.save(update_fields=["state", "error"])
                log.warning("job task %s: worker %s died; queued again", locked.pk, worker)
            count += 1
    return count


@dataclass(frozen=True)
class Scheduled:
    name: str
    kind: str
    at: time  # local time of day
    title: str


#: The jobs the workers start by themselves, once a day each.
SCHEDULE = (
    Scheduled("tallies", "tallies_advance", time(1, 30), "Cập nhật số liệu tổng hợp theo tháng"),
    Scheduled("purge", "jobs_purge", time(2, 30), "Dọn tệp kết quả của các việc cũ"),
    Scheduled("reminders", "rounds_remind", time(7, 0), "Nhắc các đơn vị đến hạn, quá hạn báo cáo"),
)
#: A worker that starts after an occurrence was missed (the machine was off) still runs it
#: within this time; an older one is skipped for the next.
GRACE = timedelta(hours=12)


def latest_due(entry: Scheduled, now: datetime) -> datetime:
    local = timezone.localtime(now)
    due = local.replace(hour=entry.at.hour, minute=entry.at.minute, second=0, microsecond=0)
    return due if due <= local else due - timedelta(days=1)


def start_scheduled(now: datetime | None = None) -> list[Job]:
    """Submit every scheduled job that is due and not yet started by any worker."""
    now = now or timezone.now()
    started = []
    for entry in SCHEDULE:
        due = latest_due(entry, now)
        if now - due > GRACE or ScheduledRun.objects.filter(name=entry.name, due_at=due).exists():
            continue
        try:
            with transaction.atomic():
                claimed = ScheduledRun.objects.create(name=entry.name, due_at=due)
                job = submit(
                    entry.kind, actor=None, title=entry.title, params={"due": due.isoformat()}
                )
                claimed.job = job
                claimed.save(update_fields=["job"])
        except IntegrityError:
            continue  # another worker claimed it first
        started.append(job)
    return started


#: Files of finished jobs (exports, reports) are kept this long; the jobs themselves longer.
KEEP_FILES = timedelta(days=7)
KEEP_JOBS = timedelta(days=90)


def purge(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    files = 0
    for job in Job.objects.filter(finished_at__lt=now - KEEP_FILES).exclude(file=""):
        job.file.delete(save=False)
        Job.objects.filter(pk=job.pk).update(file="")
        files += 1
    # Uploads of jobs that are over, or that no worker took for a week.
    stale_inputs = Job.objects.exclude(input="").filter(
        Q(finished_at__isnull=False) | Q(created_at__lt=now - KEEP_FILES)
    )
    for job in stale_inputs:
        job.input.delete(save=False)
        Job.objects.filter(pk=job.pk).update(input="")
        files += 1
    old_jobs = Job.objects.filter(finished_at__lt=now - KEEP_JOBS)
    for job in old_jobs.exclude(file=""):
        job.file.delete(save=False)
    jobs, _ = old_jobs.delete()
    tasks, _ = DBTaskResult.objects.filter(
        status__in=["SUCCESSFUL", "FAILED"], finished_at__lt=now - KEEP_FILES
    ).delete()
    ScheduledRun.objects.filter(due_at__lt=now - KEEP_JOBS).delete()
    return {"files": files, "jobs": jobs, "tasks": tasks}
