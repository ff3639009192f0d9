"""In real headless Chromium on a 360 × 740 phone: a cell secretary records this month's
meeting with its attendance, from the meetings page in one tap, then reads her cell's
compliance grid."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from dangvu.conftest import World, axe_violations, login_as, phone_problems, shot
from dangvu.meetings.models import Meeting
from dangvu.meetings.services import NO_REASON
from dangvu.members.models import Gender
from dangvu.members.services import member_create

pytestmark = [pytest.mark.browser]
WAIT = 15_000
TDP1 = "DN.CUJUT.EATLING.TDP1"


def fits_a_phone(page: Any) -> None:
    assert phone_problems(page) == []
    assert axe_violations(page) == []


def test_it_lets_a_secretary_record_a_meeting_with_attendance_on_a_phone(
    live_world: World, live_server: Any, phone: Any
) -> None:
    from playwright.sync_api import expect

    base, today = live_server.url, timezone.localdate()
    # A committee member of Đảng bộ thị trấn Ea T'Ling, in Chi bộ Tổ dân phố 2, visits.
    member_create(
        card_number="67000099",
        full_name="Võ Thị Mai",
        birth_date=date(1975, 2, 3),
        gender=Gender.FEMALE,
        joined_on=date(2000, 1, 1),
        full_member_on=date(2001, 1, 1),
        cell=live_world.units["DN.CUJUT.EATLING.TDP2"],
        active_from=date(2004, 1, 1),
        is_committee_member=True,
    )
    phone.set_default_timeout(WAIT)
    login_as(phone, base, "hoa")
    phone.goto(f"{base}/sinh-hoat/")
    # Her own cell, by name, without a code to type; this month one tap away.
    expect(phone.locator(".unit-name")).to_have_text(
        "Chi bộ Tổ dân phố 1 — Đảng bộ thị trấn Ea T'Ling"
    )
    assert "DN.CUJUT" not in phone.locator("main").inner_text()
    fits_a_phone(phone)
    shot(phone, "meetings-grid-phone.png")
    phone.get_by_role("link", name=f"Ghi buổi sinh hoạt tháng {today:%m/%Y}").tap()
    expect(phone.get_by_role("heading", name="Ghi buổi sinh hoạt")).to_be_visible()
    assert "DN.CUJUT" not in phone.locator("main").inner_text()
    expect(phone.get_by_label("Tháng", exact=True)).to_have_value(f"{today:%Y-%m}")
    fits_a_phone(phone)

    phone.get_by_label("Nội dung dự kiến").fill("Quán triệt nghị quyết; kiểm điểm nhiệm vụ tháng.")
    phone.get_by_label("Ngày sinh hoạt (để trống nếu chưa tổ chức)").fill(today.isoformat())
    phone.get_by_label("Ngày gửi tài liệu đến đảng viên").fill(
        (today - timedelta(days=1)).isoformat()
    )
    phone.get_by_label("Thời lượng (phút)").fill("100")
    bình = phone.get_by_role("group", name="Đặng Văn Bình")
    an = phone.get_by_role("group", name="Trần Văn An")
    # Bình is away: "Vắng có lý do" without the reason first, and the page says what is missing.
    bình.get_by_text("Vắng có lý do").tap()
    expect(phone.get_by_label("Lý do vắng của Đặng Văn Bình")).to_be_visible()
    an.get_by_text("Vắng không lý do").tap()
    phone.get_by_label("Cấp ủy viên cấp trên được phân công dự").select_option(
        label="Võ Thị Mai — Chi bộ Tổ dân phố 2"
    )
    phone.get_by_text("Cấp ủy viên cấp trên có dự").tap()
    for radio in phone.locator("input[type=radio]").all():
        if radio.is_checked():
            box = radio.locator("xpath=..").bounding_box()
            assert box["height"] >= 44 and box["width"] >= 90, "a choice a thumb can hit"
    fits_a_phone(phone)
    shot(phone, "meetings-record-phone.png")
    phone.get_by_role("button", name="Lưu buổi sinh hoạt").tap()
    expect(phone.locator(".msg-error")).to_have_text("Cần ghi lý do vắng của Đặng Văn Bình.")
    assert not Meeting.objects.exists()
    # What was chosen is kept: only the reason is to add.
    expect(bình.get_by_label("Vắng có lý do")).to_be_checked()
    expect(an.get_by_label("Vắng không lý do")).to_be_checked()
    phone.get_by_label("Lý do vắng của Đặng Văn Bình").fill("Đi công tác")
    phone.get_by_role("button", name="Lưu buổi sinh hoạt").tap()
    expect(phone.locator(".msg-success")).to_contain_text(
        f"Đã lưu buổi sinh hoạt tháng {today:%m/%Y}"
    )
    expect(phone.locator(".unit-name")).to_have_text(
        "Chi bộ Tổ dân phố 1 — Đảng bộ thị trấn Ea T'Ling"
    )
    fits_a_phone(phone)

    meeting = Meeting.objects.get()
    assert meeting.held_on == today and meeting.duration_minutes == 100
    assert meeting.upper_member is not None and meeting.upper_member.card_number == "67000099"
    assert meeting.upper_attended
    absent = dict(
        meeting.attendances.filter(present=False).values_list("member__full_name", "absence_reason")
    )
    assert absent == {"Đặng Văn Bình": "Đi công tác", "Trần Văn An": NO_REASON}
    assert meeting.attendances.filter(present=True).count() == 2

    # The grid: this month held (planned this month, so not as the regime asks: "!").
    phone.goto(f"{base}/sinh-hoat/?nam={today.year}")
    cell = phone.locator(f"td[title^='{today:%m/%Y}']")
    expect(cell).to_have_text("!")
    assert "kế hoạch không nhập trước tháng" in (cell.get_attribute("title") or "")
    expect(
        phone.get_by_role("link", name=f"Sửa buổi sinh hoạt tháng {today:%m/%Y}")
    ).to_be_visible()
