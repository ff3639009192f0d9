"""The pages: Hoà, secretary of Tổ dân phố 1, prepares and runs the assessment from her
staff pages and the projector; Y Bhiông and the others take it on their phones (or on
paper) and see their own results."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta

import openpyxl
import pytest
import segno
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from dangvu.assessments import api, services
from dangvu.assessments.models import (
    Answer,
    Assessment,
    AssessmentStatus,
    Attempt,
    AttemptSource,
    Question,
)
from dangvu.assessments.tests.helpers import (
    BP,
    HCM,
    TDP1,
    attempt_of,
    create,
    document_with_bank,
    opened,
    right_options,
    wrong_options,
)

LETTERS = "ABCD"


@pytest.fixture
def document(world):
    return document_with_bank()


@pytest.fixture
def assessment(world, document):
    """Open since a minute ago at Tổ dân phố 1: four questions each, 15 minutes."""
    return opened(world, document, TDP1, opens_at=None, question_count=4)


def notes(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def answer_web(assessment, attempt, rights):
    """Answer through the services at the current time and submit (a phone, in short)."""
    for (question_id, _), right in zip(attempt.questions, rights, strict=False):
        options = right_options if right else wrong_options
        services.answer_save(
            attempt=attempt, question_id=question_id, options=options(assessment, question_id)
        )
    return services.attempt_submit(attempt=attempt).attempt


def letter_of(attempt, question_id, right):
    """The letter of a right (or wrong) option on the member's sheet."""
    shown = dict((q, o) for q, o in attempt.questions)[question_id]
    correct = set(attempt.assessment.snapshot[str(question_id)]["correct"])
    return next(LETTERS[i] for i, o in enumerate(shown) if (o in correct) == right)


# -- creating, opening, closing ------------------------------------------------------------------
def form_data(document, **change):
    return {
        "title": "Kiểm tra nhanh Nghị quyết",
        "document": str(document.pk),
        "session": "",
        "unit_code": TDP1,
        "question_count": "5",
        "time_limit_minutes": "10",
        "opens_at": "15/03/2030 08:00",
        "closes_at": "15/03/2030 10:30",
        "pass_mark": "60",
        "show_score": "on",
        **change,
    }


def test_it_creates_an_assessment_from_the_form(world, document):
    client = world.client("hoa")
    assert document.title in client.get("/kiem-tra/moi/").content.decode()

    response = client.post("/kiem-tra/moi/", form_data(document))

    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/kiem-tra/{assessment.pk}/"
    assert (
        assessment.title,
        assessment.document,
        assessment.unit,
        assessment.question_count,
        assessment.time_limit_minutes,
        assessment.pass_mark,
        assessment.show_score,
        assessment.show_answers,
        assessment.status,
        assessment.created_by,
    ) == (
        "Kiểm tra nhanh Nghị quyết",
        document,
        world.units[TDP1],
        5,
        10,
        60,
        True,
        False,
        AssessmentStatus.DRAFT,
        world.users["hoa"],
    )
    assert assessment.opens_at == datetime(2030, 3, 15, 8, 0, tzinfo=HCM)
    assert assessment.closes_at == datetime(2030, 3, 15, 10, 30, tzinfo=HCM)
    assert not Attempt.objects.exists()  # the sets are drawn when it opens


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"closes_at": "15/03/2030 07:00"}, services.TIMES),
        ({"unit_code": BP}, "Đơn vị tổ chức không có hoặc ngoài phạm vi của bạn."),
        ({"unit_code": "DN.CUJUT.EATLING"}, "Đơn vị tổ chức không có hoặc ngoài phạm vi của bạn."),
        ({"unit_code": "KHONG.CO"}, "Đơn vị tổ chức không có hoặc ngoài phạm vi của bạn."),
        ({"title": ""}, "This field is required."),
        ({"question_count": "0"}, "0"),
        ({"opens_at": "2030-15-03"}, "opens_at"),
    ],
)
def test_it_refuses_an_assessment_form_that_is_wrong(world, document, change, message):
    response = world.client("hoa").post("/kiem-tra/moi/", form_data(document, **change))

    assert response.status_code == 200
    assert not response.context["form"].is_valid() or response.context["form"].errors
    errors = response.context["form"].errors
    assert errors
    if message in (services.TIMES, "Đơn vị tổ chức không có hoặc ngoài phạm vi của bạn."):
        assert errors["__all__"] == [message]
        assert message in response.content.decode()
    assert not Assessment.objects.exists()


