"""Sociological surveys: design, sample, phone and paper answers, results, counting."""

from __future__ import annotations

import io
import re
from datetime import date

import openpyxl
import pytest
from django.utils import timezone

from dangvu.conftest import World
from dangvu.core.errors import DomainError
from dangvu.indicators.catalogue import catalogue_sync
from dangvu.indicators.engine import evaluate
from dangvu.indicators.models import Indicator
from dangvu.lib.periods import parse_period
from dangvu.sociology import selectors
from dangvu.sociology.models import (
    Channel,
    Invitation,
    Question,
    Questionnaire,
    Response,
    ResponseAnswer,
    Status,
)
from dangvu.sociology.services import (
    CODE_UNKNOWN,
    CODE_USED,
    QuestionnaireSpec,
    question_add,
    questionnaire_close,
    questionnaire_open,
    questionnaire_save,
    response_submit,
)
from dangvu.sociology.tests.helpers import (
    DAY,
    answer_on_phone,
    make_survey,
    open_code,
    raw_of,
    sheet,
)


def test_it_draws_the_sample_from_the_members_of_the_sampled_units(world: World) -> None:
    survey = make_survey(world, sample_size=4)
    invitations = list(Invitation.objects.filter(questionnaire=survey))
    assert len(invitations) == 4 and survey.status == Status.OPEN
    sampled = {"DN.CUJUT.EATLING.TDP1", "DN.CUJUT.EATLING.TDP2"}
    assert {i.unit.code for i in invitations} <= sampled
    assert len({i.member_id for i in invitations}) == 4
    assert all(len(i.code) == 8 and not set(i.code) & set("01OIL") for i in invitations)
    # The design is fixed once answers may come.
    with pytest.raises(DomainError, match="đã mở thu phiếu"):
        question_add(questionnaire=survey, kind="text", text="Thêm")


def test_design_refusals_change_nothing(world: World) -> None:
    u = world.units
    base = dict(
        unit=u["DN.CUJUT"],
        title="Khảo sát",
        started_on=DAY,
        ended_on=date(2022, 4, 1),
        sample_units=[u["DN.CUJUT.EATLING"]],
    )
    for change, message in (
        ({"title": " "}, "Cần ghi tên"),
        ({"ended_on": date(2022, 1, 1)}, "Ngày kết thúc không được trước"),
        ({"sample_units": []}, "ít nhất một đơn vị"),
        ({"sample_units": [u["DN.DAKMIL"]]}, "không thuộc Huyện ủy Cư Jút"),
        ({"unit": u["DN.CUJUT.EATLING.TDP1"]}, "không phải cấp ủy tiến hành"),
    ):
        with pytest.raises(DomainError, match=message):
            questionnaire_save(spec=QuestionnaireSpec(**{**base, **change}))
    survey = questionnaire_save(spec=QuestionnaireSpec(**base))
    for kind, options, message in (
        ("single", ["Một"], "ít nhất hai phương án"),
        ("bogus", [], "Loại câu hỏi không hợp lệ"),
    ):
        with pytest.raises(DomainError, match=message):
            question_add(questionnaire=survey, kind=kind, text="Câu", options=options)
    with pytest.raises(DomainError, match="thang điểm phải từ 2 đến 10"):
        question_add(questionnaire=survey, kind="scale", text="Câu", scale_max=11)
    with pytest.raises(DomainError, match="Phương án “Có” bị trùng"):
        question_add(questionnaire=survey, kind="single", text="Câu", options=["Có", "Có"])
    with pytest.raises(DomainError, match="Phương án 2 dài quá 300 ký tự"):
        question_add(questionnaire=survey, kind="single", text="Câu", options=["A", "B" * 301])
    with pytest.raises(DomainError, match=r"nằm trong đơn vị DN\.CUJUT\.EATLING"):
        questionnaire_save(
            spec=QuestionnaireSpec(
                **{**base, "sample_units": [u["DN.CUJUT.EATLING"], u["DN.CUJUT.EATLING.TDP1"]]}
            )
        )
    with pytest.raises(DomainError, match="Chỉ kết thúc được cuộc điều tra đang thu phiếu"):
        questionnaire_close(questionnaire=survey)
    with pytest.raises(DomainError, match="chưa có câu hỏi"):
        questionnaire_open(questionnaire=survey, sample_size=0, day=DAY)
    question_add(questionnaire=survey, kind="text", text="Ý kiến")
    with pytest.raises(DomainError, match="Cỡ mẫu phải từ 0 đến 5"):
        questionnaire_open(questionnaire=survey, sample_size=6, day=DAY)
    assert Question.objects.count() == 1 and Invitation.objects.count() == 0
    assert Questionnaire.objects.get().status == Status.DRAFT


