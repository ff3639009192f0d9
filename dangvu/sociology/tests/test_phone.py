"""A member answers a sociological survey on a 360 × 740 phone: the code typed from the
slip, every question's heading inside its card, every choice a finger-sized target,
nothing scrolling sideways, no serious accessibility fault, and the sheet recorded."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from dangvu.conftest import World, axe_violations, phone_problems
from dangvu.sociology.models import Invitation, Response
from dangvu.sociology.tests.helpers import make_survey

pytestmark = [pytest.mark.browser]
SHOTS = os.environ.get("DANGVU_SHOTS", "")
WAIT = 15_000


def test_it_lets_a_member_answer_a_survey_on_a_small_phone(
    live_world: World, live_server: Any, phone: Any
) -> None:
    from playwright.sync_api import expect

    phone.set_default_timeout(WAIT)
    survey = make_survey(live_world, day=timezone.localdate())
    invitation = Invitation.objects.filter(questionnaire=survey).first()
    assert invitation is not None

    phone.goto(f"{live_server.url}/dieu-tra/tra-loi/")
    code = phone.get_by_label("Mã phiếu (ghi trên giấy mời)")
    expect(code).to_be_focused()  # the keyboard is up: no tap to find the box
    assert phone_problems(phone) == []
    assert axe_violations(phone) == []
    phone.keyboard.type(invitation.code.lower())
    phone.get_by_role("button", name="Mở phiếu").tap()
    expect(phone.get_by_role("heading", name=survey.title)).to_be_visible()

    assert phone_problems(phone) == []
    assert axe_violations(phone) == []
    cards = phone.locator("fieldset.question")
    for i in range(cards.count()):
        card = cards.nth(i).bounding_box()
        legend = cards.nth(i).locator("legend").bounding_box()
        assert legend["y"] > card["y"] + 1, f"question {i + 1}'s heading on the border"
        assert legend["x"] + legend["width"] <= card["x"] + card["width"]
    points = phone.locator(".scale .point")
    assert min(points.nth(i).bounding_box()["width"] for i in range(points.count())) >= 44

    phone.get_by_text("Chưa dùng", exact=True).tap()
    phone.get_by_text("Kỹ năng", exact=True).tap()
    phone.locator(".scale .point", has_text="4").tap()
    phone.locator("textarea").fill("Cần tập huấn sử dụng dịch vụ công")
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        phone.screenshot(path=str(Path(SHOTS) / "phone-survey.png"), full_page=True)
    phone.get_by_role("button", name="Gửi phiếu").tap()
    expect(phone.get_by_role("status")).to_contain_text("Cảm ơn đồng chí đã trả lời phiếu")
    assert phone_problems(phone) == []
    assert axe_violations(phone) == []
    sheet = Response.objects.get()
    assert sorted(a.option.text for a in sheet.answers.all() if a.option) == [
        "Chưa dùng",
        "Kỹ năng",
    ]
