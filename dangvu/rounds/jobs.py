"""The reporting rounds' scheduled job: the daily reminders (`dangvu remind`)."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from dangvu.core.progress import Progress
from dangvu.jobs.models import Job
from dangvu.jobs.registry import Outcome, kind
from dangvu.rounds.services_reminders import reminders_send


@kind("rounds_remind", label="Nhắc hạn báo cáo")
def run_reminders(job: Job, progress: Progress) -> Outcome:
    due = job.params.get("due")
    day = timezone.localtime(datetime.fromisoformat(due)).date() if due else timezone.localdate()
    progress.step("Đang nhắc các đơn vị đến hạn, quá hạn báo cáo")
    sent = reminders_send(today=day)
    return Outcome(
        result={"day": day.isoformat(), "sent": len(sent), "emailed": sum(r.emailed for r in sent)}
    )
