"""Two app servers behind a proxy behave as one (issue 18).

Two real `dangvu serve` processes (Granian), each on its own port, share the test database,
the data directory and the secret key; Debian's HAProxy (scripts/ensure-proxy) sends the
requests to them in turn. Through the proxy, with every request going to the other server
than the one before: the cell secretary signs in and opens a quick assessment, a member
joins with the code (the JSON API, CSRF), others answer through their personal links (the
token API), the presenter's live view counts them on both servers, the minutes of a meeting
are uploaded to one server and downloaded from the other, the results exported, a
background job (the province's export, run by a `dangvu worker` process, then uploaded
again as a trial import) followed and its file downloaded from both, and signing out on
one server ends the session on the other.

PostgreSQL: the servers use pytest-django's test database, committed (transactional_db).
SQLite: the test database is in memory, which no other process can open; it is copied into
a file of the shared data directory (the online backup API) for the servers, and copied
back afterwards so that the database assertions read what the servers wrote.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import openpyxl
import pytest
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.db import connection

from dangvu.accounts.models import User, UserSession
from dangvu.assessments.models import Assessment, Attempt
from dangvu.assessments.tests.helpers import create, document_with_bank
from dangvu.conftest import PASSWORD, World
from dangvu.meetings.models import Meeting

pytestmark = [pytest.mark.servers]

ROOT = Path(__file__).resolve().parents[3]
DANGVU = Path(sys.executable).with_name("dangvu")
HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"
SECRET_KEY = "two-app-servers-share-this-secret-key-0123456789-abcdefghijklmnop"
STARTUP = 120  # s: collectstatic and Django's start on a busy two-core machine
TDP1 = "DN.CUJUT.EATLING.TDP1"
MINUTES = b"%PDF-1.4\n% bien ban sinh hoat chi bo thang 5/2022\n" + bytes(range(256)) * 64


class FastPBKDF2(PBKDF2PasswordHasher):
    """Passwords the servers can check (their hashers are Argon2 and PBKDF2; the suite's
    MD5 is not among them), hashed quickly: the iterations are read from the hash."""

    iterations = 1000


def _free_port() -> int:
    with closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _stop(process: subprocess.Popen[bytes]) -> None:
    """End the process and everything it started (its own process group)."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=15)


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        raise AssertionError("SQLite is served from a copy (see the module's docstring)")
    auth = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    return f"postgresql://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@dataclass
class Cluster:
    """The proxy's address and, for each response, which server answered it."""

    base: str
    data_dir: Path
    logs: Path
    served: list[str] = field(default_factory=list)
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    shared_sqlite: Path | None = None

    def session(self) -> requests.Session:
        http = requests.Session()
        http.hooks["response"].append(self._note)
        return http

    def _note(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        self.served.append(response.headers.get("X-Served-By", "?"))

    def url(self, path: str) -> str:
        return self.base + path

    def stop(self) -> None:
        """Stop the proxy and the servers (again is harmless); on SQLite, bring what they
        wrote back into the test's database."""
        for process in reversed(self.processes):
            _stop(process)
        if self.shared_sqlite is not None:
            connection.ensure_connection()
            with closing(sqlite3.connect(self.shared_sqlite)) as written:
                written.backup(connection.connection)
            self.shared_sqlite = None

    def diagnostics(self) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}"
            for p in sorted(self.logs.glob("*.log"))
        )


HAPROXY_CONFIG = """\
global
    maxconn 256
    log stdout format raw local0

defaults
    mode http
    log global
    option httplog
    option forwardfor
    timeout connect 5s
    timeout client 120s
    timeout server 120s

frontend web
    bind 127.0.0.1:{port}
    default_backend dangvu

backend dangvu
    balance roundrobin
    http-response set-header X-Served-By %[srv_name]
    server app1 127.0.0.1:{app1}
    server app2 127.0.0.1:{app2}
"""


def _wait_ready(url: str, processes: list[subprocess.Popen[bytes]], cluster: Cluster) -> None:
    deadline = time.monotonic() + STARTUP
    while time.monotonic() < deadline:
        for process in processes:
            assert process.poll() is None, "a server or the proxy stopped\n" + cluster.diagnostics()
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} did not answer in {STARTUP} s\n" + cluster.diagnostics())


@pytest.fixture
def assessment(live_world: World) -> Assessment:
    """A draft quick assessment of Chi bộ Tổ dân phố 1 (four members expected), opening a
    minute ago; its secretary opens it through the proxy."""
    for username in ("hoa", "ybhiong", "tochuc"):
        User.objects.filter(username=username).update(
            password=make_password(PASSWORD, hasher=FastPBKDF2())
        )
    return create(live_world, document_with_bank(), TDP1, opens_at=None)


