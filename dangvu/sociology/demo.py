"""Demo: the 15 sociological surveys of the province's propaganda department (footnote 6)
and the 12 of the district committees over the seed's period, designed, answered on paper
and on phones, closed; and one survey open today, with personal codes to try the phone page.

Surveys are opened for paper sheets only, the sheets recorded in bulk by
`paper_sheets_record` (the rules of `response_submit`: no member, day or channel on an
anonymous survey); the surveys are then closed by the service, which makes an anonymous
survey forget who answered."""

from __future__ import annotations

import random
from datetime import date, timedelta

from dangvu.demo.registry import DemoContext, demo_step
from dangvu.sociology.models import Question, Questionnaire
from dangvu.sociology.services import (
    PaperSheet,
    QuestionnaireSpec,
    paper_sheets_record,
    question_add,
    questionnaire_close,
    questionnaire_open,
    questionnaire_save,
)
from dangvu.units.models import Unit, UnitKind, UnitVersion

PROVINCE = (
    (
        date(2020, 5, 4),
        "Đánh giá tác động của dịch bệnh Covid-19 đến nhu cầu việc làm của người lao động và hoạt động sản xuất kinh doanh của doanh nghiệp",
    ),
    (
        date(2021, 6, 1),
        "Công tác bầu cử đại biểu Quốc hội khóa XV và đại biểu HĐND các cấp nhiệm kỳ 2021 - 2026",
    ),
    (date(2022, 8, 8), "Nhận thức của cán bộ, công chức và người dân về chuyển đổi số"),
    (date(2020, 11, 2), "Tình hình kinh tế - xã hội tỉnh Đắk Nông năm 2020"),
    (date(2021, 11, 1), "Tình hình kinh tế - xã hội tỉnh Đắk Nông năm 2021"),
    (date(2022, 11, 1), "Tình hình kinh tế - xã hội tỉnh Đắk Nông năm 2022"),
    (date(2023, 5, 8), "Tình hình kinh tế - xã hội tỉnh Đắk Nông năm 2023"),
    (
        date(2023, 3, 6),
        "Tình hình thực hiện Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XII giữa nhiệm kỳ",
    ),
    (date(2019, 9, 3), "Kết quả xây dựng nông thôn mới"),
    (date(2022, 4, 4), "Phát triển nông nghiệp ứng dụng công nghệ cao"),
    (date(2018, 10, 1), "Dư luận xã hội về công tác phòng, chống tham nhũng, tiêu cực"),
    (date(2019, 4, 1), "Chất lượng sinh hoạt chi bộ"),
    (date(2019, 11, 4), "Công tác cải cách hành chính và sự hài lòng của người dân"),
    (date(2021, 3, 1), "Việc học tập, quán triệt Nghị quyết Đại hội XIII của Đảng"),
    (date(2022, 6, 6), "Tình hình tư tưởng của cán bộ, đảng viên trước những vấn đề thời sự"),
)
DISTRICT_TITLES = (
    "Tình hình tư tưởng cán bộ, đảng viên và Nhân dân",
    "Sự hài lòng của người dân với dịch vụ hành chính công cấp xã",
    "Hiệu quả học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
)
DISTRICT_SURVEYS = 12
QUESTIONS: tuple[tuple[str, str, list[str]], ...] = (
    (
        "single",
        "Đồng chí đánh giá chung thế nào về nội dung được hỏi?",
        ["Tốt", "Khá", "Trung bình", "Yếu"],
    ),
    (
        "multiple",
        "Những hạn chế chủ yếu",
        [
            "Tuyên truyền chưa sâu",
            "Nguồn lực hạn chế",
            "Phối hợp chưa chặt chẽ",
            "Ý thức người dân",
        ],
    ),
    ("scale", "Mức độ hài lòng (1: rất không hài lòng, 5: rất hài lòng)", []),
    ("text", "Kiến nghị, đề xuất", []),
)
ANSWER_WEIGHTS = (5, 4, 2, 1)
IDEAS = ("Tăng cường tuyên truyền ở thôn, bon", "Cần thêm kinh phí", "Đơn giản thủ tục", "")


def _design(survey: Questionnaire) -> None:
    for kind, text, options in QUESTIONS:
        question_add(
            questionnaire=survey,
            kind=kind,
            text=text,
            options=options,
            required=kind != "text",
            low_label="Rất không hài lòng" if kind == "scale" else "",
            high_label="Rất hài lòng" if kind == "scale" else "",
        )


