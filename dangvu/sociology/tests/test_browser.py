"""In real headless Chromium on a phone: a member types the code from the slip, answers
the anonymous questionnaire (a forgotten question is pointed out, nothing chosen is lost)
and sends it; the sheet is recorded without the member."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from dangvu.conftest import World
from dangvu.sociology.models import Invitation, Response, ResponseAnswer
from dangvu.sociology.tests.helpers import make_survey

pytestmark = [pytest.mark.browser]
WAIT = 15_000


def test_a_member_answers_a_survey_on_a_phone(
    live_world: World, live_server: Any, browser: Any
) -> None:
    from playwright.sync_api import expect

    survey = make_survey(live_world, day=timezone.localdate())
    invitation = Invitation.objects.filter(questionnaire=survey).first()
    assert invitation is not None
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(WAIT)
    page = context.new_page()
    page.goto(f"{live_server.url}/dieu-tra/tra-loi/")
    page.get_by_label("Mã phiếu (ghi trên giấy mời)").fill(invitation.code.lower())
    page.get_by_role("button", name="Mở phiếu").tap()
    expect(page.get_by_role("heading", name=survey.title)).to_be_visible()
    expect(page.locator(".notice")).to_contain_text("Phiếu không ghi tên")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # Question 1 forgotten: the page says so and keeps what was chosen.
    page.get_by_role("checkbox", name="Kỹ năng").check()
    page.get_by_role("checkbox", name="Đường truyền").check()
    page.get_by_role("radio", name="4", exact=True).check()
    page.get_by_role("button", name="Gửi phiếu").tap()
    expect(page.locator(".msg-error")).to_contain_text("Câu 1: chưa trả lời.")
    expect(page.get_by_role("checkbox", name="Kỹ năng")).to_be_checked()
    expect(page.get_by_role("radio", name="4", exact=True)).to_be_checked()
    assert not Response.objects.exists()

    page.get_by_role("radio", name="Chưa dùng").check()
    page.locator("textarea").fill("Cần tập huấn sử dụng dịch vụ công")
    page.screenshot(path="/tmp/dangvu-survey-phone.png", full_page=True)
    page.get_by_role("button", name="Gửi phiếu").tap()
    expect(page.get_by_role("status")).to_contain_text("Cảm ơn đồng chí đã trả lời phiếu")

    sheet = Response.objects.get()
    assert sheet.member is None and sheet.channel == ""  # anonymous: not even how
    answers = ResponseAnswer.objects.filter(response=sheet)
    assert sorted(a.option.text for a in answers if a.option) == [
        "Chưa dùng",
        "Kỹ năng",
        "Đường truyền",
    ]
    assert [a.points for a in answers if a.points] == [4]
    invitation.refresh_from_db()
    assert invitation.used
    # The code was typed, never put in an address.
    assert invitation.code not in page.url and invitation.code.lower() not in page.url
    # The same code again: the same form (whoever holds the slip learns nothing by opening
    # it); the complete sheet is refused and nothing more recorded.
    page.goto(f"{live_server.url}/dieu-tra/tra-loi/")
    page.get_by_label("Mã phiếu (ghi trên giấy mời)").fill(invitation.code)
    page.get_by_role("button", name="Mở phiếu").tap()
    page.get_by_role("radio", name="Đã dùng").check()
    page.get_by_role("radio", name="2", exact=True).check()
    page.get_by_role("button", name="Gửi phiếu").tap()
    expect(page.locator(".msg-error")).to_contain_text("đã được dùng")
    assert Response.objects.count() == 1
    context.close()
