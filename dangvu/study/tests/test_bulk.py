"""The bulk paths of study (the demo's; a loader's): the same rules as one record on the
page, with the same messages, all or nothing."""

from __future__ import annotations

from datetime import date

import pytest

from dangvu.conftest import World
from dangvu.core.errors import DomainError
from dangvu.members.models import Member
from dangvu.study import services
from dangvu.study.models import Attendance, Site, StudySession, TheoryTraining, TrainingClass
from dangvu.study.services import (
    ExpectedRow,
    SessionRow,
    SiteRow,
    TheoryRow,
    TrainingClassRow,
)
from dangvu.study.tests.helpers import EATLING, HELD_ON, TDP1, UBKT, documents


def _refused(call: object, message: str) -> None:
    with pytest.raises(DomainError) as refused:
        call()  # type: ignore[operator]
    assert str(refused.value) == message


def test_it_records_sessions_in_bulk_by_the_page_rules(world: World) -> None:
    u = world.units
    docs = documents()
    member = Member.objects.get(card_number="67000001")
    row = SessionRow(
        title="  Học tập   Nghị quyết ",
        unit_id=u[EATLING].pk,
        held_on=HELD_ON,
        form="in_person",
        document_ids=[docs["nq-dh-xiii"].pk],
        sites=[SiteRow(u[EATLING].pk, "Điểm cầu chính", is_main=True), SiteRow(u[TDP1].pk, "TDP1")],
        expected=[ExpectedRow(site=1, member_id=member.pk, attended=True)],
    )
    outside = row._replace(sites=[*row.sites, SiteRow(u[UBKT].pk, "UBKT")])
    _refused(
        lambda: services.sessions_create(rows=[row, outside]), services.NOT_UNDER.format(code=UBKT)
    )
    _refused(
        lambda: services.sessions_create(rows=[row._replace(document_ids=[])]),
        services.NO_DOCUMENTS,
    )
    early = row._replace(held_on=date(1900, 1, 1))
    _refused(
        lambda: services.sessions_create(rows=[early]),
        services.NOT_ACTIVE.format(code=EATLING, day=date(1900, 1, 1)),
    )
    assert not StudySession.objects.exists()
    assert services.sessions_create(rows=[row]) == 1
    session = StudySession.objects.get()
    assert session.title == "Học tập Nghị quyết"
    attendance = Attendance.objects.get()
    assert attendance.attended and attendance.site == Site.objects.get(unit=u[TDP1])


def test_it_records_classes_and_theory_training_in_bulk_by_the_page_rules(world: World) -> None:
    u = world.units
    member = Member.objects.get(card_number="67000001")
    row = TrainingClassRow(
        title="Lớp bồi dưỡng",
        unit_id=u["DN.CUJUT"].pk,
        kind="refresher",
        start_on=date(2021, 3, 1),
        end_on=date(2021, 3, 5),
        participant_ids=[member.pk],
    )
    backwards = row._replace(end_on=date(2021, 2, 1))
    _refused(lambda: services.training_classes_create(rows=[row, backwards]), services.DATES)
    _refused(
        lambda: services.training_classes_create(rows=[row._replace(title=" ")]),
        services.CLASS_TITLE,
    )
    assert not TrainingClass.objects.exists()
    assert services.training_classes_create(rows=[row]) == 1
    assert list(TrainingClass.objects.get().participants.all()) == [member]
    theory = TheoryRow(member_id=member.pk, level="intermediate", completed_on=date(2021, 5, 1))
    too_early = theory._replace(completed_on=date(1950, 1, 1))
    _refused(
        lambda: services.theory_trainings_add(rows=[theory, too_early]),
        services.NO_CELL_ON.format(name=member.full_name, day=date(1950, 1, 1)),
    )
    assert not TheoryTraining.objects.exists()
    assert services.theory_trainings_add(rows=[theory]) == 1
    assert TheoryTraining.objects.get().unit == member.memberships.get().unit
