"""The indicators' scheduled job: the tallies take in the months that closed (nightly)."""

from __future__ import annotations

from dangvu.core.progress import Progress
from dangvu.indicators import services_tallies
from dangvu.jobs.models import Job
from dangvu.jobs.registry import Outcome, kind


@kind("tallies_advance", label="Cập nhật số liệu tổng hợp")
def run_advance(job: Job, progress: Progress) -> Outcome:
    progress.step("Đang đưa các tháng vừa khép lại vào số liệu tổng hợp")
    return Outcome(result={"rows": services_tallies.advance()})
