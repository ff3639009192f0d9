"""Exports write text as text: a name or an answer typed as a formula reaches the officer
who downloads the workbook as the characters typed, never as a live formula or link."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from dangvu.assessments import services as assessment_services
from dangvu.conftest import World
from dangvu.documents.services import document_register
from dangvu.lib.tests.test_xlsx_book import HOSTILE, cells, live_parts
from dangvu.members.models import Member
from dangvu.units.models import Unit, UnitVersion

CELL = "DN.CUJUT.EATLING.TDP1"


def _hostile_names(world: World) -> list[str]:
    """The members of Hoà's cell renamed to what a hostile typist may enter, and the
    cell's name too."""
    names = HOSTILE[:4]
    members = Member.objects.filter(pk__in=[m.pk for m in world.members.values()]).order_by("pk")
    cell_members = [m for m in members if m.memberships.filter(unit__code=CELL).exists()]
    for member, name in zip(cell_members, names, strict=False):
        Member.objects.filter(pk=member.pk).update(full_name=name)
    UnitVersion.objects.filter(unit__code=CELL).update(name=HOSTILE[4])
    return [*names[: len(cell_members)], HOSTILE[4]]


def _strings(raw: bytes) -> set[str]:
    return {str(value) for kind, value in cells(raw) if kind == "s"}


def test_it_writes_hostile_names_in_the_results_workbook_as_text(world: World) -> None:
    names = _hostile_names(world)
    document = document_register(
        symbol="05-ĐA/TU",
        issued_on=timezone.localdate(),
        issuer="Ban Thường vụ Tỉnh ủy",
        title="Đề án thử",
        key="hostile-doc",
    )
    for text in ("=1+1", "@SUM(A1)"):
        assessment_services.question_save(
            document=document,
            section=None,
            kind="single",
            text=text,
            options=[("=2", True), ("+3", False)],
        )
    now = timezone.now()
    assessment = assessment_services.assessment_save(
        spec=assessment_services.AssessmentSpec(
            title="Kiểm tra",
            document=document,
            unit=Unit.objects.get(code=CELL),
            opens_at=now - timedelta(minutes=1),
            closes_at=now + timedelta(hours=1),
            question_count=2,
        )
    )
    assessment_services.assessment_open(assessment=assessment)

    response = world.client("hoa").get(reverse("assessments:results_xlsx", args=[assessment.pk]))

    assert response.status_code == 200
    raw = response.content
    assert live_parts(raw) == []
    assert all(kind != "f" for kind, _ in cells(raw))
    assert set(names) <= _strings(raw)


def test_it_writes_hostile_names_in_the_exchange_workbook_as_text(world: World) -> None:
    names = _hostile_names(world)

    response = world.client("tochuc").get(reverse("exchange:export"))

    assert response.status_code == 200
    raw = response.content
    assert live_parts(raw) == []
    assert all(kind != "f" for kind, _ in cells(raw))
    assert set(names) <= _strings(raw)
