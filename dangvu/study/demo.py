"""Demo: the documents the seed cites, the study of the two congress resolutions, training
classes and political-theory training, reproducing the seed's figures from records:

- Nghị quyết Đại hội XIII: 267 sessions, 27,200 members attending;
- Nghị quyết Đại hội Đảng bộ tỉnh khóa XII: 270 sessions, 27,180 attending;
- 52 training classes from 2019 with 5,400 participations; 2,300 members trained in theory.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from dangvu.core.bulk import next_ids
from dangvu.demo.registry import PERIOD_END, DemoContext, demo_step
from dangvu.documents.models import Document
from dangvu.documents.services import document_register, document_register_unnumbered
from dangvu.members.models import ManagementLevel, Member, Membership
from dangvu.study.models import SessionForm, TheoryLevel, TrainingClass
from dangvu.study.services import (
    ExpectedRow,
    SessionRow,
    SiteRow,
    TheoryRow,
    TrainingClassRow,
    sessions_create,
    theory_trainings_add,
    training_classes_create,
)
from dangvu.units.models import Unit, UnitKind, UnitVersion

XIII_SECTIONS = [
    ("Phần I. Đánh giá kết quả thực hiện Nghị quyết Đại hội XII và 35 năm đổi mới", ""),
    ("Phần II. Dự báo tình hình thế giới và trong nước", ""),
    ("Phần III. Quan điểm chỉ đạo, mục tiêu phát triển", ""),
    ("Phần IV. Định hướng phát triển đất nước giai đoạn 2021 - 2030", ""),
    ("Phần V. Nhiệm vụ trọng tâm nhiệm kỳ Đại hội XIII", ""),
    ("Phần VI. Ba đột phá chiến lược", ""),
]
PROVINCE_XII_SECTIONS = [
    ("Phần I. Kết quả thực hiện Nghị quyết Đại hội XI nhiệm kỳ 2015 - 2020", ""),
    ("Phần II. Mục tiêu, chỉ tiêu chủ yếu nhiệm kỳ 2020 - 2025", ""),
    ("Phần III. Nhiệm vụ, giải pháp phát triển kinh tế - xã hội", ""),
    ("Phần IV. Công tác xây dựng Đảng và hệ thống chính trị", ""),
    ("Phần V. Ba khâu đột phá của tỉnh", ""),
]
# The numbered documents cited by the seed: (symbol, date, issuer, title, term).
CITED = [
    (
        "05-ĐA/TU",
        date(2018, 7, 5),
        "Ban Thường vụ Tỉnh ủy Đắk Nông",
        "Đề án về đấu tranh ngăn chặn, đẩy lùi sự suy thoái về tư tưởng chính trị, đạo đức, lối sống, "
        "những biểu hiện “tự diễn biến”, “tự chuyển hóa” trong Đảng bộ tỉnh",
        "2015-2020",
    ),
    (
        "56-HD/BTGTU",
        date(2018, 9, 12),
        "Ban Tuyên giáo Tỉnh ủy Đắk Nông",
        "Hướng dẫn thực hiện Đề án số 05-ĐA/TU",
        "2015-2020",
    ),
    (
        "09-QĐi/TU",
        date(2018, 10, 17),
        "Ban Thường vụ Tỉnh ủy Đắk Nông",
        "Quy định về nhận diện các biểu hiện suy thoái về tư tưởng chính trị, đạo đức, lối sống, những "
        "biểu hiện “tự diễn biến”, “tự chuyển hóa”",
        "2015-2020",
    ),
    (
        "666-KL/TU",
        date(2019, 11, 23),
        "Ban Thường vụ Tỉnh ủy Đắk Nông",
        "Kết luận về việc tăng cường triển khai thực hiện Đề án 05-ĐA/TU",
        "2015-2020",
    ),
    (
        "13-ĐA/TU",
        date(2019, 11, 14),
        "Ban Thường vụ Tỉnh ủy Đắk Nông",
        "Đề án về tổ chức hoạt động bảo vệ nền tảng tư tưởng của Đảng, đấu tranh phản bác các quan "
        "điểm sai trái, thù địch",
        "2015-2020",
    ),
    (
        "01-KL/TW",
        date(2021, 5, 18),
        "Bộ Chính trị",
        "Kết luận về tiếp tục thực hiện Chỉ thị số 05-CT/TW “về đẩy mạnh học tập và làm theo tư tưởng, "
        "đạo đức, phong cách Hồ Chí Minh”",
        "2021-2026",
    ),
    (
        "21-NQ/TW",
        date(2022, 6, 16),
        "Ban Chấp hành Trung ương",
        "Nghị quyết về tăng cường củng cố, xây dựng tổ chức cơ sở đảng và nâng cao chất lượng đội ngũ "
        "đảng viên trong giai đoạn mới",
        "2021-2026",
    ),
    (
        "100-KH/TU",
        date(2023, 3, 28),
        "Ban Thường vụ Tỉnh ủy Đắk Nông",
        "Kế hoạch sơ kết 05 năm thực hiện Đề án số 05-ĐA/TU",
        "2020-2025",
    ),
]


@dataclass(frozen=True)
class Campaign:
    key: str
    first: date
    last: date
    sessions: int
    attended: int
    label: str


CAMPAIGNS = [
    Campaign(
        "nq-dhdb-tinh-xii",
        date(2020, 11, 9),
        date(2021, 1, 22),
        270,
        27_180,
        "Hội nghị học tập, quán triệt Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XII",
    ),
    Campaign(
        "nq-dh-xiii",
        date(2021, 3, 15),
        date(2021, 6, 18),
        267,
        27_200,
        "Hội nghị học tập, quán triệt Nghị quyết Đại hội XIII của Đảng",
    ),
]
TRAINING_CLASSES, TRAINING_PARTICIPATIONS, THEORY_TRAINED = 52, 5_400, 2_300


def resolutions(province_name: str, unit: Unit | None = None) -> dict[str, Document]:
    """The two resolutions a province studies, registered: the Centre's XIII congress
    resolution and the province's own XII congress resolution (by key). `unit`: the
    province that registers them (None: the Centre's registry)."""
    return {
        "nq-dh-xiii": document_register_unnumbered(
            type_code="NQ",
            issued_on=date(2021, 2, 1),
            key="nq-dh-xiii",
            term="2021-2026",
            issuer="Đại hội đại biểu toàn quốc lần thứ XIII của Đảng",
            title="Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII của Đảng",
            sections=XIII_SECTIONS,
            unit=unit,
        ),
        "nq-dhdb-tinh-xii": document_register_unnumbered(
            type_code="NQ",
            issued_on=date(2020, 10, 16),
            key="nq-dhdb-tinh-xii",
            term="2020-2025",
            issuer=f"Đại hội đại biểu {province_name} lần thứ XII",
            title=f"Nghị quyết Đại hội đại biểu {province_name} lần thứ XII, nhiệm kỳ 2020 - 2025",
            sections=PROVINCE_XII_SECTIONS,
            unit=unit,
        ),
    }


def _documents(ctx: DemoContext) -> dict[str, Document]:
    docs = resolutions("Đảng bộ tỉnh Đắk Nông")
    for symbol, issued, issuer, title, term in CITED:
        document_register(
            symbol=symbol,
            issued_on=issued,
            issuer=issuer,
            title=title,
            term=term,
            unit=ctx.units["DN"],
        )
    return docs


def _population(first: date, last: date) -> tuple[dict[int, int], dict[int, str]]:
    """Members active throughout [first, last]: member id → cell id; cell id → path then."""
    cells = dict(
        Membership.objects.begun_by(first).valid_after(last).values_list("member_id", "unit_id")
    )
    paths = dict(UnitVersion.objects.as_of(first).values_list("unit_id", "path"))
    return cells, paths


def _ids(path: str) -> list[int]:
    return [int(p) for p in path.strip("/").split("/")]


@dataclass
class _Drafts:
    """The sessions of a campaign as they are drawn: the members expected are listed as
    (session number, site number, member id) until the attended are drawn among them."""

    sessions: list[SessionRow] = field(default_factory=list)
    sites: list[list[SiteRow]] = field(default_factory=list)
    expected: list[tuple[int, int, int]] = field(default_factory=list)

    def add(self, session: SessionRow) -> None:
        sites = list(session.sites)  # cell sites are added as their members come
        self.sites.append(sites)
        self.sessions.append(session._replace(sites=sites))

    def site(self, row: SiteRow) -> int:
        self.sites[-1].append(row)
        return len(self.sites[-1]) - 1

    def expect(self, site: int, member_id: int) -> None:
        self.expected.append((len(self.sessions) - 1, site, member_id))

    def rows(self, attended: set[int]) -> list[SessionRow]:
        expected: list[list[ExpectedRow]] = [[] for _ in self.sessions]
        for i, (session, site, member_id) in enumerate(self.expected):
            expected[session].append(ExpectedRow(site, member_id, attended=i in attended))
        return [s._replace(expected=e) for s, e in zip(self.sessions, expected, strict=True)]


def _campaign(
    ctx: DemoContext, rng: random.Random, campaign: Campaign, document: Document, cadres: set[int]
) -> None:
    cells, paths = _population(campaign.first, campaign.last)
    by_grassroots: dict[int, list[int]] = defaultdict(list)
    by_direct: dict[int, list[int]] = defaultdict(list)
    for member_id, cell_id in cells.items():
        ids = _ids(paths[cell_id])
        by_direct[ids[1]].append(member_id)
        by_grassroots[ids[2]].append(member_id)
    directs = sorted(by_direct)
    grassroots = sorted(by_grassroots, key=lambda g: (-len(by_grassroots[g]), g))[
        : campaign.sessions - len(directs)
    ]
    organisers = [(d, "direct") for d in directs] + [(g, "grassroots") for g in grassroots]
    names = dict(
        UnitVersion.objects.as_of(campaign.first)
        .filter(unit_id__in=[o for o, _ in organisers])
        .values_list("unit_id", "name")
    )
    span = (campaign.last - campaign.first).days
    drafts = _Drafts()
    for unit_id, level in organisers:
        held = campaign.first + timedelta(days=rng.randint(0, span))
        form = (
            SessionForm.MIXED
            if level == "direct"
            else rng.choice([SessionForm.IN_PERSON, SessionForm.MIXED])
        )
        drafts.add(
            SessionRow(
                title=f"{campaign.label} — {names[unit_id]}",
                unit_id=unit_id,
                held_on=held,
                form=form,
                speaker="Báo cáo viên cấp tỉnh" if level == "direct" else "Bí thư cấp ủy",
                document_ids=[document.pk],
                sites=[SiteRow(unit_id, f"Điểm cầu chính — {names[unit_id]}", is_main=True)],
                expected=[],
            )
        )
        if level == "direct":
            for member_id in by_direct[unit_id]:
                if member_id in cadres:
                    drafts.expect(0, member_id)
            continue
        site_of_cell: dict[int, int] = {unit_id: 0}
        for member_id in by_grassroots[unit_id]:
            cell_id = cells[member_id]
            if cell_id not in site_of_cell:
                site_of_cell[cell_id] = drafts.site(SiteRow(cell_id, "Điểm cầu chi bộ"))
            drafts.expect(site_of_cell[cell_id], member_id)
    if len(drafts.expected) < campaign.attended:
        raise RuntimeError(f"{campaign.key}: only {len(drafts.expected)} members expected")
    attended = set(rng.sample(range(len(drafts.expected)), campaign.attended))
    sessions_create(rows=drafts.rows(attended))


def _training(ctx: DemoContext, rng: random.Random, cadres: set[int]) -> None:
    """Classes for key cadres who were members throughout (2019 to the report date)."""
    province = ctx.units["DN"].pk
    throughout, _ = _population(date(2019, 1, 1), PERIOD_END)
    pool = sorted(cadres & set(throughout))
    directs = list(
        UnitVersion.objects.as_of(date(2019, 1, 1))
        .filter(kind=UnitKind.DIRECT)
        .values_list("unit_id", flat=True)
    )
    first_id = next_ids(TrainingClass, 1)[0]  # the classes are numbered by their id
    classes = []
    sizes = [TRAINING_PARTICIPATIONS // TRAINING_CLASSES] * TRAINING_CLASSES
    for i in range(TRAINING_PARTICIPATIONS - sum(sizes)):
        sizes[i] += 1
    for class_id, size in enumerate(sizes, start=first_id):
        start = date(2019, 1, 1) + timedelta(
            days=rng.randint(0, (PERIOD_END - date(2019, 1, 31)).days)
        )
        unit = province if rng.random() < 0.4 else rng.choice(directs)
        classes.append(
            TrainingClassRow(
                title=f"Lớp bồi dưỡng, cập nhật kiến thức lý luận chính trị khóa {class_id % 1000}",
                unit_id=unit,
                kind="refresher",
                start_on=start,
                end_on=start + timedelta(days=4),
                participant_ids=rng.sample(pool, size),
            )
        )
    training_classes_create(rows=classes)
    cells, _ = _population(date(2018, 7, 5), PERIOD_END)
    trained = rng.sample(sorted(cells), THEORY_TRAINED)
    span = (PERIOD_END - date(2018, 7, 5)).days
    rows = []
    for member_id in trained:
        level = TheoryLevel.ADVANCED if rng.random() < 0.18 else TheoryLevel.INTERMEDIATE
        rows.append(
            TheoryRow(
                member_id=member_id,
                level=level,
                completed_on=date(2018, 7, 5) + timedelta(days=rng.randint(0, span)),
                institution="Học viện Chính trị khu vực III"
                if level == TheoryLevel.ADVANCED
                else "Trường Chính trị tỉnh",
            )
        )
    theory_trainings_add(rows=rows)


@demo_step(order=300, label="Văn bản, học tập nghị quyết, bồi dưỡng lý luận")
def study(ctx: DemoContext) -> None:
    rng = random.Random(ctx.seed * 31 + 7)
    docs = _documents(ctx)
    cadres = set(
        Member.objects.filter(
            management_level__in=[
                ManagementLevel.PROVINCE,
                ManagementLevel.DISTRICT,
                ManagementLevel.GRASSROOTS,
            ]
        ).values_list("pk", flat=True)
    ) | set(Member.objects.filter(is_committee_member=True).values_list("pk", flat=True))
    for campaign in CAMPAIGNS:
        _campaign(ctx, rng, campaign, docs[campaign.key], cadres)
    _training(ctx, rng, cadres)
    ctx.documents = docs
