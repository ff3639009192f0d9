"""Build the Đắk Nông demo data set: deterministic for a seed, idempotent, fast.

`build_demo` runs every registered step (see `registry.py`) inside one transaction with
the audit trail off (the demo is not anybody's change) and records a `DemoState`.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import date

from auditlog.context import disable_auditlog
from django.apps import apps
from django.db import connection, transaction
from django.utils.module_loading import autodiscover_modules

from dangvu.core.bulk import analyze
from dangvu.core.errors import DomainError
from dangvu.demo.models import DemoState
from dangvu.demo.registry import DemoContext, ordered_steps
from dangvu.indicators import services_tallies as tallies

VERSION = "16"  # bump when the demo data changes
NOT_DEMO_DATA = (
    "Cơ sở dữ liệu đã có dữ liệu không phải dữ liệu mẫu. Dùng một thư mục dữ liệu khác "
    "(DANGVU_DATA_DIR) hoặc --fresh để xóa và tạo lại."
)


def load_steps() -> None:
    """Import every app's `demo` module so its steps register (and this app's own)."""
    from dangvu.demo import accounts, people, reorganisation, tree  # noqa: F401

    autodiscover_modules("demo")


def current_state() -> DemoState | None:
    return DemoState.objects.order_by("-pk").first()


def has_data() -> bool:
    from dangvu.units.models import Unit

    return Unit.objects.exists()


def wipe() -> None:
    """Delete every row of dangvu's tables (and accounts), keeping the shipped reference
    data (the indicator catalogue): the demo database only."""
    # Reference data shipped with the app (the indicator catalogue) is not demo data.
    keep = {
        "contenttypes.ContentType",
        "auth.Permission",
        "indicators.Programme",
        "indicators.IndicatorGroup",
        "indicators.Indicator",
        "reviews.RatingScheme",
        "reviews.RatingGrade",
        "inspection.DisciplineRule",
        "inspection.DisciplineForm",
        "meetings.MeetingRule",
    }
    tables = [
        m._meta.db_table
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and m._meta.label not in keep
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "TRUNCATE " + ", ".join(connection.ops.quote_name(t) for t in tables) + " CASCADE"
            )
        else:
            cursor.execute("PRAGMA defer_foreign_keys = ON")
            for table in tables:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")


def build_demo(
    *,
    seed: int = 2018,
    fresh: bool = False,
    today: date | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> tuple[DemoState, bool]:
    """Build the demo unless this seed's demo is already there. Returns (state, built)."""
    load_steps()
    state = current_state()
    if not fresh and state is not None and state.seed == seed:
        if state.version == VERSION:
            return state, False
        fresh = True  # the same demo, built by an older dangvu: build it again
    if not fresh and has_data():
        raise DomainError(
            NOT_DEMO_DATA
            if state is None
            else f"Cơ sở dữ liệu đang có dữ liệu mẫu khác (seed {state.seed}); dùng --fresh."
        )
    started = time.perf_counter()
    if fresh:
        progress("Xóa dữ liệu cũ")
        wipe()
    from dangvu.accounts.scope import today as today_fn

    ctx = DemoContext(seed=seed, rng=random.Random(seed), today=today or today_fn())
    with transaction.atomic(), disable_auditlog():
        for step in ordered_steps():
            progress(step.label)
            step.run(ctx)
        progress("Tổng hợp số liệu các tháng đã qua")
        tallies.rebuild(today=ctx.today)
        state = DemoState.objects.create(
            seed=seed,
            version=VERSION,
            summary=ctx.summary,
            seconds=round(time.perf_counter() - started, 2),
        )
    analyze()
    return state, True
