"""The import page, the template download and the export download.

An import and the page's export run as background jobs (`dangvu.jobs`): the page queues the
job and sends the user to its page, which shows the progress, then the report or the file.
The export's plain download (`xuat.xlsx`) stays for scripts and small reaches."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangvu.accounts.decorators import requires_any
from dangvu.accounts.http import AuthedRequest
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for
from dangvu.core.errors import DomainError
from dangvu.core.replica import reads_from_replica
from dangvu.exchange import selectors, services
from dangvu.exchange.workbook import registry
from dangvu.jobs import services as jobs
from dangvu.jobs.http import queue_and_open

#: The exchange page opens to whoever holds the capability of some sheet.
EXCHANGE_CAPS = (Capability.EXCHANGE, Capability.DISCIPLINE, Capability.SUPERVISION)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD = 50 * 1024 * 1024


@require_http_methods(["GET", "POST"])
@requires_any(*EXCHANGE_CAPS)
def home(request: AuthedRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("tep")
        if upload is None:
            error = "Chọn tệp Excel (.xlsx) cần nhập."
        elif upload.size and upload.size > MAX_UPLOAD:
            error = "Tệp quá lớn (tối đa 50 MB)."
        else:
            dry_run = request.POST.get("thu") == "1"
            name = upload.name or ""
            try:
                job = jobs.submit(
                    "exchange_import",
                    actor=request.user,
                    title=f"{'Kiểm tra thử' if dry_run else 'Nhập'} tệp {name}".strip(),
                    params={"dry_run": dry_run, "file_name": name},
                    input_file=upload,
                    input_name=name,
                )
            except DomainError as refused:
                error = refused.message
            else:
                return redirect("jobs:detail", job_id=job.pk)
    history = selectors.exchange_history(user=request.user)
    return render(
        request,
        "exchange/home.html",
        {"error": error, "sheets": registry.ordered(), "history": history},
    )


@require_POST
@requires_any(*EXCHANGE_CAPS)
def export_job(request: AuthedRequest) -> HttpResponse:
    return queue_and_open(request, "exchange_export", title="Xuất dữ liệu trong phạm vi của tôi")


@require_GET
@requires_any(*EXCHANGE_CAPS)
def template(request: AuthedRequest) -> HttpResponse:
    response = HttpResponse(selectors.template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-trao-doi-du-lieu-dangvu.xlsx"'
    return response


@require_GET
@requires_any(*EXCHANGE_CAPS)
@reads_from_replica()
def export(request: AuthedRequest) -> HttpResponse:
    out = io.BytesIO()
    services.workbook_export(
        out=out,
        actor=request.user,
        scope=scope_for(request.user),
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="dangvu-du-lieu-{stamp}.xlsx"'
    return response