def test_a_sheet_with_faults_lists_every_question_and_records_nothing(world: World) -> None:
    survey = make_survey(world)
    code = Invitation.objects.filter(questionnaire=survey).first().code
    q = list(survey.questions.all())
    bad = {q[0].pk: [], q[1].pk: ["999999"], q[2].pk: ["9"]}
    with pytest.raises(DomainError) as refused:
        response_submit(questionnaire=survey, raw=bad, channel=Channel.PHONE, code=code, day=DAY)
    message = refused.value.message
    assert "Câu 1: chưa trả lời" in message
    assert "Câu 2: phương án không có" in message
    assert "Câu 3: chọn một điểm từ 1 đến 5" in message
    assert Response.objects.count() == 0
    assert not Invitation.objects.get(code=code).used
    # Two options on a single choice.
    two = raw_of(sheet(survey, 0, [0], 3))
    two[q[0].pk] = [str(o.pk) for o in q[0].options.all()]
    with pytest.raises(DomainError, match="Câu 1: chỉ chọn một phương án"):
        response_submit(questionnaire=survey, raw=two, channel=Channel.PHONE, code=code, day=DAY)


def test_a_code_answers_once_and_only_while_the_survey_is_open(world: World) -> None:
    survey = make_survey(world)
    code = Invitation.objects.filter(questionnaire=survey).first().code
    raw = raw_of(sheet(survey, 0, [1], 4))
    response_submit(questionnaire=survey, raw=raw, channel=Channel.PHONE, code=code, day=DAY)
    with pytest.raises(DomainError, match="đã được dùng"):
        response_submit(questionnaire=survey, raw=raw, channel=Channel.PHONE, code=code, day=DAY)
    with pytest.raises(DomainError, match="Mã này không mở được phiếu"):
        response_submit(questionnaire=survey, raw=raw, channel=Channel.PHONE, code="ZZZZ", day=DAY)
    other = Invitation.objects.filter(questionnaire=survey, used=False).first().code
    with pytest.raises(DomainError, match="không trong thời gian thu phiếu"):
        response_submit(
            questionnaire=survey, raw=raw, channel=Channel.PHONE, code=other, day=date(2022, 5, 1)
        )
    questionnaire_close(questionnaire=survey)
    with pytest.raises(DomainError, match="không trong thời gian thu phiếu"):
        response_submit(questionnaire=survey, raw=raw, channel=Channel.PHONE, code=other, day=DAY)
    assert Response.objects.count() == 1


def test_the_paper_path_records_sheets_by_sampled_unit(world: World) -> None:
    survey = make_survey(world, anonymous=False)
    client = world.client("tochuc")
    url = f"/dieu-tra/{survey.pk}/phieu-giay/"
    data = sheet(survey, 1, [0, 2], 2, "Cần tập huấn")
    outside = client.post(url, {**data, "don_vi": "DN.DAKMIL"})
    assert "không thuộc mẫu điều tra" in outside.content.decode()
    assert Response.objects.count() == 0
    saved = client.post(url, {**data, "don_vi": "DN.CUJUT.EATLING.TDP2"})
    assert saved.status_code == 302
    sheet_ = Response.objects.get()
    assert sheet_.channel == Channel.PAPER and sheet_.member is None
    assert sheet_.unit.code == "DN.CUJUT.EATLING.TDP2"
    assert ResponseAnswer.objects.filter(response=sheet_).count() == 5
    # A paper sheet carrying its code: the member is not asked again, and (not anonymous)
    # the sheet is theirs.
    invitation = Invitation.objects.filter(questionnaire=survey).first()
    client.post(url, {**data, "don_vi": "DN.CUJUT.EATLING.TDP1", "ma": invitation.code.lower()})
    invitation.refresh_from_db()
    assert invitation.used
    assert Response.objects.filter(member=invitation.member, unit=invitation.unit).exists()


