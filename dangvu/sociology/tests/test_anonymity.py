"""Anonymity: once two members' answers are swapped, nothing differs — not a row of the
database, not a page, not a cell of an export — before the survey closes and after.

Two worlds are played from the same starting point: in the first, member A sends X and
member B sends Y; in the second A sends Y and B sends X (in the same order, on the same day).
Everything is read after each: every row of every table, every page of the survey as the
organiser, the administrator and the Front see it (list, detail, codes, results,
cross-tabulations, paper entry), the export's cell values, and the respondent's page opened
with each code. If the two readings are equal — up to the random keys of the sheets — then
no one, the administrator with the database included, can tell what A answered. The same
plays on a survey that is *not* anonymous find the difference: the test can fail.

The plays vary what an organiser knows about people: both answer on a phone; A on a phone
and B on the paper sheet she was handed (the channel); A is the only member of her unit
(the small units); and "who answered at all": A answers in one world, B in the other.
While the survey collects, the database must know which codes were used (to refuse a
second sheet) and each sheet's own unit (to merge small units at the end): those two plays
differ there, and only there, until closing — after it, nothing differs anywhere.
"""

from __future__ import annotations

import importlib
import io
import re
import uuid
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from django.apps import apps as django_apps
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.db.models import Sum
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import timezone

from dangvu.conftest import World
from dangvu.sociology.models import (
    Channel,
    Invitation,
    InvitedCount,
    Questionnaire,
    Response,
    ResponseAnswer,
    Status,
)
from dangvu.sociology.services import CODE_UNKNOWN, questionnaire_close, response_submit
from dangvu.sociology.smallcells import merged_units
from dangvu.sociology.tests.helpers import (
    answer_on_phone,
    make_survey,
    open_code,
    raw_of,
    sheet,
)

#: The organiser, the administrator, and a department that reads the results.
READERS = ("tochuc", "quantri", "mattran")
ONLY_MEMBER_UNIT = "DN.CUJUT.EATLING.TDP2"
LARGER_UNIT = "DN.CUJUT.EATLING.TDP1"


class _Undo(Exception):
    pass


