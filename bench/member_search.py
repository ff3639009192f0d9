"""dangvu bench member_search — latency of N accent-insensitive member searches (median and
p95), by the provincial organisation officer and by the central administrator.

Usage: DANGVU_DATA_DIR=/tmp/bench dangvu bench member_search [N] [--scale K] [--reuse]

- N (100): the number of queries (the last two words of a name, or four letters of the
  given name, drawn from the members).
- --scale K (PostgreSQL): after building the demo, copy its tree, members and memberships
  K times with SQL (each copy a province of its own: new unit ids, codes and card numbers,
  the names kept), so that K=167 gives 5.6 million members.
- --reuse: measure the database as it is (a demo built, and scaled, by an earlier run).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import TextIO

sys.path.insert(0, str(Path(__file__).parent))
from _common import guard, header, signed_in_client, summary, timed

READERS = ("tochuc.tinh", "quantri")

#: Copies of the demo (a unit id + k*UNIT_STEP, a member id + k*MEMBER_STEP).
UNIT_STEP = 10_000
MEMBER_STEP = 100_000
SCALE_SQL = [
    f"""INSERT INTO units_unit (id, code, founded_on, dissolved_on)
    SELECT u.id + k * {UNIT_STEP}, u.code || '-' || k, u.founded_on, u.dissolved_on
    FROM units_unit u, generate_series(1, %(k)s) k WHERE u.id < {UNIT_STEP}""",
    f"""INSERT INTO units_unitversion (valid_from, valid_to, name, kind, path, depth,
      name_search, name_sort, parent_id, unit_id)
    SELECT v.valid_from, v.valid_to, v.name, v.kind,
      '/' || array_to_string(ARRAY(
        SELECT (x::bigint + k * {UNIT_STEP})::text
        FROM unnest(string_to_array(trim(both '/' from v.path), '/')) WITH ORDINALITY t(x, o)
        ORDER BY o), '/') || '/',
      v.depth, v.name_search, v.name_sort, v.parent_id + k * {UNIT_STEP},
      v.unit_id + k * {UNIT_STEP}
    FROM units_unitversion v, generate_series(1, %(k)s) k WHERE v.unit_id < {UNIT_STEP}""",
    f"""INSERT INTO members_member (id, card_number, full_name, birth_date, gender, joined_on,
      full_member_on, management_level, is_committee_member, is_exempt, left_on, name_search,
      name_sort)
    SELECT m.id + k * {MEMBER_STEP}, lpad(k::text, 3, '0') || m.card_number, m.full_name,
      m.birth_date, m.gender, m.joined_on, m.full_member_on, m.management_level,
      m.is_committee_member, m.is_exempt, m.left_on, m.name_search, m.name_sort
    FROM members_member m, generate_series(1, %(k)s) k WHERE m.id < {MEMBER_STEP}""",
    f"""INSERT INTO members_membership (valid_from, valid_to, reason_in, reason_out,
      member_id, unit_id)
    SELECT ms.valid_from, ms.valid_to, ms.reason_in, ms.reason_out,
      ms.member_id + k * {MEMBER_STEP}, ms.unit_id + k * {UNIT_STEP}
    FROM members_membership ms, generate_series(1, %(k)s) k
    WHERE ms.member_id < {MEMBER_STEP}""",
    "SELECT setval(pg_get_serial_sequence('units_unit', 'id'), (SELECT max(id) FROM units_unit))",
    "SELECT setval(pg_get_serial_sequence('members_member', 'id'), "
    "(SELECT max(id) FROM members_member))",
]


def scale(copies: int, out: TextIO) -> None:
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        raise SystemExit("--scale needs PostgreSQL")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM units_unit")
        if (cursor.fetchone()[0] or 0) >= UNIT_STEP:
            raise SystemExit("the demo is already scaled")
        for statement in SCALE_SQL:
            seconds, _ = timed(lambda s=statement: cursor.execute(s, {"k": copies}))
            out.write(f"  {statement.split()[0:3]} {seconds:.1f} s\n")
    with connection.cursor() as cursor:
        for table in ("units_unit", "units_unitversion", "members_member", "members_membership"):
            cursor.execute(f"VACUUM ANALYZE {table}")


def main(args: list[str], out: TextIO) -> None:
    from django.core.management import call_command

    from dangvu.accounts.models import User
    from dangvu.accounts.scope import today
    from dangvu.demo.generator import build_demo
    from dangvu.lib.vietnamese import fold
    from dangvu.members.models import Member
    from dangvu.members.selectors import member_search

    options = [a for a in args if a.startswith("--")]
    numbers = [a for a in args if not a.startswith("--")]
    copies = int(args[args.index("--scale") + 1]) if "--scale" in args else 0
    if copies:
        numbers.remove(str(copies))
    n = int(numbers[0]) if numbers else 100
    guard()
    if "--reuse" not in options:
        build_demo(seed=2018)
        call_command("collectstatic", interactive=False, verbosity=0)  # pages link hashed files
        if copies:
            scale(copies, out)
    header(out, "member search")
    out.write(f"members: {Member.objects.count():,}\n")
    rng = random.Random(7)
    names = list(Member.objects.filter(pk__lt=MEMBER_STEP).values_list("full_name", flat=True))
    queries = []
    for _ in range(n):
        words = fold(rng.choice(names)).split()
        queries.append(" ".join(words[-2:]) if rng.random() < 0.6 else words[-1][:4])
    day = today()
    for username in READERS:
        client = signed_in_client(username)
        user = User.objects.get(username=username)
        pages, selector = [], []
        for q in queries:
            seconds, _ = timed(
                lambda q=q, u=user: list(member_search(user=u, query=q, day=day)[:51])
            )
            selector.append(seconds)
            seconds, response = timed(
                lambda q=q, c=client: c.get(
                    "/dang-vien/", {"q": q}, secure=True, HTTP_HOST="127.0.0.1"
                )
            )
            assert response.status_code == 200
            pages.append(seconds)
        out.write(f"{username}: selector (query only): {summary(selector)}\n")
        out.write(f"{username}: whole page (HTTP, rendering): {summary(pages)}\n")
