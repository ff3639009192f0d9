"""The annual cycle on a 360 × 740 phone, in real headless Chromium: the secretary saves the
year's reviews of a nine-member cell and approves a commitment; a member writes hers."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from dangvu.conftest import PHONE, World, axe_violations, login_as, phone_problems, shot
from dangvu.members.models import Gender, ManagementLevel
from dangvu.members.services import member_create
from dangvu.reviews import services
from dangvu.reviews.models import Commitment, CommitmentStatus, MemberReview, ReviewOutcome

pytestmark = [pytest.mark.browser]
WAIT = 15_000
TDP1 = "DN.CUJUT.EATLING.TDP1"
HEADING = "Chi bộ Tổ dân phố 1 — Đảng bộ thị trấn Ea T'Ling"
NEWCOMERS = ("Hồ Văn Thêm", "Lò Thị Xuân", "Nông Văn Dũng", "Vi Thị Hạnh", "Ksor Y Phun")
TEXTS = {
    "ideology": "Kiên định chủ nghĩa Mác - Lênin, tư tưởng Hồ Chí Minh.",
    "ethics": "Sống giản dị, gương mẫu nơi cư trú.",
    "duties": "Hoàn thành tốt nhiệm vụ tổ trưởng tổ dân phố.",
    "discipline": "Dự đủ các kỳ sinh hoạt chi bộ.",
    "degradation": "Không chia sẻ thông tin sai trái trên mạng xã hội.",
}


def fits_a_phone(page: Any) -> None:
    """Nothing scrolls sideways, every field readable and every target a thumb's size, no
    serious accessibility fault, and names (not unit codes) where a person reads."""
    assert phone_problems(page) == []
    assert axe_violations(page) == []
    assert not re.search(r"DN\.[A-Z]", page.locator("main").inner_text())
    for field in page.locator(
        "main select, main input:not([type=hidden]):not([type=radio])"
        ":not([type=checkbox]):not([type=file])"
    ).all():
        if field.is_visible():
            assert field.bounding_box()["width"] >= 120


def nine_members(world: World) -> None:
    """Chi bộ Tổ dân phố 1 grows to nine: five newcomers beside its four."""
    for n, name in enumerate(NEWCOMERS):
        member_create(
            card_number=f"6710000{n}",
            full_name=name,
            birth_date=date(1985, 1, 1),
            gender=Gender.FEMALE if "Thị" in name else Gender.MALE,
            joined_on=date(2010, 1, 1),
            full_member_on=date(2011, 1, 1),
            cell=world.units[TDP1],
            active_from=date(2010, 1, 1),
        )


def test_it_lets_a_secretary_save_the_years_reviews_of_nine_members_on_a_phone(
    live_world: World, live_server: Any, phone: Any, season: Callable[[date], None]
) -> None:
    from playwright.sync_api import expect

    season(date(2026, 1, 15))  # the results of 2025 are open (rated on 100 points)
    nine_members(live_world)
    base = live_server.url
    phone.set_default_timeout(WAIT)
    login_as(phone, base, "hoa")
    phone.goto(f"{base}/kiem-diem/?nam=2025")
    phone.get_by_role("link", name="Chi bộ Tổ dân phố 1").first.tap()
    expect(phone.get_by_role("heading", name="Kiểm điểm, xếp loại năm 2025")).to_be_visible()
    expect(phone.locator(".unit-name")).to_have_text(HEADING)
    assert phone.locator("fieldset.review-card").count() == 9
    fits_a_phone(phone)

    points = {
        "Y Bhiông Niê": "92",
        "Đặng Văn Bình": "85,5",
        "Trần Văn An": "78",
        "Hồ Văn Thêm": "75",
        "Lò Thị Xuân": "88",
        "Nông Văn Dũng": "65",
        "Vi Thị Hạnh": "95",
    }
    for name, value in points.items():
        phone.get_by_role("group", name=name).get_by_label("Điểm (thang 100)").fill(value)
    phun = phone.get_by_role("group", name="Ksor Y Phun")
    phun.get_by_label("Kết quả kiểm điểm").select_option(label="Không phải kiểm điểm")
    reason = phun.get_by_label("Lý do không phải kiểm điểm")
    expect(reason).to_be_visible()
    reason.select_option(label="Ốm đau, điều trị dài ngày")
    for field in (phun.get_by_label("Kết quả kiểm điểm"), reason):
        assert field.bounding_box()["width"] >= 120, "a drop-down shows its chosen value"
    fits_a_phone(phone)
    shot(phone, "reviews-cell-phone.png")
    phone.get_by_role("button", name="Lưu kết quả kiểm điểm").tap()
    expect(phone.locator(".msg-success")).to_have_text("Đã lưu kết quả kiểm điểm của 8 đảng viên.")
    fits_a_phone(phone)

    reviews = {
        r.member.full_name: r
        for r in MemberReview.objects.filter(year=2025).select_related("member", "grade")
    }
    assert set(reviews) == {*points, "Ksor Y Phun"}
    assert reviews["Đặng Văn Bình"].points == Decimal("85.5")
    assert reviews["Đặng Văn Bình"].outcome == ReviewOutcome.REVIEWED
    assert reviews["Vi Thị Hạnh"].grade.label == "Hoàn thành xuất sắc nhiệm vụ"
    assert reviews["Nông Văn Dũng"].grade.label == "Hoàn thành nhiệm vụ"
    assert reviews["Ksor Y Phun"].outcome == ReviewOutcome.EXEMPT
    assert reviews["Ksor Y Phun"].exempt_reason == "illness"
    # The saved points read back whole, with their grade.
    bình = phone.get_by_role("group", name="Đặng Văn Bình")
    assert bình.get_by_label("Điểm (thang 100)").input_value().startswith("85.5")
    expect(bình.locator(".review-grade")).to_have_text("Xếp loại: Hoàn thành tốt nhiệm vụ")


def test_it_lets_a_member_write_her_commitment_and_the_secretary_approve_it_on_phones(
    live_world: World, live_server: Any, browser: Any
) -> None:
    from playwright.sync_api import expect

    base, year = live_server.url, timezone.localdate().year
    member = browser.new_context(**PHONE)
    member.set_default_timeout(WAIT)
    page = member.new_page()
    login_as(page, base, "ybhiong")
    page.goto(f"{base}/cam-ket/")
    expect(page.get_by_role("heading", name=f"Bản cam kết năm {year}")).to_be_visible()
    fits_a_phone(page)
    for key, text in TEXTS.items():
        page.locator(f"#cam-ket-{key}").fill(text)
    page.get_by_role("button", name="Gửi chi bộ").tap()
    expect(page.locator(".msg-success")).to_have_text("Đã gửi bản cam kết đến chi bộ.")
    expect(page.locator(".trang-thai")).to_contain_text("Đã gửi chi bộ")
    fits_a_phone(page)
    shot(page, "commitment-sent-phone.png")
    commitment = Commitment.objects.get(member=live_world.members["ybhiong"], year=year)
    assert commitment.status == CommitmentStatus.SUBMITTED
    assert commitment.sections == TEXTS

    # The secretary, on her phone, finds it waiting on the reviews page: one tap to read it.
    secretary = browser.new_context(**PHONE)
    secretary.set_default_timeout(WAIT)
    office = secretary.new_page()
    login_as(office, base, "hoa")
    office.goto(f"{base}/kiem-diem/")
    fits_a_phone(office)
    office.get_by_role("link", name="Y Bhiông Niê").first.tap()
    expect(
        office.get_by_role("heading", name=f"Bản cam kết năm {year} — Y Bhiông Niê")
    ).to_be_visible()
    fits_a_phone(office)
    shot(office, "commitment-approve-phone.png")
    office.get_by_role("button", name="Duyệt và công khai trong chi bộ").tap()
    expect(office.locator(".trang-thai")).to_contain_text("Đã duyệt, công khai trong chi bộ")
    fits_a_phone(office)
    commitment.refresh_from_db()
    assert commitment.is_approved
    page.reload()
    expect(page.locator(".trang-thai")).to_contain_text("Đã duyệt")
    member.close()
    secretary.close()


def test_it_lets_a_secretary_answer_a_suggestion_and_close_a_remediation_on_a_phone(
    live_world: World, live_server: Any, phone: Any, season: Callable[[date], None]
) -> None:
    from playwright.sync_api import expect

    season(date(2026, 1, 15))
    w = live_world
    binh = w.members["binh"]
    binh.management_level = ManagementLevel.GRASSROOTS  # a cadre Ea T'Ling's committee manages
    binh.save()
    review = services.member_review_save(
        spec=services.MemberReviewSpec(
            member=w.members["binh"], year=2025, outcome=ReviewOutcome.REVIEWED, points=Decimal(60)
        ),
        actor=w.users["hoa"],
    )
    suggestion = services.suggestion_issue(
        spec=services.SuggestionSpec(
            year=2025,
            issuer=w.units["DN.CUJUT.EATLING"],
            issued_on=date(2025, 11, 20),
            content="Làm rõ việc vắng sinh hoạt nhiều kỳ.",
            subject_member=w.members["binh"],
        )
    )
    item = services.remediation_attach(
        unit=w.units[TDP1],
        year=2025,
        card="67000003",
        collective="",
        shortcoming="Vắng sinh hoạt ba kỳ.",
        plan="Dự đủ các kỳ sinh hoạt.",
        deadline=timezone.localdate() + timedelta(days=60),
    )
    assert item.member_review_id == review.pk
    base = live_server.url
    phone.set_default_timeout(WAIT)
    login_as(phone, base, "hoa")
    phone.goto(f"{base}/kiem-diem/goi-y/?nam=2025")
    expect(phone.get_by_text("Đảng bộ thị trấn Ea T'Ling")).to_be_visible()
    fits_a_phone(phone)
    shot(phone, "suggestions-phone.png")
    phone.get_by_label("Ngày kiểm điểm").fill("2026-01-10")
    phone.get_by_label("Nội dung tiếp thu").fill("Đã kiểm điểm, nhận khuyết điểm.")
    phone.get_by_role("button", name="Ghi trả lời").tap()
    expect(phone.locator(".msg-success")).to_have_text("Đã gắn nội dung trả lời gợi ý kiểm điểm.")
    suggestion.refresh_from_db()
    assert suggestion.answered_on == date(2026, 1, 10)
    assert suggestion.answer == "Đã kiểm điểm, nhận khuyết điểm."

    phone.goto(f"{base}/kiem-diem/khac-phuc/")
    expect(phone.get_by_role("link", name="Chi bộ Tổ dân phố 1")).to_be_visible()
    fits_a_phone(phone)
    shot(phone, "remediation-phone.png")
    phone.get_by_label("Kết quả khắc phục").fill("Đã dự đủ sáu kỳ liên tiếp.")
    phone.get_by_role("button", name="Ghi nhận hoàn thành").tap()
    expect(phone.locator(".msg-success")).to_have_text("Đã ghi nhận kết quả khắc phục.")
    item.refresh_from_db()
    assert item.done_on == timezone.localdate()
    assert item.result == "Đã dự đủ sáu kỳ liên tiếp."
