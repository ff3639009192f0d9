"""`dangvu worker`: runs the queued jobs (django-tasks' database worker) and keeps house —
every `HOUSEKEEPING` seconds it puts back the jobs of workers that died, and starts the
scheduled jobs that are due."""

from __future__ import annotations

import logging
import os
import signal
import threading
import time

from django.db import close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Worker

from dangvu.jobs import services

log = logging.getLogger("dangvu.jobs")

HOUSEKEEPING = 15.0  # seconds


class JobWorker(Worker):
    def __init__(self, *, interval: float = 1.0, batch: bool = False, max_tasks: int | None = None):
        super().__init__(
            queue_names=["*"],
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=False,
            max_tasks=max_tasks,
            worker_id=services.new_worker_id(),
            excluded_queue_names=[],
        )
        self.liveness = services.Liveness(self.worker_id)
        parent = os.environ.get("DANGVU_WORKER_PARENT", "")
        self.parent = int(parent) if parent.isdigit() else 0
        self._stop = threading.Event()

    def housekeep(self) -> None:
        if not self.liveness.still_held():
            # Others may now take this worker for dead and run its job again: stop here
            # (the job being run is finished first; systemd starts a fresh worker).
            log.error("worker %s lost its liveness lock; stopping", self.worker_id)
            os.kill(os.getpid(), signal.SIGTERM)
            return
        try:
            recovered = services.recover(me=self.worker_id)
            started = services.start_scheduled()
        except Exception:  # a busy SQLite file, a dropped connection: try again next time
            log.warning(
                "worker %s: housekeeping failed; retried later", self.worker_id, exc_info=True
            )
            return
        if recovered or started:
            log.info(
                "worker %s: %d jobs put back, %d scheduled", self.worker_id, recovered, len(started)
            )

    def _housekeeping_loop(self) -> None:
        while not self._stop.wait(HOUSEKEEPING):
            if self.parent and os.getppid() != self.parent:
                # Started beside another process (`dangvu demo`) that has ended: end too.
                log.info("worker %s: its parent process ended; stopping", self.worker_id)
                os.kill(os.getpid(), signal.SIGTERM)
                return
            close_old_connections()
            self.housekeep()
        connection.close()

    def run(self) -> None:
        self.liveness.hold()
        self.housekeep()
        close_old_connections()
        thread = None
        if not self.batch:
            thread = threading.Thread(
                target=self._housekeeping_loop, daemon=True, name="housekeeping"
            )
            thread.start()
        started = time.monotonic()
        try:
            super().run()
        finally:
            self._stop.set()
            self.liveness.release()
            log.info("worker %s stopped after %.0f s", self.worker_id, time.monotonic() - started)