def _database() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, with the sheets' random keys replaced by what the sheets
    say (their unit, channel, day and answers), in an order that does not depend on keys.
    The audit row of the closing is read without its serial number and moment: the two
    worlds are played one after the other, so those differ by construction (and say nothing
    of anyone's answer)."""
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

    tables = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            columns = [c[0] for c in cursor.description]
            masked = {"id", "timestamp"} if table == "auditlog_logentry" else set()
            rows = [
                tuple(plain(v) for c, v in zip(columns, row, strict=True) if c not in masked)
                for row in cursor.fetchall()
            ]
            tables[f"table {table}"] = sorted(rows, key=repr)
    return tables


def _shown(response: Any) -> Any:
    """What a reader gets: the status, and the page's text (without the per-request CSRF
    tokens and nonces), the place a redirect goes, or every cell of every worksheet (rows
    under the header compared as a set: they come in the order of random keys)."""
    if response.status_code in (301, 302):
        return (response.status_code, response["Location"])
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        cells = []
        for ws in book.worksheets:
            rows = list(ws.iter_rows(values_only=True))
            cells.append((ws.title, rows[:1], sorted(rows[1:], key=repr)))
        return (response.status_code, cells)
    page = response.content.decode()
    page = re.sub(r"\b[A-Za-z0-9]{64}\b", "CSRF", page)
    page = re.sub(r'nonce="[^"]*"', 'nonce=""', page)
    return (response.status_code, page)


def _pages(survey: Questionnaire) -> list[str]:
    q1, q2, q3, _ = survey.questions.values_list("pk", flat=True)
    base = f"/dieu-tra/{survey.pk}/"
    return [
        "/dieu-tra/",
        base,
        f"{base}ma-phieu/",
        f"{base}ket-qua/",
        f"{base}ket-qua/?hang=don-vi&cot={q1}",
        f"{base}ket-qua/?hang={q1}&cot={q3}",
        f"{base}ket-qua/?hang={q2}&cot=don-vi",
        f"{base}ket-qua.xlsx",
        f"{base}phieu-giay/",
    ]


def _reading(survey: Questionnaire, readers: dict[str, Client], codes: list[str]) -> dict[str, Any]:
    seen: dict[str, Any] = _database()
    for persona, client in readers.items():
        for url in _pages(survey):
            seen[f"{persona} {url}"] = _shown(client.get(url))
    for code in codes:
        seen[f"code page {code}"] = _shown(open_code(Client(), code))
    return seen


Action = Callable[[Questionnaire, dict[str, Client]], None]


def on_phone(code: str, answer: int) -> Action:
    def send(survey: Questionnaire, readers: dict[str, Client]) -> None:
        data = sheet(survey, answer, [answer], 5 - answer, f"ý kiến {answer}")
        assert "Cảm ơn đồng chí" in answer_on_phone(Client(), code, data).content.decode()

    return send


def on_paper(unit: str, answer: int) -> Action:
    """The organiser types the paper sheet she handed to a member of the unit."""

    def send(survey: Questionnaire, readers: dict[str, Client]) -> None:
        data = sheet(survey, answer, [answer], 5 - answer, f"ý kiến {answer}")
        typed = readers["tochuc"].post(
            f"/dieu-tra/{survey.pk}/phieu-giay/", {**data, "don_vi": unit}
        )
        assert typed.status_code == 302

    return send


def _play(
    survey: Questionnaire, readers: dict[str, Client], codes: list[str], actions: list[Action]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Send the sheets, read everything; close, read everything again; leave no trace."""
    try:
        with transaction.atomic():
            for action in actions:
                action(survey, readers)
            collecting = _reading(survey, readers, codes)
            questionnaire_close(questionnaire=survey)
            closed = _reading(survey, readers, codes)
            raise _Undo
    except _Undo:
        return collecting, closed


def _differing(first: dict[str, Any], second: dict[str, Any]) -> set[str]:
    assert first.keys() == second.keys()
    return {key for key in first if first[key] != second[key]}


def _two_of(survey: Questionnaire, unit: str) -> tuple[Invitation, Invitation]:
    a, b = Invitation.objects.filter(questionnaire=survey, unit__code=unit).order_by("member_id")[
        :2
    ]
    return a, b


PLAYS = ("two phones", "phone and paper", "a unit of one", "who answered")


@pytest.mark.parametrize("play", PLAYS)
@pytest.mark.parametrize("anonymous", [True, False])
def test_swapping_two_members_changes_nothing_anywhere(
    world: World, anonymous: bool, play: str
) -> None:
    survey = make_survey(world, anonymous=anonymous, sample_size=5, day=timezone.localdate())
    readers = {persona: world.client(persona) for persona in READERS}
    a, b = _two_of(survey, LARGER_UNIT)
    if play == "a unit of one":
        a = Invitation.objects.get(questionnaire=survey, unit__code=ONLY_MEMBER_UNIT)
    codes = [a.code, b.code]
    worlds: list[list[Action]]
    if play == "two phones":
        worlds = [
            [on_phone(a.code, 0), on_phone(b.code, 1)],
            [on_phone(a.code, 1), on_phone(b.code, 0)],
        ]
    elif play == "phone and paper":  # the organiser handed B a paper sheet, not her code
        worlds = [
            [on_phone(a.code, 0), on_paper(LARGER_UNIT, 1)],
            [on_phone(a.code, 1), on_paper(LARGER_UNIT, 0)],
        ]
    elif play == "a unit of one":
        worlds = [
            [on_phone(a.code, 0), on_phone(b.code, 1)],
            [on_phone(a.code, 1), on_phone(b.code, 0)],
        ]
    else:  # who answered: A in the first world, B in the second, the same sheet
        worlds = [[on_phone(a.code, 0)], [on_phone(b.code, 0)]]

    (collecting_1, closed_1), (collecting_2, closed_2) = (
        _play(survey, readers, codes, actions) for actions in worlds
    )

    assert Response.objects.count() == 0  # both plays were undone
    while_collecting = _differing(collecting_1, collecting_2)
    after_closing = _differing(closed_1, closed_2)
    if anonymous:
        # What the database must know while the survey collects, and nothing else.
        known = {
            "two phones": set(),
            "phone and paper": set(),
            "a unit of one": {"table sociology_response", "table sociology_responseanswer"},
            "who answered": {"table sociology_invitation"},
        }
        assert while_collecting == known[play]
        assert after_closing == set()
    else:
        export = f"tochuc /dieu-tra/{survey.pk}/ket-qua.xlsx"
        codes_page = f"tochuc /dieu-tra/{survey.pk}/ma-phieu/"
        seen = {export, codes_page, "table sociology_response"}
        expected = {export, "table sociology_response"}
        if play == "who answered":
            expected |= {codes_page}
        assert expected <= while_collecting & seen
        assert expected <= after_closing & seen


def _page_without(response: Any, code: str) -> Any:
    status, page = _shown(response)
    return status, page.replace(code, "CODE")


def test_it_opens_the_same_page_for_a_used_and_an_unused_code(world: World) -> None:
    """Whoever holds a slip (the organiser holds them all) learns nothing by opening it: a
    used code opens the same form as an unused one, and an incomplete sheet is refused
    alike. Only a complete sheet tells — and had the code not been used, it would have been
    recorded in the owner's place, which the owner is told when she answers."""
    survey = make_survey(world, day=timezone.localdate())
    used, unused = _two_of(survey, LARGER_UNIT)
    on_phone(used.code, 0)(survey, {})
    assert _page_without(open_code(Client(), used.code), used.code) == _page_without(
        open_code(Client(), unused.code), unused.code
    )
    q1 = survey.questions.get(number=1)
    incomplete = {**sheet(survey, 0, [0], 5), f"q{q1.pk}": ""}
    refused = [
        _page_without(answer_on_phone(Client(), i.code, incomplete), i.code) for i in (used, unused)
    ]
    assert refused[0] == refused[1] and "Câu 1: chưa trả lời" in refused[0][1]
    assert Response.objects.count() == 1
    assert Invitation.objects.filter(questionnaire=survey, used=True).get() == used

    # An unknown code, a code of a survey not collecting: one answer, the start page.
    unknown = _page_without(open_code(Client(), "KHONGCO2"), "KHONGCO2")
    assert CODE_UNKNOWN in unknown[1] and "Gửi phiếu" not in unknown[1]
    named = make_survey(world, anonymous=False, day=timezone.localdate())
    kept = Invitation.objects.filter(questionnaire=named).first()
    questionnaire_close(questionnaire=named)
    assert _page_without(open_code(Client(), kept.code), kept.code) == unknown
    questionnaire_close(questionnaire=survey)  # an anonymous survey's codes are gone
    assert _page_without(open_code(Client(), unused.code), unused.code) == unknown


def test_it_keeps_the_code_out_of_urls_and_sessions(world: World) -> None:
    """An access log, a browser history or a session row would otherwise hold the code with
    the moment it was used."""
    survey = make_survey(world, day=timezone.localdate())
    code = Invitation.objects.filter(questionnaire=survey).first().code
    with pytest.raises(Resolver404):
        resolve(f"/dieu-tra/tra-loi/{code}/")
    sessions = Session.objects.count()
    client = Client()
    opened = open_code(client, code)
    assert opened.redirect_chain == [] and code not in opened.request["PATH_INFO"]
    everything_wrong = {f"q{q.pk}": "999999" for q in survey.questions.all()}
    refused = answer_on_phone(client, code, everything_wrong)
    assert refused.status_code == 200 and "phương án không có" in refused.content.decode()
    assert (
        "Cảm ơn đồng chí"
        in answer_on_phone(client, code, sheet(survey, 0, [0], 5)).content.decode()
    )
    assert Session.objects.count() == sessions
    assert "sessionid" not in client.cookies


def _storage_order(survey: Questionnaire) -> list[str]:
    """The free texts of the survey's sheets in the order the database stores the rows."""
    order = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM sociology_response WHERE questionnaire_id = %s ORDER BY {order}",
            [survey.pk],
        )
        keys = [row[0] for row in cursor.fetchall()]
    texts = dict(ResponseAnswer.objects.exclude(text="").values_list("response_id", "text"))
    return [texts[uuid.UUID(str(k))] for k in keys]


def test_closing_an_anonymous_survey_forgets_who_answered(world: World) -> None:
    survey = make_survey(world, anonymous=True, sample_size=5, day=timezone.localdate())
    u = world.units
    sent = []
    codes = Invitation.objects.filter(questionnaire=survey).order_by("?")
    for n, invitation in enumerate(codes):
        data = sheet(survey, n % 2, [n % 2], 5, f"phiếu {n}")
        assert "Cảm ơn" in answer_on_phone(Client(), invitation.code, data).content.decode()
        sent.append(f"phiếu {n}")
    for n in range(5, 10):
        unit = "DN.CUJUT.EATLING.TDP1" if n == 5 else "DN.CUJUT.EATLING.TDP2"
        response_submit(
            questionnaire=survey,
            raw=raw_of(sheet(survey, 0, [1], 3, f"phiếu {n}")),
            channel=Channel.PAPER,
            unit=u[unit],
        )
        sent.append(f"phiếu {n}")
    assert _storage_order(survey) == sent  # while collecting: the order they came in
    answers = sorted(
        ResponseAnswer.objects.values_list("question_id", "option_id", "points", "text"), key=repr
    )
    assert Invitation.objects.filter(questionnaire=survey, used=True).count() == 5

    questionnaire_close(questionnaire=survey)

    assert not Invitation.objects.filter(questionnaire=survey).exists()
    assert dict(
        InvitedCount.objects.filter(questionnaire=survey).values_list("unit__code", "n")
    ) == {"DN.CUJUT.EATLING.TDP1": 4, "DN.CUJUT.EATLING.TDP2": 1}
    assert (
        sorted(Response.objects.filter(questionnaire=survey).values_list("unit__code", "channel"))
        == [("DN.CUJUT.EATLING.TDP1", "")] * 5 + [("DN.CUJUT.EATLING.TDP2", "")] * 5
    )
    stored = _storage_order(survey)
    assert sorted(stored) == sorted(sent) and stored != sent  # 1 chance in 10! to fail
    assert answers == sorted(
        ResponseAnswer.objects.values_list("question_id", "option_id", "points", "text"), key=repr
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT xmin::text FROM sociology_response WHERE questionnaire_id = %s",
                [survey.pk],
            )
            assert len(cursor.fetchall()) == 1  # all written by the closing


def test_closing_a_named_survey_keeps_who_answered(world: World) -> None:
    survey = make_survey(world, anonymous=False, sample_size=5)
    code = Invitation.objects.filter(questionnaire=survey).first()
    response_submit(
        questionnaire=survey,
        raw=raw_of(sheet(survey, 0, [0], 5)),
        channel=Channel.PHONE,
        code=code.code,
        day=survey.started_on,
    )
    questionnaire_close(questionnaire=survey)
    assert Invitation.objects.filter(questionnaire=survey, used=True).get() == code
    assert Response.objects.get().member == code.member
    assert Response.objects.get().channel == Channel.PHONE


def test_the_migration_makes_surveys_closed_before_it_forget_who_answered(world: World) -> None:
    migration = importlib.import_module(
        "dangvu.sociology.migrations.0002_anonymous_surveys_forget_who_answered"
    )
    survey = make_survey(world, anonymous=True, sample_size=5)
    codes = list(Invitation.objects.filter(questionnaire=survey))
    for invitation in codes[:2]:
        response_submit(
            questionnaire=survey,
            raw=raw_of(sheet(survey, 0, [0], 5)),
            channel=Channel.PHONE,
            code=invitation.code,
            day=survey.started_on,
        )
    # As an anonymous survey closed before: counts not written, channels kept.
    InvitedCount.objects.all().delete()
    Response.objects.update(channel=Channel.PHONE)
    Questionnaire.objects.filter(pk=survey.pk).update(status=Status.CLOSED)

    migration.forget_who_answered(django_apps, None)

    assert not Invitation.objects.exists()
    assert InvitedCount.objects.filter(questionnaire=survey).aggregate(n=Sum("n"))["n"] == 5
    assert list(Response.objects.values_list("unit", "channel")) == [(None, "")] * 2


@pytest.mark.parametrize(
    ("sheets", "merged"),
    [
        ({"A": 5, "B": 5}, set()),
        ({"A": 7, "B": 6, "C": 1}, {"B", "C"}),  # C alone would be C under another name
        ({"A": 9, "C": 5, "D": 0}, {"C", "D"}),  # "0 of D's members answered" is a fact too
        ({"A": 3}, {"A"}),  # the whole survey: nothing smaller to hide in
        ({"A": 2, "B": 2, "C": 1, "D": 20}, {"A", "B", "C"}),
    ],
)
def test_small_units_merge_into_one_group_of_five(sheets: dict[str, int], merged: set[str]) -> None:
    assert merged_units(sheets) == merged
