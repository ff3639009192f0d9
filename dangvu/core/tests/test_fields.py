"""Fields, not only reach: which personal fields a department reads.

`test_authorization` proves that nobody opens an object outside their subtree; this file
proves that inside it a department sees only the fields of its duty. It walks every GET
URL of the app (the same `RULES` and objects, with more person data added to the world)
and reads every answer that is a 200 — HTML, JSON, and the XLSX/DOCX exports unzipped:

- as `mattran` (the Fatherland Front, province: reports of the whole tree, never member
  records; docs/decisions.md): no member's full name or card number of the test world;
- as `ybhiong` (a plain member): no other member's card number;
- as every walked persona, none of whom holds the inspection role — the administrator and
  the provincial organisation officer included, who read every member record — no fact of
  an inspection case (its code, its conclusion): those are the inspection committee's and
  the leadership's only.

The walk runs once per persona (inside a transaction rolled back at the end), then one test
per app reads its findings, so a leak names its app; leaks of apps whose owners have not
fixed them yet are marked xfail(strict=True) with the app's name, and turn into a failure
the day they are fixed (remove the mark then).
"""

from __future__ import annotations

import html
import io
import json
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from dangvu.conftest import World, build_world
from dangvu.core.tests.test_authorization import (
    CUJUT_CELL,
    RULES,
    TUYDUC_CELL,
    app_urls,
    assessment_at,
    case_at,
    objects_for,
    session_at,
)

pytestmark = pytest.mark.django_db  # the test database (each test reads the walk's findings)

PERSONAS = ("mattran", "ybhiong", "tochuc", "quantri")
#: The conclusion of an inspection case of the world: a fact no walked persona may read.
CASE_CONCLUSION = "Kết luận thử: vi phạm quy định về đất đai ở thôn 1"
#: The apps (URL namespaces) walked; checked against the URL configuration below.
APPS = (
    "accounts",
    "api",
    "assessments",
    "awards",
    "core",
    "documents",
    "exchange",
    "home",
    "indicators",
    "jobs",
    "inspection",
    "meetings",
    "members",
    "plans",
    "practices",
    "reports",
    "reviews",
    "rounds",
    "sociology",
    "study",
    "supervision",
    "surveys",
    "units",
)
#: Pages opened by holding a personal credential (an assessment's token, a survey's code),
#: not through a department's reach: they show their holder's own name (never a card
#: number, which is checked there too).
CREDENTIALS = {"token", "token_question"}
#: Text that is no record: the exchange template's example row names a "Nguyễn Thị Hoà".
FIXED = {("exchange:template", "Nguyễn Thị Hoà")}
#: Leaks known and not fixed yet, by (persona, app): marked xfail(strict=True).
KNOWN: dict[tuple[str, str], str] = {}
#: Pages each persona must have read (a 200), or the walk proves nothing about them.
READ = {
    "mattran": {
        "assessments:results",
        "assessments:results_xlsx",
        "api:results",
        "study:detail",
        "study:training",
        "awards:detail",
        "sociology:results",
        "reports:xlsx",
        "jobs:file",
    },
    "ybhiong": {"members:detail", "reviews:commitment", "assessments:take", "api:attempt"},
    "tochuc": {"members:detail", "exchange:export", "reviews:member", "reports:xlsx", "jobs:file"},
    "quantri": {"members:detail", "exchange:export", "accounts:audit", "reports:docx"},
}


# -- the world, with persons in every record that can name them ---------------------------------
def populate(world: World) -> dict[str, list[tuple[str, dict[str, object]]]]:
    """Records that name members, beyond what `objects_for` makes: every test assessment
    taken, every test session attended, a training class, theory training, an award to a
    member, a closed survey that is not anonymous. Returns extra objects to walk, by kind."""
    from dangvu.assessments import services as assessments
    from dangvu.assessments.models import Attempt
    from dangvu.awards.models import AwardForm, Issuer, RecipientKind, Theme
    from dangvu.awards.services import DecisionSpec, RecipientSpec, decision_save
    from dangvu.sociology import services as sociology
    from dangvu.sociology.models import Channel, Invitation
    from dangvu.study import services as study

    for code in ("DN", CUJUT_CELL, TUYDUC_CELL):
        assessment = assessment_at(code)
        for attempt in Attempt.objects.filter(assessment=assessment).select_related("assessment"):
            for question_id, options in attempt.questions:
                assessments.answer_save(attempt=attempt, question_id=question_id, options=options)
            assessments.attempt_submit(attempt=attempt)
        session = session_at(code)
        study.attendance_mark(
            session=session, present=set(session.attendances.values_list("member_id", flat=True))
        )
    study.training_class_create(
        title="Lớp bồi dưỡng ở Cư Jút",
        unit=world.units["DN.CUJUT"],
        kind="refresher",
        start_on=date(2021, 3, 1),
        end_on=date(2021, 3, 5),
        participant_cards=["67000001", "67000005"],
    )
    for card in ("67000002", "67000009"):
        study.theory_training_add(card_number=card, level="advanced", completed_on=date(2021, 1, 4))
    member = world.members["binh"]
    award = decision_save(
        spec=DecisionSpec(
            unit=world.units["DN"],
            issuer=Issuer.STANDING_COMMITTEE,
            number="QĐ cá nhân",
            issued_on=date(2021, 5, 19),
            form=AwardForm.CERTIFICATE,
            theme=Theme.HCM,
            recipients=[
                RecipientSpec(
                    RecipientKind.MEMBER, member.full_name, world.units[CUJUT_CELL], member
                )
            ],
        )
    )
    survey = sociology.questionnaire_save(
        spec=sociology.QuestionnaireSpec(
            unit=world.units["DN"],
            title="Điều tra có ghi tên",
            started_on=date(2022, 3, 1),
            ended_on=date(2022, 3, 31),
            sample_units=[world.units[CUJUT_CELL]],
            anonymous=False,
        )
    )
    question = sociology.question_add(questionnaire=survey, kind="text", text="Ý kiến")
    sociology.questionnaire_open(questionnaire=survey, sample_size=4, day=date(2022, 3, 1), seed=3)
    for invitation in Invitation.objects.filter(questionnaire=survey):
        sociology.response_submit(
            questionnaire=survey,
            raw={question.pk: ["Đồng ý"]},
            channel=Channel.PHONE,
            code=invitation.code,
            day=date(2022, 3, 2),
        )
    sociology.questionnaire_close(questionnaire=survey)
    from dangvu.core.tests.test_authorization import CASE_UNITS
    from dangvu.inspection.services import case_conclude

    cases = [case_at(world, code) for code in CASE_UNITS]
    case_conclude(
        case=cases[0], concluded_on=date(2022, 4, 1), violation=True, conclusion=CASE_CONCLUSION
    )
    return {
        "award": [(CUJUT_CELL, {"decision_id": award.pk})],
        "socio": [(CUJUT_CELL, {"survey_id": survey.pk})],
    }


