"""Demo: a question bank for the XIII Congress resolution and quick assessments after a
dozen of its study sessions (the technology the seed says was missing), with results
that show which parts of the resolution were understood least."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from dangvu.assessments import services
from dangvu.assessments.models import Assessment, Attempt, AttemptSource, QuestionKind
from dangvu.demo.registry import DemoContext, demo_step
from dangvu.documents.models import Document
from dangvu.study.models import Attendance, StudySession

T, F = True, False
# (section number, kind, question, [(option, correct)]): sections of XIII_SECTIONS in study/demo.py.
BANK = [
    (
        1,
        QuestionKind.SINGLE,
        "Đại hội đại biểu toàn quốc lần thứ XIII của Đảng diễn ra vào thời gian nào?",
        [
            ("Từ ngày 25/01 đến ngày 01/02/2021", T),
            ("Từ ngày 20/01 đến ngày 28/01/2016", F),
            ("Từ ngày 12/01 đến ngày 19/01/2011", F),
            ("Từ ngày 18/4 đến ngày 25/4/2006", F),
        ],
    ),
    (
        1,
        QuestionKind.TRUE_FALSE,
        "Nghị quyết Đại hội XIII đánh giá đất nước ta chưa bao giờ có được cơ đồ, "
        "tiềm lực, vị thế và uy tín quốc tế như ngày nay.",
        [("Đúng", T), ("Sai", F)],
    ),
    (
        1,
        QuestionKind.SINGLE,
        "Chủ đề của Đại hội XIII nhấn mạnh việc khơi dậy điều gì?",
        [
            ("Khát vọng phát triển đất nước phồn vinh, hạnh phúc", T),
            ("Tinh thần tự lực, tự cường", F),
            ("Sức mạnh của hệ thống chính trị", F),
            ("Vai trò của kinh tế tư nhân", F),
        ],
    ),
    (
        1,
        QuestionKind.SINGLE,
        "Đại hội XIII tổng kết bao nhiêu năm thực hiện công cuộc đổi mới?",
        [("35 năm", T), ("30 năm", F), ("40 năm", F), ("25 năm", F)],
    ),
    (
        2,
        QuestionKind.TRUE_FALSE,
        "Nghị quyết dự báo hòa bình, hợp tác và phát triển vẫn là xu thế lớn "
        "nhưng đứng trước nhiều trở ngại, khó khăn.",
        [("Đúng", T), ("Sai", F)],
    ),
    (
        2,
        QuestionKind.MULTIPLE,
        "Những yếu tố nào được nêu là thách thức trong dự báo tình hình?",
        [
            ("Cạnh tranh chiến lược giữa các nước lớn", T),
            ("Biến đổi khí hậu, dịch bệnh", T),
            ("Nguy cơ tụt hậu xa hơn về kinh tế", T),
            ("Dân số thế giới giảm nhanh", F),
        ],
    ),
    (
        2,
        QuestionKind.SINGLE,
        "Cuộc cách mạng công nghiệp lần thứ mấy được Nghị quyết nhấn mạnh là cơ hội và thách thức?",
        [("Lần thứ tư", T), ("Lần thứ ba", F), ("Lần thứ hai", F), ("Lần thứ năm", F)],
    ),
    (
        2,
        QuestionKind.TRUE_FALSE,
        "Nghị quyết cho rằng bốn nguy cơ Đảng đã chỉ ra vẫn còn tồn tại, có mặt gay gắt hơn.",
        [("Đúng", T), ("Sai", F)],
    ),
    (
        3,
        QuestionKind.SINGLE,
        "Mục tiêu đến năm 2030, nước ta là nước như thế nào?",
        [
            ("Nước đang phát triển, có công nghiệp hiện đại, thu nhập trung bình cao", T),
            ("Nước phát triển, thu nhập cao", F),
            ("Nước đang phát triển, vượt qua mức thu nhập trung bình thấp", F),
            ("Nước công nghiệp theo hướng hiện đại", F),
        ],
    ),
    (
        3,
        QuestionKind.SINGLE,
        "Mục tiêu đến năm 2045, nước ta trở thành nước như thế nào?",
        [
            ("Nước phát triển, thu nhập cao", T),
            ("Nước đang phát triển, thu nhập trung bình cao", F),
            ("Nước công nghiệp hiện đại, thu nhập trung bình", F),
            ("Nước có nền kinh tế tri thức hàng đầu khu vực", F),
        ],
    ),
    (
        3,
        QuestionKind.TRUE_FALSE,
        "Mục tiêu đến năm 2025 là nước đang phát triển, có công nghiệp theo hướng hiện "
        "đại, vượt qua mức thu nhập trung bình thấp.",
        [("Đúng", T), ("Sai", F)],
    ),
    (
        3,
        QuestionKind.SINGLE,
        "Năm 2045 là dấu mốc nào của đất nước?",
        [
            ("100 năm thành lập nước", T),
            ("100 năm thành lập Đảng", F),
            ("70 năm thống nhất đất nước", F),
            ("60 năm đổi mới", F),
        ],
    ),
    (
        4,
        QuestionKind.SINGLE,
        "Nghị quyết nêu bao nhiêu định hướng phát triển đất nước giai đoạn 2021 - 2030?",
        [("12 định hướng", T), ("6 định hướng", F), ("10 định hướng", F), ("15 định hướng", F)],
    ),
    (
        4,
        QuestionKind.MULTIPLE,
        "Những nội dung nào thuộc định hướng phát triển giai đoạn 2021 - 2030?",
        [
            ("Phát triển văn hóa, con người Việt Nam", T),
            ("Đổi mới căn bản, toàn diện giáo dục và đào tạo", T),
            ("Tăng cường quốc phòng, an ninh, bảo vệ vững chắc Tổ quốc", T),
            ("Thu hẹp khu vực kinh tế tư nhân", F),
        ],
    ),
    (
        4,
        QuestionKind.TRUE_FALSE,
        "Nghị quyết xác định kinh tế nhà nước giữ vai trò chủ đạo.",
        [("Đúng", T), ("Sai", F)],
    ),
    (
        4,
        QuestionKind.SINGLE,
        "Chuyển đổi số quốc gia được định hướng nhằm phát triển điều gì?",
        [
            ("Kinh tế số, xã hội số, chính phủ số", T),
            ("Chỉ thương mại điện tử", F),
            ("Chỉ chính quyền điện tử", F),
            ("Hạ tầng viễn thông nông thôn", F),
        ],
    ),
    (
        5,
        QuestionKind.SINGLE,
        "Nghị quyết xác định bao nhiêu nhiệm vụ trọng tâm trong nhiệm kỳ Đại hội XIII?",
        [("6 nhiệm vụ", T), ("3 nhiệm vụ", F), ("8 nhiệm vụ", F), ("12 nhiệm vụ", F)],
    ),
    (
        5,
        QuestionKind.TRUE_FALSE,
        "Tăng cường xây dựng, chỉnh đốn Đảng và hệ thống chính trị trong sạch, vững mạnh "
        "là một nhiệm vụ trọng tâm.",
        [("Đúng", T), ("Sai", F)],
    ),
    (
        5,
        QuestionKind.MULTIPLE,
        "Những nhiệm vụ nào là nhiệm vụ trọng tâm của nhiệm kỳ?",
        [
            (
                "Kiên quyết, kiên trì đấu tranh ngăn chặn, đẩy lùi suy thoái, “tự diễn biến”, “tự chuyển hóa”",
                T,
            ),
            ("Đổi mới mô hình tăng trưởng, cơ cấu lại nền kinh tế", T),
            ("Khơi dậy khát vọng phát triển đất nước", T),
            ("Mở rộng tối đa đầu tư công", F),
        ],
    ),
    (
        5,
        QuestionKind.SINGLE,
        "Nhiệm vụ trọng tâm về cán bộ nhấn mạnh xây dựng đội ngũ cán bộ các cấp, nhất là cấp nào?",
        [("Cấp chiến lược", T), ("Cấp cơ sở", F), ("Cấp huyện", F), ("Cấp tỉnh", F)],
    ),
    (
        6,
        QuestionKind.MULTIPLE,
        "Ba đột phá chiến lược gồm những nội dung nào?",
        [
            ("Hoàn thiện thể chế phát triển", T),
            ("Phát triển nguồn nhân lực, nhất là nhân lực chất lượng cao", T),
            ("Xây dựng hệ thống kết cấu hạ tầng đồng bộ, hiện đại", T),
            ("Phát triển du lịch thành ngành mũi nhọn", F),
        ],
    ),
    (
        6,
        QuestionKind.TRUE_FALSE,
        "Chuyển đổi số được xác định là một trong ba đột phá chiến lược.",
        [("Đúng", F), ("Sai", T)],
    ),
    (
        6,
        QuestionKind.SINGLE,
        "Đột phá về thể chế tập trung vào điều gì?",
        [
            (
                "Hoàn thiện thể chế phát triển, trước hết là thể chế kinh tế thị trường định hướng xã hội chủ nghĩa",
                T,
            ),
            ("Tăng số lượng văn bản quy phạm pháp luật", F),
            ("Sáp nhập các bộ, ngành", F),
            ("Giảm thuế thu nhập", F),
        ],
    ),
    (
        6,
        QuestionKind.SINGLE,
        "Đột phá về nguồn nhân lực gắn với điều gì?",
        [
            (
                "Đẩy mạnh nghiên cứu, chuyển giao, ứng dụng khoa học - công nghệ và đổi mới sáng tạo",
                T,
            ),
            ("Tăng tuyển dụng công chức", F),
            ("Xuất khẩu lao động", F),
            ("Mở rộng đào tạo nghề ngắn hạn", F),
        ],
    ),
]
# How hard each section was in the demo (share answered right): III and VI understood least.
EASE = {1: 0.86, 2: 0.74, 3: 0.58, 4: 0.70, 5: 0.78, 6: 0.52}
SESSIONS = 12


@demo_step(order=350, label="Kiểm tra nhanh sau học tập Nghị quyết Đại hội XIII")
def assessments(ctx: DemoContext) -> None:
    rng = random.Random(ctx.seed * 17 + 3)
    document = ctx.documents["nq-dh-xiii"]
    sections = list(document.sections.order_by("order"))
    for number, kind, text, options in BANK:
        services.question_save(
            document=document, section=sections[number - 1], kind=kind, text=text, options=options
        )
    sessions = list(
        StudySession.objects.filter(documents=document, unit__versions__kind="grassroots_committee")
        .distinct()
        .order_by("held_on", "pk")[:SESSIONS]
    )
    section_of = {q.pk: q.section.order for q in document.questions.select_related("section")}
    tz = timezone.get_current_timezone()
    for session in sessions:
        start = datetime.combine(session.held_on, time(10, 30), tzinfo=tz)
        assessment = services.assessment_save(
            spec=services.AssessmentSpec(
                title=f"Kiểm tra nhanh sau học tập Nghị quyết Đại hội XIII — {session.title.split('—')[-1].strip()}",
                document=document,
                unit=session.unit,
                session=session,
                opens_at=start,
                closes_at=start + timedelta(hours=2),
                question_count=10,
                time_limit_minutes=15,
                pass_mark=50,
                show_score=True,
                show_answers=True,
            )
        )
        services.assessment_open(assessment=assessment, seed=rng.randrange(1 << 30))
        _take(assessment, session, start, section_of, rng)
        services.assessment_close(assessment=assessment)
    ctx.summary["assessments"] = len(sessions)
    _live(ctx, document)


def _live(ctx: DemoContext, document: Document) -> None:
    """One assessment open now, for the demo cell in Cư Jút, so the flow can be tried:
    the member account joins with the code printed by `dangvu demo`."""
    cell = ctx.personas["secretary"].memberships.get().unit
    now = timezone.now().replace(second=0, microsecond=0)
    assessment = services.assessment_save(
        spec=services.AssessmentSpec(
            title="Kiểm tra nhanh (dùng thử): Nghị quyết Đại hội XIII của Đảng",
            document=document,
            unit=cell,
            opens_at=now - timedelta(minutes=5),
            closes_at=now + timedelta(days=60),
            question_count=10,
            time_limit_minutes=15,
            pass_mark=50,
            show_score=True,
            show_answers=True,
        )
    )
    services.assessment_open(assessment=assessment, seed=ctx.seed)
    ctx.summary["live_assessment"] = {"id": assessment.pk, "code": assessment.code}


def _take(
    assessment: Assessment,
    session: StudySession,
    start: datetime,
    section_of: dict[int, int],
    rng: random.Random,
) -> None:
    """Members present take it on their phones (a few on paper); most pass."""
    present = set(
        Attendance.objects.filter(session=session, attended=True).values_list(
            "member_id", flat=True
        )
    )
    correct = services.correct_of(assessment)
    taken = []
    for attempt in Attempt.objects.filter(assessment=assessment):
        if attempt.member_id not in present or rng.random() < 0.06:
            continue
        ability = rng.gauss(0.0, 0.12)
        begun = start + timedelta(seconds=rng.randint(0, 240))
        answers = []
        for question_id, option_ids in attempt.questions:
            ok = rng.random() < min(0.98, max(0.05, EASE[section_of[question_id]] + ability))
            wrong = [o for o in option_ids if o not in correct[question_id]]
            chosen = sorted(correct[question_id]) if ok or not wrong else [rng.choice(wrong)]
            answered = begun + timedelta(seconds=rng.randint(20, 600))
            answers.append(services.AnswerRow(question_id, chosen, answered))
        done = begun + timedelta(seconds=rng.randint(300, 840))
        source = AttemptSource.PAPER if rng.random() < 0.08 else AttemptSource.WEB
        taken.append(services.TakenAttempt(attempt.pk, begun, done, answers, source))
    services.attempts_record(assessment=assessment, taken=taken)
