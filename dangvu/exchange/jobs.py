"""The exchange workbook's background jobs: an import (or its dry run) and an export."""

from __future__ import annotations

import io

from django.utils import timezone

from dangvu.accounts.scope import scope_for
from dangvu.core.progress import Progress
from dangvu.exchange import services
from dangvu.jobs.models import Job
from dangvu.jobs.registry import Outcome, kind


@kind("exchange_import", label="Nhập dữ liệu", result_template="exchange/_import_result.html")
def run_import(job: Job, progress: Progress) -> Outcome:
    with job.input.open("rb") as file:
        report = services.workbook_import(
            file=file,
            actor=job.actor,
            scope=scope_for(job.actor) if job.actor is not None else None,
            dry_run=bool(job.params.get("dry_run")),
            file_name=str(job.params.get("file_name", "")),
            progress=progress,
        )
    return Outcome(result=services.report_json(report))


@kind("exchange_export", label="Xuất dữ liệu")
def run_export(job: Job, progress: Progress) -> Outcome:
    out = io.BytesIO()
    counts = services.workbook_export(
        out=out,
        actor=job.actor,
        scope=scope_for(job.actor) if job.actor is not None else None,
        progress=progress,
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return Outcome(
        result={"counts": counts},
        content=out.getvalue(),
        file_name=f"dangvu-du-lieu-{stamp}.xlsx",
    )
