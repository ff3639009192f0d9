"""dangvu bench assessment — the whole province takes a quick assessment at once.

The production server (`dangvu serve`: Granian, production settings, behind a TLS proxy as
far as Django can tell) runs on PostgreSQL, and N members (default 27,210, the province on
30/06/2023) go through the real HTTP API in three measured bursts:

  join     every member, already signed in on their phone, joins with the short code
           (POST /api/v1/join), which answers with their token and question set;
  answer   every member answers their questions, each saved as it is chosen
           (PUT /api/v1/attempts/<token>/answers/<question>);
  submit   every member submits (POST /api/v1/attempts/<token>/submit).

`noop_per_s` is the same server's throughput on an endpoint that does nothing, measured in
the same run with the same client, so ratios hold on a noisy machine. `lost` counts
acknowledged answers and submissions missing (or different) in the database afterwards.

Then the fault test (skip with --no-fault): another assessment for --fault-members members;
the server is killed with SIGKILL (the whole process group) in the middle of the answer
burst and again in the middle of the submit burst, restarted, and the clients retry what
was not acknowledged; every acknowledged answer must be there and nothing counted twice.

The last line printed is one JSON object.

Usage: dangvu bench assessment [--members N] [--questions 20] [--connections 64]
                               [--workers W] [--fault-members 2000] [--no-fault]
Runs on PostgreSQL: DANGVU_DATABASE_URL if it names one, else the throwaway database
postgresql://postgres@127.0.0.1:5432/dangvu_bench (created if missing).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, TextIO

sys.path.insert(0, str(Path(__file__).parent))
from _common import guard, percentile, rerun_on_postgres
from _http import Connection, Lost

BENCH_DATABASE = "postgresql://postgres@127.0.0.1:5432/dangvu_bench"
PROVINCE_MEMBERS = 27_210
CSRF = "benchbenchbenchbenchbenchbench00"  # a CSRF secret of the right shape (32 characters)
GIVE_UP_S = 180.0


def parse(args: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="dangvu bench assessment")
    parser.add_argument("--members", type=int, default=PROVINCE_MEMBERS)
    parser.add_argument("--questions", type=int, default=20)
    parser.add_argument("--connections", type=int, default=64, help="client connections")
    parser.add_argument("--workers", type=int, default=0, help="server workers (as serve)")
    parser.add_argument("--fault-members", type=int, default=2000)
    parser.add_argument("--no-fault", action="store_true")
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args(list(args))


def ensure_postgres(args: Sequence[str]) -> None:
    """Re-run this benchmark on the throwaway PostgreSQL database unless one is set."""
    rerun_on_postgres("assessment", BENCH_DATABASE, args)


# -- the server ---------------------------------------------------------------------------


class Server:
    """`dangvu serve` in its own process group, so a SIGKILL takes all of it down at once."""

    def __init__(self, port: int, workers: int, log: Path) -> None:
        from django.conf import settings

        self.port, self.workers, self.log = port, workers, log
        self.process: subprocess.Popen[bytes] | None = None
        self.env = {
            **os.environ,
            "DANGVU_SECRET_KEY": settings.SECRET_KEY,
            "DANGVU_ACCESS_LOG": os.environ.get("DANGVU_ACCESS_LOG", "off"),
            "DANGVU_ALLOWED_HOSTS": "127.0.0.1",
        }
        self.env.pop("DANGVU_INSECURE_DEMO", None)
        self.env.pop("DANGVU_DEBUG", None)

    def start(self) -> float:
        started = time.perf_counter()
        command = [sys.executable, "-m", "dangvu.cli", "serve", "--port", str(self.port)]
        if self.workers:
            command += ["--workers", str(self.workers)]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"The server stopped at start; see {self.log}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2):
                    return time.perf_counter() - started
            except OSError:
                time.sleep(0.1)
        raise SystemExit(f"The server did not answer within 120 s; see {self.log}")

    def kill(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# -- the clients --------------------------------------------------------------------------


@dataclass
class Member:
    member_id: int
    session_key: str
    token: str
    questions: list[tuple[int, list[int]]] = field(default_factory=list)


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    retries: int = 0
    acks: int = 0
    samples: list[str] = field(default_factory=list)

    def error(self, what: str) -> None:
        self.errors += 1
        if len(self.samples) < 5:
            self.samples.append(what[:300])


class Load:
    """C client connections working through a list of jobs; failed connections retry."""

    def __init__(self, port: int, connections: int) -> None:
        self.port, self.connections = port, connections
        self.stats = Stats()
        self.headers = {"X-Forwarded-Proto": "https", "Content-Type": "application/json"}

    async def call(
        self, conn: Connection, method: str, path: str, body: bytes = b"", headers: str = ""
    ) -> tuple[int, bytes]:
        delay, waited = 0.02, 0.0
        while True:
            try:
                status, data, seconds = await conn.request(method, path, body, headers)
            except Lost:
                self.stats.retries += 1
                if waited > GIVE_UP_S:
                    raise
                await asyncio.sleep(delay)
                waited += delay
                delay = min(0.5, delay * 2)
                continue
            if status == 503:  # backlog full while restarting: retry
                self.stats.retries += 1
                await asyncio.sleep(delay)
                continue
            self.stats.latencies.append(seconds)
            return status, data

    async def run(
        self, jobs: Sequence[Any], handler: Callable[[Connection, Any], Awaitable[None]]
    ) -> float:
        queue = iter(jobs)

        async def worker() -> None:
            conn = Connection("127.0.0.1", self.port, self.headers)
            for job in queue:
                await handler(conn, job)
            conn.close()

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(self.connections)))
        return time.perf_counter() - started


@dataclass
class Acks:
    answers: dict[tuple[str, int], list[int]] = field(default_factory=dict)
    submissions: dict[str, tuple[str, int | None]] = field(default_factory=dict)


class Province:
    """The members' side of one assessment."""

    def __init__(
        self,
        load: Load,
        port: int,
        members: list[Member],
        correct: dict[int, set[int]],
        rng: random.Random,
        code: str,
    ) -> None:
        self.load, self.port, self.members, self.code = load, port, members, code
        self.correct, self.rng = correct, rng
        self.acks = Acks()
        self.origin = f"Origin: https://127.0.0.1:{port}\r\nX-CSRFToken: {CSRF}\r\n"

    async def join(self, conn: Connection, member: Member) -> None:
        status, data = await self.load.call(
            conn,
            "POST",
            "/api/v1/join",
            b'{"code": "%s"}' % self.code.encode(),
            f"Cookie: sessionid={member.session_key}; csrftoken={CSRF}\r\n{self.origin}",
        )
        payload = json.loads(data) if status == 200 else {}
        if payload.get("token") != member.token or not payload.get("questions"):
            self.load.stats.error(f"join {status} {data[:200]!r}")
            return
        member.questions = [
            (q["id"], [o["id"] for o in q["options"]]) for q in payload["questions"]
        ]
        self.load.stats.acks += 1

    def choose(self, question: int, options: list[int]) -> list[int]:
        if self.rng.random() < 0.8:  # most members understood
            return sorted(self.correct[question])
        return [self.rng.choice(options)]

    async def answer(self, conn: Connection, job: tuple[Member, int, list[int]]) -> None:
        member, question, chosen = job
        status, data = await self.load.call(
            conn,
            "PUT",
            f"/api/v1/attempts/{member.token}/answers/{question}",
            json.dumps({"options": chosen}).encode(),
        )
        if status == 200 and b'"saved": true' in data:
            self.acks.answers[(member.token, question)] = chosen
            self.load.stats.acks += 1
        else:
            self.load.stats.error(f"answer {status} {data[:200]!r}")

    async def submit(self, conn: Connection, member: Member) -> None:
        status, data = await self.load.call(conn, "POST", f"/api/v1/attempts/{member.token}/submit")
        if status != 200:
            self.load.stats.error(f"submit {status} {data[:200]!r}")
            return
        payload = json.loads(data)
        if member.token not in self.acks.submissions:
            self.acks.submissions[member.token] = (payload["submitted_at"], payload.get("correct"))
        self.load.stats.acks += 1

    def answer_jobs(self) -> list[tuple[Member, int, list[int]]]:
        """Question by question across the hall: each member answers in order."""
        jobs = []
        longest = max((len(m.questions) for m in self.members), default=0)
        for number in range(longest):
            for member in self.members:
                if number < len(member.questions):
                    question, options = member.questions[number]
                    jobs.append((member, question, self.choose(question, options)))
        return jobs


