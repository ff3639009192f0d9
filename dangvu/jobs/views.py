"""A background job's page: its progress while it runs (the page polls a fragment with
HTMX; without JavaScript it reloads itself), then its result and its file."""

from __future__ import annotations

import uuid

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dangvu.accounts.http import AuthedRequest
from dangvu.jobs import selectors


def _context(request: AuthedRequest, job_id: uuid.UUID) -> dict[str, object]:
    job = selectors.job_or_404(user=request.user, job_id=job_id)
    return {
        "job": job,
        "progress": selectors.progress_of(job),
        "result_template": selectors.result_template(job),
        "took": selectors.took(job),
        "withheld": selectors.WITHHELD if selectors.withheld(job, request.user) else "",
    }


@require_GET
def job_list(request: AuthedRequest) -> HttpResponse:
    return render(request, "jobs/list.html", {"jobs": selectors.jobs_of(user=request.user)})


@require_GET
def job_detail(request: AuthedRequest, job_id: uuid.UUID) -> HttpResponse:
    return render(request, "jobs/detail.html", _context(request, job_id))


@require_GET
def job_progress(request: AuthedRequest, job_id: uuid.UUID) -> HttpResponse:
    return render(request, "jobs/_state.html", _context(request, job_id))


@require_GET
def job_file(request: AuthedRequest, job_id: uuid.UUID) -> FileResponse:
    job = selectors.job_or_404(user=request.user, job_id=job_id)
    if not job.file or selectors.withheld(job, request.user):
        raise Http404("Việc này không có tệp kết quả (hoặc tệp đã được dọn sau 7 ngày).")
    return FileResponse(
        job.file.open("rb"), as_attachment=True, filename=job.file_name or "ket-qua"
    )
