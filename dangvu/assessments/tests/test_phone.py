"""The quick assessment on a member's phone (360 × 740) and on the hall's projector, in real
headless Chromium: joining in one tap from a link (signed in) or by the code, ten questions
answered and each acknowledged, the in-page question before submitting that says how many
are unanswered, the score in view after submitting; the presenter's screen at 1366 × 768
and 1920 × 1080; and the same on a weak signal and a slow phone."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from itertools import pairwise
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from dangvu.assessments.models import Assessment, Attempt
from dangvu.assessments.tests.helpers import TDP1, attempt_of, document_with_bank, opened, take
from dangvu.conftest import World, axe_violations, login_as, phone_problems, shot, slow_down

pytestmark = [pytest.mark.browser]
WAIT = 15_000
TEN = 10


@pytest.fixture(autouse=True)
def _patient_expectations() -> Any:
    from playwright.sync_api import expect

    expect.set_options(timeout=WAIT)
    yield
    expect.set_options(timeout=5_000)


def ten_questions(world: World) -> Assessment:
    """Tổ dân phố 1's quiz: ten questions drawn from a bank of twelve, open for an hour."""
    return opened(
        world,
        document_with_bank(per_part=4),
        TDP1,
        opens_at=timezone.now() - timedelta(minutes=1),
        question_count=TEN,
    )


