"""The text of a summary report: the seed's section structure, each figure sentence
written from the indicator values, the per-year breakdowns as footnotes, and the
narrative the user wrote. The DOCX and the HTML preview both render this."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from dangvu.indicators.disclosure import WITHHELD_TEXT, withheld
from dangvu.indicators.selectors import Line, Report
from dangvu.lib.dates import format_number
from dangvu.reports.models import SummaryReport

MISSING = "(chưa có số liệu)"
WITHHELD = f"({WITHHELD_TEXT})"


@dataclass
class Note:
    paragraphs: list[str]


@dataclass
class Para:
    parts: list[str | Note] = field(default_factory=list)
    style: str = "body"  # body, h1 (I.), h2 (1.), h3 (2.1.)

    @property
    def text(self) -> str:
        return "".join(p for p in self.parts if isinstance(p, str))

    @property
    def notes(self) -> list[Note]:
        return [p for p in self.parts if isinstance(p, Note)]


def count(value: float | None) -> str:
    """Numbers as the Party documents write them: 03, 12, 126.292; missing in words."""
    if value is None:
        return MISSING
    if withheld(value):  # a small number about persons, or one that would give it away
        return WITHHELD
    if float(value).is_integer() and 0 < value < 10:  # "00" is never written
        return f"{int(value):02d}"
    return format_number(value)


class Figures:
    """Reads values off the report for the sentences."""

    def __init__(self, data: Report) -> None:
        self.data = data

    def line(self, code: str) -> Line:
        return self.data.line(code)

    def one(self, code: str, key: str = "") -> float | None:
        values = self.line(code).values
        if not values:
            return None
        row = next(iter(values.values())) if len(values) == 1 else None
        if row is None:
            return self.total(code, key)
        return row.get(key)

    def total(self, code: str, key: str | None = None) -> float | None:
        """Sum over the period's buckets (and keys, unless one is named)."""
        numbers = [
            v
            for row in self.line(code).values.values()
            for k, v in row.items()
            if v is not None and (key is None or k == key)
        ]
        return sum(numbers) if numbers else None

    def per_bucket(self, code: str, key: str | None = None) -> dict[str, float | None]:
        out: dict[str, float | None] = {}
        for bucket, row in self.line(code).values.items():
            numbers = [v for k, v in row.items() if v is not None and (key is None or k == key)]
            out[bucket] = sum(numbers) if numbers else None
        return out

    def years_with_data(self, *codes: str) -> list[str]:
        years: set[str] = set()
        for code in codes:
            for bucket, value in self.per_bucket(code).items():
                if value:
                    years.add(bucket)
        return sorted(years)

    def c(self, code: str, key: str = "") -> str:
        return count(self.one(code, key))

    def t(self, code: str, key: str | None = None) -> str:
        return count(self.total(code, key))


def _span(years: Sequence[str], fallback: str) -> str:
    """ "từ năm 2018 - 2022", "năm 2020", or the fallback ("trong kỳ") when no year has data."""
    if not years:
        return fallback
    return f"năm {years[0]}" if len(years) == 1 else f"từ năm {years[0]} - {years[-1]}"


#: Who gave the programme's awards, by the level of the issuing committee.
REWARD_GIVERS = (
    ("province", "cấp tỉnh biểu dương, khen thưởng"),
    ("district", "các huyện ủy, thành ủy, đảng ủy trực thuộc biểu dương, khen thưởng"),
    ("grassroots", "các cấp ủy cơ sở biểu dương, khen thưởng"),
)


def _rewards(f: Figures) -> str:
    """The programme's awards by the level that gave them (the seed: 03 and 05 from the
    province's standing committee, 27 and 45 from the direct committees)."""
    parts = [
        f"{giver} {f.t('reward.collectives', level)} tập thể, "
        f"{f.t('reward.individuals', level)} cá nhân"
        for level, giver in REWARD_GIVERS
        if f.total("reward.collectives", level) or f.total("reward.individuals", level)
    ]
    if not parts:
        return (
            f"Biểu dương, khen thưởng {f.t('reward.collectives')} tập thể, "
            f"{f.t('reward.individuals')} cá nhân có thành tích xuất sắc trong thực hiện Đề án."
        )
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + " có thành tích xuất sắc trong thực hiện Đề án."


