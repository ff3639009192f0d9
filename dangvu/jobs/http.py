"""For the pages whose button queues a job: queue it and open its page, or say why not."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect

from dangvu.accounts.http import AuthedRequest
from dangvu.core.errors import DomainError
from dangvu.jobs import services


def queue_and_open(request: AuthedRequest, kind: str, **submit: Any) -> HttpResponse:
    """`services.submit` for the signed-in user, then the job's page; a refusal (too many
    unfinished jobs) is shown on the list of her jobs, with nothing queued."""
    try:
        job = services.submit(kind, actor=request.user, **submit)
    except DomainError as refused:
        messages.error(request, refused.message)
        return redirect("jobs:list")
    return redirect("jobs:detail", job_id=job.pk)
