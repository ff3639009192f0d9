"""Running an assessment goes through the study roles in force today: the organisation
officer of Cư Jút, whose role ended with the district on 30/06/2025, still reads its
history but hands out no personal link, prints no sheet, enters none, and opens or closes
nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from dangvu.accounts.models import Department, User
from dangvu.accounts.services import account_create, role_grant
from dangvu.assessments.models import Answer, Assessment, AssessmentStatus, Attempt
from dangvu.assessments.tests.helpers import TDP1, attempt_of, document_with_bank, opened
from dangvu.conftest import PASSWORD, World

ENDED = date(2025, 7, 1)  # Cư Jút's committee ended with the district


def former_officer(world: World) -> User:
    user = account_create(username="tochuc.cujut", password=PASSWORD, check_password=False)
    role_grant(
        user=user,
        unit=world.units["DN.CUJUT"],
        department=Department.ORGANISATION,
        valid_from=date(2018, 1, 1),
        valid_to=ENDED,
    )
    return user


@pytest.fixture
def former(world: World) -> Client:
    client = Client()
    client.force_login(former_officer(world))
    return client


@pytest.fixture
def assessment(world: World) -> Assessment:
    """Open today in Tổ dân phố 1, a former cell of Cư Jút."""
    return opened(world, document_with_bank(), TDP1, opens_at=None, question_count=4)


def state() -> list[Any]:
    return [
        sorted(Assessment.objects.values_list("pk", "status", "closes_at")),
        sorted(Attempt.objects.values_list("pk", "started_at", "submitted_at", "source")),
        Answer.objects.count(),
    ]


def test_it_lets_an_ended_role_read_nothing(world, former, assessment):
    """Reach ends with the role (the scope is built from roles in force today)."""
    assert former.get(f"/kiem-tra/{assessment.pk}/").status_code == 404
    assert former.get(f"/kiem-tra/{assessment.pk}/ket-qua/").status_code == 404


@pytest.mark.parametrize("page", ["duong-dan", "trinh-chieu", "phieu-giay", "nhap-phieu"])
def test_it_hands_out_nothing_through_a_role_that_has_ended(world, former, assessment, page):
    """The nine personal links of an assessment open today were read this way."""
    attempt = attempt_of(world, assessment, "ybhiong")

    response = former.get(f"/kiem-tra/{assessment.pk}/{page}/")

    assert response.status_code == 404
    assert attempt.token not in response.content.decode()


def test_it_lets_an_ended_role_neither_close_nor_enter_sheets(world, former, assessment):
    binh = attempt_of(world, assessment, "binh")
    before = state()

    closing = former.post(f"/kiem-tra/{assessment.pk}/", {"action": "close"})
    entering = former.post(f"/kiem-tra/{assessment.pk}/nhap-phieu/", {f"a{binh.pk}_1": "A"})

    assert (closing.status_code, entering.status_code) == (404, 404)
    assert state() == before
    assert Assessment.objects.get(pk=assessment.pk).status == AssessmentStatus.OPEN


def test_it_refuses_an_assessment_created_through_an_ended_role(world, former):
    document = document_with_bank()

    response = former.post(
        "/kiem-tra/moi/",
        {
            "title": "Kiểm tra lại",
            "document": str(document.pk),
            "session": "",
            "unit_code": TDP1,
            "question_count": "4",
            "time_limit_minutes": "10",
            "opens_at": "15/03/2024 08:00",  # inside the role's period: still refused
            "closes_at": "15/03/2024 10:00",
            "pass_mark": "50",
        },
    )

    assert response.status_code == 404
    assert not Assessment.objects.exists()


def test_it_lets_the_secretary_in_office_run_it(world, assessment):
    """The same pages through a role in force today: Hoà, secretary of the cell."""
    client = world.client("hoa")

    for page in ("duong-dan", "trinh-chieu", "phieu-giay", "nhap-phieu"):
        assert client.get(f"/kiem-tra/{assessment.pk}/{page}/").status_code == 200
    assert client.post(f"/kiem-tra/{assessment.pk}/", {"action": "close"}).status_code == 302
    assert Assessment.objects.get(pk=assessment.pk).status == AssessmentStatus.CLOSED