def compose(summary: SummaryReport, data: Report) -> list[Para]:
    f = Figures(data)
    period = data.period
    span = f"{period.start.year} - {period.last_day.year}"
    where = "toàn tỉnh" if data.unit.versions.filter(kind="province").exists() else "toàn đảng bộ"
    paras: list[Para] = []

    def body(*parts: str | Note) -> None:
        paras.append(Para(list(parts)))

    def narrative(key: str) -> None:
        for text in summary.text(key):
            body(text)

    body(
        f"{data.unit_name} hiện có {f.c('org.direct_committees')} đảng bộ trực thuộc, "
        f"{f.c('org.grassroots_total')} tổ chức cơ sở đảng ({f.c('org.grassroots_committees')} đảng bộ "
        f"cơ sở, {f.c('org.grassroots_cells')} chi bộ cơ sở), với tổng số {f.c('org.members')} đảng viên."
    )
    narrative("intro")

    paras.append(
        Para([f"I. KẾT QUẢ TRIỂN KHAI THỰC HIỆN {data.programme.short_name.upper()}"], "h1")
    )
    paras.append(Para(["1. Công tác lãnh đạo, chỉ đạo, triển khai thực hiện"], "h2"))
    narrative("1")
    body(
        f"Đã có {f.c('plan.units_with_plan')} đơn vị xây dựng kế hoạch triển khai thực hiện Đề án, "
        f"trong đó {f.c('plan.units_plan_approved')} kế hoạch được phê duyệt. Tổ chức "
        f"{f.c('survey.implementation_rounds')} cuộc khảo sát việc triển khai thực hiện Đề án. "
        + _rewards(f)
    )

    paras.append(
        Para(["2. Kết quả triển khai thực hiện 05 nhóm nhiệm vụ, giải pháp chủ yếu"], "h2")
    )
    titles = {b.group.code: b.group.title for b in data.blocks}

    paras.append(Para([f"2.1. {titles.get('2.1', '')}"], "h3"))
    narrative("2.1")
    docs = f.line("study.resolution_classes").key_labels
    study_note = [
        f"{where.capitalize()} đã tổ chức được "
        + "; ".join(
            f"{f.c('study.resolution_classes', k)} lớp học tập, quán triệt {label} cho "
            f"{f.c('study.resolution_attendees', k)} đồng chí cán bộ, đảng viên"
            for k, label in docs
        )
        + ".",
        f"Đến nay, {f.c('study.online_halls_district')} đơn vị cấp huyện đã có hội trường trực tuyến "
        f"kết nối với Tỉnh ủy; {f.c('study.online_rooms_commune')} xã, phường, thị trấn đã có phòng học "
        "trực tuyến kết nối với điểm cầu chính cấp huyện.",
    ]
    body(
        "Đổi mới phương thức học tập, quán triệt chủ trương, đường lối, chỉ thị, nghị quyết của Đảng, "
        "kết hợp giữa hình thức học tập tập trung với trực tuyến đến tận cấp xã",
        Note(study_note),
        ". Sau học tập, quán triệt, đã có "
        f"{f.t('study.assessments')} bài kiểm tra nhanh mức độ tiếp thu được nộp, tỷ lệ đạt "
        f"{f.c('study.assessment_pass_rate')}{'' if f.one('study.assessment_pass_rate') is None else '%'}.",
    )
    body(
        f"Trong kỳ báo cáo đã tổ chức {f.t('study.training_classes')} lớp bồi dưỡng kiến thức, cập nhật "
        f"lý luận chính trị, thông tin lý luận mới cho {f.t('study.training_attendances')} lượt cán bộ chủ "
        f"chốt các cấp; có {f.t('study.theory_trained')} cán bộ được đào tạo, bồi dưỡng cao cấp, trung cấp "
        "lý luận chính trị."
    )
    body(
        f"Xây dựng được {f.t('model.new_models')} mô hình mới về học tập, làm theo Bác, chú trọng công "
        "tác biểu dương, khen thưởng các nhân tố điển hình",
        Note(
            [
                f"Ban Thường vụ Tỉnh ủy tặng Bằng khen cho {f.t('reward.hcm_party_orgs')} tổ chức đảng và "
                f"{f.t('reward.hcm_members')} đảng viên có thành tích xuất sắc trong học tập và làm theo tư tưởng, "
                f"đạo đức, phong cách Hồ Chí Minh, Chủ tịch UBND tỉnh tặng Bằng khen cho "
                f"{f.t('reward.hcm_collectives_ubnd')} tập thể và {f.t('reward.hcm_individuals_ubnd')} cá nhân "
                "có thành tích xuất sắc trong học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh."
            ]
        ),
        ".",
    )
    body(
        "Thực hiện chủ động, công khai, minh bạch thông tin chỉ đạo, điều hành của cấp ủy, chính quyền "
        "trên báo chí, truyền thông, mạng xã hội",
        Note(
            [
                f"Trên địa bàn hiện có {f.c('media.press_agencies_local')} cơ quan báo chí của tỉnh; "
                f"{f.c('media.press_agencies_central')} cơ quan báo chí Trung ương thường trú; "
                f"{f.c('media.press_agencies_registered')} cơ quan báo chí đăng ký hoạt động; khoảng "
                f"{f.c('media.websites')} trang thông tin điện tử được cấp phép hoạt động."
            ]
        ),
        f". Giai đoạn {span}, các ngành, các cấp đã cung cấp, định hướng thông tin về "
        f"{f.c('media.issues_oriented')} vấn đề thu hút dư luận quan tâm.",
    )
    body(
        f"Giai đoạn {span}, Ban Tuyên giáo Tỉnh ủy tiến hành {f.t('survey.sociological_province')} cuộc "
        "điều tra xã hội học phục vụ công tác chỉ đạo, điều hành; các huyện ủy, thành ủy, đảng ủy trực "
        f"thuộc tiến hành {f.t('survey.sociological_district')} cuộc điều tra xã hội học phục vụ công tác "
        "lãnh đạo, chỉ đạo của cấp ủy, chính quyền cùng cấp."
    )
    body(
        f"Duy trì {f.c('propaganda.teams_35')} Tổ tuyên truyền, đấu tranh phản bác các quan điểm sai trái, "
        f"thù địch ở cơ sở (Tổ 35 cơ sở); xây dựng, phát triển {f.c('propaganda.online_pages')} trang, "
        "nhóm tuyên truyền, đấu tranh trên mạng xã hội."
    )

    paras.append(Para([f"2.2. {titles.get('2.2', '')}"], "h3"))
    narrative("2.2")
    _reviews(f, body)

    paras.append(Para([f"2.3. {titles.get('2.3', '')}"], "h3"))
    narrative("2.3")
    body(
        f"Trong kỳ, các chi bộ đã tổ chức {f.t('meeting.regular_held')} buổi sinh hoạt thường kỳ và "
        f"{f.t('meeting.thematic_held')} buổi sinh hoạt chuyên đề; tỷ lệ chi bộ duy trì sinh hoạt định kỳ "
        f"đạt {f.c('meeting.cells_compliant_rate')}"
        f"{'' if f.one('meeting.cells_compliant_rate') is None else '%'}; "
        f"{f.t('meeting.upper_attendance')} buổi sinh hoạt có cấp ủy viên cấp trên dự."
    )

    paras.append(Para([f"2.4. {titles.get('2.4', '')}"], "h3"))
    narrative("2.4")
    body(
        f"{_when(f.line('inspection.org_violation_signs'))}, Ủy ban kiểm tra các cấp đã kiểm tra "
        "dấu hiệu vi phạm đối với "
        f"{f.t('inspection.org_violation_signs')} tổ chức đảng, kết quả có {f.t('inspection.org_violated')} "
        f"tổ chức đảng vi phạm, phải thi hành kỷ luật {f.t('inspection.org_disciplined')} tổ chức đảng. "
        f"Kiểm tra việc thực hiện nhiệm vụ kiểm tra, giám sát đối với {f.t('inspection.org_task_inspected')} "
        f"tổ chức đảng; kiểm tra việc thi hành kỷ luật trong Đảng đối với "
        f"{f.t('inspection.org_enforcement_inspected')} tổ chức đảng. Kiểm tra dấu hiệu vi phạm đối với "
        f"{f.t('inspection.member_violation_signs')} đảng viên, trong đó có "
        f"{f.t('inspection.member_violation_signs_committee')} cấp ủy viên, kết quả có "
        f"{f.t('inspection.member_violated')} đảng viên vi phạm, phải thi hành kỷ luật "
        f"{f.t('inspection.member_disciplined')} đảng viên; chỉ đạo và xử lý {f.t('inspection.complex_cases')} "
        f"vụ án, vụ việc phức tạp, nổi cộm trên {where}."
    )

    paras.append(Para([f"2.5. {titles.get('2.5', '')}"], "h3"))
    narrative("2.5")
    years = period.last_day.year - period.start.year
    body(
        f"Trong {count(max(years, 1))} năm, Mặt trận Tổ quốc Việt Nam, các tổ chức chính trị - xã hội các "
        f"cấp đã chủ trì tổ chức {f.c('supervision.front_total')} cuộc giám sát, trong đó cấp tỉnh chủ trì "
        f"tổ chức {f.c('supervision.front_by_level', 'province')} cuộc giám sát, cấp huyện "
        f"{f.c('supervision.front_by_level', 'district')} cuộc giám sát, cấp xã "
        f"{f.c('supervision.front_by_level', 'commune')} cuộc giám sát trên các lĩnh vực."
    )

    paras.append(Para(["II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN"], "h1"))
    paras.append(Para(["1. Tồn tại, hạn chế"], "h2"))
    narrative("II.1")
    paras.append(Para(["2. Nguyên nhân"], "h2"))
    narrative("II.2")
    paras.append(Para(["III. BÀI HỌC KINH NGHIỆM"], "h1"))
    narrative("III")
    paras.append(Para([f"IV. {summary.section_iv_title.strip().upper()}"], "h1"))
    narrative("IV")
    return paras


