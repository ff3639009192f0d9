"""Recording training classes (lớp bồi dưỡng) by their participants' cards, and members who
completed political-theory training (đào tạo lý luận chính trị)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.messages import get_messages

from dangvu.core.errors import DomainError
from dangvu.members.services import member_transfer
from dangvu.study import services
from dangvu.study.models import TheoryTraining, TrainingClass
from dangvu.study.tests.helpers import TDP1, TDP2
from dangvu.units.models import Unit


def _class(world: Any, **overrides: Any) -> TrainingClass:
    fields: dict[str, Any] = {
        "title": "Lớp bồi dưỡng cập nhật kiến thức năm 2021",
        "unit": world.units["DN.CUJUT"],
        "kind": "refresher",
        "start_on": date(2021, 3, 1),
        "end_on": date(2021, 3, 5),
        "participant_cards": ["67000001", "67000005"],
    }
    fields.update(overrides)
    return services.training_class_create(**fields)


def _class_refused(world: Any, **overrides: Any) -> str:
    with pytest.raises(DomainError) as error:
        _class(world, **overrides)
    assert TrainingClass.objects.count() == 0
    assert TrainingClass.participants.through.objects.count() == 0
    return error.value.message


def test_it_records_a_class_with_its_participants(world):
    created = _class(
        world,
        title="  Lớp bồi dưỡng   cập nhật\nkiến thức ",
        kind="new_theory",
        participant_cards=[" 67000001 ", "67000005", "", "67000001", "  "],
    )

    stored = TrainingClass.objects.get(pk=created.pk)
    assert stored.title == "Lớp bồi dưỡng cập nhật kiến thức"
    assert (stored.unit, stored.kind) == (world.units["DN.CUJUT"], "new_theory")
    assert (stored.start_on, stored.end_on) == (date(2021, 3, 1), date(2021, 3, 5))
    assert sorted(stored.participants.values_list("card_number", flat=True)) == [
        "67000001",
        "67000005",
    ]


def test_it_accepts_a_class_of_one_day(world):
    created = _class(world, start_on=date(2021, 3, 1), end_on=date(2021, 3, 1))

    assert TrainingClass.objects.get(pk=created.pk).end_on == date(2021, 3, 1)


def test_it_accepts_a_class_without_participants_yet(world):
    assert _class(world, participant_cards=[]).participants.count() == 0


def test_it_finds_participants_whatever_the_case_of_their_card(world):
    from dangvu.members.models import Gender
    from dangvu.members.services import member_create

    member_create(
        card_number="DN2020AB01",
        full_name="Hồ Văn Chữ",
        birth_date=date(1990, 1, 1),
        gender=Gender.MALE,
        joined_on=date(2020, 1, 1),
        cell=world.units[TDP2],
    )

    created = _class(world, participant_cards=["dn2020ab01"])

    assert [m.full_name for m in created.participants.all()] == ["Hồ Văn Chữ"]


def test_it_lists_every_unknown_card_and_records_nothing(world):
    message = _class_refused(
        world, participant_cards=["67000001", "99000002", " 99000001 ", "67000005", "99000002"]
    )

    assert message == services.NOT_PARTICIPANTS.format(
        unit="Huyện ủy Cư Jút", cards="99000001, 99000002"
    )
    assert message == (
        "Chưa ghi nhận lớp: các số thẻ sau không phải đảng viên sinh hoạt trong Huyện ủy Cư "
        "Jút trong thời gian học, hoặc ngoài phạm vi của bạn: 99000001, 99000002."
    )


def test_it_refuses_a_class_that_ends_before_it_starts(world):
    message = _class_refused(world, start_on=date(2021, 3, 5), end_on=date(2021, 3, 4))

    assert message == services.DATES == "Ngày bế giảng không được trước ngày khai giảng."


@pytest.mark.parametrize("title", ["", "  \n "])
def test_it_refuses_a_class_without_a_name(world, title):
    assert (
        _class_refused(world, title=title) == services.CLASS_TITLE == "Tên lớp không được để trống."
    )


def test_it_refuses_a_class_of_a_unit_that_did_not_exist_on_the_first_day(world):
    message = _class_refused(world, start_on=date(2003, 6, 1), end_on=date(2003, 6, 5))

    assert message == "Đơn vị DN.CUJUT không tồn tại vào ngày 01/06/2003."


# -- political-theory training ----------------------------------------------------------
def test_it_records_theory_training_where_the_member_was_active(world):
    training = services.theory_training_add(
        card_number=" 67000002 ",
        level="intermediate",
        completed_on=date(2020, 6, 30),
        institution="  Trường Chính trị tỉnh Đắk Nông ",
    )

    stored = TheoryTraining.objects.get(pk=training.pk)
    assert (stored.member, stored.unit) == (world.members["ybhiong"], world.units[TDP1])
    assert (stored.level, stored.completed_on) == ("intermediate", date(2020, 6, 30))
    assert stored.institution == "Trường Chính trị tỉnh Đắk Nông"
    assert stored.get_level_display() == "Trung cấp lý luận chính trị"


def test_it_keeps_theory_training_with_the_cell_of_the_day_after_a_transfer(world):
    member_transfer(
        member=world.members["ybhiong"], to_cell=world.units[TDP2], effective_on=date(2021, 1, 1)
    )

    before = services.theory_training_add(
        card_number="67000002", level="advanced", completed_on=date(2020, 12, 31)
    )
    after = services.theory_training_add(
        card_number="67000002", level="advanced", completed_on=date(2021, 1, 1)
    )

    assert TheoryTraining.objects.get(pk=before.pk).unit == world.units[TDP1]
    assert TheoryTraining.objects.get(pk=after.pk).unit == world.units[TDP2]


def test_it_refuses_theory_training_of_an_unknown_card(world):
    with pytest.raises(DomainError) as error:
        services.theory_training_add(
            card_number="99000001", level="advanced", completed_on=date(2020, 1, 1)
        )

    assert error.value.message == "Không có đảng viên số thẻ: 99000001."
    assert TheoryTraining.objects.count() == 0


def test_it_refuses_theory_training_completed_before_the_member_was_active(world):
    """Trần Văn An is active from 01/06/2019."""
    with pytest.raises(DomainError) as error:
        services.theory_training_add(
            card_number="67000004", level="advanced", completed_on=date(2019, 5, 31)
        )

    assert error.value.message == (
        "Trần Văn An không sinh hoạt tại chi bộ nào vào ngày 31/05/2019."
    )
    assert TheoryTraining.objects.count() == 0


def test_it_accepts_theory_training_completed_on_the_first_day_active(world):
    training = services.theory_training_add(
        card_number="67000004", level="advanced", completed_on=date(2019, 6, 1)
    )

    assert TheoryTraining.objects.get(pk=training.pk).unit == world.units[TDP1]


# -- participants stay inside the class's organiser and the writer's reach ---------------------
def test_it_refuses_a_participant_from_another_district_and_records_nothing(world):
    """A Cư Jút class took a participant from Tuy Đức: every such card is listed."""
    message = _class_refused(world, participant_cards=["67000001", "67000008", "67000009"])

    assert message == (
        "Chưa ghi nhận lớp: các số thẻ sau không phải đảng viên sinh hoạt trong Huyện ủy Cư "
        "Jút trong thời gian học, hoặc ngoài phạm vi của bạn: 67000008, 67000009."
    )


def test_it_refuses_a_participant_who_left_the_organiser_before_the_class(world):
    member_transfer(
        member=world.members["anh"],
        to_cell=world.units["DN.TUYDUC.QUANGTRUC.BP"],
        effective_on=date(2021, 2, 1),
    )

    message = _class_refused(world, participant_cards=["67000005"])

    assert message.endswith("ngoài phạm vi của bạn: 67000005.")


def test_it_accepts_a_participant_who_moved_in_during_the_class(world):
    member_transfer(
        member=world.members["kbinh"], to_cell=world.units[TDP2], effective_on=date(2021, 3, 3)
    )

    created = _class(world, participant_cards=["67000008"])

    assert [m.card_number for m in created.participants.all()] == ["67000008"]


def test_it_refuses_a_participant_outside_the_writers_reach(world):
    """Inside the organiser, but in a cell the writer does not record today."""
    reach = Unit.objects.filter(code=TDP2)

    message = _class_refused(world, participant_cards=["67000001", "67000005"], reach=reach)

    assert message.endswith("ngoài phạm vi của bạn: 67000001.")


def test_it_refuses_the_secretary_a_participant_of_the_neighbouring_cell(world):
    response = world.client("hoa").post(
        "/hoc-tap/boi-duong/",
        {
            "title": "Lớp của chi bộ",
            "unit_code": TDP1,
            "kind": "refresher",
            "start_on": "01/03/2021",
            "end_on": "05/03/2021",
            "cards": "67000001\n67000005, 67000008",
        },
    )

    assert response.status_code == 200
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Chưa ghi nhận lớp: các số thẻ sau không phải đảng viên sinh hoạt trong Chi bộ Tổ dân "
        "phố 1 trong thời gian học, hoặc ngoài phạm vi của bạn: 67000005, 67000008."
    ]
    assert TrainingClass.objects.count() == 0
    assert TrainingClass.participants.through.objects.count() == 0