def test_it_opens_and_closes_the_assessment_from_its_page(world, document):
    assessment = create(world, document, TDP1, opens_at=None)
    client = world.client("hoa")
    draft = client.get(f"/kiem-tra/{assessment.pk}/").content.decode()
    assert 'value="open"' in draft and assessment.code in draft

    opening = client.post(f"/kiem-tra/{assessment.pk}/", {"action": "open"})

    assert opening.status_code == 302
    assert notes(opening) == ["Đã mở bài kiểm tra: 4 bộ câu hỏi đã được tạo."]
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.OPEN
    assert Attempt.objects.filter(assessment=assessment).count() == 4
    page = client.get(f"/kiem-tra/{assessment.pk}/").content.decode()
    for part in ("trinh-chieu", "phieu-giay", "nhap-phieu", "duong-dan", "ket-qua"):
        assert f"/kiem-tra/{assessment.pk}/{part}/" in page
    assert 'value="close"' in page and 'value="open"' not in page

    closing = client.post(f"/kiem-tra/{assessment.pk}/", {"action": "close"})

    assert closing.status_code == 302
    assert notes(closing) == ["Đã đóng bài kiểm tra."]
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.CLOSED


def test_it_tells_why_an_assessment_cannot_open(world, document):
    Question.objects.filter(document=document).update(active=False)
    assessment = create(world, document, TDP1, opens_at=None, question_count=4)

    response = world.client("hoa").post(f"/kiem-tra/{assessment.pk}/", {"action": "open"})

    assert notes(response) == ["Ngân hàng câu hỏi của văn bản mới có 0 câu, cần ít nhất 4 câu."]
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT
    assert not Attempt.objects.exists()


def test_it_lets_only_who_runs_study_open_it(world, document):
    """The provincial Front sees the reports of every unit but does not run the study."""
    assessment = create(world, document, TDP1, opens_at=None)
    client = world.client("mattran")

    page = client.get(f"/kiem-tra/{assessment.pk}/")
    refused = client.post(f"/kiem-tra/{assessment.pk}/", {"action": "open"})

    assert page.status_code == 200 and 'value="open"' not in page.content.decode()
    assert refused.status_code == 404
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT
    assert (
        world.client("kbinh").post(f"/kiem-tra/{assessment.pk}/", {"action": "open"}).status_code
        == 404
    )
    assert not Attempt.objects.exists()


def test_it_lists_the_assessments_in_scope(world, document, assessment):
    elsewhere = opened(world, document, BP, opens_at=None, title="Kiểm tra ở Tuy Đức")

    body = world.client("hoa").get("/kiem-tra/").content.decode()

    assert assessment.title in body and f"/kiem-tra/{assessment.pk}/" in body
    assert elsewhere.title not in body


# -- the projector -------------------------------------------------------------------------------------
def test_it_projects_a_qr_code_of_the_join_address_and_the_code(world, assessment):
    response = world.client("hoa").get(f"/kiem-tra/{assessment.pk}/trinh-chieu/")

    body = response.content.decode()
    address = f"http://testserver/k/{assessment.code}/"
    assert response.status_code == 200
    assert "<svg" in body
    assert segno.make(address, error="m").svg_inline(scale=8, border=2, omitsize=True) in body
    assert address in body
    assert f'<p class="join-code">{assessment.code}</p>' in body
    assert f"/kiem-tra/{assessment.pk}/truc-tiep/" in body


