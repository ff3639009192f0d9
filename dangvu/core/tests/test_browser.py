"""End to end in real headless Chromium (Debian's package), driven by Playwright."""

from __future__ import annotations

from typing import Any

import pytest

from dangvu.conftest import World, login_as
from dangvu.jobs.testing import run_queued

pytestmark = [pytest.mark.browser]


def test_it_logs_in_opens_a_unit_and_finds_a_member_without_diacritics(
    live_world: World, live_server: Any, browser: Any
) -> None:
    base = live_server.url
    page = browser.new_page()
    login_as(page, base, "tochuc")
    assert "Xin chào" in page.inner_text("h1")

    page.click("text=Tổ chức đảng")
    page.click("text=Huyện ủy Cư Jút")
    assert page.inner_text("h1").startswith("Huyện ủy Cư Jút")
    page.get_by_role("button", name="Mở Đảng bộ thị trấn Ea T'Ling").click()
    page.wait_for_selector("text=Chi bộ Tổ dân phố 1")

    page.click("nav >> text=Đảng viên")
    page.fill("#q", "nguyen thi hoa")
    result = page.wait_for_selector("#ket-qua >> text=Nguyễn Thị Hoà")
    assert "Chi bộ Tổ dân phố 1" in page.inner_text("#ket-qua")
    result.click()
    page.wait_for_selector("h1 >> text=Nguyễn Thị Hoà")
    assert "Quá trình sinh hoạt" in page.content()

    page.goto(f"{base}/dang-vien/?q=dang")
    names = page.inner_text("#ket-qua")
    assert "Đặng Văn Bình" in names and "Đặng Thị Thu Hương" in names


def test_it_serves_the_member_a_light_page_on_a_phone(
    live_world: World, live_server: Any, browser: Any
) -> None:
    base = live_server.url
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    page = context.new_page()
    login_as(page, base, "ybhiong")
    page.click("button >> text=Menu")  # the folded top bar opens on a phone
    page.click("nav >> text=Hồ sơ của tôi")
    page.wait_for_selector("h1 >> text=Y Bhiông Niê")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, "the member's page must not scroll sideways on a phone"
    sizes = page.evaluate(
        "performance.getEntriesByType('resource').map(e => e.transferSize || e.encodedBodySize)"
    )
    assert sum(sizes) < 150_000, "a member's page stays light for slow connections"
    response = page.goto(f"{base}/to-chuc/")
    assert response is not None and response.status == 404, "a member does not browse the tree"


def test_it_shows_the_dashboard_and_downloads_the_summary_report(
    live_world: World, live_server: Any, browser: Any, tmp_path: Any
) -> None:
    import docx

    base = live_server.url
    page = browser.new_page(accept_downloads=True)
    login_as(page, base, "tuyengiao")
    page.click("nav >> summary >> text=Đề án")
    page.click("nav >> text=Số liệu đề án")
    page.wait_for_selector("h1 >> text=Số liệu Đề án số 05-ĐA/TU")
    row = page.locator("tr", has_text="org.members")
    assert "9" in row.inner_text()  # the world's nine members on 30/06/2023

    page.click("text=Biểu đồ nhóm 2.5")
    page.wait_for_selector("h1 >> text=2.5.")
    page.click("nav >> summary >> text=Đề án")
    page.click("nav >> text=Số liệu đề án")
    page.click("a.button >> text=Biểu đồ nhóm 2.2")
    page.wait_for_selector("h1 >> text=2.2.")
    assert page.locator("figure.chart-card").count() >= 5

    page.click("nav >> summary >> text=Đề án")
    page.click("nav >> text=Báo cáo")
    page.click("text=Tạo báo cáo")
    page.click("button >> text=Lưu báo cáo")
    page.wait_for_selector("text=Đã tạo báo cáo.")
    assert "hiện có 03 đảng bộ trực thuộc" in page.inner_text("section.preview")
    # The DOCX is made by a background job: its page waits, a worker runs it, the page
    # (polling) shows the file.
    page.click("text=Tải báo cáo (.docx)")
    page.wait_for_selector("h2 >> text=Đang chờ")
    assert run_queued() == 1
    link = page.wait_for_selector("a.button >> text=Tải về", timeout=15_000)
    with page.expect_download() as download_info:
        link.click()
    target = tmp_path / "bao-cao.docx"
    download_info.value.save_as(target)
    document = docx.Document(str(target))
    header = " ".join(cell.text for cell in document.tables[0].rows[0].cells)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in header
    assert any(p.text == "BÁO CÁO" for p in document.paragraphs)