async def fault_phase(
    load: Load,
    server: Server,
    jobs: Sequence[Any],
    handler: Callable[[Connection, Any], Awaitable[None]],
    kill_at: int,
) -> tuple[float, float]:
    """Run the jobs; SIGKILL the server when `kill_at` of them are acknowledged, restart it
    at once. Returns (phase seconds, seconds the server was down)."""
    down = 0.0

    async def killer() -> None:
        nonlocal down
        start = load.stats.acks
        while load.stats.acks - start < kill_at:
            await asyncio.sleep(0.005)
        server.kill()
        down = await asyncio.to_thread(server.start)

    kill = asyncio.create_task(killer())
    seconds = await load.run(jobs, handler)
    await kill
    return seconds, down


# -- the data -----------------------------------------------------------------------------


def prepare(count: int, questions: int, title: str, seed: int) -> tuple[Any, list[Member], float]:
    """An open assessment for the province with `count` signed-in members ready."""
    from django.contrib.auth.hashers import make_password
    from django.db.models import Count
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from dangvu.accounts.models import User
    from dangvu.accounts.models import UserSession as Session
    from dangvu.accounts.sessions import SessionStore
    from dangvu.assessments import services
    from dangvu.assessments.models import Attempt
    from dangvu.core.bulk import analyze
    from dangvu.documents.models import Document

    document = (
        Document.objects.annotate(n=Count("questions"))
        .filter(n__gte=questions)
        .order_by("-n")
        .first()
    )
    if document is None:
        raise SystemExit(f"No document has a bank of {questions} questions.")
    now = timezone.now()
    assessment = services.assessment_save(
        spec=services.AssessmentSpec(
            title=title,
            document=document,
            unit=province_today(),
            opens_at=now - timedelta(minutes=1),
            closes_at=now + timedelta(hours=6),
            question_count=questions,
            time_limit_minutes=240,
        )
    )
    started = time.perf_counter()
    expected = services.assessment_open(assessment=assessment, seed=seed)
    open_s = time.perf_counter() - started
    if expected < count:
        raise SystemExit(f"The province has {expected} members; ask for at most that many.")
    attempts = list(
        Attempt.objects.filter(assessment=assessment)
        .order_by("?")
        .values_list("member_id", "token")[:count]
    )
    users = dict(
        User.objects.filter(member_id__in=[m for m, _ in attempts]).values_list("member_id", "pk")
    )
    missing = [m for m, _ in attempts if m not in users]
    unusable = make_password(None)
    User.objects.bulk_create(
        [User(username=f"bench-{m}", member_id=m, password=unusable) for m in missing],
        batch_size=5000,
    )
    users = {u.member_id: u for u in User.objects.filter(member_id__in=[m for m, _ in attempts])}
    store = SessionStore()
    expires = now + timedelta(days=1)
    sessions, members = [], []
    for member_id, token in attempts:
        user = users[member_id]
        key = get_random_string(32)
        data = {
            "_auth_user_id": str(user.pk),
            "_auth_user_backend": "dangvu.accounts.backends.ModelBackend",
            "_auth_user_hash": user.get_session_auth_hash(),
        }
        sessions.append(
            Session(
                session_key=key,
                session_data=store.encode(data),
                expire_date=expires,
                user_id=user.pk,
            )
        )
        members.append(Member(member_id, key, token))
    Session.objects.bulk_create(sessions, batch_size=5000)
    analyze()
    return assessment, members, open_s


