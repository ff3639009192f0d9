"""A round on 360 × 740 phones, in real headless Chromium: the office of Huyện ủy Cư Jút
opens its report from the list, writes each section and submits it (asked first, in the
page); the office of the province opens the board, reads the report and accepts it."""

from __future__ import annotations

import re
from typing import Any

import pytest

from dangvu.accounts.models import Department
from dangvu.conftest import PHONE, World, _user, axe_violations, login_as, phone_problems, shot
from dangvu.indicators.models import Programme
from dangvu.reports.models import SECTIONS
from dangvu.rounds import services
from dangvu.rounds.models import ReportingRound, ReportState
from dangvu.rounds.tests.conftest import DEADLINE, LAUNCHED, OFFICES

pytestmark = [pytest.mark.browser]
WAIT = 20_000
TITLE = "Sơ kết 5 năm thực hiện Đề án 05-ĐA/TU"


def fits_a_phone(page: Any) -> None:
    """Nothing sideways, 44-px targets, no serious accessibility fault, names not codes."""
    assert phone_problems(page) == []
    assert axe_violations(page) == []
    assert not re.search(r"DN\.[A-Z]", page.locator("main").inner_text())


def launched(world: World) -> ReportingRound:
    from datetime import date

    from dangvu.lib.periods import between

    for username, unit in OFFICES.items():
        _user(world, username, roles=((unit, Department.OFFICE),))
    return services.round_launch(
        unit=world.units["DN"],
        programme=Programme.objects.get(code="DA05"),
        title=TITLE,
        period=between(date(2018, 7, 5), date(2023, 6, 30)),
        deadline=DEADLINE,
        outline=SECTIONS,
        instructions="Mỗi mục viết ngắn gọn, có số liệu minh họa.",
        actor=world.users["vp.tinh"],
        on=LAUNCHED,
    )


def test_it_lets_a_district_submit_and_the_province_accept_on_phones(
    live_world: World, live_server: Any, browser: Any
) -> None:
    from playwright.sync_api import expect

    rnd = launched(live_world)
    base = live_server.url

    # The office of Cư Jút, on its phone: the list says what is due, one tap opens it.
    district = browser.new_context(**PHONE)
    district.set_default_timeout(WAIT)
    page = district.new_page()
    login_as(page, base, "vp.cujut")
    page.goto(f"{base}/dot-bao-cao/")
    expect(page.get_by_role("heading", name="Báo cáo đơn vị phải gửi")).to_be_visible()
    expect(page.locator("table.rounds-mine")).to_contain_text("Quá hạn")
    fits_a_phone(page)
    shot(page, "rounds-list-phone.png")
    page.get_by_role("link", name=f"Viết báo cáo {TITLE}").tap()
    expect(page.get_by_role("heading", name="Báo cáo của Huyện ủy Cư Jút")).to_be_visible()
    expect(page.locator(".unit-figure-blocks")).to_be_visible()  # loaded by htmx
    fits_a_phone(page)
    for key, title in rnd.sections():
        page.get_by_label(title, exact=True).fill(f"Huyện ủy Cư Jút: nội dung mục {key}.")
    page.get_by_label("Người ký").fill("Nguyễn Văn Tâm")
    shot(page, "rounds-report-writing-phone.png")
    page.get_by_role("button", name="Gửi báo cáo").tap()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Gửi báo cáo lên Đảng bộ tỉnh Đắk Nông?")
    shot(page, "rounds-report-confirm-phone.png", full_page=False)
    dialog.get_by_role("button", name="Gửi báo cáo").tap()
    expect(page.locator(".msg-success")).to_have_text("Đã gửi báo cáo lên Đảng bộ tỉnh Đắk Nông.")
    fits_a_phone(page)
    report = rnd.reports.get(unit=live_world.units["DN.CUJUT"])
    assert report.state == ReportState.SUBMITTED
    assert report.submitted_texts["2.3"] == "Huyện ủy Cư Jút: nội dung mục 2.3."
    assert report.signer_name == "Nguyễn Văn Tâm"
    district.close()

    # The office of the province: the board, then the report, then accept.
    province = browser.new_context(**PHONE)
    province.set_default_timeout(WAIT)
    office = province.new_page()
    login_as(office, base, "vp.tinh")
    office.goto(f"{base}/dot-bao-cao/")
    fits_a_phone(office)
    office.get_by_role("link", name=TITLE).first.tap()
    expect(office.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(office.locator(".round-counts")).to_contain_text("0/3")
    expect(office.locator(".round-figures")).to_be_visible()  # loaded by htmx
    fits_a_phone(office)
    shot(office, "rounds-board-phone.png")
    office.get_by_role("link", name="Xem báo cáo của Huyện ủy Cư Jút").tap()
    expect(office.get_by_text("Huyện ủy Cư Jút: nội dung mục 2.3.")).to_be_visible()
    fits_a_phone(office)
    shot(office, "rounds-report-review-phone.png")
    office.get_by_role("button", name="Chấp nhận").tap()
    expect(office.locator(".msg-success")).to_contain_text(
        "Đã chấp nhận báo cáo của Huyện ủy Cư Jút"
    )
    expect(office.locator("main")).to_contain_text("Số liệu đã chốt ngày")
    fits_a_phone(office)
    report.refresh_from_db()
    assert report.state == ReportState.ACCEPTED and report.snapshot is not None
    office.goto(f"{base}/dot-bao-cao/{rnd.pk}/")
    expect(office.locator(".round-figures")).to_contain_text("Huyện ủy Cư Jút")
    fits_a_phone(office)
    shot(office, "rounds-board-accepted-phone.png")
    province.close()
