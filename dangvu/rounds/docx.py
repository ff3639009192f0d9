"""A unit's report in a round as a DOCX in Party format, with the unit's own header.
(Placeholder of the foundation commit: the documents helper writes it.)"""

from __future__ import annotations

from dangvu.accounts.models import User
from dangvu.rounds.models import RoundReport


def unit_report_docx(report: RoundReport, *, user: User) -> bytes:
    raise NotImplementedError


def file_name(report: RoundReport) -> str:
    return f"bao-cao-{report.unit.code.lower()}-{report.round_id}.docx"