def test_it_refreshes_the_live_figures(world, assessment):
    answer_web(assessment, attempt_of(world, assessment, "hoa"), [True] * 4)  # 100
    answer_web(assessment, attempt_of(world, assessment, "ybhiong"), [True, False, False])  # 25
    services.attempt_start(attempt=attempt_of(world, assessment, "binh"))

    response = world.client("hoa").get(f"/kiem-tra/{assessment.pk}/truc-tiep/")

    live = response.context["live"]
    assert (live.expected, live.joined, live.submitted, live.mean, live.passed) == (
        4,
        3,
        2,
        62.5,
        1,
    )
    body = response.content.decode()
    assert 'data-live="joined">3<' in body
    assert 'data-live="submitted">2<' in body
    assert "62,5%" in body
    assert "<svg" in body  # the distribution of scores
    assert "Tỷ lệ trả lời đúng từng câu" in body


# -- results ----------------------------------------------------------------------------------------------
def test_it_shows_the_results_by_cell_and_by_question(world, assessment):
    answer_web(assessment, attempt_of(world, assessment, "hoa"), [True] * 4)
    answer_web(assessment, attempt_of(world, assessment, "ybhiong"), [True, False, False])

    response = world.client("hoa").get(f"/kiem-tra/{assessment.pk}/ket-qua/")

    assert response.status_code == 200
    cells = response.context["cells"]
    assert [(c.name, c.expected, c.submitted, c.mean, c.pass_rate) for c in cells] == [
        ("Chi bộ Tổ dân phố 1", 4, 2, 62.5, 50.0)
    ]
    assert sum(i.answered for i in response.context["items"]) == 8
    assert response.context["sections"]
    body = response.content.decode()
    assert "2/4" in body and "62,5%" in body
    assert "Nguyễn Thị Hoà" in body and "Y Bhiông Niê" in body and "Chưa đạt" in body
    assert f"/kiem-tra/{assessment.pk}/ket-qua.xlsx" in body


def test_it_exports_the_results_to_a_workbook(world, assessment):
    answer_web(assessment, attempt_of(world, assessment, "hoa"), [True] * 4)
    answer_web(assessment, attempt_of(world, assessment, "ybhiong"), [True, False, False])
    hoa = attempt_of(world, assessment, "hoa")

    response = world.client("hoa").get(f"/kiem-tra/{assessment.pk}/ket-qua.xlsx")

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert f'filename="ket-qua-kiem-tra-{assessment.pk}.xlsx"' in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Ket qua", "Theo chi bo", "Phan tich cau hoi"]
    rows = list(book["Ket qua"].iter_rows(values_only=True))
    assert rows[0] == (
        "Số thẻ",
        "Họ và tên",
        "Nộp lúc",
        "Số câu đúng",
        "Điểm (%)",
        "Đạt",
        "Hình thức",
    )
    web = "Trên điện thoại, máy tính"
    assert rows[1:] == [
        (
            "67000001",
            "Nguyễn Thị Hoà",
            timezone.localtime(hoa.submitted_at).strftime("%H:%M %d/%m/%Y"),
            4,
            100,
            "Đạt",
            web,
        ),
        ("67000002", "Y Bhiông Niê", rows[2][2], 1, 25, "Chưa đạt", web),
        ("67000003", "Đặng Văn Bình", None, None, None, None, web),
        ("67000004", "Trần Văn An", None, None, None, None, web),
    ]
    assert re.fullmatch(r"\d\d:\d\d \d\d/\d\d/\d{4}", rows[2][2])
    cells = list(book["Theo chi bo"].iter_rows(values_only=True))
    assert cells == [
        ("Chi bộ", "Dự kiến", "Đã nộp", "Điểm trung bình", "Tỷ lệ đạt (%)"),
        ("Chi bộ Tổ dân phố 1", 4, 2, 62.5, 50),
    ]
    items = list(book["Phan tich cau hoi"].iter_rows(values_only=True))
    assert items[0] == ("Phần", "Câu hỏi", "Số lượt", "Độ dễ (%)", "Độ phân biệt")
    asked = {
        q for key in ("hoa", "ybhiong") for q, _ in attempt_of(world, assessment, key).questions
    }
    assert len(items) - 1 == len(asked)
    assert {r[1] for r in items[1:]} == set(
        Question.objects.filter(pk__in=asked).values_list("text", flat=True)
    )
    assert sum(r[2] for r in items[1:]) == 8
    assert all(r[4] is None for r in items[1:])  # two attempts say nothing of discrimination