def test_a_member_answers_on_the_phone_with_the_code_from_the_slip(world: World) -> None:
    survey = make_survey(world, day=timezone.localdate())
    code = Invitation.objects.filter(questionnaire=survey).first().code
    client = world.client(None)
    page = open_code(client, code.lower())
    assert page.redirect_chain == [] and page.status_code == 200
    body = page.content.decode()
    assert "Phiếu không ghi tên" in body and "Mức độ hài lòng" in body
    assert f'name="ma" value="{code}"' in body  # the code goes on in the body, not the URL
    wrong = open_code(client, "KHONGCO").content.decode()
    assert CODE_UNKNOWN in wrong and "Gửi phiếu" not in wrong
    data = sheet(survey, 0, [0, 1], 5)
    q1 = survey.questions.get(number=1)
    refused = answer_on_phone(client, code, {**data, f"q{q1.pk}": ""})
    body = refused.content.decode()
    assert "Câu 1: chưa trả lời" in body
    assert body.count("checked") >= 3  # what was chosen stays chosen
    assert Response.objects.count() == 0
    done = answer_on_phone(client, code, data).content.decode()
    assert "Cảm ơn đồng chí" in done
    assert Response.objects.get().member is None
    # The same code again: the same form; a complete sheet is refused and nothing recorded.
    again = answer_on_phone(client, code, sheet(survey, 1, [2], 1)).content.decode()
    assert CODE_USED in again and "Cảm ơn đồng chí" not in again
    assert Response.objects.count() == 1


def _answer_all(survey: Questionnaire, sheets: list[tuple[int, list[int], int]]) -> None:
    codes = list(Invitation.objects.filter(questionnaire=survey).values_list("code", flat=True))
    for code, (first, hard, points) in zip(codes, sheets, strict=False):
        raw = raw_of(sheet(survey, first, hard, points, "ý kiến"))
        response_submit(questionnaire=survey, raw=raw, channel=Channel.PHONE, code=code, day=DAY)


def test_results_count_each_option_and_cross_tabulate(world: World) -> None:
    survey = make_survey(world, anonymous=False, sample_size=5)
    _answer_all(survey, [(0, [0], 5), (0, [0, 1], 4), (1, [1], 2), (1, [2], 1), (0, [], 4)])
    q1, q2, q3, q4 = selectors.results(survey)
    assert [(b.label, b.n, b.share) for b in q1.bars] == [
        ("Đã dùng", 3, 60.0),
        ("Chưa dùng", 2, 40.0),
    ]
    assert [b.n for b in q2.bars] == [2, 2, 1] and q2.answered == 4
    assert q3.mean == 3.2 and [b.n for b in q3.bars] == [1, 1, 0, 2, 1]
    assert q4.texts == ["ý kiến"] * 5
    table = selectors.crosstab(survey, str(q1.question.pk), str(q3.question.pk))
    assert table is not None
    assert table.rows == ["Đã dùng", "Chưa dùng"] and table.cols == ["1", "2", "3", "4", "5"]
    assert table.cells == [[0, 0, 0, 2, 1], [1, 1, 0, 0, 0]] and table.row_totals == [3, 2]
    assert table.share(0, 3) == 66.7
    by_unit = selectors.crosstab(survey, "don-vi", str(q1.question.pk))
    assert by_unit is not None and sum(by_unit.row_totals) == 5
    assert "OTHER" not in by_unit.rows and selectors.OTHER_UNITS not in by_unit.rows
    assert selectors.crosstab(survey, str(q4.question.pk), str(q1.question.pk)) is None
    page = world.client("tochuc").get(
        f"/dieu-tra/{survey.pk}/ket-qua/?hang={q1.question.pk}&cot={q3.question.pk}"
    )
    assert "66,7%" in page.content.decode()
    book = openpyxl.load_workbook(
        io.BytesIO(world.client("tochuc").get(f"/dieu-tra/{survey.pk}/ket-qua.xlsx").content)
    )
    rows = list(book["Phieu"].iter_rows(values_only=True))
    assert rows[0][:5] == ("Đơn vị", "Hình thức", "Ngày", "Số thẻ", "Họ và tên")
    assert rows[1][2] == "01/03/2022"  # named: the day is kept
    assert len(rows) == 6 and all(r[3] for r in rows[1:])  # named: the survey is not anonymous
    summary = list(book["Tong hop"].iter_rows(values_only=True))
    assert (1, q1.question.text, "Đã dùng", 3, 60) in summary