def in_view(page: Any, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    size = page.viewport_size
    return (
        box is not None
        and box["y"] >= 0
        and box["y"] + box["height"] <= size["height"]
        and box["x"] >= 0
        and box["x"] + box["width"] <= size["width"]
    )


def painted(page: Any) -> float:
    """Seconds from the start of the page's navigation (the tap that opened it, redirects
    included) to its first paint with content, as Chromium itself timed them."""
    page.wait_for_function("performance.getEntriesByName('first-contentful-paint').length > 0")
    return (
        float(page.evaluate("performance.getEntriesByName('first-contentful-paint')[0].startTime"))
        / 1000
    )


def answer(page: Any, n: int, option: str = "Đúng") -> None:
    """Tap option ``option`` of question n (1-based) and wait for its "Đã lưu ✓"."""
    from playwright.sync_api import expect

    box = page.locator("fieldset.question").nth(n - 1)
    box.locator("label.choice", has_text=option).first.tap()
    expect(box.locator(".luu")).to_have_text("Đã lưu ✓")
    expect(box).to_have_class(re.compile(r"\bda-luu\b"))


def test_it_lets_a_signed_in_member_join_in_one_tap_answer_ten_and_see_the_score(
    live_world: World, live_server: Any, phone: Any
) -> None:
    from playwright.sync_api import expect

    assessment = ten_questions(live_world)
    base = live_server.url
    login_as(phone, base, "ybhiong")
    dialogs: list[str] = []
    phone.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    # The link on her home page (or a message from her secretary): no code to type.
    phone.goto(f"{base}/k/{assessment.code}/")
    attempt = Attempt.objects.get(assessment=assessment, member=live_world.members["ybhiong"])
    start = phone.get_by_role("button", name="Bắt đầu làm bài")
    expect(start).to_be_visible()
    assert in_view(phone, "button.big")
    assert phone_problems(phone) == []
    assert axe_violations(phone) == []
    start.tap()
    questions = phone.locator("fieldset.question")
    expect(questions).to_have_count(TEN)
    expect(phone.locator("#trang-thai")).to_have_text("Đã lưu mọi câu trả lời.")
    assert phone_problems(phone) == []
    assert axe_violations(phone) == []

    # The heading of every question sits inside its card, below the border.
    for i in range(TEN):
        card = questions.nth(i).bounding_box()
        legend = questions.nth(i).locator("legend").bounding_box()
        assert legend["y"] > card["y"] + 1, f"question {i + 1}'s heading on the border"
        assert legend["x"] + legend["width"] <= card["x"] + card["width"]

    answer(phone, 1)
    answer(phone, 2, "Sai A")
    shot(phone, "phone-ten-questions.png")

    # "Nộp bài" with eight unanswered: the page asks, in the page, saying so.
    phone.get_by_role("button", name="Nộp bài").tap()
    confirm = phone.locator("dialog#xac-nhan")
    expect(confirm).to_be_visible()
    expect(confirm.locator(".confirm-question")).to_have_text(
        "Còn 8/10 câu chưa trả lời. Vẫn nộp bài?"
    )
    assert phone_problems(phone) == []
    assert axe_violations(phone) == []
    shot(phone, "phone-confirm.png", full_page=False)
    # "Làm tiếp" brings her to the first question left.
    confirm.get_by_role("button", name="Làm tiếp").tap()
    expect(confirm).to_be_hidden()
    assert in_view(phone, "fieldset.question:nth-of-type(3) legend")
    for n in range(3, TEN + 1):
        answer(phone, n)
    expect(phone.locator("#trang-thai")).to_have_text("Đã lưu mọi câu trả lời.")

    phone.get_by_role("button", name="Nộp bài").tap()
    expect(confirm.locator(".confirm-question")).to_have_text("Đã trả lời đủ 10/10 câu. Nộp bài?")
    confirm.get_by_role("button", name="Nộp bài").tap()

    # The result page: the score at the top, in view, and read first.
    score = phone.locator("p.score")
    expect(score).to_have_text("9/10 câu đúng · 90%")
    phone.wait_for_function("document.activeElement && document.activeElement.id === 'ket-qua'")
    assert in_view(phone, "p.score"), "the score must be on screen after submitting"
    assert phone.evaluate("window.scrollY") == 0
    assert phone_problems(phone) == []
    assert axe_violations(phone) == []
    shot(phone, "phone-score.png", full_page=False)
    assert dialogs == [], "no browser pop-up: the question is asked in the page"
    attempt.refresh_from_db()
    assert (attempt.correct, attempt.score) == (9, 90.0)


def test_it_lets_a_member_join_by_the_code_from_the_screen(
    live_world: World, live_server: Any, phone: Any
) -> None:
    from playwright.sync_api import expect

    assessment = ten_questions(live_world)
    base = live_server.url
    login_as(phone, base, "ybhiong")
    phone.goto(f"{base}/k/")
    assert phone_problems(phone) == []
    assert axe_violations(phone) == []
    expect(phone.locator("#ma")).to_be_focused()  # the keyboard is up: no tap to find the box
    phone.keyboard.type(assessment.code.lower())
    phone.get_by_role("button", name="Vào làm bài").tap()
    expect(phone.locator("fieldset.question")).to_have_count(TEN)  # straight to the questions
    answer(phone, 1)
    phone.get_by_role("button", name="Nộp bài").tap()
    expect(phone.locator("#xac-nhan .confirm-question")).to_have_text(
        "Còn 9/10 câu chưa trả lời. Vẫn nộp bài?"
    )
    phone.locator("#xac-nhan").get_by_role("button", name="Vẫn nộp bài").tap()
    expect(phone.locator("p.score")).to_have_text("1/10 câu đúng · 10%")
    assert in_view(phone, "p.score")


def test_it_shows_the_first_question_soon_and_acknowledges_every_answer_on_a_weak_signal(
    live_world: World, live_server: Any, phone: Any
) -> None:
    """400 kbps, 400 ms round trip, a CPU four times slower: the first question on screen
    within 3 s of opening the link (the member's own tap on "Bắt đầu làm bài" not counted),
    every one of ten answers acknowledged."""
    from playwright.sync_api import expect

    assessment = ten_questions(live_world)
    base = live_server.url
    login_as(phone, base, "ybhiong")
    slow_down(phone)
    started = time.perf_counter()
    phone.goto(f"{base}/k/{assessment.code}/", wait_until="commit")
    start = phone.get_by_role("button", name="Bắt đầu làm bài")
    expect(start).to_be_visible()
    seen = time.perf_counter() - started
    to_start = painted(phone)  # from her tap on the link to the start button on screen
    start.tap()
    expect(phone.locator("fieldset.question").first).to_be_visible()
    to_question = painted(phone)  # from her tap on "Bắt đầu" to the first question
    acks = []
    for n in range(1, TEN + 1):
        chosen = time.perf_counter()
        answer(phone, n)
        acks.append(time.perf_counter() - chosen)
    expect(phone.locator("#trang-thai")).to_have_text("Đã lưu mọi câu trả lời.")
    print(
        f"\nthrottled: link → start button painted {to_start:.2f} s (seen by the test "
        f"{seen:.2f} s), tap → first question painted {to_question:.2f} s, together "
        f"{to_start + to_question:.2f} s; each answer acknowledged in "
        f"{min(acks):.2f}–{max(acks):.2f} s"
    )
    assert to_start + to_question < 3.0, (to_start, to_question)
    attempt = Attempt.objects.get(assessment=assessment, member=live_world.members["ybhiong"])
    assert len(attempt.answers.all()) == TEN


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_it_projects_the_code_and_the_qr_large_and_whole(
    live_world: World, live_server: Any, browser: Any, size: tuple[int, int]
) -> None:
    from playwright.sync_api import expect

    assessment = ten_questions(live_world)
    width, height = size
    page = browser.new_page(viewport={"width": width, "height": height})
    page.set_default_timeout(WAIT)
    with override_settings(DANGVU_PUBLIC_URL="http://192.168.1.20:8000"):
        login_as(page, live_server.url, "hoa")
        page.goto(f"{live_server.url}/kiem-tra/{assessment.pk}/trinh-chieu/")
        expect(page.locator(".join-code")).to_have_text(assessment.code)
    assert page.locator("nav.mainnav, header.topbar").count() == 0, "no app menu on the screen"
    assert f"http://192.168.1.20:8000/k/{assessment.code}/" in page.inner_text(".join-url")
    for selector in (".join-code", ".qr svg", ".qr svg path"):  # the drawing fills its box
        box = page.locator(selector).bounding_box()
        assert box["height"] >= 0.15 * height, f"{selector} is {box['height']}px high"
        assert box["x"] >= 0 and box["y"] >= 0, f"{selector} starts off screen: {box}"
        assert box["x"] + box["width"] <= width, f"{selector} ends off screen: {box}"
        assert box["y"] + box["height"] <= height, f"{selector} is cut at the bottom: {box}"
    # The code's letters themselves, not only its box, are on screen.
    text = page.evaluate(
        "(() => { const r = document.createRange();"
        " r.selectNodeContents(document.querySelector('.join-code'));"
        " const b = r.getBoundingClientRect(); return [b.left, b.right, b.bottom]; })()"
    )
    assert text[0] >= 0 and text[1] <= width and text[2] <= height, text
    assert page.evaluate("document.documentElement.scrollHeight") <= height
    assert axe_violations(page) == []
    shot(page, f"presenter-{width}x{height}.png", full_page=False)
    page.close()


@pytest.mark.parametrize("size", [(360, 740), (1366, 768)])
def test_it_shows_each_section_of_the_results_whole_beside_its_bar(
    live_world: World, live_server: Any, browser: Any, size: tuple[int, int]
) -> None:
    """The results page of Hoà's quiz: no section name cut or laid over another."""
    parts = (
        "Phần I. Đánh giá tình hình thực hiện nghị quyết nhiệm kỳ qua",
        "Phần II. Dự báo tình hình",
        "Phần III. Mục tiêu, nhiệm vụ và giải pháp",
    )
    assessment = opened(
        live_world,
        document_with_bank(parts=parts),
        TDP1,
        opens_at=timezone.now() - timedelta(minutes=1),
        question_count=6,
    )
    for key, rights in (("hoa", [True] * 6), ("ybhiong", [True, False] * 3)):
        take(attempt_of(live_world, assessment, key), rights, at=timezone.now())
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(WAIT)
    login_as(page, live_server.url, "hoa")
    page.goto(f"{live_server.url}/kiem-tra/{assessment.pk}/ket-qua/")
    names = page.locator("table.bars.sections tbody th")
    assert sorted(names.all_inner_texts()) == sorted(parts)
    boxes = [names.nth(i).bounding_box() for i in range(names.count())]
    for above, below in pairwise(boxes):
        assert above["y"] + above["height"] <= below["y"] + 0.5, "section names overlap"
    assert all(b["x"] >= 0 and b["x"] + b["width"] <= width for b in boxes)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert axe_violations(page) == []
    shot(page, f"results-{width}.png")
    context.close()


def test_it_sends_an_answer_again_by_itself_when_a_save_is_lost_on_the_way(
    live_world: World, live_server: Any, phone: Any
) -> None:
    """A weak signal drops the save (the phone still thinks it is online, so no "online"
    event will come): the question says it is not saved yet, and the page tries again by
    itself until it is."""
    from playwright.sync_api import expect

    assessment = ten_questions(live_world)
    attempt = Attempt.objects.get(assessment=assessment, member=live_world.members["ybhiong"])
    phone.goto(f"{live_server.url}/k/t/{attempt.token}/")
    phone.get_by_role("button", name="Bắt đầu làm bài").tap()
    expect(phone.locator("#trang-thai")).to_have_text("Đã lưu mọi câu trả lời.")
    dropped: list[str] = []

    def drop_the_first(route: Any) -> None:
        if dropped:
            route.continue_()
        else:
            dropped.append(route.request.url)
            route.abort("connectionreset")

    phone.route("**/api/v1/attempts/*/answers/*", drop_the_first)
    box = phone.locator("fieldset.question").first
    box.locator("label.choice", has_text="Đúng").tap()
    expect(box.locator(".luu")).to_have_text("Chưa lưu: sẽ tự gửi lại khi có mạng")
    expect(box.locator(".luu")).to_have_text("Đã lưu ✓")  # sent again, unprompted
    expect(phone.locator("#trang-thai")).to_have_text("Đã lưu mọi câu trả lời.")
    assert len(dropped) == 1
    assert attempt.answers.count() == 1