# -- the paper path ----------------------------------------------------------------------------------------
def test_it_prints_sheets_only_once_the_sets_are_drawn(world, document):
    draft = create(world, document, TDP1, opens_at=None)

    response = world.client("hoa").get(f"/kiem-tra/{draft.pk}/phieu-giay/")

    assert response.status_code == 302
    assert response["Location"] == f"/kiem-tra/{draft.pk}/"
    assert notes(response) == [
        "Mở bài kiểm tra trước khi in phiếu (các bộ câu hỏi được tạo khi mở)."
    ]


def test_it_prints_a_sheet_for_each_member_yet_to_answer(world, assessment):
    answer_web(assessment, attempt_of(world, assessment, "hoa"), [True])
    client = world.client("hoa")

    response = client.get(f"/kiem-tra/{assessment.pk}/phieu-giay/")

    sheets = response.context["sheets"]
    assert [a.member.card_number for a, _ in sheets] == ["67000004", "67000003", "67000002"]
    body = response.content.decode()
    assert "Nguyễn Thị Hoà" not in body
    binh, questions = next((a, q) for a, q in sheets if a.member.card_number == "67000003")
    assert f"Mã phiếu: {binh.pk}" in body
    assert [q.id for q in questions] == [q for q, _ in binh.questions]
    assert questions[0].text in body
    one = client.get(f"/kiem-tra/{assessment.pk}/phieu-giay/?the=67000002")
    assert [a.member.full_name for a, _ in one.context["sheets"]] == ["Y Bhiông Niê"]


def test_it_enters_paper_sheets_and_scores_them(world, assessment):
    binh, an = attempt_of(world, assessment, "binh"), attempt_of(world, assessment, "an")
    data = {}
    for n, (question_id, _) in enumerate(binh.questions, start=1):
        data[f"a{binh.pk}_{n}"] = letter_of(binh, question_id, right=True)
    for n, (question_id, _) in enumerate(an.questions[:3], start=1):
        data[f"a{an.pk}_{n}"] = " " + letter_of(an, question_id, right=n != 3).lower()
    client = world.client("hoa")
    form = client.get(f"/kiem-tra/{assessment.pk}/nhap-phieu/").content.decode()
    assert f'name="a{binh.pk}_4"' in form

    response = client.post(f"/kiem-tra/{assessment.pk}/nhap-phieu/", data)

    assert response.status_code == 302
    assert notes(response) == ["Đã nhập 2 phiếu trả lời."]
    binh, an = attempt_of(world, assessment, "binh"), attempt_of(world, assessment, "an")
    assert (binh.source, binh.correct, binh.score, binh.passed) == (
        AttemptSource.PAPER,
        4,
        100.0,
        True,
    )
    assert (an.source, an.correct, an.score, an.passed) == (AttemptSource.PAPER, 2, 50.0, True)
    results = world.client("hoa").get(f"/kiem-tra/{assessment.pk}/ket-qua/")
    assert results.context["live"].submitted == 2
    again = client.get(f"/kiem-tra/{assessment.pk}/nhap-phieu/")
    assert {a.member.card_number for a, _ in again.context["sheets"]} == {"67000001", "67000002"}