def test_an_anonymous_survey_hides_small_units_and_names(world: World) -> None:
    survey = make_survey(world, anonymous=True, sample_size=5)
    _answer_all(survey, [(0, [0], 5)] * 5)
    assert set(Response.objects.values_list("member", "received_on")) == {(None, None)}
    # While codes are being used, the results stay closed: their changes would tell.
    client = world.client("quantri")
    page = client.get(f"/dieu-tra/{survey.pk}/ket-qua/").content.decode()
    assert "chỉ xem được khi đã kết thúc thu phiếu" in page and "Bảng chéo" not in page
    assert client.get(f"/dieu-tra/{survey.pk}/ket-qua.xlsx").status_code == 302
    # A paper sheet of an anonymous survey carries no code.
    code = Invitation.objects.filter(questionnaire=survey).first().code
    with pytest.raises(DomainError, match="không mang mã phiếu"):
        response_submit(
            questionnaire=survey,
            raw=raw_of(sheet(survey, 0, [0], 5)),
            channel=Channel.PAPER,
            code=code,
            unit=world.units["DN.CUJUT.EATLING.TDP1"],
        )
    questionnaire_close(questionnaire=survey)
    survey.refresh_from_db()
    by_unit = selectors.crosstab(survey, "don-vi", str(survey.questions.get(number=1).pk))
    assert by_unit is not None
    # TDP2 has one member; TDP1 four: neither reaches five sheets on its own.
    assert by_unit.rows == [selectors.OTHER_UNITS] and by_unit.row_totals == [5]
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/dieu-tra/{survey.pk}/ket-qua.xlsx").content)
    )
    rows = list(book["Phieu"].iter_rows(values_only=True))
    # Neither who nor when nor how: a unit's only paper sheet would be its paper member's.
    assert rows[0] == ("Đơn vị", "Câu 1", "Câu 2", "Câu 3", "Câu 4")
    assert {r[0] for r in rows[1:]} == {selectors.OTHER_UNITS} and len(rows) == 6


def test_it_counts_the_surveys_carried_out_by_level(world: World) -> None:
    catalogue_sync()
    make_survey(world)
    make_survey(world, unit="DN.CUJUT")
    draft = questionnaire_save(
        spec=QuestionnaireSpec(
            unit=world.units["DN"],
            title="Chưa tiến hành",
            started_on=DAY,
            ended_on=DAY,
            sample_units=[world.units["DN.DAKMIL"]],
        )
    )
    assert draft.status == Status.DRAFT
    ev = evaluate(
        targets=[world.units["DN"], world.units["DN.CUJUT"]],
        period=parse_period("2022"),
        indicators=list(Indicator.objects.filter(code__startswith="survey.sociological")),
    )
    assert ev.of("survey.sociological_province", world.units["DN"].pk) == {"2022": {"": 1}}
    assert ev.of("survey.sociological_district", world.units["DN"].pk) == {"2022": {"": 1}}
    assert ev.of("survey.sociological_district", world.units["DN.CUJUT"].pk) == {"2022": {"": 1}}


def test_the_office_designs_and_opens_a_survey_through_the_pages(world: World) -> None:
    client = world.client("tuyengiao")
    created = client.post(
        "/dieu-tra/moi/",
        {
            "don_vi": "DN",
            "ten": "Tình hình tư tưởng",
            "tu_ngay": "01/03/2022",
            "den_ngay": "31/03/2022",
            "mau": "DN.CUJUT.EATLING, DN.TUYDUC",
            "an_danh": "1",
        },
    )
    survey = Questionnaire.objects.get()
    assert created["Location"] == f"/dieu-tra/{survey.pk}/" and survey.anonymous
    bad = client.post(f"/dieu-tra/{survey.pk}/cau-hoi/", {"loai": "single", "noi_dung": "A?"})
    assert bad.status_code == 302 and Question.objects.count() == 0
    client.post(
        f"/dieu-tra/{survey.pk}/cau-hoi/",
        {"loai": "single", "noi_dung": "A?", "phuong_an": "Có\nKhông\n", "bat_buoc": "1"},
    )
    client.post(f"/dieu-tra/{survey.pk}/cau-hoi/", {"loai": "text", "noi_dung": "Ý kiến"})
    detail = client.get(f"/dieu-tra/{survey.pk}/").content.decode()
    assert "Các đơn vị lấy mẫu có 7 đảng viên" in detail
    client.post(f"/dieu-tra/{survey.pk}/mo/", {"co_mau": "6"})
    survey.refresh_from_db()
    assert survey.status == Status.OPEN and survey.invitations.count() == 6
    codes = client.get(f"/dieu-tra/{survey.pk}/ma-phieu/").content.decode()
    assert all(i.code in codes for i in survey.invitations.all())
    assert "/dieu-tra/tra-loi/" in codes
    client.post(f"/dieu-tra/{survey.pk}/dong/")
    survey.refresh_from_db()
    assert survey.status == Status.CLOSED


