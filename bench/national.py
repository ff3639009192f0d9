"""dangvu bench national — a country at national scale on PostgreSQL, and what its pages cost.

Generates (with COPY, see _national_gen.py) N provinces of a realistic spread holding M
members in all (defaults: 34 provinces, 5,600,000 members, about one grassroots
organisation per 108 members and the cells beneath), five years of the annual cycle,
monthly meetings, inspection cases, supervisions and the 2025 merger of part of the
provinces; then measures, as issue 17 asks:

  province_report_ms        the largest province's report over the programme's period
                            (JSON, as `dangvu report --org CODE --format json`), median of 3
  province_report_ms_alone  the same, in a second database holding only that province
  national_report_ms        every indicator of the programme for every province at once
                            (`figures` over all the roots), median of 3
  indicator_page_p95_ms     /so-lieu/?don_vi=<province> by each province's officer
  search_p95_ms             /dang-vien/?q=... (accent-insensitive prefixes of real names),
                            by province officers and by the central administrator
  unit_page_p95_ms          /to-chuc/<code>/ of units at every level, by the officers
  tree_page_p95_ms          /to-chuc/ by the central administrator
  import_s, import_peak_mb  `dangvu import` of one more province's workbook (generated in
                            the second database and exported with `dangvu export --org`),
                            in a subprocess: wall time and peak RSS
  generate_s                the generation, ANALYZE included

The last line printed is one JSON object.

Usage: dangvu bench national [--provinces 34] [--members 5600000] [--seed 2025]
                             [--reuse] [--skip-alone] [--skip-import] [--samples 40]
Runs on PostgreSQL: DANGVU_DATABASE_URL if it names one, else the throwaway database
postgresql://postgres@127.0.0.1:5432/dangvu_bench_national (created if missing). The
database must be empty or hold an earlier run of this bench (it is emptied first; with
--reuse and the same options, the data is kept). The second database is the first one's
name with the suffix _alone (dropped and made again).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, TextIO

sys.path.insert(0, str(Path(__file__).parent))
import _national_gen as gen
from _common import percentile, signed_in_client

BENCH_DATABASE = "postgresql://postgres@127.0.0.1:5432/dangvu_bench_national"
STATE_VERSION = "national"
PASSWORD = "bench-national-2025"
ROLES_FROM = date(2018, 1, 1)
NOT_OURS = (
    "dangvu bench national empties the database it runs on: it holds data that is not an "
    "earlier run of this bench. Use an empty database (DANGVU_DATABASE_URL=.../dangvu_bench_national)."
)


def parse(args: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="dangvu bench national")
    parser.add_argument("--provinces", type=int, default=34)
    parser.add_argument("--members", type=int, default=5_600_000)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--samples", type=int, default=40, help="searches and unit pages")
    parser.add_argument("--reuse", action="store_true", help="keep data of the same options")
    parser.add_argument("--skip-alone", action="store_true")
    parser.add_argument("--skip-import", action="store_true")
    # Internal: the second database's run (one province alone, the workbook to import).
    parser.add_argument("--side", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--alone-index", type=int, default=-1, help=argparse.SUPPRESS)
    parser.add_argument("--extra-file", default="", help=argparse.SUPPRESS)
    options = parser.parse_args(list(args))
    if options.provinces < 1 or options.members < 100 * options.provinces:
        parser.error("--provinces ≥ 1 and at least 100 members per province")
    return options


def database_url() -> str:
    from django.db import connection

    s = connection.settings_dict
    return f"postgresql://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def ensure_postgres(args: Sequence[str]) -> None:
    """Re-run on the throwaway PostgreSQL database unless PostgreSQL is configured."""
    from django.db import connection

    if connection.vendor == "postgresql":
        create_database(database_url(), drop=False)  # a throwaway database may be named
        return
    sys.stderr.write(
        "dangvu bench national runs on PostgreSQL only (COPY, national sizes); using "
        f"{BENCH_DATABASE}\n"
    )
    create_database(BENCH_DATABASE, drop=False)
    os.environ["DANGVU_DATABASE_URL"] = BENCH_DATABASE
    os.execv(sys.executable, [sys.executable, "-m", "dangvu.cli", "bench", "national", *args])


def create_database(url: str, *, drop: bool) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as pg:
        if drop:
            pg.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not pg.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            pg.execute(f'CREATE DATABASE "{name}"')


def wanted_summary(options: argparse.Namespace, plans: list[gen.ProvincePlan]) -> dict[str, Any]:
    return {
        "provinces": options.provinces,
        "members": options.members,
        "seed": options.seed,
        "codes": [p.code for p in plans],
    }


def prepare(options: argparse.Namespace, plans: list[gen.ProvincePlan]) -> float | None:
    """Empty the database (an earlier run's) and generate; None when --reuse kept it."""
    from dangvu.demo.generator import current_state, has_data, wipe
    from dangvu.demo.models import DemoState

    state = current_state()
    summary = wanted_summary(options, plans)
    if has_data():
        if state is None or state.version != STATE_VERSION:
            raise SystemExit(NOT_OURS)
        complete = state.summary.get("complete", False)
        if options.reuse and complete and {k: state.summary.get(k) for k in summary} == summary:
            gen.log("--reuse: the database holds this country already")
            return None
        gen.log("emptying the earlier run's data")
        wipe()
    # Marked first: a run stopped halfway leaves data this bench may empty again.
    state = DemoState.objects.create(
        seed=options.seed, version=STATE_VERSION, summary={**summary, "complete": False}
    )
    started = time.perf_counter()
    stats = gen.generate(plans, seed=options.seed, today=today())
    accounts(plans)
    seconds = time.perf_counter() - started
    state.summary = {
        **summary,
        "complete": True,
        "rows": stats.rows,
        "generate_s": round(seconds, 1),
    }
    state.seconds = round(seconds, 2)
    state.save()
    rate = stats.total / seconds
    gen.log(f"generated {stats.total:,} rows in {seconds:.0f} s ({rate:,.0f} rows/s): {stats.rows}")
    return seconds


def today() -> date:
    from dangvu.accounts.scope import today as today_fn

    return today_fn()


def officer(code: str) -> str:
    return f"tochuc.{code.lower()}"


ADMIN = "quantri.quocgia"


def accounts(plans: list[gen.ProvincePlan]) -> None:
    """The central administrator and an organisation officer of each province."""
    from dangvu.accounts import services
    from dangvu.accounts.models import Department
    from dangvu.accounts.services import AccountSpec, RoleSpec
    from dangvu.units.models import Unit

    units = Unit.objects.in_bulk([p.code for p in plans], field_name="code")
    specs = [AccountSpec(ADMIN, PASSWORD, "Quản trị hệ thống Trung ương", is_admin=True)]
    specs += [
        AccountSpec(
            officer(p.code),
            PASSWORD,
            f"Chuyên viên Ban Tổ chức Tỉnh ủy {p.name}",
            roles=(
                RoleSpec(
                    units[p.code], Department.ORGANISATION, ROLES_FROM, "Chuyên viên Ban Tổ chức"
                ),
            ),
        )
        for p in plans
    ]
    services.accounts_create(accounts=specs, check_password=False)


# -- measurements ----------------------------------------------------------------------------
def report_ms(code: str, repeats: int = 3) -> tuple[float, dict[str, Any]]:
    """`dangvu report --org CODE --format json`, in-process: median ms and the JSON."""
    from dangvu.indicators.cli import resolve_period, resolve_programme, resolve_unit
    from dangvu.indicators.disclosure import Viewer
    from dangvu.indicators.selectors import report_for
    from dangvu.reports import generate
    from dangvu.reports.models import SummaryReport

    times, content = [], b""
    for _ in range(repeats):
        started = time.perf_counter()
        programme = resolve_programme("")
        period = resolve_period(programme)
        unit = resolve_unit(code, period)
        summary = SummaryReport.objects.filter(
            programme=programme, unit=unit, period=period.label
        ).order_by("-updated_at").first() or generate.draft(
            unit=unit, period=period, programme=programme
        )
        operator = Viewer.operator()
        data = report_for(unit=unit, period=period, prog=programme, viewer=operator)
        content = generate.render(summary, "json", viewer=operator, data=data)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), json.loads(content)