def test_it_lists_every_bad_cell_of_the_sheets_and_enters_nothing(world, assessment):
    binh, an = attempt_of(world, assessment, "binh"), attempt_of(world, assessment, "an")
    data = {
        f"a{binh.pk}_1": letter_of(binh, binh.questions[0][0], right=True),
        f"a{binh.pk}_2": "E",
        f"a{an.pk}_1": letter_of(an, an.questions[0][0], right=True),
        f"a{an.pk}_3": "AX",
    }

    response = world.client("hoa").post(f"/kiem-tra/{assessment.pk}/nhap-phieu/", data)

    assert response.status_code == 200
    assert notes(response) == [
        "Trần Văn An, câu 3: 'AX' không phải phương án (A, B, C, D).",
        "Đặng Văn Bình, câu 2: 'E' không phải phương án (A, B, C, D).",
    ]
    assert not Answer.objects.exists()
    assert not Attempt.objects.exclude(submitted_at=None).exists()
    assert set(Attempt.objects.values_list("source", flat=True)) == {AttemptSource.WEB}


def test_it_lists_a_personal_link_for_each_member(world, assessment):
    response = world.client("hoa").get(f"/kiem-tra/{assessment.pk}/duong-dan/")

    body = response.content.decode()
    for key in ("hoa", "ybhiong", "binh", "an"):
        attempt = attempt_of(world, assessment, key)
        assert f"http://testserver/k/t/{attempt.token}/" in body
    assert len(response.context["rows"]) == 4


def test_it_adds_a_question_to_the_bank(world, document):
    """The province's document: its propaganda department writes the bank."""
    part = document.sections.order_by("order").first()
    client = world.client("tuyengiao")
    data = {
        "section": str(part.pk),
        "kind": "multiple",
        "text": "Những thách thức nào được nêu?",
        "correct": "a, c",
        "option_A": "Cạnh tranh nước lớn",
        "option_B": "Dân số giảm",
        "option_C": "Dịch bệnh",
    }

    added = client.post(f"/van-ban/{document.pk}/cau-hoi/", data)
    refused = client.post(
        f"/van-ban/{document.pk}/cau-hoi/", {**data, "kind": "single", "text": "Chỉ một đáp án?"}
    )

    assert added.status_code == 302
    question = Question.objects.get(text="Những thách thức nào được nêu?")
    assert question.section == part
    assert list(question.options.values_list("text", "correct")) == [
        ("Cạnh tranh nước lớn", True),
        ("Dân số giảm", False),
        ("Dịch bệnh", True),
    ]
    assert refused.status_code == 200
    assert services.ONE_CORRECT in refused.content.decode()
    assert not Question.objects.filter(text="Chỉ một đáp án?").exists()
    assert (
        "Những thách thức nào được nêu?"
        in client.get(f"/van-ban/{document.pk}/cau-hoi/").content.decode()
    )


# -- the member's phone ------------------------------------------------------------------------------------
def test_it_lets_a_member_join_by_typing_the_code(world, assessment):
    """Pressing "Vào làm bài" is the member's own start: straight to the questions."""
    client = world.client("ybhiong")
    token = attempt_of(world, assessment, "ybhiong").token
    assert 'name="ma"' in client.get("/k/").content.decode()

    joined = client.post("/k/", {"ma": f" {assessment.code.lower()} "})
    wrong = client.post("/k/", {"ma": "ZZZZZZ"})

    assert joined.status_code == 302 and joined["Location"] == f"/k/t/{token}/"
    assert attempt_of(world, assessment, "ybhiong").started_at is not None
    assert 'id="bai-lam"' in client.get(joined["Location"]).content.decode()
    assert wrong.status_code == 200
    assert api.UNKNOWN_CODE in wrong.content.decode()


