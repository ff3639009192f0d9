"""The quick assessment end to end in real headless Chromium: a member answering on a phone
whose connection drops, and the presenter's screen filling up as the hall submits."""

from __future__ import annotations

import gzip
import json
import os
import re
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from dangvu.assessments import services
from dangvu.assessments.models import Answer, Assessment, Attempt, Option, Question
from dangvu.conftest import PASSWORD, World
from dangvu.documents.services import document_register
from dangvu.units.models import Unit

pytestmark = [pytest.mark.browser]
CELL = "DN.CUJUT.EATLING.TDP1"  # Hoà is its secretary; Y Bhiông and Bình are members
SHOTS = os.environ.get("DANGVU_SHOTS", "")  # set to a folder to keep screenshots
WAIT = 15_000  # ms: generous, the CI machine has two cores and runs Chromium beside us

QUESTIONS: list[tuple[str, str, list[tuple[str, bool]]]] = [
    (
        "Đề án số 05-ĐA/TU do cơ quan nào ban hành?",
        "single",
        [
            ("Ban Thường vụ Tỉnh ủy", True),
            ("Ủy ban nhân dân tỉnh", False),
            ("Hội đồng nhân dân tỉnh", False),
        ],
    ),
    (
        "Chi bộ sinh hoạt thường kỳ bao lâu một lần?",
        "single",
        [("Mỗi tháng một lần", True), ("Hai tháng một lần", False), ("Mỗi quý một lần", False)],
    ),
    (
        "Đảng viên học tập nghị quyết theo những hình thức nào?",
        "multiple",
        [("Tại hội nghị", True), ("Trực tuyến", True), ("Không cần học tập", False)],
    ),
    (
        "Kết quả tiếp thu được kiểm tra nhanh ngay sau hội nghị học tập.",
        "true_false",
        [("Đúng", True), ("Sai", False)],
    ),
]


@pytest.fixture(autouse=True)
def _patient_expectations() -> Iterator[None]:
    from playwright.sync_api import expect

    expect.set_options(timeout=WAIT)
    yield
    expect.set_options(timeout=5_000)


def open_assessment(*, question_count: int) -> Assessment:
    """The cell's quiz on Đề án 05, open now for fifteen minutes a member."""
    document = document_register(
        symbol="05-ĐA/TU",
        issued_on=timezone.localdate(),
        issuer="Ban Thường vụ Tỉnh ủy",
        title="Đề án nâng cao chất lượng sinh hoạt chi bộ",
        key="quiz-doc",
    )
    for text, kind, options in QUESTIONS:
        services.question_save(
            document=document, section=None, kind=kind, text=text, options=options
        )
    now = timezone.now()
    assessment = services.assessment_save(
        spec=services.AssessmentSpec(
            title="Kiểm tra nhanh sau học tập Đề án 05",
            document=document,
            unit=Unit.objects.get(code=CELL),
            opens_at=now - timedelta(minutes=1),
            closes_at=now + timedelta(hours=1),
            question_count=question_count,
            time_limit_minutes=15,
        )
    )
    services.assessment_open(assessment=assessment)
    return assessment


def option_id(question: str, option: str) -> int:
    return Option.objects.get(question__text=question, text=option).pk


def saved(attempt: Attempt) -> dict[int, list[int]]:
    return dict(Answer.objects.filter(attempt=attempt).values_list("question_id", "options"))