def test_an_open_survey_keeps_its_start_and_refuses_odd_input_without_failing(
    world: World,
) -> None:
    survey = make_survey(world, day=timezone.localdate())
    spec = QuestionnaireSpec(
        unit=survey.unit,
        title="Đổi tên",
        started_on=date(2010, 1, 1),
        ended_on=survey.ended_on,
        sample_units=list(survey.sample_units.all()),
        anonymous=True,
    )
    with pytest.raises(DomainError, match="không đổi ngày bắt đầu"):
        questionnaire_save(spec=spec, existing=survey)
    # The end may move (an extension), the title may change.
    later = QuestionnaireSpec(**{**spec.__dict__, "started_on": survey.started_on})
    assert questionnaire_save(spec=later, existing=survey).title == "Đổi tên"
    code = Invitation.objects.filter(questionnaire=survey).first().code
    q3 = survey.questions.get(number=3)
    data = {**sheet(survey, 0, [0], 3), f"q{q3.pk}": "²"}
    page = answer_on_phone(world.client(None), code, data)
    assert page.status_code == 200 and "Câu 3: chọn một điểm từ 1 đến 5" in page.content.decode()
    client = world.client("tochuc")
    assert client.get(f"/dieu-tra/{survey.pk}/ket-qua/?hang=²&cot=1").status_code == 200
    client.post(f"/dieu-tra/{survey.pk}/mo/", {"co_mau": "²"})
    assert Response.objects.count() == 0


def test_results_belong_to_the_conducting_committee(world: World) -> None:
    survey = make_survey(world, anonymous=False, sample_size=5)
    _answer_all(survey, [(0, [0], 5)] * 5)
    # The cell's secretary sees the survey that sampled her cell, not the province's answers.
    hoa = world.client("hoa")
    assert hoa.get(f"/dieu-tra/{survey.pk}/").status_code == 200
    assert hoa.get(f"/dieu-tra/{survey.pk}/ket-qua/").status_code == 404
    assert hoa.get(f"/dieu-tra/{survey.pk}/ket-qua.xlsx").status_code == 404

    # The Front reads the results without the names; the organiser with them.
    def header(persona: str) -> tuple:
        content = world.client(persona).get(f"/dieu-tra/{survey.pk}/ket-qua.xlsx").content
        return next(
            openpyxl.load_workbook(io.BytesIO(content))["Phieu"].iter_rows(values_only=True)
        )

    assert "Họ và tên" not in header("mattran")
    assert "Họ và tên" in header("tochuc")


def test_small_units_merge_until_no_one_stands_out(world: World) -> None:
    survey = make_survey(world, anonymous=True, sample_size=5)
    u = world.units
    raw = raw_of(sheet(survey, 0, [0], 5))
    for code, n in (("DN.CUJUT.EATLING.TDP1", 7), ("DN.CUJUT.EATLING.TDP2", 3)):
        for _ in range(n):
            response_submit(
                questionnaire=survey, raw=raw, channel=Channel.PAPER, unit=u[code], day=DAY
            )
    # TDP2 alone is small; merged with nothing else it would be TDP2 under another name,
    # so TDP1 joins the group (and, once closed, no sheet names either unit).
    questionnaire_close(questionnaire=survey)
    survey.refresh_from_db()
    assert not Response.objects.exclude(unit=None).exists()
    labels = selectors.unit_groups(survey)
    assert set(labels.values()) == {selectors.OTHER_UNITS}


