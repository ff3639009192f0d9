"""A streaming replica of the local PostgreSQL cluster, for the replica tests and bench.

`LocalStandby` copies the running cluster with `pg_basebackup -R -X stream` into a temporary
directory, starts it with `pg_ctl` on a free port (its socket in that directory too) and
removes it afterwards. The cluster must allow a replication connection of `postgres` from
127.0.0.1 (`scripts/ensure-replication`). Run as root, the PostgreSQL programs run as the
`postgres` system user (the server refuses root), and the directory belongs to it.

Not used by the app itself: an installation's replica is the operator's (docs/operations.md).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import psycopg

HBA_HINT = (
    "PostgreSQL refused the replication connection: run scripts/ensure-replication "
    "(pg_hba.conf: host replication postgres 127.0.0.1/32 trust)."
)
#: Settings a hot standby must hold at least as high as its primary.
AT_LEAST_PRIMARY = (
    "max_connections",
    "max_worker_processes",
    "max_wal_senders",
    "max_prepared_transactions",
    "max_locks_per_transaction",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LocalStandby:
    """A hot standby of the primary described by `primary` (a Django settings dict)."""

    def __init__(self, primary: dict[str, Any], *, port: int | None = None) -> None:
        self.primary = primary
        self.host = primary.get("HOST") or "127.0.0.1"
        self.primary_port = int(primary.get("PORT") or 5432)
        self.user = primary.get("USER") or "postgres"
        self.port = port or free_port()
        self.root = Path(tempfile.mkdtemp(prefix="dangvu-replica-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.bin = self._bindir()

    # -- the processes ------------------------------------------------------------------

    def _primary_dsn(self, dbname: str | None = None) -> str:
        name = dbname or self.primary["NAME"]
        return f"host={self.host} port={self.primary_port} user={self.user} dbname={name}"

    def dsn(self, dbname: str | None = None) -> str:
        name = dbname or self.primary["NAME"]
        return f"host=127.0.0.1 port={self.port} user={self.user} dbname={name}"

    def _bindir(self) -> Path:
        with psycopg.connect(self._primary_dsn(), autocommit=True) as pg:
            row = pg.execute("SHOW server_version_num").fetchone()
        assert row is not None
        major = int(row[0]) // 10000
        debian = Path(f"/usr/lib/postgresql/{major}/bin")
        if (debian / "pg_ctl").exists():
            return debian
        found = shutil.which("pg_ctl")
        if found is None:
            raise RuntimeError("pg_ctl is not installed")
        return Path(found).parent

    def _run(self, *command: str) -> subprocess.CompletedProcess[str]:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        return subprocess.run(
            [*prefix, *command], capture_output=True, text=True, check=False, timeout=600
        )

    def start(self) -> None:
        """Copy the cluster, configure the copy as a standby and start it."""
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        self.root.chmod(0o700)
        done = self._run(
            str(self.bin / "pg_basebackup"),
            *("-h", self.host, "-p", str(self.primary_port), "-U", self.user),
            *("-D", str(self.data), "-R", "-X", "stream", "-c", "fast", "--no-sync"),
        )
        if done.returncode != 0:
            hint = HBA_HINT if "pg_hba.conf" in done.stderr else ""
            raise RuntimeError(f"pg_basebackup failed: {done.stderr.strip()} {hint}".strip())
        with psycopg.connect(self._primary_dsn(), autocommit=True) as pg:
            floors = {
                name: pg.execute(f"SHOW {name}").fetchone()[0]  # type: ignore[index]
                for name in AT_LEAST_PRIMARY
            }
        lines = [
            f"port = {self.port}",
            "listen_addresses = '127.0.0.1'",
            f"unix_socket_directories = '{self.root}'",
            "hot_standby = on",
            "hot_standby_feedback = on",
            "fsync = off",
            *(f"{name} = {value}" for name, value in floors.items()),
        ]
        # Debian keeps the configuration outside the data directory: the copy has none.
        for name, text in {
            "postgresql.conf": "\n".join(lines) + "\n",
            "pg_hba.conf": "local all all trust\nhost all all 127.0.0.1/32 trust\n",
            "pg_ident.conf": "",
        }.items():
            path = self.data / name
            path.write_text(text)
            if os.geteuid() == 0:
                shutil.chown(path, "postgres", "postgres")
        self.run_server()

    def run_server(self) -> None:
        started = self._run(
            str(self.bin / "pg_ctl"),
            *("-D", str(self.data), "-l", str(self.log), "-w", "-t", "120", "start"),
        )
        if started.returncode != 0:
            tail = self.log.read_text()[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"the replica did not start: {started.stderr.strip()}\n{tail}")
        self.wait_caught_up()

    def stop_server(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        """Stop the server (if running) and delete the copy."""
        if (self.data / "postmaster.pid").exists():
            self.stop_server()
        shutil.rmtree(self.root, ignore_errors=True)

    # -- replay -------------------------------------------------------------------------

    def _replica(self) -> psycopg.Connection[Any]:
        return psycopg.connect(self.dsn(), autocommit=True, connect_timeout=5)

    def wait_caught_up(self, timeout: float = 60.0) -> None:
        """Until the replica has replayed everything the primary has written so far."""
        with psycopg.connect(self._primary_dsn(), autocommit=True) as pg:
            target = pg.execute("SELECT pg_current_wal_lsn()").fetchone()[0]  # type: ignore[index]
        deadline = time.monotonic() + timeout
        while True:
            try:
                with self._replica() as pg:
                    row = pg.execute(
                        "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]
                    ).fetchone()
                if row and row[0]:
                    return
            except psycopg.OperationalError:
                pass  # still starting
            if time.monotonic() > deadline:
                raise RuntimeError(f"the replica did not catch up in {timeout:g} s")
            time.sleep(0.1)

    def pause(self) -> None:
        """Stop replaying (it still receives WAL): the replica's data stands still."""
        with self._replica() as pg:
            pg.execute("SELECT pg_wal_replay_pause()")
            while pg.execute("SELECT pg_get_wal_replay_pause_state()").fetchone() != ("paused",):
                time.sleep(0.05)

    def resume(self) -> None:
        with self._replica() as pg:
            pg.execute("SELECT pg_wal_replay_resume()")

    def lag(self) -> float | None:
        """The lag as `dangvu.core.replica` measures it (seconds; None: unknown)."""
        from dangvu.core.replica import LAG_SQL

        with self._replica() as pg:
            row = pg.execute(LAG_SQL).fetchone()
        return None if row is None or row[1] is None else float(row[1])

    def alias(self) -> dict[str, Any]:
        """Django settings of the replica's connection (same database name and user)."""
        return {
            **self.primary,
            "HOST": "127.0.0.1",
            "PORT": self.port,
            "OPTIONS": {**self.primary.get("OPTIONS", {}), "connect_timeout": 2},
            "TEST": {},
        }
