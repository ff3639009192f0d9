"""Reference data (the rules shipped as data): synced after migrate, read without a query."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.core.management import call_command

from dangvu.core import reference
from dangvu.inspection import services as inspection
from dangvu.inspection.models import DisciplineRule
from dangvu.meetings import services as meetings
from dangvu.meetings.models import MeetingRule
from dangvu.reviews import services as reviews
from dangvu.reviews.models import RatingScheme


@pytest.fixture(autouse=True)
def _forget() -> Iterator[None]:
    """Rows read inside a test that changes rules roll back with it: read afresh."""
    reference.forget()
    yield
    reference.forget()


def read_every_rule() -> list[Any]:
    scheme = reviews.scheme_for(2025)
    return [
        scheme,
        list(scheme.grades.all()),
        reviews.scheme_for(2019),
        meetings.rule_for(date(2025, 3, 1)),
        inspection.rule_on(date(2024, 5, 2)),
    ]


def test_it_reads_rules_without_a_query_per_call(db: None, django_assert_num_queries: Any) -> None:
    read_every_rule()
    with django_assert_num_queries(0):
        rules = read_every_rule()
    assert rules[0].code == "366-QĐ/TW" and rules[2].code == "132-QĐ/TW"
    assert [g.code for g in rules[1]] == ["excellent", "good", "done", "failed"]


def test_it_reads_the_rule_in_force_on_the_day(db: None) -> None:
    assert reviews.scheme_for(2023).code == "124-QĐ/TW"
    assert reviews.scheme_for(2024).code == "124-QĐ/TW"
    assert meetings.rule_for(date(2024, 12, 1)).valid_to == date(2025, 1, 1)
    assert meetings.rule_for(date(2025, 1, 1)).valid_from == date(2025, 1, 1)
    with pytest.raises(LookupError):
        reference.in_force([], date(2025, 1, 1), "quy định")


@pytest.mark.django_db(transaction=True)
def test_it_restores_the_rules_after_a_flush() -> None:
    """A flush (as a transactional test's teardown) empties the tables and re-emits
    post_migrate: the rules and the catalogue are back, and nothing stale is read."""
    reviews.scheme_for(2025)
    call_command("flush", interactive=False, verbosity=0)
    assert RatingScheme.objects.count() == 3
    assert MeetingRule.objects.exists() and DisciplineRule.objects.exists()
    assert reviews.scheme_for(2025).pk == RatingScheme.objects.get(code="366-QĐ/TW").pk


def test_it_syncs_every_app_by_command(db: None, capsys: pytest.CaptureFixture[str]) -> None:
    MeetingRule.objects.all().delete()
    call_command("reference_sync")
    assert MeetingRule.objects.exists()
    assert set(reference.SYNCS) >= {"indicators", "inspection", "meetings", "reviews"}
    assert "Đã cập nhật dữ liệu tham chiếu" in capsys.readouterr().out
