"""In real headless Chromium on a 360 × 740 phone: the province's organisation department
writes its five-year review, opens Cư Jút's accepted text under "Sinh hoạt chi bộ", taps
"Trích vào mục này", and saves the section with the quote at its end."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from dangvu.accounts.models import Department
from dangvu.conftest import World, _user, axe_violations, login_as, phone_problems
from dangvu.indicators.models import Programme
from dangvu.lib.periods import between
from dangvu.reports.models import SECTIONS, SummaryReport
from dangvu.reports.tests.conftest import END, START, save_report
from dangvu.rounds import services
from dangvu.rounds.tests.conftest import DEADLINE, LAUNCHED, texts_for

pytestmark = [pytest.mark.browser]
WAIT = 15_000
CELLS = "Các chi bộ ở Cư Jút sinh hoạt đều đặn.\n\nChất lượng sinh hoạt được nâng lên."


def test_it_quotes_an_accepted_report_into_a_section_on_a_phone(
    live_world: World, live_server: Any, phone: Any
) -> None:
    from playwright.sync_api import expect

    world = live_world
    period = between(START, END)
    programme = Programme.objects.get(code="DA05")
    tinh = _user(world, "vp.tinh", roles=(("DN", Department.OFFICE),))
    cujut = _user(world, "vp.cujut", roles=(("DN.CUJUT", Department.OFFICE),))
    rnd = services.round_launch(
        unit=world.units["DN"],
        programme=programme,
        title="Sơ kết 5 năm thực hiện Đề án 05-ĐA/TU",
        period=period,
        deadline=DEADLINE,
        outline=SECTIONS,
        actor=tinh,
        on=LAUNCHED,
    )
    report = rnd.reports.get(unit=world.units["DN.CUJUT"])
    services.report_submit(report=report, texts={**texts_for(rnd), "2.3": CELLS}, actor=cujut)
    services.report_accept(report=report, actor=tinh)
    summary = save_report(world, programme, period, narrative={"2.3": "Đoạn của Tỉnh ủy."})

    phone.set_default_timeout(WAIT)
    login_as(phone, live_server.url, "tochuc")
    phone.goto(live_server.url + reverse("reports:edit", args=[summary.pk]))
    box = phone.get_by_label("I.2.3. Sinh hoạt chi bộ")
    section = phone.locator(".field", has=box)
    quote = section.locator("details.quote", has_text="Huyện ủy Cư Jút")
    button = quote.get_by_role("button", name="Trích vào mục này")
    expect(button).to_be_hidden()  # closed: only the unit's name shows
    quote.locator("summary").tap()
    expect(quote.get_by_text("Các chi bộ ở Cư Jút sinh hoạt đều đặn.")).to_be_visible()
    assert phone_problems(phone) == []
    assert axe_violations(phone) == []
    button.tap()
    expect(box).to_have_value(f"Đoạn của Tỉnh ủy.\n\nHuyện ủy Cư Jút: {CELLS}")
    phone.get_by_role("button", name="Lưu báo cáo").tap()
    expect(phone.get_by_text("Đã lưu báo cáo.")).to_be_visible()

    saved = SummaryReport.objects.get(pk=summary.pk)
    assert saved.text("2.3") == [
        "Đoạn của Tỉnh ủy.",
        "Huyện ủy Cư Jút: Các chi bộ ở Cư Jút sinh hoạt đều đặn.",
        "Chất lượng sinh hoạt được nâng lên.",
    ]
