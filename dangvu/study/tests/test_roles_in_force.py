"""Study records are written through the roles in force today, and an attendance form
changes only the members it showed: the organisation officer of the dissolved Cư Jút
district wiped the attendance of a 2021 session by posting its site without the field."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from dangvu.accounts.models import Department
from dangvu.accounts.services import account_create, role_grant
from dangvu.conftest import PASSWORD, World
from dangvu.study import services
from dangvu.study.models import Attendance, StudySession, TheoryTraining, TrainingClass
from dangvu.study.tests.helpers import TDP1, documents, present_cards, session, site_of

ENDED = date(2025, 7, 1)


@pytest.fixture
def former(world: World) -> Client:
    """The organisation officer of Cư Jút, whose role ended with the district."""
    user = account_create(username="tochuc.cujut", password=PASSWORD, check_password=False)
    role_grant(
        user=user,
        unit=world.units["DN.CUJUT"],
        department=Department.ORGANISATION,
        valid_from=date(2018, 1, 1),
        valid_to=ENDED,
    )
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def held(world: World) -> StudySession:
    """Tổ dân phố 1 studied on 18/06/2021; all four of its members came."""
    created = session(world, TDP1, [documents()["nq-dh-xiii"]])
    services.attendance_mark(
        session=created, present=set(created.attendances.values_list("member_id", flat=True))
    )
    return created


def attendance() -> list[tuple[Any, ...]]:
    return sorted(Attendance.objects.values_list("session", "site", "member", "attended"))


def notes(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_it_lets_an_ended_role_neither_read_nor_mark_a_2021_session(world, former, held):
    site = site_of(held, TDP1)
    before = attendance()

    page = former.get(f"/hoc-tap/{held.pk}/")
    wipe = former.post(f"/hoc-tap/{held.pk}/", {"diem_cau": str(site.pk)})
    full = former.post(
        f"/hoc-tap/{held.pk}/",
        {"diem_cau": str(site.pk), "hien": [str(world.members["hoa"].pk)], "co_mat": []},
    )

    assert (page.status_code, wipe.status_code, full.status_code) == (404, 404, 404)
    assert attendance() == before
    assert present_cards(held) == ["67000001", "67000002", "67000003", "67000004"]


def test_it_changes_nothing_when_a_site_is_posted_without_its_list(world, held):
    """Hoà, in office: a post without the members shown is refused, not read as 'nobody'."""
    site = site_of(held, TDP1)
    before = attendance()

    response = world.client("hoa").post(f"/hoc-tap/{held.pk}/", {"diem_cau": str(site.pk)})

    assert response.status_code == 302
    assert notes(response) == [services.NOTHING_LISTED]
    assert services.NOTHING_LISTED == (
        "Biểu mẫu không kèm danh sách đảng viên dự kiến; chưa ghi nhận gì."
    )
    assert attendance() == before


def test_it_marks_absent_only_the_members_the_form_showed(world, held):
    site = site_of(held, TDP1)
    shown = [world.members["hoa"].pk, world.members["binh"].pk]

    response = world.client("hoa").post(
        f"/hoc-tap/{held.pk}/",
        {"diem_cau": str(site.pk), "hien": [str(pk) for pk in shown], "co_mat": [str(shown[0])]},
    )

    assert response.status_code == 302
    assert present_cards(held) == ["67000001", "67000002", "67000004"]  # Bình absent


def test_it_refuses_a_session_recorded_through_an_ended_role(world, former):
    docs = documents()

    response = former.post(
        "/hoc-tap/moi/",
        {
            "title": "Hội nghị 2021",
            "unit_code": "DN.CUJUT",
            "held_on": "18/06/2021",  # inside the role's period: still refused today
            "form": "in_person",
            "documents": [str(docs["nq-dh-xiii"].pk)],
            "site_codes": "",
        },
    )

    assert response.status_code == 404
    assert not StudySession.objects.exists()


def test_it_refuses_training_records_through_an_ended_role(world, former):
    theory = former.post(
        "/hoc-tap/boi-duong/",
        {
            "llct-card_number": "67000002",
            "llct-level": "intermediate",
            "llct-completed_on": "30/06/2020",
            "llct-institution": "",
        },
    )
    training = former.post(
        "/hoc-tap/boi-duong/",
        {
            "title": "Lớp 2021",
            "unit_code": "DN.CUJUT",
            "kind": "refresher",
            "start_on": "01/03/2021",
            "end_on": "05/03/2021",
            "cards": "67000001",
        },
    )

    assert (theory.status_code, training.status_code) == (404, 404)
    assert (TheoryTraining.objects.count(), TrainingClass.objects.count()) == (0, 0)


# -- the Front sees figures ---------------------------------------------------------------------
def test_it_shows_the_front_attendance_as_figures_only(world, held):
    response = world.client("mattran").get(f"/hoc-tap/{held.pk}/")

    assert response.status_code == 200 and response.context["attendances"] is None
    [counted] = response.context["sites"]
    assert (counted.site.name, counted.expected, counted.present) == ("Chi bộ Tổ dân phố 1", 4, 4)
    body = response.content.decode()
    assert 'name="co_mat"' not in body
    for member in world.members.values():
        assert member.full_name not in body and member.card_number not in body


def test_it_shows_the_front_theory_training_as_counts_only(world):
    services.theory_training_add(
        card_number="67000002", level="intermediate", completed_on=date(2020, 6, 30)
    )
    services.theory_training_add(
        card_number="67000009", level="intermediate", completed_on=date(2020, 6, 30)
    )

    front = world.client("mattran").get("/hoc-tap/boi-duong/")
    province = world.client("tochuc").get("/hoc-tap/boi-duong/")

    assert front.context["theory_counts"] == [("Trung cấp lý luận chính trị", 2)]
    assert list(front.context["theory"]) == []
    body = front.content.decode()
    assert "Trung cấp lý luận chính trị: <strong>2</strong>" in body
    assert "Y Bhiông Niê" not in body and "H&#x27;Bia Niê" not in body
    assert "Y Bhiông Niê" in province.content.decode()
