"""dangvu bench replica — the province's report pages read during an assessment burst, once
from the primary and once from a streaming replica.

Runs on PostgreSQL (DANGVU_DATABASE_URL if it names one, else the throwaway database
postgresql://postgres@127.0.0.1:5432/dangvu_replica_bench, created if missing). Builds the
demo, then copies the cluster into a hot standby (`dangvu.core.standby`: `pg_basebackup -R`,
`pg_ctl` on a free port; the cluster must allow replication connections from 127.0.0.1,
`scripts/ensure-replication`). Then twice — the production server (`dangvu serve`) without
`DANGVU_REPLICA_URL`, then with it naming the standby:

  idle    the provincial organisation officer opens the province's indicator page
          (/so-lieu/?don_vi=DN) and the JSON of the province's summary report, R times each;
  burst   M members take a quick assessment (join, answers, submit: `bench assessment`'s
          bursts over the token API, which stays on the primary) while the officer reads
          the same two pages again and again, one after the other, until the burst ends.

It prints each phase, and last one JSON line: report latencies (median, p95, ms) idle and
during the burst on each side, the burst's own rates, and whether the replica side did read
from the replica (transactions counted on the standby, no fall back in the server's log).

On one machine the standby shares the cores with the primary, the server and the load:
what it shows there is that the reads move and nothing breaks, not the relief a replica on
its own machine gives. For that, name a real replica with --replica-url (it must replicate
the bench database: the same cluster).

Usage: dangvu bench replica [--members 3000] [--questions 20] [--connections 64]
                            [--readers 2] [--idle 10] [--workers W] [--replica-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any, TextIO

sys.path.insert(0, str(Path(__file__).parent))
import assessment as burst
from _common import guard, percentile, rerun_on_postgres
from _http import Connection, Lost

BENCH_DATABASE = "postgresql://postgres@127.0.0.1:5432/dangvu_replica_bench"
OFFICER = "tochuc.tinh"


def parse(args: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="dangvu bench replica")
    parser.add_argument("--members", type=int, default=3000)
    parser.add_argument("--questions", type=int, default=20)
    parser.add_argument("--connections", type=int, default=64, help="members' connections")
    parser.add_argument("--readers", type=int, default=2, help="the officer's connections")
    parser.add_argument("--idle", type=int, default=10, help="reads of each page, no burst")
    parser.add_argument("--workers", type=int, default=0, help="server workers (as serve)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--replica-url", default="", help="an existing replica (else a local one)")
    return parser.parse_args(list(args))


def ensure_postgres(args: Sequence[str]) -> None:
    """Re-run this benchmark on the throwaway PostgreSQL database unless one is set."""
    rerun_on_postgres("replica", BENCH_DATABASE, args)


def officer_session() -> str:
    """A session of the provincial organisation officer, two-factor mark included (the
    production server requires it of a province-wide account)."""
    from django.utils import timezone
    from django.utils.crypto import get_random_string
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from dangvu.accounts.models import User
    from dangvu.accounts.models import UserSession as Session
    from dangvu.accounts.sessions import SessionStore

    user = User.objects.get(username=OFFICER)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    key = get_random_string(32)
    data = {
        "_auth_user_id": str(user.pk),
        "_auth_user_backend": "dangvu.accounts.backends.ModelBackend",
        "_auth_user_hash": user.get_session_auth_hash(),
        DEVICE_ID_SESSION_KEY: device.persistent_id,
    }
    Session.objects.create(
        session_key=key,
        session_data=SessionStore().encode(data),
        expire_date=timezone.now() + timedelta(days=1),
        user_id=user.pk,
    )
    return key


def report_pages() -> list[str]:
    from dangvu.reports.models import SummaryReport
    from dangvu.units.models import Unit

    pages = ["/so-lieu/?don_vi=DN"]
    summary = SummaryReport.objects.filter(unit=Unit.objects.get(code="DN")).first()
    if summary is not None:
        pages.append(f"/bao-cao/{summary.pk}/bao-cao.json")
    return pages


class Reader:
    """The officer, reading the report pages over keep-alive connections."""

    def __init__(self, port: int, session: str, pages: list[str]) -> None:
        self.port, self.pages = port, pages
        self.headers = f"Cookie: sessionid={session}\r\n"
        self.times: dict[str, list[float]] = {page: [] for page in pages}
        self.errors: list[str] = []

    async def read(self, conn: Connection, page: str) -> None:
        try:
            status, data, seconds = await conn.request("GET", page, b"", self.headers)
        except Lost as error:
            self.errors.append(f"{page} lost: {error}")
            return
        if status != 200:
            self.errors.append(f"{page} {status} {data[:200]!r}")
            return
        self.times[page].append(seconds)

    def connection(self) -> Connection:
        return Connection("127.0.0.1", self.port, {"X-Forwarded-Proto": "https"})

    async def idle(self, rounds: int) -> None:
        conn = self.connection()
        for page in self.pages:  # warm the templates and the connection
            await self.read(conn, page)
        self.times = {page: [] for page in self.pages}
        for _ in range(rounds):
            for page in self.pages:
                await self.read(conn, page)
        conn.close()

    async def until(self, done: asyncio.Event, readers: int) -> None:
        async def one() -> None:
            conn = self.connection()
            while not done.is_set():
                for page in self.pages:
                    await self.read(conn, page)
            conn.close()

        self.times = {page: [] for page in self.pages}
        await asyncio.gather(*(one() for _ in range(readers)))

    def summary(self) -> dict[str, dict[str, float | int]]:
        out = {}
        for page, times in self.times.items():
            ms = [t * 1000 for t in times]
            name = "so_lieu" if page.startswith("/so-lieu/") else "report_json"
            out[name] = {
                "n": len(ms),
                "median_ms": round(statistics.median(ms), 1) if ms else -1,
                "p95_ms": round(percentile(ms, 0.95), 1) if ms else -1,
            }
        return out


async def phase(
    options: argparse.Namespace, port: int, rng: random.Random, title: str, out: TextIO
) -> dict[str, Any]:
    from dangvu.assessments.services import correct_of

    assessment, members, _ = await asyncio.to_thread(
        burst.prepare, options.members, options.questions, title, options.seed
    )
    session = await asyncio.to_thread(officer_session)
    pages = await asyncio.to_thread(report_pages)
    reader = Reader(port, session, pages)
    await reader.idle(options.idle)
    idle = reader.summary()

    load = burst.Load(port, options.connections)
    correct = await asyncio.to_thread(correct_of, assessment)
    province = burst.Province(load, port, members, correct, rng, assessment.code)
    done = asyncio.Event()

    async def members_burst() -> tuple[float, float, float]:
        try:
            join_s = await load.run(members, province.join)
            jobs = province.answer_jobs()
            answer_s = await load.run(jobs, province.answer)
            submit_s = await load.run(members, province.submit)
            return join_s, answer_s, submit_s
        finally:
            done.set()

    reading = asyncio.create_task(reader.until(done, options.readers))
    join_s, answer_s, submit_s = await members_burst()
    await reading
    during = reader.summary()
    answers = sum(len(m.questions) for m in members)
    result = {
        "idle": idle,
        "burst": during,
        "answers_per_s": round(answers / answer_s, 1),
        "joins_per_s": round(len(members) / join_s, 1),
        "submissions_per_s": round(len(members) / submit_s, 1),
        "burst_s": round(join_s + answer_s + submit_s, 1),
        "errors": load.stats.errors + len(reader.errors),
    }
    out.write(f"  {json.dumps(result)}\n")
    for sample in [*load.stats.samples, *reader.errors[:5]]:
        out.write(f"  error: {sample}\n")
    out.flush()
    return result


def replica_transactions(url: str) -> int:
    import psycopg

    with psycopg.connect(url, autocommit=True) as pg:
        row = pg.execute(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database "
            "WHERE datname = current_database()"
        ).fetchone()
    return int(row[0]) if row else 0


def main(args: list[str], out: TextIO) -> None:
    options = parse(args)
    ensure_postgres(args)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from dangvu.core.standby import LocalStandby
    from dangvu.demo.generator import build_demo

    settings.SECRET_KEY = secrets.token_urlsafe(50)  # the server's and these sessions'
    call_command("migrate", verbosity=0)
    guard()
    version = connection.pg_version // 10000  # type: ignore[attr-defined]
    out.write(f"# report reads during an assessment burst — PostgreSQL {version}\n")
    started = time.perf_counter()
    build_demo(seed=2018)
    burst.forget_earlier_runs()
    out.write(f"demo data ready in {time.perf_counter() - started:.1f} s\n")
    result: dict[str, Any] = {"members": options.members, "questions": options.questions}
    logs = Path(tempfile.mkdtemp(prefix="dangvu-bench-replica-"))
    standby = None
    url = options.replica_url
    try:
        if not url:
            started = time.perf_counter()
            standby = LocalStandby(connection.settings_dict)
            connection.close()
            standby.start()
            name = connection.settings_dict["NAME"]
            url = f"postgresql://{standby.user}@127.0.0.1:{standby.port}/{name}"
            out.write(
                f"local replica (pg_basebackup of the cluster, started, caught up) in "
                f"{time.perf_counter() - started:.1f} s on port {standby.port}\n"
            )
        result["replica_local"] = standby is not None
        out.flush()
        rng = random.Random(options.seed)
        for side in ("primary", "replica"):
            if side == "replica":
                os.environ["DANGVU_REPLICA_URL"] = url
                before = replica_transactions(url)
            port = burst.free_port()
            log = logs / f"server-{side}.log"
            server = burst.Server(port, options.workers, log)
            server.start()
            out.write(f"{side}: server up (log: {log})\n")
            try:
                result[side] = asyncio.run(
                    phase(options, port, rng, f"Đo hiệu năng bản sao {side}", out)
                )
            finally:
                server.stop()
                os.environ.pop("DANGVU_REPLICA_URL", None)
            if side == "replica":
                result["replica_transactions"] = replica_transactions(url) - before
                result["replica_fallback_logged"] = "Read replica not used" in log.read_text()
    finally:
        if standby is not None:
            standby.remove()
    out.write(json.dumps(result) + "\n")
