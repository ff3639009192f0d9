"""dangvu bench report — the province report over the programme's period (JSON, DOCX)
next to the hand-written SQL aggregate that computes the same figures; the ratio counts;
and the province's indicator page (/so-lieu/) as its organisation officer opens it.

Usage: DANGVU_DATA_DIR=/tmp/bench dangvu bench report [repeats]
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path
from typing import TextIO

sys.path.insert(0, str(Path(__file__).parent))
from _common import guard, header, signed_in_client, timed

SQL = """
SELECT
  (SELECT COUNT(*) FROM members_membership m
     JOIN units_unitversion v ON v.unit_id = m.unit_id AND v.valid_from <= %(day)s AND v.valid_to > %(day)s
    WHERE m.valid_from <= %(day)s AND m.valid_to > %(day)s AND v.path LIKE %(prefix)s),
  (SELECT COUNT(*) FROM units_unitversion v
    WHERE v.valid_from <= %(day)s AND v.valid_to > %(day)s AND v.path LIKE %(prefix)s AND v.kind = 'direct'),
  (SELECT COUNT(*) FROM units_unitversion v
    WHERE v.valid_from <= %(day)s AND v.valid_to > %(day)s AND v.path LIKE %(prefix)s
      AND v.kind IN ('grassroots_committee', 'grassroots_cell')),
  (SELECT COUNT(*) FROM units_unitversion v
    WHERE v.valid_from <= %(day)s AND v.valid_to > %(day)s AND v.path LIKE %(prefix)s
      AND v.kind = 'grassroots_committee'),
  (SELECT COUNT(*) FROM units_unitversion v
    WHERE v.valid_from <= %(day)s AND v.valid_to > %(day)s AND v.path LIKE %(prefix)s
      AND v.kind = 'grassroots_cell'),
  (SELECT COALESCE(SUM(value), 0) FROM indicators_enteredvalue WHERE unit_id = %(unit)s AND period = %(period)s)
"""


def main(args: list[str], out: TextIO) -> None:
    from django.db import connection

    from dangvu.accounts.models import User
    from dangvu.demo.generator import build_demo
    from dangvu.indicators.disclosure import Viewer
    from dangvu.indicators.models import Programme
    from dangvu.indicators.selectors import default_period, report_for
    from dangvu.reports import generate
    from dangvu.reports.models import SummaryReport
    from dangvu.units.models import Unit

    guard()
    build_demo(seed=2018)
    header(out, "province report over the programme's period")
    repeats = int(args[0]) if args else 5
    programme = Programme.objects.get(code="DA05")
    period = default_period(programme)
    unit = Unit.objects.get(code="DN")
    version = unit.version_on(period.last_day)
    assert version is not None
    summary = SummaryReport.objects.filter(
        unit=unit, period=period.label
    ).first() or generate.draft(unit=unit, period=period, programme=programme)
    params = {
        "day": period.last_day,
        "prefix": version.path + "%",
        "unit": unit.pk,
        "period": period.label,
    }

    def sql() -> tuple:
        with connection.cursor() as cursor:
            cursor.execute(SQL, params)
            return cursor.fetchone()

    operator = Viewer.operator()
    # A provincial officer who does not reach inspection records: small numbers withheld.
    officer = Viewer.of(User.objects.get(username="tuyengiao.tinh"))
    json_times, officer_times, docx_times, sql_times = [], [], [], []
    for _ in range(repeats):
        seconds, report = timed(
            lambda: report_for(unit=unit, period=period, prog=programme, viewer=operator)
        )
        json_times.append(seconds)
        seconds, _ = timed(
            lambda: report_for(unit=unit, period=period, prog=programme, viewer=officer)
        )
        officer_times.append(seconds)
        seconds, _ = timed(lambda: generate.render(summary, "docx", viewer=operator))
        docx_times.append(seconds)
        seconds, row = timed(sql)
        sql_times.append(seconds)
    figures = report.as_json()["indicators"]
    assert row[0] == figures["org.members"], (row, figures["org.members"])
    js, of, dx, sq = (
        statistics.median(t) for t in (json_times, officer_times, docx_times, sql_times)
    )
    out.write(f"report data + validation (JSON): median {js * 1000:.0f} ms over {repeats} runs\n")
    out.write(f"the same as an officer, small numbers withheld: median {of * 1000:.0f} ms\n")
    out.write(f"DOCX (data, validation, composition, footnotes): median {dx * 1000:.0f} ms\n")
    out.write(f"hand-written SQL aggregate of the computed figures: median {sq * 1000:.1f} ms\n")
    out.write(f"ratio report / SQL: {js / sq:.1f}×\n")
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # pages link hashed files
    client = signed_in_client("tochuc.tinh")
    page_times = []
    for _ in range(repeats + 1):
        seconds, response = timed(
            lambda: client.get("/so-lieu/", {"don_vi": "DN"}, secure=True, HTTP_HOST="127.0.0.1")
        )
        assert response.status_code == 200, response.status_code
        page_times.append(seconds)
    page = statistics.median(page_times[1:])  # the first request warms the templates
    out.write(f"indicator page /so-lieu/ (provincial officer): median {page * 1000:.0f} ms\n")