def shot(page: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.evaluate("window.scrollTo(0, 0)")  # the sticky bar in its own place
        page.screenshot(path=str(Path(SHOTS) / name), full_page=True)


def start(page: Any, attempt: Attempt) -> None:
    """The personal link opens on the start page; the clock starts with her tap."""
    from playwright.sync_api import expect

    expect(page.get_by_role("button", name="Bắt đầu làm bài")).to_be_visible()
    attempt.refresh_from_db()
    assert attempt.started_at is None, "opening the link does not start the clock"
    assert page.get_by_role("button", name="Bắt đầu làm bài").bounding_box()["height"] >= 44
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    expect(page.locator("#bai-lam")).to_be_visible()
    attempt.refresh_from_db()
    assert attempt.started_at is not None


def submit(page: Any) -> None:
    """Tap "Nộp bài", then confirm in the page's own question (no browser pop-up)."""
    from playwright.sync_api import expect

    page.get_by_role("button", name="Nộp bài").tap()
    confirm = page.locator("dialog#xac-nhan")
    expect(confirm).to_be_visible()
    confirm.locator("#xac-nhan-nop").tap()
    expect(confirm).to_be_hidden()


def api(base: str, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    """The member's phone talking to the JSON API (no session: the token is the key)."""
    request = urllib.request.Request(
        f"{base}/api/v1/{path}",
        data=json.dumps(body).encode() if body is not None else None,
        method=method,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_it_lets_a_member_answer_on_a_phone_through_a_lost_connection(
    live_world: World, live_server: Any, browser: Any
) -> None:
    from playwright.sync_api import expect

    assessment = open_assessment(question_count=len(QUESTIONS))
    base = live_server.url
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(WAIT)
    page = context.new_page()
    dialogs: list[str] = []

    def confirm(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", confirm)

    # The QR code's short address asks her to sign in first, then comes back.
    page.goto(f"{base}/k/")
    page.fill("#id_username", "ybhiong")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/k/")
    shot(page, "phone-join.png")
    assert page.locator("button.big").bounding_box()["height"] >= 44
    page.fill("#ma", assessment.code.lower())  # typed as read off the projector
    page.locator("button.big").tap()
    page.wait_for_url(re.compile(r"/k/t/[\w-]+/$"))

    attempt = Attempt.objects.get(assessment=assessment, member=live_world.members["ybhiong"])
    assert page.url == f"{base}/k/t/{attempt.token}/"
    status = page.locator("#trang-thai")
    expect(status).to_have_text("Đã lưu mọi câu trả lời.")  # the script is running
    expect(page.locator("#dong-ho")).to_have_text(re.compile(r"^14:[0-5]\d$"))  # counting down
    attempt.refresh_from_db()
    assert attempt.started_at is not None, "the clock starts when she opens her questions"

    # A phone page: one column, big tap targets, and very little to download.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    labels = page.locator("label.choice")
    assert labels.count() == sum(len(options) for _, _, options in QUESTIONS)
    heights = [labels.nth(i).bounding_box()["height"] for i in range(labels.count())]
    assert min(heights) >= 44, f"option labels must be easy to tap: {heights}"
    assert page.get_by_role("button", name="Nộp bài").bounding_box()["height"] >= 44
    assets = page.eval_on_selector_all(
        "script[src], link[rel=stylesheet]", "els => els.map(e => e.src || e.href)"
    )
    # Compressed, as a production server sends them (the site-wide budget is 100 kB a page).
    weight = sum(len(gzip.compress(context.request.get(url).body())) for url in assets)
    assert len(assets) == 2 and weight < 20_000, f"JS and CSS stay light: {weight} B {assets}"

    def question(text: str) -> Any:
        return page.locator("fieldset.question", has_text=text)

    def choose(text: str, option: str) -> None:
        question(text).locator("label.choice", has_text=option).tap()

    (q1, _, _), (q2, _, _), (q3, _, _), (q4, _, _) = QUESTIONS
    ids = {text: Question.objects.get(text=text).pk for text, _, _ in QUESTIONS}

    # Online: each answer is on the server as soon as it is chosen.
    choose(q1, "Ban Thường vụ Tỉnh ủy")
    expect(question(q1)).to_have_class(re.compile(r"\bda-luu\b"))
    assert saved(attempt) == {ids[q1]: [option_id(q1, "Ban Thường vụ Tỉnh ủy")]}
    choose(q2, "Hai tháng một lần")
    expect(question(q2)).to_have_class(re.compile(r"\bda-luu\b"))
    expect(status).to_have_text("Đã lưu mọi câu trả lời.")
    assert saved(attempt) == {
        ids[q1]: [option_id(q1, "Ban Thường vụ Tỉnh ủy")],
        ids[q2]: [option_id(q2, "Hai tháng một lần")],
    }
    shot(page, "phone-question.png")

    # Offline: the answers wait in the phone, and the page says so.
    context.set_offline(True)
    choose(q3, "Tại hội nghị")
    choose(q3, "Trực tuyến")
    choose(q4, "Đúng")
    expect(status).to_contain_text("Mất kết nối")
    expect(status).to_have_class(re.compile(r"\bloi\b"))
    for text in (q3, q4):
        expect(question(text)).not_to_have_class(re.compile(r"\bda-luu\b"))
    kept = page.evaluate(f"JSON.parse(localStorage.getItem('dangvu-{attempt.token}'))")
    assert {int(q) for q in kept} == {ids[q3], ids[q4]}
    assert set(saved(attempt)) == {ids[q1], ids[q2]}
    shot(page, "phone-offline.png")

    # Submitting without a connection does not pretend to have worked.
    submit(page)
    expect(status).to_contain_text("Chưa nộp được")
    attempt.refresh_from_db()
    assert attempt.submitted_at is None

    # Back online: the queue empties by itself.
    context.set_offline(False)
    expect(status).to_have_text("Đã lưu mọi câu trả lời.")
    expect(page.locator("fieldset.question.da-luu")).to_have_count(len(QUESTIONS))
    assert saved(attempt) == {
        ids[q1]: [option_id(q1, "Ban Thường vụ Tỉnh ủy")],
        ids[q2]: [option_id(q2, "Hai tháng một lần")],
        ids[q3]: sorted([option_id(q3, "Tại hội nghị"), option_id(q3, "Trực tuyến")]),
        ids[q4]: [option_id(q4, "Đúng")],
    }
    assert page.evaluate(f"localStorage.getItem('dangvu-{attempt.token}')") == "{}"

    submit(page)
    expect(page.locator("h2")).to_contain_text("Đã nộp bài lúc")
    expect(page.locator("p.score")).to_have_text("3/4 câu đúng · 75%")
    expect(page.locator("strong.ok")).to_have_text("Đạt")
    assert dialogs == [], "the question is asked in the page, not in a browser pop-up"
    attempt.refresh_from_db()
    assert (attempt.correct, attempt.score, attempt.passed) == (3, 75.0, True)
    assert page.evaluate(f"localStorage.getItem('dangvu-{attempt.token}')") is None
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "phone-score.png")
    context.close()


def test_it_keeps_the_last_choice_when_an_earlier_save_arrives_late(
    live_world: World, live_server: Any, browser: Any
) -> None:
    """A slow network: she taps one option, then another before the first save is back.
    The second must win on the server, as it does on her screen."""
    from playwright.sync_api import expect

    assessment = open_assessment(question_count=len(QUESTIONS))
    attempt = Attempt.objects.get(assessment=assessment, member=live_world.members["ybhiong"])
    base = live_server.url
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(WAIT)
    page = context.new_page()
    page.goto(f"{base}/k/t/{attempt.token}/")  # the personal link: no session needed
    start(page, attempt)
    expect(page.locator("#trang-thai")).to_have_text("Đã lưu mọi câu trả lời.")

    held: list[Any] = []

    def hold_the_first(route: Any) -> None:
        if held:
            route.continue_()
        else:
            held.append(route)

    page.route("**/api/v1/attempts/*/answers/*", hold_the_first)
    q1 = QUESTIONS[0][0]
    box = page.locator("fieldset.question", has_text=q1)
    box.locator("label.choice", has_text="Ủy ban nhân dân tỉnh").tap()
    for _ in range(500):  # the handler runs while Playwright waits on something
        if held:
            break
        page.wait_for_timeout(20)
    assert held, "the first save never left the phone"
    box.locator("label.choice", has_text="Ban Thường vụ Tỉnh ủy").tap()
    # Give a second save, were it sent at once, the time to overtake the first.
    page.wait_for_timeout(300)
    first = held[0]
    with page.expect_request_finished(lambda r: r.post_data == first.request.post_data):
        first.continue_()
    expect(page.locator("#trang-thai")).to_have_text("Đã lưu mọi câu trả lời.")
    expect(box).to_have_class(re.compile(r"\bda-luu\b"))
    right = option_id(q1, "Ban Thường vụ Tỉnh ủy")
    assert box.locator("input:checked").get_attribute("value") == str(right)
    assert saved(attempt) == {Question.objects.get(text=q1).pk: [right]}
    context.close()


def test_it_tells_the_member_when_an_answer_comes_after_the_assessment_closed(
    live_world: World, live_server: Any, browser: Any
) -> None:
    from playwright.sync_api import expect

    assessment = open_assessment(question_count=len(QUESTIONS))
    attempt = Attempt.objects.get(assessment=assessment, member=live_world.members["ybhiong"])
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(WAIT)
    page = context.new_page()
    page.goto(f"{live_server.url}/k/t/{attempt.token}/")
    start(page, attempt)
    status = page.locator("#trang-thai")
    expect(status).to_have_text("Đã lưu mọi câu trả lời.")

    services.assessment_close(assessment=assessment)  # Hoà closes it from the presenter's desk
    q1 = QUESTIONS[0][0]
    box = page.locator("fieldset.question", has_text=q1)
    box.locator("label.choice", has_text="Ban Thường vụ Tỉnh ủy").tap()
    expect(status).to_contain_text("Bài làm đã được nộp lúc")
    expect(status).to_have_class(re.compile(r"\bloi\b"))
    expect(box).not_to_have_class(re.compile(r"\bda-luu\b"))
    assert saved(attempt) == {}

    submit(page)
    expect(page.locator("h2")).to_contain_text("Đã nộp bài lúc")
    expect(page.locator("p.score")).to_have_text("0/4 câu đúng · 0%")
    context.close()


def test_it_shows_a_closed_attempt_as_submitted_no_later_than_the_close(
    live_world: World, live_server: Any, browser: Any
) -> None:
    from playwright.sync_api import expect

    assessment = open_assessment(question_count=len(QUESTIONS))
    attempt = Attempt.objects.get(assessment=assessment, member=live_world.members["ybhiong"])
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    context.set_default_timeout(WAIT)
    page = context.new_page()
    page.goto(f"{live_server.url}/k/t/{attempt.token}/")
    start(page, attempt)
    expect(page.locator("#trang-thai")).to_have_text("Đã lưu mọi câu trả lời.")
    services.assessment_close(assessment=assessment)
    assessment.refresh_from_db()

    page.reload()
    heading = page.locator("h2")
    expect(heading).to_contain_text("Đã nộp bài lúc")
    found = re.search(r"\d\d:\d\d \d\d/\d\d/\d{4}", heading.inner_text())
    assert found is not None
    shown = datetime.strptime(found.group(), "%H:%M %d/%m/%Y")
    closed = timezone.localtime(assessment.closes_at).replace(tzinfo=None, second=0, microsecond=0)
    context.close()
    assert shown <= closed, f"submitted at {shown:%H:%M}, closed at {closed:%H:%M}"
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None and attempt.submitted_at <= assessment.closes_at


def test_it_updates_the_presenter_screen_as_members_submit(
    live_world: World, live_server: Any, browser: Any
) -> None:
    from playwright.sync_api import expect

    assessment = open_assessment(question_count=2)
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.set_default_timeout(WAIT)
    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", "hoa")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/kiem-tra/{assessment.pk}/")
    page.click("text=Màn hình trình chiếu")
    page.wait_for_url(f"{base}/kiem-tra/{assessment.pk}/trinh-chieu/")

    expect(page.locator(".join-code")).to_have_text(assessment.code)
    expect(page.locator(".qr svg")).to_be_visible()
    assert f"/k/{assessment.code}/" in page.inner_text(".presenter")
    joined = page.locator('[data-live="joined"]')
    submitted = page.locator('[data-live="submitted"]')
    expect(joined).to_have_text("0")
    expect(submitted).to_have_text("0")
    expect(page.locator("#truc-tiep .stat").first).to_contain_text("4")  # the cell's members
    page.wait_for_function("() => window.htmx !== undefined")

    navigations: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    polls: list[str] = []
    page.on("request", lambda r: polls.append(r.url) if "/truc-tiep/" in r.url else None)
    page.evaluate("window.stillHere = true")

    def take(member: str, right: int) -> None:
        """A member on their phone: open the questions, answer, submit."""
        attempt = Attempt.objects.get(assessment=assessment, member=live_world.members[member])
        api(base, "POST", f"attempts/{attempt.token}/start")
        for n, (question_id, option_ids) in enumerate(attempt.questions):
            correct = set(
                Option.objects.filter(pk__in=option_ids, correct=True).values_list("pk", flat=True)
            )
            chosen = sorted(correct) if n < right else [min(set(option_ids) - correct)]
            api(base, "PUT", f"attempts/{attempt.token}/answers/{question_id}", {"options": chosen})
        assert api(base, "POST", f"attempts/{attempt.token}/submit")["already"] is False

    attempt = Attempt.objects.get(assessment=assessment, member=live_world.members["ybhiong"])
    api(base, "GET", f"attempts/{attempt.token}")  # a link preview: nobody has joined
    expect(joined).to_have_text("0")
    api(base, "POST", f"attempts/{attempt.token}/start")  # she has started
    expect(joined).to_have_text("1")
    expect(submitted).to_have_text("0")

    mean = page.locator("#truc-tiep .stat").nth(3)
    expect(mean).to_contain_text("—")
    take("ybhiong", right=2)
    expect(submitted).to_have_text("1")
    expect(mean).to_contain_text("100%")
    take("binh", right=1)
    expect(joined).to_have_text("2")
    expect(submitted).to_have_text("2")
    expect(mean).to_contain_text("75%")
    expect(page.locator("#truc-tiep")).to_contain_text("Tỷ lệ trả lời đúng từng câu")
    expect(page.locator("#truc-tiep svg")).to_be_visible()  # the score distribution

    assert page.evaluate("window.stillHere") is True, "the panel refreshes, the page does not"
    assert navigations == [], navigations
    assert len(polls) >= 2
    shot(page, "presenter.png")
    page.close()
