"""A unit's report in a round as a DOCX, for whoever may open its page."""

from __future__ import annotations

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from dangvu.accounts.decorators import requires
from dangvu.accounts.http import AuthedRequest
from dangvu.accounts.permissions import Capability
from dangvu.rounds import docx, selectors

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@require_GET
@requires(Capability.VIEW_REPORTS)
def download(request: AuthedRequest, round_id: int, report_id: int) -> HttpResponse:
    report = selectors.report_or_404(user=request.user, round_id=round_id, report_id=report_id)
    content = docx.unit_report_docx(report, user=request.user)
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{docx.file_name(report)}"'
    return response