def test_it_takes_a_member_from_the_qr_code_to_their_questions(world, assessment):
    token = attempt_of(world, assessment, "ybhiong").token

    response = world.client("ybhiong").get(f"/k/{assessment.code}/")
    stranger = world.client("kbinh").get(f"/k/{assessment.code}/")
    anonymous = Client().get(f"/k/{assessment.code}/")

    # At once the start page (no redirect: one round trip less on a weak signal).
    assert response.status_code == 200
    assert f'action="/k/t/{token}/bat-dau/"' in response.content.decode()
    assert attempt_of(world, assessment, "ybhiong").started_at is None  # a GET: the start page
    assert stranger.status_code == 404 and api.NOT_EXPECTED in stranger.content.decode()
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/dang-nhap/")
    assert f"/k/{assessment.code}/" in anonymous["Location"]


def test_it_starts_in_one_tap_from_a_button_posting_to_the_join_address(world, assessment):
    """The member's home page may offer a button posting to /k/<code>/: her tap is her
    start, and the questions come straight away; another member's post changes nothing."""
    token = attempt_of(world, assessment, "ybhiong").token

    tapped = world.client("ybhiong").post(f"/k/{assessment.code}/")
    stranger = world.client("kbinh").post(f"/k/{assessment.code}/")

    assert tapped.status_code == 302 and tapped["Location"] == f"/k/t/{token}/"
    assert attempt_of(world, assessment, "ybhiong").started_at is not None
    page = world.client("ybhiong").get(tapped["Location"]).content.decode()
    assert 'id="bai-lam"' in page
    assert stranger.status_code == 404 and api.NOT_EXPECTED in stranger.content.decode()
    assert (
        not Attempt.objects.filter(assessment=assessment)
        .exclude(member=world.members["ybhiong"])
        .exclude(started_at=None)
        .exists()
    )


def test_it_shows_a_start_page_and_leaves_the_clock_alone_on_reading_the_link(world, assessment):
    """A link-preview bot opens the personal link as soon as it is sent: the member's
    clock must not start, and the questions must not show before it does."""
    attempt = attempt_of(world, assessment, "ybhiong")
    phone = Client()

    page = phone.get(f"/k/t/{attempt.token}/")
    head = phone.head(f"/k/t/{attempt.token}/")

    assert (page.status_code, head.status_code) == (200, 200)
    attempt.refresh_from_db()
    assert (attempt.started_at, attempt.deadline) == (None, None)
    body = page.content.decode()
    assert assessment.title in body and "Y Bhiông Niê" in body
    assert "Thời gian làm bài: <strong>15 phút</strong>" in body
    assert "Số câu hỏi: <strong>4</strong>" in body
    assert f'action="/k/t/{attempt.token}/bat-dau/"' in body and "Bắt đầu làm bài" in body
    assert "questions" not in page.context and 'id="bai-lam"' not in body
    assert attempt.member.card_number not in body
    for question_id, _ in attempt.questions:
        assert assessment.snapshot[str(question_id)]["text"] not in body


def test_it_refuses_to_start_the_clock_on_any_other_method_than_post(world, assessment):
    attempt = attempt_of(world, assessment, "ybhiong")
    phone = Client()

    assert phone.get(f"/k/t/{attempt.token}/bat-dau/").status_code == 405
    assert phone.head(f"/k/t/{attempt.token}/bat-dau/").status_code == 405
    attempt.refresh_from_db()
    assert attempt.started_at is None


def test_it_shows_the_member_their_own_questions(world, assessment):
    attempt = attempt_of(world, assessment, "ybhiong")
    phone = Client()

    started = phone.post(f"/k/t/{attempt.token}/bat-dau/")
    response = phone.get(f"/k/t/{attempt.token}/")

    # The questions come in the answer itself (no redirect: a round trip less).
    assert started.status_code == 200 and 'id="bai-lam"' in started.content.decode()
    assert f'data-page="/k/t/{attempt.token}/"' in started.content.decode()
    assert response.status_code == 200
    body = response.content.decode()
    assert "Y Bhiông Niê" in body
    for question in response.context["questions"]:
        assert question.text in body
        for option in question.options:
            assert f'name="q{question.id}" value="{option.id}"' in body
            assert f"{option.letter}. {option.text}" in body
    assert [q.id for q in response.context["questions"]] == [q for q, _ in attempt.questions]
    attempt.refresh_from_db()
    assert attempt.started_at is not None
    assert f'data-deadline="{attempt.deadline.isoformat()}"' in body
    assert Client().get("/k/t/khong-co-that/").status_code == 404
    assert Client().post("/k/t/khong-co-that/bat-dau/").status_code == 404
    phone.post(f"/k/t/{attempt.token}/bat-dau/")  # pressed twice: the clock runs once
    assert Attempt.objects.get(pk=attempt.pk).started_at == attempt.started_at