def forget_earlier_runs() -> None:
    """Earlier runs' assessments, attempts, answers and sessions: each run starts alike."""
    from dangvu.accounts.models import UserSession as Session
    from dangvu.assessments.models import Answer, Assessment, Attempt

    earlier = Assessment.objects.filter(title__startswith="Đo hiệu năng")
    Answer.objects.filter(attempt__assessment__in=earlier).delete()
    Attempt.objects.filter(assessment__in=earlier).delete()
    earlier.delete()
    Session.objects.all().delete()


def province_today() -> Any:
    """The root of the tree today (Lâm Đồng since the 2025 merger, in the demo)."""
    from django.db.models.functions import Length
    from django.utils import timezone

    from dangvu.core.effective import active_on
    from dangvu.units.models import UnitVersion

    day = timezone.localdate()
    return UnitVersion.objects.filter(active_on(day)).order_by(Length("path"), "path").first().unit


def verify(assessment: Any, acks: Acks) -> tuple[int, int]:
    """(lost, doubled): acknowledged writes missing or different in the database, and
    anything counted twice (a second scoring, an answer kept twice)."""
    from dangvu.assessments.models import Answer, Attempt

    stored: dict[tuple[str, int], list[int]] = {}
    rows = 0
    for token, question, options in Answer.objects.filter(
        attempt__assessment=assessment
    ).values_list("attempt__token", "question_id", "options"):
        stored[(token, question)] = options
        rows += 1
    lost = sum(1 for key, options in acks.answers.items() if stored.get(key) != options)
    doubled = rows - len(stored)
    attempts = {
        token: (submitted_at, correct)
        for token, submitted_at, correct in Attempt.objects.filter(
            assessment=assessment
        ).values_list("token", "submitted_at", "correct")
    }
    for token, (submitted_at, count) in acks.submissions.items():
        row = attempts.get(token)
        if row is None or row[0] is None:
            lost += 1
            continue
        if row[0].isoformat() != submitted_at or (count is not None and row[1] != count):
            doubled += 1  # scored again after it was acknowledged
    return lost, doubled


