"""dangvu bench member_search — latency of 100 accent-insensitive member searches by the
provincial organisation officer over the whole demo province (median and p95).

Usage: DANGVU_DATA_DIR=/tmp/bench dangvu bench member_search [N]
"""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import TextIO

sys.path.insert(0, str(Path(__file__).parent))
from _common import guard, header, signed_in_client, summary, timed


def main(args: list[str], out: TextIO) -> None:
    from django.core.management import call_command

    from dangvu.accounts.models import User
    from dangvu.demo.generator import build_demo
    from dangvu.lib.vietnamese import fold
    from dangvu.members.models import Member

    guard()
    build_demo(seed=2018)
    call_command("collectstatic", interactive=False, verbosity=0)  # pages link hashed files
    header(out, "member search")
    n = int(args[0]) if args else 100
    rng = random.Random(7)
    names = list(Member.objects.values_list("full_name", flat=True)[:30000])
    queries = []
    for _ in range(n):
        words = fold(rng.choice(names)).split()
        queries.append(" ".join(words[-2:]) if rng.random() < 0.6 else words[-1][:4])
    client = signed_in_client("tochuc.tinh")
    pages, selector = [], []
    from dangvu.accounts.scope import today
    from dangvu.members.selectors import member_search

    user = User.objects.get(username="tochuc.tinh")
    for q in queries:
        seconds, _ = timed(lambda q=q: list(member_search(user=user, query=q, day=today())[:51]))
        selector.append(seconds)
        seconds, response = timed(
            lambda q=q: client.get("/dang-vien/", {"q": q}, secure=True, HTTP_HOST="127.0.0.1")
        )
        assert response.status_code == 200
        pages.append(seconds)
    out.write(f"selector (query only): {summary(selector)}\n")
    out.write(f"whole page (HTTP, rendering): {summary(pages)}\n")
