"""A background job as a cell secretary or an officer sees it, on a phone, in Chromium."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from dangvu.conftest import World, login_as, phone_problems
from dangvu.core.progress import FileProgress
from dangvu.exchange.tests.helpers import DON_VI, unit_row, xlsx
from dangvu.jobs import services
from dangvu.jobs.models import Job, JobState
from dangvu.jobs.testing import run_queued

pytestmark = [pytest.mark.browser]


def _shot(page: Any, name: str) -> None:
    """Screenshots for a person to look at, when DANGVU_SCREENSHOTS names a folder."""
    folder = os.environ.get("DANGVU_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_an_import_on_a_phone_waits_shows_its_progress_then_its_report(
    live_world: World, live_server: Any, phone: Any, tmp_path: Path
) -> None:
    base = live_server.url
    login_as(phone, base, "tochuc")
    workbook = tmp_path / "don-vi.xlsx"
    workbook.write_bytes(
        xlsx(
            {
                "DonVi": [
                    DON_VI,
                    unit_row(
                        "DN.CUJUT.EATLING.TDP9",
                        "Chi bộ Tổ dân phố 9",
                        "Chi bộ trực thuộc",
                        "DN.CUJUT.EATLING",
                        "01/01/2024",
                    ),
                ]
            }
        )
    )
    phone.goto(f"{base}/du-lieu/")
    phone.set_input_files("#tep", str(workbook))
    phone.click("button >> text=Nhập dữ liệu")
    phone.wait_for_selector("h2 >> text=Đang chờ")
    assert phone_problems(phone) == []
    _shot(phone, "viec-dang-cho")

    # While it runs: the stage, the bar, the share done (the fragment polled every 2 s).
    job = Job.objects.get()
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING)
    progress = FileProgress(services.progress_path(job.pk))
    progress.step("Đang kiểm tra và ghi", total=150_535)
    progress.advance(61_204)
    progress.say("Đang kiểm tra và ghi trang DangVien (Đảng viên)")
    phone.wait_for_selector("text=40% · 61.204/150.535", timeout=10_000)
    assert phone.locator("progress").get_attribute("value") == "40"
    assert phone_problems(phone) == []
    _shot(phone, "viec-dang-chay")

    Job.objects.filter(pk=job.pk).update(state=JobState.QUEUED)
    assert run_queued() == 1
    phone.wait_for_selector("h3 >> text=Đã nhập dữ liệu", timeout=10_000)
    assert "DonVi" in phone.inner_text("#ket-qua")
    assert phone_problems(phone) == []
    _shot(phone, "viec-da-xong")
