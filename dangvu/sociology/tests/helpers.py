"""A small anonymous survey of two cells of Cư Jút, open, with its codes."""

from __future__ import annotations

from datetime import date, timedelta

from django.http import HttpResponse
from django.test import Client

from dangvu.conftest import World
from dangvu.sociology.models import Questionnaire
from dangvu.sociology.services import (
    QuestionnaireSpec,
    question_add,
    questionnaire_open,
    questionnaire_save,
)

DAY = date(2022, 3, 1)


def make_survey(
    world: World,
    *,
    anonymous: bool = True,
    sample_size: int = 4,
    unit: str = "DN",
    day: date = DAY,
) -> Questionnaire:
    """Open from `day` for a month (today's date for the pages a phone opens)."""
    u = world.units
    survey = questionnaire_save(
        spec=QuestionnaireSpec(
            unit=u[unit],
            title="Nhận thức của cán bộ, đảng viên về chuyển đổi số",
            started_on=day,
            ended_on=day + timedelta(days=30),
            sample_units=[u["DN.CUJUT.EATLING.TDP1"], u["DN.CUJUT.EATLING.TDP2"]],
            anonymous=anonymous,
        )
    )
    question_add(
        questionnaire=survey,
        kind="single",
        text="Đồng chí đã dùng dịch vụ công trực tuyến chưa?",
        options=["Đã dùng", "Chưa dùng"],
    )
    question_add(
        questionnaire=survey,
        kind="multiple",
        text="Khó khăn gặp phải",
        options=["Thiết bị", "Kỹ năng", "Đường truyền"],
        required=False,
    )
    question_add(
        questionnaire=survey,
        kind="scale",
        text="Mức độ hài lòng",
        scale_max=5,
        low_label="Rất không hài lòng",
        high_label="Rất hài lòng",
    )
    question_add(questionnaire=survey, kind="text", text="Kiến nghị", required=False)
    questionnaire_open(questionnaire=survey, sample_size=sample_size, day=day, seed=1)
    survey.refresh_from_db()
    return survey


def sheet(survey: Questionnaire, first: int, hard: list[int], points: int, text: str = "") -> dict:
    """POST data for one sheet: option indexes (0-based) and points."""
    q = list(survey.questions.prefetch_related("options"))
    o1, o2 = list(q[0].options.all()), list(q[1].options.all())
    data: dict = {f"q{q[0].pk}": str(o1[first].pk), f"q{q[2].pk}": str(points), f"q{q[3].pk}": text}
    data[f"q{q[1].pk}"] = [str(o2[i].pk) for i in hard]
    return data


def raw_of(data: dict) -> dict[int, list[str]]:
    return {int(k[1:]): v if isinstance(v, list) else [v] for k, v in data.items()}


ANSWER_PAGE = "/dieu-tra/tra-loi/"


def open_code(client: Client, code: str) -> HttpResponse:
    """The respondent's page after typing the code from the slip."""
    return client.post(ANSWER_PAGE, {"ma": code}, follow=True)


def answer_on_phone(client: Client, code: str, data: dict) -> HttpResponse:
    """One sheet sent from the respondent's page (the code travels in the body only)."""
    return client.post(ANSWER_PAGE, {"ma": code, "gui": "1", **data})
