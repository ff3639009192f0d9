"""Anonymity: once two members' answers are swapped, nothing in the whole database differs.

Two worlds are played from the same starting point: in the first, member A answers X and
member B answers Y; in the second A answers Y and B answers X (in the same order, on the
same day). Every row of every table is read after each. If the two readings are equal —
up to the random keys of the sheets — then no one, the administrator with the database
included, can tell what A answered. The same test on a survey that is *not* anonymous
finds the difference: the test can fail.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone

from dangvu.conftest import World
from dangvu.sociology.models import Invitation, Questionnaire, Response, ResponseAnswer
from dangvu.sociology.tests.helpers import make_survey, sheet


class _Undo(Exception):
    pass


def _database() -> list[tuple[str, list[tuple[Any, ...]]]]:
    """Every row of every table, with the sheets' random keys replaced by what the sheets
    say (their unit, channel, day and answers), in an order that does not depend on keys."""
    content = {}
    for r in Response.objects.all():
        answers = sorted(
            ResponseAnswer.objects.filter(response=r).values_list(
                "question_id", "option_id", "points", "text"
            ),
            key=repr,
        )
        content[r.pk.hex] = repr((r.unit_id, r.channel, r.received_on, r.member_id, answers))
    answer_content = {
        a.pk.hex: repr((content[a.response_id.hex], a.question_id, a.option_id, a.points, a.text))
        for a in ResponseAnswer.objects.all()
    }
    names = {**content, **answer_content}

    def plain(value: Any) -> Any:
        if isinstance(value, uuid.UUID):
            value = value.hex
        if isinstance(value, str):
            hexed = value.replace("-", "")
            return names.get(hexed, value)
        return value

    tables = []
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = sorted((tuple(plain(v) for v in row) for row in cursor.fetchall()), key=repr)
            tables.append((table, rows))
    return tables


def _play(world: World, survey: Questionnaire, codes: list[str], firsts: list[int]) -> Any:
    """Answer with each code in turn, then read the database; leave no trace."""
    client = world.client(None)
    try:
        with transaction.atomic():
            for code, first in zip(codes, firsts, strict=True):
                data = sheet(survey, first, [first], 5 - first, f"ý kiến {first}")
                response = client.post(f"/dieu-tra/tra-loi/{code}/", data)
                assert "Cảm ơn đồng chí" in response.content.decode()
            reading = _database()
            raise _Undo
    except _Undo:
        return reading


@pytest.mark.parametrize("anonymous", [True, False])
def test_swapping_two_members_answers_changes_nothing_in_the_database(
    world: World, anonymous: bool
) -> None:
    survey = make_survey(world, anonymous=anonymous, day=timezone.localdate())
    a, b = Invitation.objects.filter(questionnaire=survey).order_by("member_id")[:2]
    codes = [a.code, b.code]

    first = _play(world, survey, codes, [0, 1])  # A says "Đã dùng", B "Chưa dùng"
    second = _play(world, survey, codes, [1, 0])  # A says "Chưa dùng", B "Đã dùng"

    assert Response.objects.count() == 0  # both plays were undone
    differing = [t for (t, rows), (_, other) in zip(first, second, strict=True) if rows != other]
    if anonymous:
        assert differing == []
    else:
        assert "sociology_response" in differing
