"""Implementation surveys' part of the home page's things to do (see home/todo.py)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q
from django.urls import reverse

from dangvu.core.effective import active_on
from dangvu.home.todo import FIRST, Ask, Held, Todo, to_do
from dangvu.lib.dates import format_date
from dangvu.surveys.models import ImplementationSurvey


@to_do(kind="staff", order=30)
def surveys_under_way(ask: Ask, units: list[Held]) -> Iterable[tuple[int, list[Todo]]]:
    """Implementation surveys under way today, conducted by the unit or a unit beneath it
    (one query a unit, the first few named)."""
    now = ask.now
    out = []
    for unit in units:
        under = Q(unit__versions__path__startswith=unit.path) & active_on(now, "unit__versions__")
        surveys = ImplementationSurvey.objects.filter(
            under, started_on__lte=now, ended_on__gte=now
        ).distinct()
        todos = [
            Todo(
                f"Đợt khảo sát “{s.title}” đang diễn ra, đến {format_date(s.ended_on)}.",
                reverse("surveys:list"),
                "Xem khảo sát",
                kind="survey_open",
            )
            for s in surveys.order_by("ended_on")[:FIRST]
        ]
        if todos:
            out.append((unit.unit_id, todos))
    return out