@pytest.fixture
def cluster(assessment: Assessment, tmp_path: Path) -> Iterator[Cluster]:
    """The servers and the proxy, started on the world and the draft assessment."""
    if not Path(HAPROXY).exists():
        pytest.fail("HAProxy is missing: run scripts/ensure-proxy (make chromium does)")
    data_dir = tmp_path / "data"  # the shared data directory (NFS on real servers)
    logs = tmp_path / "logs"
    data_dir.mkdir()
    logs.mkdir()
    cluster = Cluster("", data_dir, logs)
    if connection.vendor == "sqlite":
        cluster.shared_sqlite = data_dir / "dangvu.sqlite3"
        connection.ensure_connection()
        with closing(sqlite3.connect(cluster.shared_sqlite)) as copy:
            connection.connection.backup(copy)
        database_url = f"sqlite:///{cluster.shared_sqlite}"
    else:
        database_url = _database_url()

    env = {k: v for k, v in os.environ.items() if not k.startswith("DANGVU_")}
    env.update(
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="dangvu.settings",
        DANGVU_DATABASE_URL=database_url,
        DANGVU_DATA_DIR=str(data_dir),
        DANGVU_SECRET_KEY=SECRET_KEY,
        DANGVU_INSECURE_DEMO="1",  # plain HTTP on localhost, as the rest of the suite
        DANGVU_STATIC_FINDERS="1",
        DANGVU_PROXY_COUNT="1",
    )
    ports = [_free_port(), _free_port()]
    proxy_port = _free_port()
    processes = cluster.processes
    cluster.base = f"http://127.0.0.1:{proxy_port}"
    try:
        for n, port in enumerate(ports, start=1):
            with open(logs / f"app{n}.log", "wb") as log:
                processes.append(
                    subprocess.Popen(
                        [str(DANGVU), "serve", "--port", str(port), "--workers", "1"],
                        cwd=ROOT,
                        env={**env, "DANGVU_STATIC_ROOT": str(tmp_path / f"static{n}")},
                        stdout=log,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
                )
        with open(logs / "worker.log", "wb") as log:  # the background jobs, a third machine
            processes.append(
                subprocess.Popen(
                    [str(DANGVU), "worker", "--interval", "0.5"],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        config = tmp_path / "haproxy.cfg"
        config.write_text(HAPROXY_CONFIG.format(port=proxy_port, app1=ports[0], app2=ports[1]))
        with open(logs / "haproxy.log", "wb") as log:
            processes.append(
                subprocess.Popen(
                    [HAPROXY, "-db", "-f", str(config)],
                    cwd=tmp_path,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        for port in ports:
            _wait_ready(f"http://127.0.0.1:{port}/healthz", processes, cluster)
        _wait_ready(cluster.url("/healthz"), processes, cluster)
        cluster.served.clear()
        yield cluster
    finally:
        cluster.stop()


# -- what a browser would do, with requests ---------------------------------------------------
def _csrf(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found, "no CSRF token in the page"
    return found.group(1)


def sign_in(cluster: Cluster, username: str) -> requests.Session:
    http = cluster.session()
    page = http.get(cluster.url("/dang-nhap/"))
    signed = http.post(
        cluster.url("/dang-nhap/"),
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": _csrf(page.text)},
        headers={"X-Forwarded-For": "203.0.113.9"},  # written by the client: not trusted
        allow_redirects=False,
    )
    assert signed.status_code == 302, signed.text[:2000]
    assert signed.headers["Location"] == "/"
    return http


def live_figures(html: str) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r'data-live="(\w+)">(\d+)<', html)}


def answer_all(cluster: Cluster, http: requests.Session, token: str, *, right: bool) -> None:
    """Start (the set comes with the start), answer every question, right or wrong."""
    started = http.post(cluster.url(f"/api/v1/attempts/{token}/start"))
    assert started.status_code == 200, started.text
    answer_questions(cluster, http, token, started.json()["questions"], right=right)


def answer_questions(
    cluster: Cluster, http: requests.Session, token: str, questions: list[Any], *, right: bool
) -> None:
    for question in questions:
        chosen = [o["id"] for o in question["options"] if o["text"].startswith("Đúng") == right]
        saved = http.put(
            cluster.url(f"/api/v1/attempts/{token}/answers/{question['id']}"),
            json={"options": chosen[:1]},
        )
        assert saved.status_code == 200 and saved.json()["saved"], saved.text


def submit(cluster: Cluster, http: requests.Session, token: str) -> dict[str, Any]:
    submitted = http.post(cluster.url(f"/api/v1/attempts/{token}/submit"))
    assert submitted.status_code == 200, submitted.text
    return dict(submitted.json())


def finished_job(cluster: Cluster, http: requests.Session, page: requests.Response) -> str:
    """Follow a background job's page (the worker runs it) until it is done: its address."""
    found = re.search(r"/viec/([0-9a-f-]{36})/", page.url)
    assert found, page.url
    job = f"/viec/{found.group(1)}/"
    deadline = time.monotonic() + STARTUP
    while time.monotonic() < deadline:
        state = http.get(cluster.url(job + "tien-do/"))
        assert state.status_code == 200
        if "Đã xong" in state.text:
            return job
        assert "Không thành công" not in state.text, state.text + cluster.diagnostics()
        time.sleep(0.5)
    raise AssertionError(f"{job} did not finish in {STARTUP} s\n" + cluster.diagnostics())


def _sheets(raw: bytes) -> list[list[tuple[Any, ...]]]:
    book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True)
    return [list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets]


# -- the test ---------------------------------------------------------------------------------
def test_it_behaves_as_one_server_behind_the_proxy(
    live_world: World, assessment: Assessment, cluster: Cluster
) -> None:
    # The cell secretary signs in: the form from one server, the password to the other,
    # the home page from the first again.
    hoa = sign_in(cluster, "hoa")
    home = hoa.get(cluster.url("/"))
    assert home.status_code == 200 and home.url == cluster.url("/")
    assert 'action="/dang-xuat/"' in home.text

    # She opens the assessment (the form's CSRF token from one server, posted to the other).
    detail = cluster.url(f"/kiem-tra/{assessment.pk}/")
    opened = hoa.post(
        detail, data={"action": "open", "csrfmiddlewaretoken": _csrf(hoa.get(detail).text)}
    )
    assert opened.status_code == 200 and "Đã mở bài kiểm tra: 4 bộ câu hỏi" in opened.text
    presenter = hoa.get(cluster.url(f"/kiem-tra/{assessment.pk}/trinh-chieu/"))
    code = Assessment.objects.values_list("code", flat=True).get(pk=assessment.pk)
    assert presenter.status_code == 200 and code in presenter.text
    links = hoa.get(cluster.url(f"/kiem-tra/{assessment.pk}/duong-dan/"))
    tokens = list(dict.fromkeys(re.findall(r"/k/t/([A-Za-z0-9_-]+)/", links.text)))
    assert len(tokens) == 4

    panel = cluster.url(f"/kiem-tra/{assessment.pk}/truc-tiep/")
    for _ in range(2):  # both servers
        assert live_figures(hoa.get(panel).text) == {"joined": 0, "submitted": 0}

    # Y Bhiông signs in on her phone and joins with the code (the JSON API: session and
    # CSRF cookie from the servers in turn), answers everything right and submits.
    ybhiong = sign_in(cluster, "ybhiong")
    ybhiong.get(cluster.url("/"))
    joined = ybhiong.post(
        cluster.url("/api/v1/join"),
        json={"code": code},
        headers={"X-CSRFToken": ybhiong.cookies["csrftoken"]},
    )
    assert joined.status_code == 200, joined.text
    mine = joined.json()["token"]
    answer_questions(cluster, ybhiong, mine, joined.json()["questions"], right=True)
    assert submit(cluster, ybhiong, mine)["score"] == 100

    # The three others open their personal links (no session: the token API): one right,
    # one wrong, one started and still answering.
    others = [t for t in tokens if t != mine]
    phones = [cluster.session() for _ in others]
    answer_all(cluster, phones[0], others[0], right=True)
    answer_all(cluster, phones[1], others[1], right=False)
    answer_all(cluster, phones[2], others[2], right=True)
    assert submit(cluster, phones[0], others[0])["score"] == 100
    assert submit(cluster, phones[1], others[1])["score"] == 0
    again = phones[0].get(cluster.url(f"/api/v1/attempts/{others[0]}"))
    assert again.json()["attempt"]["score"] == 100  # read back from the other server

    # The presenter's live view: the same figures from both servers.
    shown = [hoa.get(panel) for _ in range(2)]
    assert shown[0].headers["X-Served-By"] != shown[1].headers["X-Served-By"]
    for response in shown:
        assert live_figures(response.text) == {"joined": 4, "submitted": 3}
    assert shown[0].text == shown[1].text
    results = [
        hoa.get(cluster.url(f"/api/v1/assessments/{assessment.pk}/results")) for _ in range(2)
    ]
    assert results[0].json() == results[1].json()

    # An export: the results workbook, the same from both servers.
    xlsx = [hoa.get(cluster.url(f"/kiem-tra/{assessment.pk}/ket-qua.xlsx")) for _ in range(2)]
    assert all(r.status_code == 200 and r.content[:2] == b"PK" for r in xlsx)
    assert _sheets(xlsx[0].content) == _sheets(xlsx[1].content)

    # An upload: the minutes of May 2022's meeting to one server, downloaded from both.
    form_url = cluster.url(f"/sinh-hoat/{TDP1}/ghi/")
    members = {key: live_world.members[key].pk for key in ("hoa", "ybhiong", "binh", "an")}
    recorded = hoa.post(
        form_url,
        data={
            "csrfmiddlewaretoken": _csrf(hoa.get(form_url + "?thang=2022-05").text),
            "loai": "regular",
            "thang": "2022-05",
            "ngay": "12/05/2022",
            "thoi_luong": "100",
            "diem_danh": "1",
            **{f"co_mat_{pk}": "1" for pk in members.values()},
        },
        files={"tep_bien_ban": ("bien-ban-thang-5.pdf", MINUTES, "application/pdf")},
    )
    assert recorded.status_code == 200 and "Đã lưu buổi sinh hoạt tháng 05/2022" in recorded.text
    found = re.search(r"/sinh-hoat/buoi/(\d+)/bien-ban/", recorded.text)  # the cell's year
    assert found, recorded.text[:3000]
    meeting_id = int(found.group(1))
    downloads = [hoa.get(cluster.url(f"/sinh-hoat/buoi/{meeting_id}/bien-ban/")) for _ in range(2)]
    assert {d.headers["X-Served-By"] for d in downloads} == {"app1", "app2"}
    for download in downloads:
        assert download.status_code == 200 and download.content == MINUTES
    stored = list((cluster.data_dir / "media").rglob("*.pdf"))
    assert len(stored) == 1 and stored[0].read_bytes() == MINUTES

    # A background job: the province's organisation office asks one server for the export,
    # the worker writes it, both servers show it done and hand out the same file; the file
    # uploaded again (a trial import) is read by the worker from the shared directory.
    tochuc = sign_in(cluster, "tochuc")
    exchange = tochuc.get(cluster.url("/du-lieu/"))
    asked = tochuc.post(
        cluster.url("/du-lieu/xuat/"), data={"csrfmiddlewaretoken": _csrf(exchange.text)}
    )
    job = finished_job(cluster, tochuc, asked)
    exports = [tochuc.get(cluster.url(job + "tep/")) for _ in range(2)]
    assert {e.headers["X-Served-By"] for e in exports} == {"app1", "app2"}
    assert exports[0].status_code == 200 and exports[0].content == exports[1].content
    assert any("TDP1" in str(row) for sheet in _sheets(exports[0].content) for row in sheet)
    trial = tochuc.post(
        cluster.url("/du-lieu/"),
        data={"csrfmiddlewaretoken": _csrf(tochuc.get(cluster.url("/du-lieu/")).text), "thu": "1"},
        files={"tep": ("du-lieu.xlsx", exports[0].content, "application/octet-stream")},
    )
    finished_job(cluster, tochuc, trial)

    # Signing out on one server ends the session on both.
    assert hoa.get(cluster.url("/")).status_code == 200
    out = hoa.post(
        cluster.url("/dang-xuat/"),
        data={"csrfmiddlewaretoken": _csrf(hoa.get(cluster.url("/")).text)},
        allow_redirects=False,
    )
    assert out.status_code == 302
    for _ in range(2):
        refused = hoa.get(cluster.url("/"), allow_redirects=False)
        assert refused.status_code == 302 and "/dang-nhap/" in refused.headers["Location"]

    # Every request went to the other server than the one before.
    assert len(cluster.served) > 40
    assert set(cluster.served) == {"app1", "app2"}
    assert all(a != b for a, b in zip(cluster.served, cluster.served[1:], strict=False)), (
        cluster.served
    )

    # And the database holds what one server would have written.
    cluster.stop()
    assert Attempt.objects.filter(assessment=assessment).exclude(started_at=None).count() == 4
    assert Attempt.objects.filter(assessment=assessment).exclude(submitted_at=None).count() == 3
    assert not UserSession.objects.filter(user__username="hoa").exists()
    # The address recorded is the one the proxy appended, not what the client wrote.
    addresses = set(
        UserSession.objects.filter(user__username="ybhiong").values_list("address", flat=True)
    )
    assert addresses == {"127.0.0.1"}
    meeting = Meeting.objects.get(pk=meeting_id)
    assert (cluster.data_dir / "media" / meeting.minutes_file.name).read_bytes() == MINUTES
    figures = results[0].json()
    assert (figures["expected"], figures["joined"], figures["submitted"]) == (4, 4, 3)
