"""A summary report's DOCX or XLSX, made in the background (a province's report over five
years takes seconds, and a proxy's timeout must not cut it)."""

from __future__ import annotations

from dangvu.core.progress import Progress
from dangvu.indicators.disclosure import Viewer
from dangvu.jobs.models import Job
from dangvu.jobs.registry import Outcome, kind
from dangvu.reports import generate, selectors
from dangvu.reports.models import SummaryReport


@kind("report_file", label="Tạo tệp báo cáo")
def run_report_file(job: Job, progress: Progress) -> Outcome:
    fmt = str(job.params["format"])
    report_id = int(job.params["report_id"])
    # The report and its figures as the asker may see them when the job runs (a role lost
    # since she asked is lost for the job too).
    if job.actor is not None:
        summary = selectors.report_or_404(user=job.actor, report_id=report_id)
        viewer = Viewer.of(job.actor)
    else:
        summary = SummaryReport.objects.select_related("unit", "programme").get(pk=report_id)
        viewer = Viewer.operator()
    progress.step("Đang tính số liệu của báo cáo")
    data = generate.data_for(summary, viewer=viewer)
    progress.step("Đang viết tệp " + fmt.upper())
    content = generate.render(summary, fmt, viewer=viewer, data=data)
    return Outcome(content=content, file_name=generate.file_name(summary, fmt))