def rescored(assessment: Any) -> int:
    """Submitted attempts whose stored score differs from their stored answers."""
    from dangvu.assessments.models import Answer, Attempt

    correct = {int(q): set(v["correct"]) for q, v in assessment.snapshot.items()}
    right: dict[int, int] = {}
    for attempt_id, question, options in Answer.objects.filter(
        attempt__assessment=assessment, attempt__submitted_at__isnull=False
    ).values_list("attempt_id", "question_id", "options"):
        right[attempt_id] = right.get(attempt_id, 0) + (set(options) == correct[question])
    wrong = 0
    for attempt_id, count in Attempt.objects.filter(
        assessment=assessment, submitted_at__isnull=False
    ).values_list("id", "correct"):
        wrong += right.get(attempt_id, 0) != count
    return wrong


# -- the run ------------------------------------------------------------------------------


def main(args: list[str], out: TextIO) -> None:
    options = parse(args)
    ensure_postgres(args)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from dangvu.demo.generator import build_demo

    # One production key for the server and for the sessions made here for its members.
    settings.SECRET_KEY = secrets.token_urlsafe(50)
    call_command("migrate", verbosity=0)
    guard()
    out.write(f"# quick assessment — PostgreSQL {connection.pg_version // 10000}\n")  # type: ignore[attr-defined]
    seconds = time.perf_counter()
    build_demo(seed=2018)
    out.write(f"demo data ready in {time.perf_counter() - seconds:.1f} s\n")
    forget_earlier_runs()
    rng = random.Random(options.seed)
    assessment, members, open_s = prepare(
        options.members,
        options.questions,
        f"Đo hiệu năng {time.strftime('%H:%M:%S')}",
        options.seed,
    )
    out.write(
        f"opened for {assessment.attempts.count():,} members (sets drawn, {options.questions} "
        f"questions each) in {open_s:.1f} s; {len(members):,} members take part\n"
    )
    out.flush()
    port = free_port()
    log = Path(tempfile.mkdtemp(prefix="dangvu-bench-")) / "server.log"
    server = Server(port, options.workers, log)
    boot = server.start()
    out.write(f"server up in {boot:.1f} s (log: {log})\n")
    result: dict[str, Any] = {"members": len(members)}
    try:
        result.update(asyncio.run(measured(options, server, port, assessment, members, rng, out)))
        if not options.no_fault:
            result.update(asyncio.run(fault(options, server, port, rng, out)))
    finally:
        server.stop()
    out.write(json.dumps(result) + "\n")