def _sheets(rng: random.Random, survey: Questionnaire, units: list[Unit], n: int) -> None:
    questions = list(survey.questions.prefetch_related("options"))
    sheets = []
    days = max(1, (survey.ended_on - survey.started_on).days)
    for _ in range(n):
        unit = rng.choice(units)
        rng.random()  # the channel, which an anonymous survey does not keep
        received = (
            None if survey.anonymous else survey.started_on + timedelta(days=rng.randrange(days))
        )
        sheets.append(
            PaperSheet(unit_id=unit.pk, answers=_answers(rng, questions), received_on=received)
        )
    paper_sheets_record(questionnaire=survey, sheets=sheets)


def _answers(rng: random.Random, questions: list[Question]) -> dict[int, list[str]]:
    """One sheet's answers, as the form sends them."""
    raw: dict[int, list[str]] = {}
    for q in questions:
        options = list(q.options.all())
        if q.kind == "single":
            raw[q.pk] = [str(o.pk) for o in rng.choices(options, weights=ANSWER_WEIGHTS)]
        elif q.kind == "multiple":
            raw[q.pk] = [str(o.pk) for o in rng.sample(options, rng.randint(1, 2))]
        elif q.kind == "scale":
            raw[q.pk] = [str(rng.choices(range(1, 6), weights=(1, 2, 4, 6, 3))[0])]
        elif q.kind == "text" and (idea := rng.choice(IDEAS)):
            raw[q.pk] = [idea]
    return raw


@demo_step(order=348, label="Điều tra xã hội học")
def build_sociology(ctx: DemoContext) -> None:
    rng = random.Random(ctx.seed * 41 + 3)
    province = ctx.units["DN"]

    def survey(
        unit: Unit, title: str, start: date, sample: list[Unit], sheets: int
    ) -> Questionnaire:
        made = questionnaire_save(
            spec=QuestionnaireSpec(
                unit=unit,
                title=title,
                purpose="Phục vụ công tác lãnh đạo, chỉ đạo, điều hành.",
                started_on=start,
                ended_on=start + timedelta(days=30),
                sample_units=sample,
            )
        )
        _design(made)
        questionnaire_open(questionnaire=made, sample_size=0)
        _sheets(rng, made, sample, sheets)
        return made

    def direct_on(day: date) -> list[Unit]:
        versions = (
            UnitVersion.objects.as_of(day).filter(kind=UnitKind.DIRECT).select_related("unit")
        )
        return sorted((v.unit for v in versions), key=lambda u: u.code)

    made = []
    for start, title in PROVINCE:
        sample = rng.sample(direct_on(start), 4)
        made.append(survey(province, title, start, sample, rng.randrange(150, 400)))
    for n in range(DISTRICT_SURVEYS):
        start = date(2019, 3, 1) + timedelta(days=n * 130)
        district = direct_on(start)[n % 12]
        root = district.version_on(start)
        assert root is not None
        below = [
            v.unit
            for v in UnitVersion.objects.as_of(start)
            .under(root.path)
            .filter(kind__in=(UnitKind.GRASSROOTS_COMMITTEE, UnitKind.GRASSROOTS_CELL))
        ]
        title = f"{DISTRICT_TITLES[n % len(DISTRICT_TITLES)]} ({root.name})"
        made.append(
            survey(
                district,
                title,
                start,
                rng.sample(below, min(5, len(below))),
                rng.randrange(60, 150),
            )
        )
    for each in made:
        questionnaire_close(questionnaire=each)
    ctx.summary["sociological_surveys"] = len(made)


@demo_step(order=480, label="Điều tra xã hội học đang thu phiếu")
def build_current_survey(ctx: DemoContext) -> None:
    """One survey open today, by the province as it stands today (after the 2025
    reorganisation): phone codes for a sample of the members of two of its committees."""
    start = ctx.today - timedelta(days=3)
    province = ctx.units["LD"] if "LD" in ctx.units else Unit.objects.get(code="LD")
    root = province.version_on(start)
    assert root is not None
    direct = sorted(
        (
            v.unit
            for v in UnitVersion.objects.as_of(start)
            .under(root.path)
            .filter(kind=UnitKind.DIRECT)
            .select_related("unit")
        ),
        key=lambda u: u.code,
    )
    current = questionnaire_save(
        spec=QuestionnaireSpec(
            unit=province,
            title="Đánh giá việc thực hiện Quy định 144-QĐ/TW về chuẩn mực đạo đức cách mạng",
            purpose="Phiếu không ghi tên; mỗi đồng chí được chọn nhận một mã phiếu.",
            started_on=start,
            ended_on=ctx.today + timedelta(days=27),
            sample_units=direct[:2],
        )
    )
    _design(current)
    drawn = questionnaire_open(questionnaire=current, sample_size=300, day=start, seed=ctx.seed)
    ctx.summary["sociological_codes"] = drawn
