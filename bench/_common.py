"""Shared by the benchmark scripts: refuse to touch a database that holds real data."""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from django.db import connection


def guard() -> None:
    from dangvu.demo.generator import current_state, has_data

    if has_data() and current_state() is None:
        raise SystemExit(
            "Benchmarks rebuild the demo data: run them on an empty or demo database "
            "(DANGVU_DATA_DIR=/tmp/bench or DANGVU_DATABASE_URL=.../dangvu_bench)."
        )


def signed_in_client(username: str) -> Any:
    """A test client signed in as `username` the way the pages sign people in, two-factor
    sign-in included (required outside the demo for the provincial officers): the account
    gets an authenticator app and the session the device's mark, as after a right code."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from dangvu.accounts.models import User

    user = User.objects.get(username=username)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def header(out: TextIO, title: str) -> None:
    out.write(f"# {title} — database: {connection.vendor}\n")


def summary(values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return (
        f"n={len(ms)} median={statistics.median(ms):.1f} ms p95={percentile(ms, 0.95):.1f} ms "
        f"max={max(ms):.1f} ms"
    )


def rerun_on_postgres(verb: str, database: str, args: Sequence[str]) -> None:
    """Re-run `dangvu bench <verb>` on the throwaway PostgreSQL `database` (created if
    missing) unless the configured database is PostgreSQL already."""
    if connection.vendor == "postgresql":
        return
    import psycopg

    name = database.rsplit("/", 1)[1]
    with psycopg.connect(database.rsplit("/", 1)[0] + "/postgres", autocommit=True) as pg:
        if not pg.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            pg.execute(f'CREATE DATABASE "{name}"')
    os.environ["DANGVU_DATABASE_URL"] = database
    os.execv(sys.executable, [sys.executable, "-m", "dangvu.cli", "bench", verb, *args])