def test_it_tells_a_member_the_assessment_has_closed(world, assessment):
    services.assessment_close(assessment=assessment)
    attempt = attempt_of(world, assessment, "ybhiong")

    response = Client().get(f"/k/t/{attempt.token}/")

    assert response.status_code == 200
    assert "Bài kiểm tra đã đóng lúc" in response.content.decode()
    assert "questions" not in response.context
    attempt.refresh_from_db()
    assert attempt.started_at is None


def test_it_submits_the_form_once_and_shows_the_result(world, assessment):
    attempt = attempt_of(world, assessment, "ybhiong")
    phone = Client()
    phone.post(f"/k/t/{attempt.token}/bat-dau/")
    (q1, _), (q2, _), (q3, _), _ = attempt.questions
    data = {
        f"q{q1}": right_options(assessment, q1),
        f"q{q2}": right_options(assessment, q2),
        f"q{q3}": wrong_options(assessment, q3),
    }

    response = phone.post(f"/k/t/{attempt.token}/nop/", data)

    assert response.status_code == 302 and response["Location"] == f"/k/t/{attempt.token}/"
    attempt.refresh_from_db()
    assert (attempt.correct, attempt.score, attempt.passed) == (2, 50.0, True)
    assert Answer.objects.filter(attempt=attempt).count() == 3
    page = phone.get(f"/k/t/{attempt.token}/").content.decode()
    assert "Đã nộp bài lúc" in page
    assert "2/4 câu đúng · 50%" in page and "Đạt" in page
    assert 'id="bai-lam"' not in page

    again = phone.post(f"/k/t/{attempt.token}/nop/", {f"q{q3}": right_options(assessment, q3)})

    assert again.status_code == 302
    after = Attempt.objects.get(pk=attempt.pk)
    assert (after.submitted_at, after.correct) == (attempt.submitted_at, 2)
    assert Answer.objects.get(attempt=attempt, question_id=q3).options == wrong_options(
        assessment, q3
    )


def test_it_refuses_a_late_form_with_a_clear_message(world, assessment):
    attempt = attempt_of(world, assessment, "ybhiong")
    ended = timezone.now() - timedelta(minutes=1)
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=ended - timedelta(minutes=15), deadline=ended
    )
    question_id = attempt.questions[0][0]

    response = Client().post(
        f"/k/t/{attempt.token}/nop/", {f"q{question_id}": right_options(assessment, question_id)}
    )

    assert response.status_code == 409
    assert services.LATE.format(at=services.local(ended)) in response.content.decode()
    attempt.refresh_from_db()
    assert (attempt.submitted_at, attempt.score) == (None, None)
    assert not Answer.objects.exists()


def test_it_shows_the_right_answers_when_so_set(world, document):
    assessment = opened(world, document, TDP1, opens_at=None, question_count=2, show_answers=True)
    attempt = attempt_of(world, assessment, "ybhiong")
    q1 = attempt.questions[0][0]
    answer_web(assessment, attempt, [False])

    body = Client().get(f"/k/t/{attempt.token}/").content.decode()

    assert body.count("✓") == 2
    assert body.count("(bạn chọn)") == 1
    right_text = assessment.snapshot[str(q1)]["options"][str(right_options(assessment, q1)[0])]
    assert f"{right_text} ✓" in body