def test_the_codes_page_never_shows_who_answered_an_anonymous_survey(world: World) -> None:
    survey = make_survey(world, anonymous=True, sample_size=5)
    _answer_all(survey, [(0, [0], 5)])
    client = world.client("tochuc")
    url = f"/dieu-tra/{survey.pk}/ma-phieu/"
    page = client.get(url).content.decode()
    assert all(i.code in page for i in survey.invitations.all())  # still to hand out
    assert "✓" not in page and "Đã trả lời" not in page
    # While collecting, the whole sample only: groups changing sheet by sheet would tell.
    assert _unit_lines(page) == [(selectors.WHOLE_SAMPLE, "5", "1")]
    detail = client.get(f"/dieu-tra/{survey.pk}/").content.decode()
    assert "1 phiếu đã nhận; 5 mã phiếu đã phát" in detail  # not "1/5 used"
    questionnaire_close(questionnaire=survey)
    page = client.get(url).content.decode()
    assert "✓" not in page and "Các mã phiếu đã bị hủy" in page
    # One sheet: no unit shows on its own, the 5 codes are in the merged group.
    assert _unit_lines(page) == [(selectors.OTHER_UNITS, "5", "1")]
    assert not Invitation.objects.filter(questionnaire=survey).exists()


def test_the_codes_page_shows_a_unit_of_five_sheets_and_merges_the_rest(world: World) -> None:
    def closed_with(tdp1: int, tdp2: int) -> list[tuple[str, ...]]:
        survey = make_survey(world, anonymous=True, sample_size=5)
        raw = raw_of(sheet(survey, 0, [0], 5))
        for code, n in (("DN.CUJUT.EATLING.TDP1", tdp1), ("DN.CUJUT.EATLING.TDP2", tdp2)):
            for _ in range(n):
                response_submit(
                    questionnaire=survey,
                    raw=raw,
                    channel=Channel.PAPER,
                    unit=world.units[code],
                    day=DAY,
                )
        url = f"/dieu-tra/{survey.pk}/ma-phieu/"
        collecting = _unit_lines(world.client("tochuc").get(url).content.decode())
        assert collecting == [(selectors.WHOLE_SAMPLE, "5", str(tdp1 + tdp2))]
        questionnaire_close(questionnaire=survey)
        return _unit_lines(world.client("tochuc").get(url).content.decode())

    assert closed_with(5, 5) == [
        ("DN.CUJUT.EATLING.TDP1", "4", "5"),
        ("DN.CUJUT.EATLING.TDP2", "1", "5"),
    ]
    # One sheet fewer in TDP1 and both go into the merged group.
    assert closed_with(4, 5) == [(selectors.OTHER_UNITS, "5", "9")]


def test_the_codes_page_of_a_named_survey_ticks_who_answered(world: World) -> None:
    survey = make_survey(world, anonymous=False, sample_size=5)
    _answer_all(survey, [(0, [0], 5)])
    page = world.client("tochuc").get(f"/dieu-tra/{survey.pk}/ma-phieu/").content.decode()
    assert page.count("✓") == 1
    assert _unit_lines(page) == [
        ("DN.CUJUT.EATLING.TDP1", "4", "1"),
        ("DN.CUJUT.EATLING.TDP2", "1", "0"),
    ]


def _unit_lines(page: str) -> list[tuple[str, ...]]:
    """The table of sheets by unit on the codes page."""
    table = page.split("Phiếu đã nhận theo đơn vị", 1)[1].split("</table>", 1)[0]
    return [
        tuple(
            re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>.*?</td>", row)
        )
        for row in re.findall(r"<tr><td.*?</tr>", table)
    ]


def test_using_a_code_writes_every_invitation_of_an_anonymous_survey(world: World) -> None:
    """On PostgreSQL a row's transaction id (xmin) would otherwise tie the member's
    invitation to the sheet written in the same transaction."""
    from django.db import connection

    survey = make_survey(world, anonymous=True, sample_size=4)
    _answer_all(survey, [(0, [0], 5), (1, [1], 2)])
    assert Invitation.objects.filter(questionnaire=survey, used=True).count() == 2
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT xmin::text FROM sociology_invitation WHERE questionnaire_id = %s",
            [survey.pk],
        )
        invitation_xmins = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT xmin::text FROM sociology_response WHERE questionnaire_id = %s", [survey.pk]
        )
        response_xmins = {row[0] for row in cursor.fetchall()}
    assert len(invitation_xmins) == 1  # all rewritten by the latest sheet alike
    assert len(response_xmins) == 2


