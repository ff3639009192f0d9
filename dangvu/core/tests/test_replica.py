"""Read replicas for real: a streaming replica of the test cluster (`pg_basebackup -R`, then
`pg_ctl` on another port, `dangvu.core.standby`), made once the test database exists, and
the `replica` alias pointing at the same database on it for the length of a test.

What reaches which server is shown by the data, not by mocks: the replica's replay is paused
(`pg_wal_replay_pause()`), a row is written on the primary, and a page that reads from the
replica does not show it while one that reads from the primary does.

PostgreSQL only (skipped on SQLite), apart from the last test. The cluster must allow
replication connections from 127.0.0.1 (scripts/ensure-replication, run by .ci/run).
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from types import MethodType
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections, router, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangvu.conftest import World
from dangvu.core import replica
from dangvu.core.standby import LocalStandby
from dangvu.indicators.models import Programme
from dangvu.lib.periods import between
from dangvu.reports.models import SummaryReport
from dangvu.reports.services import summary_report_save

PERIOD = between(date(2018, 7, 5), date(2023, 6, 30))
CREATE = reverse("reports:create") + f"?de_an=DA05&ky={PERIOD.label}&don_vi=DN"
LIST = reverse("reports:list")

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a streaming replica needs PostgreSQL"
)


@pytest.fixture(scope="module")
def standby(django_db_setup: None, django_db_blocker: Any) -> Iterator[LocalStandby]:
    """One replica for these tests, copied after pytest-django made the test database
    (session-wide), removed when they are done."""
    if connection.vendor != "postgresql":
        pytest.skip("a streaming replica needs PostgreSQL")
    if (connection.settings_dict.get("HOST") or "127.0.0.1") not in {"127.0.0.1", "localhost"}:
        pytest.skip("the replica is copied from a PostgreSQL on this machine")
    server = LocalStandby(connection.settings_dict)
    try:
        server.start()
        yield server
    finally:
        server.remove()


@pytest.fixture
def standby_alias(
    standby: LocalStandby, live_world: World, settings: Any, django_db_blocker: Any
) -> Iterator[LocalStandby]:
    """The `replica` alias for one test (added after the test database's setup, removed
    before its flush), the world replayed, the health checked at every read."""
    settings.REPLICA_MAX_LAG = 3600
    settings.REPLICA_CHECK_INTERVAL = 0
    standby.wait_caught_up()
    connections.settings[replica.REPLICA] = standby.alias()
    # Django's test case refuses connections to aliases it did not set up (this one is
    # added after, and must not be flushed as a database of the test): this connection
    # opens as outside a test.
    wrapper = connections[replica.REPLICA]
    wrapper.ensure_connection = MethodType(django_db_blocker._real_ensure_connection, wrapper)  # type: ignore[method-assign]
    replica.forget_health()
    try:
        yield standby
    finally:
        if (standby.data / "postmaster.pid").exists():
            standby.resume()
        else:
            standby.run_server()
        connections[replica.REPLICA].close()
        del connections[replica.REPLICA]
        del connections.settings[replica.REPLICA]
        replica.forget_health()


def _report(world: World, title: str) -> SummaryReport:
    return summary_report_save(
        report=None,
        programme=Programme.objects.get(code="DA05"),
        unit=world.units["DN"],
        period=PERIOD,
        title=title,
        issuer="Tỉnh ủy",
        superior="Đảng bộ tỉnh Đắk Nông",
        number="371",
        symbol="BC/TU",
        place="Đắk Nông",
        issued_on=date(2023, 7, 21),
        signer_role="T/M BAN THƯỜNG VỤ",
        signer_title="PHÓ BÍ THƯ",
        signer_name="Lưu Văn Trung",
        recipients="- Ban Bí thư Trung ương Đảng.",
        section_iv_title="NHIỆM VỤ, GIẢI PHÁP",
        narrative={},
        actor=world.users["tochuc"],
    )


def _form(title: str) -> dict[str, str]:
    return {
        "title": title,
        "superior": "Đảng bộ tỉnh Đắk Nông",
        "issuer": "Tỉnh ủy",
        "number": "372",
        "symbol": "BC/TU",
        "place": "Đắk Nông",
        "issued_on": "21/07/2023",
        "signer_role": "T/M BAN THƯỜNG VỤ",
        "signer_title": "PHÓ BÍ THƯ",
        "signer_name": "Lưu Văn Trung",
        "recipients": "- Ban Bí thư Trung ương Đảng.",
        "section_iv_title": "NHIỆM VỤ, GIẢI PHÁP",
    }


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "dangvu.replica"]


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_it_reads_reports_dashboards_and_exports_from_the_replica(
    standby_alias: LocalStandby, live_world: World
) -> None:
    earlier = _report(live_world, "Báo cáo đã có trước")
    standby_alias.wait_caught_up()
    standby_alias.pause()
    _report(live_world, "Báo cáo viết khi bản sao dừng phát lại")

    officer = live_world.client("tochuc")
    listed = officer.get(LIST).content.decode()
    assert "Báo cáo đã có trước" in listed
    assert "Báo cáo viết khi bản sao dừng phát lại" not in listed  # the replica's data
    # A write path reads the primary: the new report is there.
    with transaction.atomic():
        assert SummaryReport.objects.filter(title__startswith="Báo cáo viết khi").exists()
    # The indicator page, a report's download and the workbook export query the replica.
    for url in (
        reverse("indicators:overview") + f"?de_an=DA05&ky={PERIOD.label}&don_vi=DN",
        reverse("reports:docx", args=[earlier.pk]),
        reverse("exchange:export"),
    ):
        with CaptureQueriesContext(connections[replica.REPLICA]) as on_replica:
            response = officer.get(url)
        assert response.status_code == 200, url
        assert len(on_replica.captured_queries) > 0, url

    standby_alias.resume()
    standby_alias.wait_caught_up()
    assert "Báo cáo viết khi bản sao dừng phát lại" in officer.get(LIST).content.decode()


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_it_lets_a_user_read_their_own_writes(
    standby_alias: LocalStandby, live_world: World
) -> None:
    standby_alias.pause()
    writer = live_world.client("tochuc")
    response = writer.post(CREATE, _form("Báo cáo vừa tạo"))
    assert response.status_code == 302
    assert replica.COOKIE in response.cookies
    # The same browser, right after: the primary, which has the new report.
    page = writer.get(response["Location"])
    assert page.status_code == 200
    assert "Báo cáo vừa tạo" in page.content.decode()
    assert "Báo cáo vừa tạo" in writer.get(LIST).content.decode()
    # Another browser of the same officer, which wrote nothing: the paused replica.
    assert "Báo cáo vừa tạo" not in live_world.client("tochuc").get(LIST).content.decode()
    assert live_world.client("tochuc").get(response["Location"]).status_code == 404


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_it_reads_from_the_primary_while_the_replica_lags(
    standby_alias: LocalStandby,
    live_world: World,
    settings: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings.REPLICA_MAX_LAG = 1
    standby_alias.pause()
    _report(live_world, "Báo cáo khi bản sao chậm")
    deadline = time.monotonic() + 30
    while (standby_alias.lag() or 0) <= 1:  # the replay stands still, the clock runs
        assert time.monotonic() < deadline, "the paused replica did not fall behind"
        time.sleep(0.2)
    caplog.set_level(logging.WARNING, logger="dangvu.replica")
    officer = live_world.client("tochuc")
    for _ in range(3):
        with CaptureQueriesContext(connections[replica.REPLICA]) as on_replica:
            listed = officer.get(LIST).content.decode()
        assert "Báo cáo khi bản sao chậm" in listed
        assert all("pg_last_xact_replay" in q["sql"] for q in on_replica.captured_queries)
    said = _warnings(caplog)
    assert len(said) == 1, said  # once, not per query or per request
    assert "behind" in said[0] and "primary" in said[0]

    standby_alias.resume()
    standby_alias.wait_caught_up()
    officer.get(LIST)
    assert "back in use" in _warnings(caplog)[-1]


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_it_answers_from_the_primary_when_the_replica_is_down(
    standby_alias: LocalStandby,
    live_world: World,
    settings: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The health stays cached: the replica stops between two checks.
    settings.REPLICA_CHECK_INTERVAL = 3600
    officer = live_world.client("tochuc")
    with CaptureQueriesContext(connections[replica.REPLICA]) as on_replica:
        assert officer.get(LIST).status_code == 200
    assert on_replica.captured_queries
    caplog.set_level(logging.WARNING, logger="dangvu.replica")
    standby_alias.stop_server()
    _report(live_world, "Báo cáo khi bản sao tắt")

    response = officer.get(LIST)  # its query fails on the replica: asked again of the primary
    assert response.status_code == 200
    assert "Báo cáo khi bản sao tắt" in response.content.decode()
    assert officer.get(LIST).status_code == 200  # now known to be down: the primary at once
    said = _warnings(caplog)
    assert len(said) == 1, said
    assert "unreachable" in said[0] and "primary" in said[0]


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_it_keeps_writes_and_transactions_on_the_primary(standby_alias: LocalStandby) -> None:
    with replica.reads_from_replica():
        assert router.db_for_read(SummaryReport) == replica.REPLICA
        assert router.db_for_write(SummaryReport) == DEFAULT_DB_ALIAS
        with transaction.atomic():
            assert router.db_for_read(SummaryReport) == DEFAULT_DB_ALIAS
    assert router.db_for_read(SummaryReport) == DEFAULT_DB_ALIAS


@pytest.mark.django_db
def test_it_reads_from_the_one_database_without_a_replica(world: World) -> None:
    assert replica.REPLICA not in connections.settings
    with replica.reads_from_replica():
        assert router.db_for_read(SummaryReport) == DEFAULT_DB_ALIAS
    response = world.client("tochuc").post(CREATE, _form("Báo cáo một cơ sở dữ liệu"))
    assert response.status_code == 302
    assert replica.COOKIE not in response.cookies
    client = Client()
    assert client.get(LIST).status_code == 302  # signed out: to the login page


def test_it_adds_the_replica_alias_only_when_a_replica_is_named() -> None:
    script = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "r = s.DATABASES.get('replica'); "
        "print(json.dumps(r and [r['HOST'], r['PORT'], r['NAME'], r['TEST']['MIRROR']]))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "dangvu.settings"}
    env.pop("DANGVU_REPLICA_URL", None)
    run = [sys.executable, "-c", script]
    assert subprocess.run(run, env=env, capture_output=True, text=True).stdout.strip() == "null"
    env["DANGVU_REPLICA_URL"] = "postgresql://dangvu_ro@10.0.0.3:5433/dangvu"
    named = subprocess.run(run, env=env, capture_output=True, text=True, check=True)
    assert json.loads(named.stdout) == ["10.0.0.3", 5433, "dangvu", "default"]