# -- reading an answer --------------------------------------------------------------------------
def texts(content: bytes, content_type: str) -> Iterator[str]:
    """The text of an answer as a reader would see it: entities decoded, JSON's escapes
    read, every part of a zipped export (XLSX, DOCX) opened."""
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for name in archive.namelist():
                yield html.unescape(archive.read(name).decode("utf-8", "replace"))
        return
    text = content.decode("utf-8", "replace")
    if "json" in content_type:
        yield json.dumps(json.loads(text), ensure_ascii=False)
    yield html.unescape(text)


def shown(persona: str, world: World) -> tuple[set[str], set[str]]:
    """The names, and the card numbers and case facts, `persona` must not read."""
    from dangvu.inspection.models import InspectionCase

    facts = {CASE_CONCLUSION, *InspectionCase.objects.values_list("code", flat=True)}
    if persona == "mattran":
        members = list(world.members.values())
        return {m.full_name for m in members}, {m.card_number for m in members} | facts
    if persona in ("tochuc", "quantri"):
        return set(), facts
    own = world.members[persona].card_number
    return set(), {m.card_number for m in world.members.values()} - {own} | facts


def walk(
    world: World, persona: str, extra: dict[str, list[tuple[str, dict[str, object]]]]
) -> dict[str, list[str]]:
    """Every GET URL as `persona`: what each 200 showed that it must not, by app (and under
    "200", the names of the URLs read)."""
    client = Client()
    client.force_login(world.users[persona])
    names, cards = shown(persona, world)
    found: dict[str, list[str]] = defaultdict(list)
    for name, _ in app_urls():
        rule = RULES[name]
        if "GET" not in rule.methods:
            continue
        for _key, kwargs in objects_for(world, rule.objects) + extra.get(rule.objects, []):
            url = reverse(name, kwargs=kwargs)
            response = client.get(url)
            if response.status_code != 200:
                continue
            found["200"].append(name)
            content = (
                b"".join(response.streaming_content)  # type: ignore[attr-defined]
                if response.streaming
                else response.content
            )
            named = set() if rule.objects in CREDENTIALS else names
            seen = set()
            for text in texts(content, response.get("Content-Type", "")):
                seen |= {n for n in named if n in text} | {c for c in cards if c in text}
            seen -= {text for page, text in FIXED if page == name}
            if seen:
                leak = f"{url} ({name}): {', '.join(sorted(seen))}"
                if leak not in found[name.split(":")[0]]:
                    found[name.split(":")[0]].append(leak)
    return dict(found)


@pytest.fixture(scope="module")
def findings(django_db_setup: Any, django_db_blocker: Any) -> dict[str, dict[str, list[str]]]:
    """The walk of every persona over one world, rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        extra = populate(world)
        result = {persona: walk(world, persona, extra) for persona in PERSONAS}
        transaction.set_rollback(True)
    return result


def test_it_walks_every_app() -> None:
    assert {name.split(":")[0] for name, _ in app_urls()} == set(APPS)


def _cases() -> Iterator[Any]:
    for persona in PERSONAS:
        for app in APPS:
            reason = KNOWN.get((persona, app))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(persona, app, marks=marks, id=f"{persona}-{app}")


@pytest.mark.parametrize(("persona", "app"), list(_cases()))
def test_it_shows_no_personal_field_beyond_the_departments_duty(
    findings: dict[str, dict[str, list[str]]], persona: str, app: str
) -> None:
    leaks = findings[persona].get(app, [])
    assert leaks == [], "\n".join(leaks)


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_reads_the_pages_that_could_name_members(
    findings: dict[str, dict[str, list[str]]], persona: str
) -> None:
    assert READ[persona] - set(findings[persona]["200"]) == set()


def test_it_finds_a_planted_name_and_card() -> None:
    """The reader itself: a name in an entity, in JSON escapes, in a workbook's cells."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    book.add_worksheet("A").write_row(0, 0, ["Điểu K'Bình", "67000008"])
    book.close()
    assert any("Điểu K'Bình" in t for t in texts("Điểu K&#x27;Bình".encode(), "text/html"))
    assert any(
        "Điểu K'Bình" in t
        for t in texts(json.dumps({"n": "Điểu K'Bình"}).encode(), "application/json")
    )
    assert any("Điểu K'Bình" in t and "67000008" in t for t in texts(out.getvalue(), ""))
