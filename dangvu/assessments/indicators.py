"""Indicators computed from the quick assessments (catalogue section 2.1)."""

from __future__ import annotations

from dangvu.assessments.models import Attempt
from dangvu.indicators.engine import Ctx
from dangvu.indicators.registry import Rows, computes


@computes("study.assessments")
def assessments(ctx: Ctx) -> Rows:
    """Quick assessments submitted, counted under the organising unit."""
    return ctx.events(
        Attempt.objects.exclude(submitted_on=None), date="submitted_on", unit="assessment__unit"
    )


@computes("study.assessment_pass_rate")
def pass_rate(ctx: Ctx) -> Rows:
    """Share of submitted assessments that passed: (passed, submitted), summed as a rate."""
    passed = {
        (bucket, key, path): n
        for bucket, key, path, n in ctx.events(
            Attempt.objects.filter(passed=True), date="submitted_on", unit="assessment__unit"
        )
    }
    for bucket, key, path, n in ctx.events(
        Attempt.objects.exclude(submitted_on=None), date="submitted_on", unit="assessment__unit"
    ):
        yield bucket, key, path, (passed.get((bucket, key, path), 0), n)