def _filled(client, survey: Questionnaire, rows: list[list[object]]) -> io.BytesIO:
    template = client.get(f"/dieu-tra/{survey.pk}/phieu-giay/mau.xlsx")
    assert template.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(template.content))
    assert [c.value for c in book["Phiếu"][1]] == ["Đơn vị", "Câu 1", "Câu 2", "Câu 3", "Câu 4"]
    guide = [r for r in book["Hướng dẫn"].iter_rows(values_only=True)]
    assert guide[1][3] == "1. Đã dùng\n2. Chưa dùng"
    for row in rows:
        book["Phiếu"].append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "phieu.xlsx"
    return out


def test_paper_sheets_come_in_from_a_workbook_all_or_none(world: World) -> None:
    survey = make_survey(world, anonymous=True)
    client = world.client("tochuc")
    url = f"/dieu-tra/{survey.pk}/phieu-giay/nhap/"
    bad = _filled(
        client,
        survey,
        [
            ["DN.CUJUT.EATLING.TDP1", 1, "1; 3", 4, "Tốt"],
            ["DN.DAKMIL", 3, "", 9, ""],
            ["DN.CUJUT.EATLING.TDP2", "", "2", 2, ""],
        ],
    )
    refused = client.post(url, {"tep": bad})
    page = refused.content.decode()
    assert refused.status_code == 400
    assert "Dòng 3, cột Đơn vị: “DN.DAKMIL” không phải đơn vị thuộc mẫu." in page
    assert "Dòng 3, cột Câu 1: “3” không phải số thứ tự phương án (1 đến 2)." in page
    assert "Dòng 3, câu 3: chọn một điểm từ 1 đến 5." in page
    assert "Dòng 4, câu 1: chưa trả lời." in page
    assert Response.objects.count() == 0
    good = _filled(
        client,
        survey,
        [
            ["DN.CUJUT.EATLING.TDP1", 1, "1; 3", 4, "Tốt"],
            ["DN.CUJUT.EATLING.TDP2", 2, "", 2, ""],
        ],
    )
    saved = client.post(url, {"tep": good})
    assert saved.status_code == 302
    # Anonymous: the sheets keep neither member nor channel.
    assert Response.objects.filter(channel="", member=None).count() == 2
    assert ResponseAnswer.objects.count() == 5 + 2
    assert (
        "không phải là tệp Excel"
        in client.post(url, {"tep": io.BytesIO(b"not a workbook")}).content.decode()
    )


def test_paper_sheets_in_bulk_follow_the_rules_of_one_sheet(world: World) -> None:
    from dangvu.sociology.services import (
        ANSWERS_REFUSED,
        PAPER_UNIT,
        PaperSheet,
        paper_sheets_record,
    )

    survey = make_survey(world, anonymous=False)
    u = world.units
    raw = raw_of(sheet(survey, 1, [0, 2], 2, "Cần tập huấn"))
    good = PaperSheet(unit_id=u["DN.CUJUT.EATLING.TDP2"].pk, answers=raw)
    outside = good._replace(unit_id=u["DN.DAKMIL"].pk)
    with pytest.raises(DomainError) as refused:
        paper_sheets_record(questionnaire=survey, sheets=[good, outside])
    assert str(refused.value) == PAPER_UNIT.format(unit="DN.DAKMIL")
    unanswered = good._replace(answers={})
    with pytest.raises(DomainError, match=ANSWERS_REFUSED):
        paper_sheets_record(questionnaire=survey, sheets=[unanswered])
    assert Response.objects.count() == 0
    day = date(2022, 3, 5)
    assert paper_sheets_record(questionnaire=survey, sheets=[good._replace(received_on=day)]) == 1
    saved = Response.objects.get()
    assert (saved.channel, saved.received_on, saved.member) == (Channel.PAPER, day, None)
    assert ResponseAnswer.objects.filter(response=saved).count() == 5
