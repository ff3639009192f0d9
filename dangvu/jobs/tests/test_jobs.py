"""Background jobs: queued by a page, run by a worker, shown with their progress, kept to
their asker; a dead worker's job run again; the daily jobs started once."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django_tasks_db.models import DBTaskResult

from dangvu.core.progress import FileProgress, TerminalProgress, read_state
from dangvu.exchange.tests.helpers import DON_VI, unit_row, xlsx
from dangvu.exchange.views import XLSX
from dangvu.jobs import services
from dangvu.jobs.models import Job, JobState, ScheduledRun
from dangvu.jobs.testing import run_queued
from dangvu.units.models import Unit

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def _import(client, rows, *, dry_run=False):
    data = {"tep": SimpleUploadedFile("don-vi.xlsx", xlsx({"DonVi": [DON_VI, *rows]}), XLSX)}
    if dry_run:
        data["thu"] = "1"
    return client.post("/du-lieu/", data)


def test_an_import_is_queued_shown_waiting_then_its_report(world):
    client = world.client("tochuc")
    before = Unit.objects.count()
    queued = _import(
        client,
        [
            unit_row(
                "DN.CUJUT.EATLING.TDP9",
                "Chi bộ Tổ dân phố 9",
                "Chi bộ trực thuộc",
                "DN.CUJUT.EATLING",
                "01/01/2024",
            )
        ],
    )
    assert queued.status_code == 302
    job = Job.objects.get()
    assert queued["Location"] == f"/viec/{job.pk}/"
    assert (job.state, job.actor, job.kind) == (
        JobState.QUEUED,
        world.users["tochuc"],
        "exchange_import",
    )
    assert job.input  # the upload is kept until the job has run

    waiting = client.get(queued["Location"]).content.decode()
    assert "Đang chờ" in waiting and 'hx-trigger="every 2s"' in waiting
    assert Unit.objects.count() == before  # nothing written before a worker runs it

    assert run_queued() == 1
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.attempts == 1 and not job.input
    assert job.result["ok"] and job.result["counts"]["DonVi"]["created"] == 1
    assert Unit.objects.count() == before + 1
    done = client.get(queued["Location"]).content.decode()
    assert "Đã nhập dữ liệu" in done and "hx-trigger" not in done
    # The fragment the page polls says the same.
    assert "Đã nhập dữ liệu" in client.get(f"/viec/{job.pk}/tien-do/").content.decode()


def test_a_bad_workbook_lists_every_bad_cell_on_the_jobs_page_and_writes_nothing(world):
    client = world.client("tochuc")
    before = Unit.objects.count()
    queued = _import(
        client,
        [unit_row("DN.CUJUT.MOI", "", "Chi bộ", "DN.CUJUT"), unit_row("", "X", "Chi bộ", "DN")],
    )
    run_queued()
    page = client.get(queued["Location"]).content.decode()
    assert "Không nhập được: " in page and "Chưa có dữ liệu nào được ghi" in page
    assert Unit.objects.count() == before
    assert len(Job.objects.get().result["errors"]) >= 2


def test_a_job_is_its_askers_alone(world):
    queued = _import(
        world.client("tochuc"),
        [
            unit_row(
                "DN.CUJUT.EATLING.TDP9",
                "Chi bộ Tổ dân phố 9",
                "Chi bộ trực thuộc",
                "DN.CUJUT.EATLING",
                "01/01/2024",
            )
        ],
    )
    run_queued()
    job = Job.objects.get()
    for persona in ("hoa", "quantri", "mattran"):
        client = world.client(persona)
        for url in (queued["Location"], f"/viec/{job.pk}/tien-do/", f"/viec/{job.pk}/tep/"):
            assert client.get(url).status_code == 404, (persona, url)
        assert str(job.pk) not in client.get("/viec/").content.decode()
    assert str(job.pk) in world.client("tochuc").get("/viec/").content.decode()


def test_an_export_job_gives_the_askers_file_to_the_asker(world):
    client = world.client("tochuc-cujut") if "tochuc-cujut" in world.users else None
    client = client or world.client("tochuc")
    queued = client.post("/du-lieu/xuat/")
    assert queued.status_code == 302
    run_queued()
    job = Job.objects.get()
    assert job.state == JobState.DONE and job.file_name.endswith(".xlsx")
    page = client.get(queued["Location"]).content.decode()
    assert f"/viec/{job.pk}/tep/" in page
    response = client.get(f"/viec/{job.pk}/tep/")
    content = b"".join(response.streaming_content)
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    assert "DonVi" in book.sheetnames
    assert job.result["counts"]["DonVi"] == Unit.objects.count()


def test_the_page_shows_a_running_jobs_progress(world, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    job = Job.objects.create(
        kind="exchange_import", title="Nhập tệp", actor=world.users["tochuc"], state="running"
    )
    progress = FileProgress(services.progress_path(job.pk))
    progress.step("Đang kiểm tra và ghi", total=400)
    progress.advance(100)
    progress.say("Trang DangVien: Đảng viên")
    page = world.client("tochuc").get(f"/viec/{job.pk}/tien-do/").content.decode()
    assert "Trang DangVien: Đảng viên" in page
    assert 'value="25"' in page and "25%" in page and "100/400" in page
    assert 'hx-trigger="every 2s"' in page


def test_the_command_line_shows_plain_progress_lines_off_a_terminal():
    out = io.StringIO()
    progress = TerminalProgress(out)
    progress.step("Đang ghi", total=10)
    for _ in range(10):
        progress.advance()
    progress.close()
    lines = out.getvalue().splitlines()
    assert lines[0] == "Đang ghi (10 mục)..."
    assert "  Đang ghi: 50%" in lines and len(lines) == 10


def test_a_dead_workers_job_is_queued_again_then_failed_after_three_runs(world):
    job = services.submit("jobs_purge", actor=None, title="Dọn")
    task = DBTaskResult.objects.get(pk=job.task_id)
    dead = _dead_worker_id()
    for run in (1, 2):
        task.claim(dead)
        assert services.recover(me="this-worker") == 1
        task.refresh_from_db()
        job.refresh_from_db()
        assert task.status == "READY" and job.state == JobState.QUEUED
        assert job.error == services.RETRYING.format(n=run + 1)
    task.claim(dead)
    assert services.recover(me="this-worker") == 1
    task.refresh_from_db()
    job.refresh_from_db()
    assert task.status == "FAILED" and job.state == JobState.FAILED
    assert job.error == services.WORKER_LOST.format(n=3)


def test_a_live_workers_job_is_left_alone(world):
    job = services.submit("jobs_purge", actor=None, title="Dọn")
    task = DBTaskResult.objects.get(pk=job.task_id)
    alive = services.new_worker_id()  # this process
    liveness = services.Liveness(alive)
    liveness.hold()
    try:
        task.claim(alive)
        assert services.recover(me="another") == 0
        task.refresh_from_db()
        assert task.status == "RUNNING"
    finally:
        liveness.release()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory locks: PostgreSQL")
def test_a_worker_is_alive_while_it_holds_its_lock(db):
    worker = services.new_worker_id()
    liveness = services.Liveness(worker)
    assert not services.Liveness.alive(worker)
    liveness.hold()
    assert services.Liveness.alive(worker)
    liveness.release()  # as when the process dies: its connection closes
    assert not services.Liveness.alive(worker)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory locks: PostgreSQL")
def test_a_worker_knows_when_it_has_lost_its_lock(db):
    liveness = services.Liveness(services.new_worker_id())
    liveness.hold()
    assert liveness.still_held()
    pid = liveness._held.info.backend_pid
    with connection.cursor() as cursor:  # as when PostgreSQL restarts under the worker
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    assert not liveness.still_held()
    assert not services.Liveness.alive(liveness.worker_id)


def test_the_daily_jobs_start_once_whatever_the_number_of_workers(world):
    morning = datetime(2026, 12, 8, 7, 30, tzinfo=HANOI)
    started = services.start_scheduled(morning)
    # 07:30: the reminders (07:00), tonight's tallies (01:30) and purge (02:30) are due.
    assert sorted(j.kind for j in started) == ["jobs_purge", "rounds_remind", "tallies_advance"]
    assert services.start_scheduled(morning + timedelta(minutes=5)) == []
    assert ScheduledRun.objects.count() == 3
    assert run_queued() == 3
    assert set(Job.objects.values_list("state", flat=True)) == {JobState.DONE}
    remind = Job.objects.get(kind="rounds_remind")
    assert remind.result["day"] == "2026-12-08"
    # The next day's occurrences are new; one missed by more than the grace is skipped.
    assert len(services.start_scheduled(morning + timedelta(days=1))) == 3
    assert services.start_scheduled(morning + timedelta(days=2, hours=15)) == []


def _dead_worker_id() -> str:
    """The id of a worker that is gone: a process that has exited (its pid free again), or
    on PostgreSQL one whose lock nobody holds."""
    finished = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    pid = int(finished.stdout)
    assert pid != os.getpid()
    import socket

    return f"{socket.gethostname()[:32]}:{pid}:deadbeef"


# -- a real worker, killed ------------------------------------------------------------------
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the worker runs in another process: the test database must be a server's",
)
def test_an_import_survives_its_workers_sigkill_and_stays_all_or_nothing(
    transactional_db, world, settings
):
    """A `dangvu worker` is killed (SIGKILL) in the middle of an import's write: nothing of
    it is committed; the next worker finds the job's worker dead, runs the job again, and
    the import is written once, whole."""
    import signal
    import time

    from dangvu.exchange.tests.helpers import DANG_VIEN, member_row
    from dangvu.members.models import Member

    cards = [f"9{n:07d}" for n in range(12000)]
    rows = [member_row(c, f"Đảng viên {c}", "DN.CUJUT.EATLING.TDP1") for c in cards]
    raw = xlsx({"DangVien": [DANG_VIEN, *rows]})
    job = services.submit(
        "exchange_import",
        actor=None,
        title="Nhập tệp lớn",
        params={"dry_run": False, "file_name": "lon.xlsx"},
        input_file=io.BytesIO(raw),
        input_name="lon.xlsx",
    )
    db = connection.settings_dict
    env = {
        **os.environ,
        "DANGVU_DATABASE_URL": (
            f"postgresql://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "DANGVU_DATA_DIR": str(settings.DATA_DIR),
    }
    command = [sys.executable, "-m", "dangvu.cli", "worker", "--interval", "0.2"]
    log = open(settings.DATA_DIR / "worker.log", "wb")  # noqa: SIM115
    first = subprocess.Popen(command, env=env, start_new_session=True, stderr=log)
    path = services.progress_path(job.pk)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            state = read_state(path) or {}
            if str(state.get("step", "")).startswith("Đang kiểm tra và ghi"):
                break
            time.sleep(0.01)
        else:
            job.refresh_from_db()
            pytest.fail(
                f"the import never reached its write: {job.state} {job.error} {job.result}"[:600]
            )
        time.sleep(0.2)  # inside the write's transaction
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()

    job.refresh_from_db()
    assert job.state == JobState.RUNNING and job.attempts == 1
    assert Member.objects.filter(card_number__in=cards).count() == 0  # nothing committed
    assert DBTaskResult.objects.get(pk=job.task_id).status == "RUNNING"

    second = subprocess.run(
        [*command, "--once"], env=env, capture_output=True, text=True, timeout=300
    )
    assert second.returncode == 0, second.stderr
    job.refresh_from_db()
    assert (job.state, job.attempts) == (JobState.DONE, 2), job.error
    assert job.result["ok"] and job.result["counts"]["DangVien"]["created"] == len(cards)
    assert Member.objects.filter(card_number__in=cards).count() == len(cards)
    assert DBTaskResult.objects.get(pk=job.task_id).status == "SUCCESSFUL"


def test_durations_read_as_people_say_them():
    from dangvu.jobs.selectors import duration

    assert [duration(s) for s in (0, 8.4, 60, 125, 3600, 3780)] == [
        "0 giây",
        "8 giây",
        "1 phút",
        "2 phút 5 giây",
        "1 giờ",
        "1 giờ 3 phút",
    ]


def test_one_person_cannot_pile_jobs_on_the_workers(world):
    client = world.client("tochuc")
    for _ in range(services.MAX_UNFINISHED):
        assert client.post("/du-lieu/xuat/").status_code == 302
    before = (Job.objects.count(), DBTaskResult.objects.count())
    refused = client.post("/du-lieu/xuat/", follow=True)
    assert services.TOO_MANY.format(n=services.MAX_UNFINISHED) in refused.content.decode()
    page = _import(
        client,
        [
            unit_row(
                "DN.CUJUT.EATLING.TDP9", "X", "Chi bộ trực thuộc", "DN.CUJUT.EATLING", "01/01/2024"
            )
        ],
    )
    assert page.status_code == 200 and "việc chạy nền chưa xong" in page.content.decode()
    assert (Job.objects.count(), DBTaskResult.objects.count()) == before
    run_queued()  # once they are done, she may ask again
    assert client.post("/du-lieu/xuat/").status_code == 302


def test_a_result_read_with_roles_since_ended_is_withheld(world):
    from dangvu.accounts.models import Role

    client = world.client("tochuc")
    queued = client.post("/du-lieu/xuat/")
    run_queued()
    job = Job.objects.get()
    assert client.get(f"/viec/{job.pk}/tep/").status_code == 200
    Role.objects.filter(user=world.users["tochuc"]).update(title="Chuyên viên")  # not a change
    assert client.get(f"/viec/{job.pk}/tep/").status_code == 200
    role = Role.objects.filter(user=world.users["tochuc"]).first()
    Role.objects.filter(pk=role.pk).update(valid_to=role.valid_from + timedelta(days=1))
    assert client.get(f"/viec/{job.pk}/tep/").status_code == 404
    page = client.get(queued["Location"]).content.decode()
    assert "Vai trò của bạn đã thay đổi" in page and f"/viec/{job.pk}/tep/" not in page


def test_the_purge_clears_old_files_and_uploads_nobody_ran(world, settings):
    old = datetime(2026, 1, 1, tzinfo=HANOI)
    done = services.submit("exchange_export", actor=world.users["tochuc"], title="Xuất")
    run_queued()
    stale = services.submit(
        "exchange_import",
        actor=world.users["tochuc"],
        title="Nhập",
        params={"dry_run": True, "file_name": "x.xlsx"},
        input_file=io.BytesIO(b"PK"),
        input_name="x.xlsx",
    )
    Job.objects.filter(pk=done.pk).update(finished_at=old)
    Job.objects.filter(pk=stale.pk).update(created_at=old)
    done.refresh_from_db()
    stale.refresh_from_db()
    paths = [done.file.path, stale.input.path]
    assert all(os.path.exists(p) for p in paths)
    services.purge()
    assert not any(os.path.exists(p) for p in paths)
    assert not Job.objects.filter(pk=done.pk).exists()  # older than 90 days