async def measured(
    options: argparse.Namespace,
    server: Server,
    port: int,
    assessment: Any,
    members: list[Member],
    rng: random.Random,
    out: TextIO,
) -> dict[str, Any]:
    from dangvu.assessments.services import correct_of

    load = Load(port, options.connections)
    correct = await asyncio.to_thread(correct_of, assessment)
    province = Province(load, port, members, correct, rng, assessment.code)
    noop_jobs = range(max(20_000, len(members)))

    async def noop(conn: Connection, _: int) -> None:
        status, _ = await load.call(conn, "GET", "/api/v1/noop")
        if status != 200:
            load.stats.error(f"noop {status}")

    noop_s = await load.run(noop_jobs, noop)
    noop_per_s = len(noop_jobs) / noop_s
    out.write(f"noop: {len(noop_jobs):,} requests in {noop_s:.1f} s, {noop_per_s:,.0f}/s\n")
    load.stats.latencies.clear()

    join_s = await load.run(members, province.join)
    out.write(
        f"join: {len(members):,} members in {join_s:.1f} s, {len(members) / join_s:,.0f}/s "
        f"(token and question set in one request each)\n"
    )
    out.flush()
    jobs = province.answer_jobs()
    answer_s = await load.run(jobs, province.answer)
    out.write(f"answer: {len(jobs):,} answers in {answer_s:.1f} s, {len(jobs) / answer_s:,.0f}/s\n")
    out.flush()
    submit_s = await load.run(members, province.submit)
    out.write(f"submit: {len(members):,} in {submit_s:.1f} s, {len(members) / submit_s:,.0f}/s\n")
    lost, doubled = await asyncio.to_thread(verify, assessment, province.acks)
    wrong = await asyncio.to_thread(rescored, assessment)
    stats = load.stats
    ms = [s * 1000 for s in stats.latencies]
    out.write(
        f"latency over the three bursts: p50 {percentile(ms, 0.5):.1f} ms, p99 "
        f"{percentile(ms, 0.99):.1f} ms, max {max(ms):.1f} ms; errors {stats.errors}, "
        f"retries {stats.retries}, lost {lost}, doubled {doubled}, scores not matching answers {wrong}\n"
    )
    for sample in stats.samples:
        out.write(f"  error: {sample}\n")
    return {
        "joins_per_s": round(len(members) / join_s, 1),
        "answers_per_s": round(len(jobs) / answer_s, 1),
        "submissions_per_s": round(len(members) / submit_s, 1),
        "p50_ms": round(percentile(ms, 0.5), 1),
        "p99_ms": round(percentile(ms, 0.99), 1),
        "errors": stats.errors + stats.retries,
        "lost": lost + doubled + wrong,
        "noop_per_s": round(noop_per_s, 1),
    }


async def fault(
    options: argparse.Namespace, server: Server, port: int, rng: random.Random, out: TextIO
) -> dict[str, Any]:
    from dangvu.assessments.services import correct_of

    assessment, members, _ = await asyncio.to_thread(
        prepare, options.fault_members, options.questions, "Đo hiệu năng — sự cố", options.seed + 1
    )
    load = Load(port, options.connections)
    correct = await asyncio.to_thread(correct_of, assessment)
    province = Province(load, port, members, correct, rng, assessment.code)
    await load.run(members, province.join)
    jobs = province.answer_jobs()
    _, down_answers = await fault_phase(load, server, jobs, province.answer, len(jobs) // 2)
    _, down_submit = await fault_phase(load, server, members, province.submit, len(members) // 2)
    lost, doubled = await asyncio.to_thread(verify, assessment, province.acks)
    wrong = await asyncio.to_thread(rescored, assessment)
    out.write(
        f"fault: {len(members):,} members, server killed (SIGKILL) mid-answers and mid-submit, "
        f"back in {down_answers:.1f} s and {down_submit:.1f} s; {load.stats.retries} retried "
        f"requests; {len(province.acks.answers):,} answers and {len(province.acks.submissions):,} "
        f"submissions acknowledged; lost {lost}, doubled {doubled}, scores not matching {wrong}, "
        f"errors {load.stats.errors}\n"
    )
    for sample in load.stats.samples:
        out.write(f"  error: {sample}\n")
    return {
        "fault_members": len(members),
        "fault_retries": load.stats.retries,
        "fault_errors": load.stats.errors,
        "fault_lost": lost,
        "fault_doubled": doubled + wrong,
    }