def test_it_keeps_the_score_back_when_so_set(world, document):
    assessment = opened(world, document, TDP1, opens_at=None, question_count=2, show_score=False)
    attempt = attempt_of(world, assessment, "ybhiong")
    answer_web(assessment, attempt, [True, True])

    body = Client().get(f"/k/t/{attempt.token}/").content.decode()

    assert "Kết quả sẽ được thông báo sau." in body
    assert "câu đúng" not in body and "✓" not in body


def test_it_shows_the_member_their_results_on_their_record(world, assessment):
    answer_web(assessment, attempt_of(world, assessment, "ybhiong"), [True, True, True])
    client = world.client("ybhiong")

    response = client.get("/ho-so-cua-toi/", follow=True)

    body = response.content.decode()
    assert "Kết quả kiểm tra nhanh sau học tập" in body
    assert f"<td>{assessment.title}</td>" in body
    assert '<td class="num">75,0</td><td>Đạt</td>' in body


# -- who sees whom -------------------------------------------------------------------------------------------
def test_it_shows_the_front_the_results_as_figures_only(world, assessment):
    """The Fatherland Front reads the tree's reports, not member records (decisions.md):
    the same figures as the cell, and no name, card number or member's score."""
    answer_web(assessment, attempt_of(world, assessment, "hoa"), [True] * 4)
    answer_web(assessment, attempt_of(world, assessment, "ybhiong"), [True, False, False])
    client = world.client("mattran")

    page = client.get(f"/kiem-tra/{assessment.pk}/ket-qua/")
    book = client.get(f"/kiem-tra/{assessment.pk}/ket-qua.xlsx")

    assert page.status_code == 200 and page.context["attempts"] is None
    assert [(c.expected, c.submitted, c.mean) for c in page.context["cells"]] == [(4, 2, 62.5)]
    body = page.content.decode()
    assert "Chi bộ Tổ dân phố 1" in body and "62,5%" in body
    assert "Kết quả từng đảng viên chỉ dành cho người được xem hồ sơ đảng viên" in body
    workbook = openpyxl.load_workbook(io.BytesIO(book.content))
    assert workbook.sheetnames == ["Theo chi bo", "Phan tich cau hoi"]
    cells = [str(v) for ws in workbook for row in ws.iter_rows(values_only=True) for v in row]
    for member in world.members.values():
        assert member.full_name not in body and member.card_number not in body
        assert not any(member.full_name in v or member.card_number in v for v in cells)


def test_it_keeps_nothing_of_a_script_less_form_when_one_answer_is_refused(world, assessment):
    attempt = attempt_of(world, assessment, "ybhiong")
    (q1, _), (q2, _), _, _ = attempt.questions

    with pytest.raises(services.DomainError) as refused:
        services.attempt_submit_form(
            attempt=attempt,
            answers={q1: right_options(assessment, q1), q2: [10**9]},  # not one of q2's
        )

    assert refused.value.message == services.BAD_OPTIONS
    attempt.refresh_from_db()
    assert attempt.submitted_at is None
    assert not Answer.objects.exists()


def test_it_charts_the_sections_as_bars_with_their_whole_names(world, assessment):
    """Labels under vertical bars overlapped and were cut to 18 letters: each section is
    now a row, its whole name beside its bar."""
    answer_web(assessment, attempt_of(world, assessment, "hoa"), [True] * 4)

    body = world.client("hoa").get(f"/kiem-tra/{assessment.pk}/ket-qua/").content.decode()

    bars = body[body.index('<table class="bars sections">') :]
    bars = bars[: bars.index("</table>")]
    shown = re.findall(r'<th scope="row">([^<]+)</th>', bars)
    assert shown and set(shown) <= {
        "Phần I. Đánh giá tình hình",
        "Phần II. Dự báo",
        "Phần III. Mục tiêu",
    }
    assert bars.count('<td class="bar"><svg') == len(shown)
    assert "<text" not in body  # no label drawn inside a chart