def national_ms(repeats: int = 3) -> float:
    """Every indicator of the programme for every province (the roots) at once."""
    from dangvu.indicators.cli import resolve_period, resolve_programme
    from dangvu.indicators.disclosure import Viewer
    from dangvu.indicators.selectors import figures
    from dangvu.units.models import Unit, UnitVersion

    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        programme = resolve_programme("")
        period = resolve_period(programme)
        roots = list(
            Unit.objects.filter(
                pk__in=UnitVersion.objects.as_of(period.last_day).roots().values("unit_id")
            )
        )
        indicators = [i for g in programme.groups.all() for i in g.indicators.all()]
        figures(viewer=Viewer.operator(), targets=roots, period=period, indicators=indicators)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def get_ms(client: Any, url: str, params: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    response = client.get(url, params or {}, secure=True, HTTP_HOST="127.0.0.1")
    seconds = time.perf_counter() - started
    assert response.status_code == 200, (url, params, response.status_code)
    return seconds * 1000


def largest(plans: list[gen.ProvincePlan]) -> gen.ProvincePlan:
    return max(plans, key=lambda p: p.own_members)


def pages(plans: list[gen.ProvincePlan], samples: int, out: TextIO) -> dict[str, float]:
    from django.core.management import call_command

    from dangvu.lib.vietnamese import fold
    from dangvu.members.models import Member
    from dangvu.units.models import UnitVersion

    call_command("collectstatic", interactive=False, verbosity=0)  # pages link hashed files
    rng = random.Random(7)
    shown = plans if len(plans) <= 8 else sorted(plans, key=lambda p: -p.members)[:8]
    clients = {p.code: signed_in_client(officer(p.code)) for p in shown}
    admin = signed_in_client(ADMIN)
    indicator = [get_ms(clients[p.code], "/so-lieu/", {"don_vi": p.code}) for p in shown]
    # Names of members of the shown provinces (a sample by id, not a scan of the country).
    names: list[tuple[str, str]] = []
    for p in shown:
        first = Member.objects.filter(card_number__startswith=f"{10 + p.index:02d}0")
        ids = list(first.order_by("pk").values_list("pk", flat=True)[:1])
        if ids:
            names += [
                (p.code, n)
                for n in Member.objects.filter(pk__gte=ids[0], pk__lt=ids[0] + 500).values_list(
                    "full_name", flat=True
                )
            ]
    searches_officer, searches_admin = [], []
    for _ in range(samples):
        code, name = rng.choice(names)
        words = fold(name).split()
        q = " ".join(w[: rng.randint(2, len(w))] if len(w) > 2 else w for w in words[-2:])
        searches_officer.append(get_ms(clients[code], "/dang-vien/", {"q": q}))
        searches_admin.append(get_ms(admin, "/dang-vien/", {"q": q}))
    units: list[tuple[str, str]] = []
    for p in shown:
        root = UnitVersion.objects.as_of(today()).filter(unit__code=p.code).first()
        assert root is not None
        below = list(
            UnitVersion.objects.as_of(today())
            .filter(path__startswith=root.path)
            .order_by("pk")
            .values_list("unit__code", "depth")[:3000]
        )
        for depth in range(4):
            at = [c for c, d in below if d == depth]
            units += [(p.code, c) for c in rng.sample(at, min(len(at), max(1, samples // 10)))]
    unit_pages = [get_ms(clients[p], f"/to-chuc/{c}/") for p, c in units]
    tree = [get_ms(admin, "/to-chuc/") for _ in range(max(3, samples // 4))]

    def line(label: str, values: list[float]) -> str:
        return (
            f"{label}: n={len(values)} median {statistics.median(values):.0f} ms, "
            f"p95 {percentile(values, 0.95):.0f} ms, max {max(values):.0f} ms\n"
        )

    out.write(line("indicator page /so-lieu/ (province officers)", indicator))
    out.write(line("member search /dang-vien/ (province officer)", searches_officer))
    out.write(line("member search /dang-vien/ (central administrator)", searches_admin))
    out.write(line("unit page /to-chuc/<code>/", unit_pages))
    out.write(line("tree /to-chuc/ (central administrator)", tree))
    return {
        "indicator_page_p95_ms": percentile(indicator, 0.95),
        "search_p95_ms": percentile(searches_officer + searches_admin, 0.95),
        "search_officer_p95_ms": percentile(searches_officer, 0.95),
        "search_admin_p95_ms": percentile(searches_admin, 0.95),
        "unit_page_p95_ms": percentile(unit_pages, 0.95),
        "tree_page_p95_ms": percentile(tree, 0.95),
    }


def side_run(options: argparse.Namespace, plans: list[gen.ProvincePlan], out: TextIO) -> None:
    """In the second database: the largest province alone (its report measured), then one
    more province exported as a workbook for the import measurement."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    result: dict[str, Any] = {}
    if options.alone_index >= 0:
        plan = plans[options.alone_index]
        gen.generate([plan], seed=options.seed, today=today())
        ms, _ = report_ms(plan.code)
        result["province_report_ms_alone"] = round(ms, 1)
    if options.extra_file:
        extra = extra_plan(options, plans)
        gen.generate([extra], seed=options.seed, today=today())
        started = time.perf_counter()
        call_command("workbook_export", options.extra_file, org=extra.code, verbosity=0)
        result["export_s"] = round(time.perf_counter() - started, 1)
        result["extra_code"] = extra.code
        result["extra_members"] = extra.members
    out.write(json.dumps(result) + "\n")


def extra_plan(options: argparse.Namespace, plans: list[gen.ProvincePlan]) -> gen.ProvincePlan:
    """One more province, the country's median size, with codes of its own."""
    size = sorted(p.members for p in plans)[len(plans) // 2]
    index = len(plans)
    return gen.ProvincePlan(index=index, code=f"T{index + 1:02d}", name="Bổ sung", members=size)


def side(options: argparse.Namespace, url: str, alone: int, extra_file: str) -> dict[str, Any]:
    args = [
        "--side",
        "--provinces",
        str(options.provinces),
        "--members",
        str(options.members),
        "--seed",
        str(options.seed),
        "--alone-index",
        str(alone),
    ]
    if extra_file:
        args += ["--extra-file", extra_file]
    create_database(url, drop=True)
    env = {**os.environ, "DANGVU_DATABASE_URL": url}
    done = subprocess.run(
        [sys.executable, "-m", "dangvu.cli", "bench", "national", *args],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


# Runs the import as its only child and prints that child's peak RSS (KiB) last.
PEAK_WRAPPER = (
    "import resource, subprocess, sys; "
    "done = subprocess.run(sys.argv[1:]); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
    "sys.exit(done.returncode)"
)


def import_run(path: str) -> tuple[float, float, str]:
    """`dangvu import FILE` into this database in a subprocess: seconds, peak MB, output.
    The peak is the import process's own (a wrapper whose only child it is), not that of
    the bench's other children."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", PEAK_WRAPPER, sys.executable, "-m", "dangvu.cli", "import", path],
        env={**os.environ, "DANGVU_DATABASE_URL": database_url()},
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"import failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    peak_kib = int(done.stderr.strip().splitlines()[-1])
    return seconds, peak_kib / 1024, done.stdout.strip().splitlines()[-1]


def main(args: list[str], out: TextIO) -> None:
    options = parse(args)
    ensure_postgres(args)
    from django.core.management import call_command
    from django.db import connection

    plans = gen.country(options.provinces, options.members, options.seed)
    if options.side:
        side_run(options, plans, out)
        return
    call_command("migrate", verbosity=0)
    out.write(
        f"# national scale — PostgreSQL {connection.pg_version // 10000}, "  # type: ignore[attr-defined]
        f"{options.provinces} provinces, {options.members:,} members\n"
    )
    generate_s = prepare(options, plans)
    if generate_s is None:
        from dangvu.demo.generator import current_state

        state = current_state()
        generate_s = float(state.summary.get("generate_s", 0)) if state else 0.0
    big = largest(plans)
    result: dict[str, Any] = {
        "provinces": options.provinces,
        "members": options.members,
        "largest_province": big.code,
        "largest_province_members": big.own_members,
        "generate_s": round(generate_s, 1),
    }
    from dangvu.demo.generator import current_state

    state = current_state()
    rows = state.summary.get("rows", {}) if state else {}
    result["rows"] = sum(rows.values())
    result["generate_rows_per_s"] = round(result["rows"] / generate_s) if generate_s else 0
    out.write(f"generated: {rows} in {generate_s:.0f} s\n")
    ms, report = report_ms(big.code)
    result["province_report_ms"] = round(ms, 1)
    result["province_report_members"] = report["indicators"].get("org.members")
    out.write(
        f"report of {big.code} ({big.own_members:,} members, JSON): median {ms:.0f} ms; "
        f"org.members = {result['province_report_members']}\n"
    )
    result["national_report_ms"] = round(national_ms(), 1)
    out.write(f"national figures (every province): median {result['national_report_ms']:.0f} ms\n")
    result.update({k: round(v, 1) for k, v in pages(plans, options.samples, out).items()})
    url = database_url() + "_alone"
    extra_file = ""
    if not options.skip_import:
        extra_file = str(Path(tempfile.mkdtemp(prefix="dangvu-national-")) / "province.xlsx")
    result["province_report_ms_alone"] = None
    result["import_s"] = result["import_peak_mb"] = None
    if not options.skip_alone or extra_file:
        alone = -1 if options.skip_alone else big.index
        got = side(options, url, alone, extra_file)
        result["province_report_ms_alone"] = got.get("province_report_ms_alone")
        if result["province_report_ms_alone"]:
            out.write(
                f"the same report, {big.code} alone in its database: "
                f"{result['province_report_ms_alone']:.0f} ms "
                f"({result['province_report_ms'] / result['province_report_ms_alone']:.2f}×)\n"
            )
        if extra_file:
            seconds, peak, said = import_run(extra_file)
            result["import_s"] = round(seconds, 1)
            result["import_peak_mb"] = round(peak)
            result["import_members"] = got["extra_members"]
            out.write(
                f"import of one more province ({got['extra_members']:,} members, exported in "
                f"{got['export_s']:.0f} s): {seconds:.1f} s, peak {peak:.0f} MB — {said}\n"
            )
            Path(extra_file).unlink(missing_ok=True)
    out.write(json.dumps(result, ensure_ascii=False) + "\n")