def _reviews(f: Figures, add: Callable[..., None]) -> None:
    """Section 2.2: reviews (footnote 7), review suggestions (footnote 8), ratings."""
    years = f.years_with_data("review.collectives_reviewed", "review.members_reviewed")
    notes = []
    for year in years:
        notes.append(
            f"- Năm {year}: {count(f.per_bucket('review.collectives_reviewed').get(year))} tập thể và "
            f"{count(f.per_bucket('review.members_reviewed').get(year))} trên tổng số "
            f"{count(f.per_bucket('review.members_present').get(year))} đảng viên có mặt đã kiểm điểm tự "
            f"phê bình và phê bình và {count(f.per_bucket('review.members_exempt').get(year))} đảng viên "
            "không phải kiểm điểm."
        )
    span = _span(years, "trong kỳ")
    add(
        f"Kết quả {span} đã thực hiện kiểm điểm tự phê bình và phê bình đối với "
        f"{f.t('review.collectives_reviewed')} lượt tập thể và {f.t('review.members_reviewed')} lượt đảng viên",
        *([Note(notes)] if notes else []),
        ".",
    )
    levels = dict(f.line("suggestion.collectives").key_labels)
    suggestion_years = f.years_with_data("suggestion.collectives", "suggestion.individuals")
    notes = []
    for year in suggestion_years:
        parts = []
        for code, noun in (
            ("suggestion.collectives", "tập thể"),
            ("suggestion.individuals", "cá nhân"),
        ):
            row = f.line(code).values.get(year, {})
            detail = [
                f"{count(v)} {noun} thuộc diện {_managed(levels.get(k, k))}"
                for k, v in row.items()
                if k and v
            ]
            total = sum(v for v in row.values() if v) if any(row.values()) else None
            parts.append(
                f"{count(total)} {noun}" + (f" (trong đó: {', '.join(detail)})" if detail else "")
            )
        notes.append(f"- Năm {year}: có {'; '.join(parts)}.")
    add(
        f"Đối với việc gợi ý kiểm điểm: {_span(suggestion_years, 'trong kỳ')} đã gợi ý kiểm điểm đối "
        f"với {f.t('suggestion.collectives')} lượt tập thể và {f.t('suggestion.individuals')} lượt cá nhân",
        *([Note(notes)] if notes else []),
        ".",
    )
    add(
        f"Số đảng viên có bản cam kết rèn luyện, phấn đấu trong kỳ: {f.t('commitment.members_signed')}; "
        f"kế hoạch khắc phục khuyết điểm đang thực hiện: {f.c('remediation.plans_open')}, quá hạn: "
        f"{f.c('remediation.plans_overdue')}, đã hoàn thành: {f.t('remediation.plans_done')}."
    )
    for code, noun in (("rating.members", "đảng viên"), ("rating.orgs", "tổ chức đảng")):
        rated = f.years_with_data(code)
        if not rated:
            continue
        last = rated[-1]
        row = f.line(code).values.get(last, {})
        grades = dict(f.line(code).key_labels)
        parts = [f"{count(row.get(k))} {grades[k].lower()}" for k in grades if row.get(k)]
        add(f"Kết quả xếp loại chất lượng {noun} năm {last}: {', '.join(parts)}.")


def _when(line: Line) -> str:
    """ "Trong kỳ báo cáo", or the whole years a figure about persons was published for to
    a reader who does not reach its records."""
    years = line.published.years if line.published else None
    if line.published is None or years is None:
        return "Trong kỳ báo cáo"
    return f"Trong năm {years[0]}" if years[0] == years[1] else f"Từ năm {years[0]} - {years[1]}"


def _managed(label: str) -> str:
    """ "Tỉnh ủy quản lý" → "Ban Thường vụ Tỉnh ủy quản lý" as the seed writes it."""
    return {
        "Tỉnh ủy quản lý": "Ban Thường vụ Tỉnh ủy quản lý",
        "Cấp huyện quản lý": "Ban Thường vụ cấp huyện quản lý",
        "Cấp ủy cơ sở quản lý": "cấp ủy cơ sở quản lý",
    }.get(label, label)
