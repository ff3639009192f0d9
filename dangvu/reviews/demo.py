"""Demo: the annual cycle of 2018–2022 reproducing footnotes 7 and 8 of the seed from
records, and this year's commitments in the demo cells.

Per year (the catalogue's seed values are the targets): the collectives reviewed, the
members reviewed and exempt (present = both), the suggestions by the level of the body
that issued them, for collectives and for individuals. Around them, plausible data: the
ratings of every review, the 2022 commitments, remediation items of the weakest reviews,
the 2025 ratings of the demo cell on the 100-point scale, and this year's commitments of
the demo cell in every state of their workflow.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from dangvu.core.bulk import insert_rows, next_ids
from dangvu.demo.registry import DemoContext, demo_step
from dangvu.indicators.catalogue import raw
from dangvu.members.models import ManagementLevel, Member, Membership
from dangvu.reviews import services
from dangvu.reviews.models import (
    SECTION_KEYS,
    CollectiveKind,
    CollectiveReview,
    Commitment,
    CommitmentStatus,
    ExemptReason,
    Fulfilment,
    MemberReview,
    RatingGrade,
    RemediationItem,
    ReviewOutcome,
    ReviewSuggestion,
    year_end,
)
from dangvu.units.models import CELL_KINDS, UnitKind, UnitVersion

YEARS = range(2018, 2023)
GRADE_SHARES = (("excellent", 0.13), ("good", 0.72), ("done", 0.13), ("failed", 0.02))
EXEMPT_REASONS = (
    ExemptReason.ILLNESS,
    ExemptReason.AWAY,
    ExemptReason.MATERNITY,
    ExemptReason.NEW,
    ExemptReason.OTHER,
)
COMMITMENT_TEXT = {
    "ideology": "Tuyệt đối trung thành với Đảng; kiên định chủ nghĩa Mác - Lênin, tư tưởng Hồ Chí "
    "Minh; không dao động trước thông tin xấu độc trên mạng xã hội.",
    "ethics": "Giữ gìn phẩm chất đạo đức, lối sống giản dị; không vi phạm những điều đảng viên "
    "không được làm; gương mẫu nơi cư trú.",
    "duties": "Hoàn thành tốt nhiệm vụ được giao; chủ động học tập nâng cao trình độ chuyên môn.",
    "discipline": "Chấp hành nghiêm nguyên tắc tập trung dân chủ; sinh hoạt chi bộ đầy đủ; đóng "
    "đảng phí đúng quy định.",
    "degradation": "Tự nhận diện và đấu tranh với các biểu hiện suy thoái, “tự diễn biến”, “tự "
    "chuyển hóa”; học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.",
}
SHORTCOMINGS = (
    (
        "Chưa tham gia đầy đủ sinh hoạt chi bộ định kỳ.",
        "Bố trí công việc để dự đủ các kỳ sinh hoạt.",
    ),
    ("Chậm hoàn thành một số nhiệm vụ chuyên môn được giao.", "Lập kế hoạch công việc theo tháng."),
    ("Tinh thần tự phê bình và phê bình chưa cao.", "Chủ động nêu ý kiến trong sinh hoạt chi bộ."),
    (
        "Việc học tập, quán triệt nghị quyết chưa sâu.",
        "Tự học, viết thu hoạch sau mỗi đợt học tập.",
    ),
    ("Nội dung sinh hoạt chi bộ còn đơn điệu.", "Mỗi quý sinh hoạt chuyên đề ít nhất một lần."),
)


def _ids(path: str) -> list[int]:
    return [int(p) for p in path.strip("/").split("/")]


def _seed(code: str) -> Any:
    return next(i["seed"] for i in raw()["indicators"] if i["code"] == code)


def _grade(rng: random.Random) -> str:
    x, total = rng.random(), 0.0
    for code, share in GRADE_SHARES:
        total += share
        if x < total:
            return code
    return GRADE_SHARES[-1][0]


class _Year:
    """Who and what stood in one year: members with their cell, the units on 31 December."""

    def __init__(self, year: int) -> None:
        self.year, self.end = year, year_end(year)
        self.versions = {v.unit_id: v for v in UnitVersion.objects.as_of(self.end)}
        cells = {u for u, v in self.versions.items() if v.kind in CELL_KINDS}
        latest: dict[int, tuple[date, int, date]] = {}
        for member_id, unit_id, start, stop in Membership.objects.filter(
            valid_from__lte=self.end, valid_to__gt=date(year, 1, 1)
        ).values_list("member_id", "unit_id", "valid_from", "valid_to"):
            if unit_id in cells and (member_id not in latest or latest[member_id][0] < start):
                latest[member_id] = (start, unit_id, stop)
        self.cell = {m: v[1] for m, v in latest.items()}
        self.at_end = {m for m, v in latest.items() if v[2] > self.end}

    def path(self, unit_id: int) -> list[int]:
        return _ids(self.versions[unit_id].path)

    def kind(self, unit_id: int) -> str:
        return str(self.versions[unit_id].kind)


@demo_step(order=320, label="Cam kết, kiểm điểm, gợi ý kiểm điểm, xếp loại 2018–2022")
def build_cycle(ctx: DemoContext) -> None:
    rng = random.Random(ctx.seed * 7 + 5)
    grades = {
        y: {g.code: g.pk for g in RatingGrade.objects.filter(scheme=services.scheme_for(y))}
        for y in YEARS
    }
    exempt_flag = set(Member.objects.filter(is_exempt=True).values_list("pk", flat=True))
    levels = dict(Member.objects.exclude(management_level="").values_list("pk", "management_level"))
    remediation: list[tuple[Any, ...]] = []
    for year in YEARS:
        standing = _Year(year)
        reviews = _member_reviews(ctx, rng, standing, grades[year], exempt_flag, remediation)
        collective = _collective_reviews(ctx, rng, standing, grades[year], remediation)
        _suggestions(ctx, rng, standing, levels, reviews, collective)
        if year == YEARS[-1]:
            _commitments(rng, standing, reviews)
    ids = iter(next_ids(RemediationItem, len(remediation)))
    insert_rows(
        RemediationItem,
        [
            "id",
            "unit",
            "year",
            "member_review",
            "collective_review",
            "shortcoming",
            "plan",
            "responsible",
            "deadline",
            "report_due",
            "done_on",
            "result",
            "created_on",
        ],
        [(next(ids), *row) for row in remediation],
    )
    ctx.summary["reviews"] = MemberReview.objects.count()


def _held_on(rng: random.Random, year: int) -> date:
    return date(year, 12, 1) + timedelta(days=rng.randrange(28))


def _member_reviews(
    ctx: DemoContext,
    rng: random.Random,
    standing: _Year,
    grades: dict[str, int],
    exempt_flag: set[int],
    remediation: list[tuple[Any, ...]],
) -> dict[int, int]:
    """The year's member reviews; returns member id → review id (those reviewed)."""
    year = standing.year
    present = _seed("review.members_present")[str(year)]
    exempt_count = _seed("review.members_exempt")[str(year)]
    pool = sorted(standing.cell)
    rng.shuffle(pool)
    # Those still in their cell at the end of the year first; then those who left during it.
    pool.sort(key=lambda m: m not in standing.at_end)
    if len(pool) < present:
        raise RuntimeError(f"{year}: {len(pool)} members, {present} needed")
    chosen = pool[:present]
    flagged = [m for m in chosen if m in exempt_flag]
    others = [m for m in chosen if m not in exempt_flag]
    exempt = set(flagged[:exempt_count])
    exempt.update(others[: exempt_count - len(exempt)])
    ids = iter(next_ids(MemberReview, present))
    rows: list[tuple[Any, ...]] = []
    reviewed: dict[int, int] = {}
    for member_id in sorted(chosen):
        review_id = next(ids)
        if member_id in exempt:
            reason = (
                ExemptReason.ACTIVITIES_EXEMPT
                if member_id in exempt_flag
                else rng.choice(EXEMPT_REASONS)
            )
            rows.append(
                (
                    review_id,
                    member_id,
                    year,
                    standing.cell[member_id],
                    "exempt",
                    reason,
                    None,
                    None,
                    standing.end,
                    "",
                    "",
                )
            )
            continue
        grade = _grade(rng)
        fulfilment = (
            ""
            if year < YEARS[-1]
            else Fulfilment.NOT
            if grade == "failed"
            else Fulfilment.PARTLY
            if grade == "done"
            else Fulfilment.FULFILLED
        )
        held = _held_on(rng, year)
        rows.append(
            (
                review_id,
                member_id,
                year,
                standing.cell[member_id],
                "reviewed",
                "",
                held,
                grades[grade],
                standing.end,
                "",
                fulfilment,
            )
        )
        reviewed[member_id] = review_id
        if grade == "failed" and year >= 2020:
            remediation.append(
                _remedy(rng, standing.cell[member_id], year, held, review_id, None, member_id)
            )
    insert_rows(
        MemberReview,
        [
            "id",
            "member",
            "year",
            "unit",
            "outcome",
            "exempt_reason",
            "held_on",
            "grade",
            "year_end",
            "self_review",
            "fulfilment",
        ],
        rows,
    )
    return reviewed


def _remedy(
    rng: random.Random,
    unit_id: int,
    year: int,
    held: date,
    member_review: int | None,
    collective_review: int | None,
    responsible: int | None,
) -> tuple[Any, ...]:
    shortcoming, plan = rng.choice(SHORTCOMINGS)
    deadline = held + timedelta(days=rng.randrange(90, 270))
    # Most are put right in the year after the review; some of the latest are still open.
    late = year == YEARS[-1] and rng.random() < 0.2
    done = None if late else held + timedelta(days=rng.randrange(60, 330))
    return (
        unit_id,
        year,
        member_review,
        collective_review,
        shortcoming,
        plan,
        responsible,
        deadline,
        services.report_due_after(held),
        done,
        "" if done is None else "Đã khắc phục, báo cáo chi bộ.",
        held,
    )


def _collective_candidates(standing: _Year) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(collectives always reviewed, cells to draw the rest from)."""
    always: list[tuple[int, str]] = []
    cells: list[tuple[int, str]] = []
    for unit_id, version in sorted(standing.versions.items()):
        kind = version.kind
        if kind in (UnitKind.PROVINCE, UnitKind.DIRECT):
            always += [(unit_id, c) for c in services.collectives_of(kind)]
        elif kind == UnitKind.GRASSROOTS_COMMITTEE:
            always.append((unit_id, str(CollectiveKind.COMMITTEE)))
        elif kind in CELL_KINDS:
            cells.append((unit_id, str(CollectiveKind.CELL)))
    return always, cells


def _collective_reviews(
    ctx: DemoContext,
    rng: random.Random,
    standing: _Year,
    grades: dict[str, int],
    remediation: list[tuple[Any, ...]],
) -> dict[tuple[int, str], int]:
    year = standing.year
    target = _seed("review.collectives_reviewed")[str(year)]
    always, cells = _collective_candidates(standing)
    rng.shuffle(cells)
    chosen = always + cells[: target - len(always)]
    ids = iter(next_ids(CollectiveReview, len(chosen)))
    rows, out = [], {}
    for unit_id, collective in chosen:
        review_id, grade, held = next(ids), _grade(rng), _held_on(rng, year)
        rows.append(
            (review_id, unit_id, year, str(collective), held, grades[grade], standing.end, "")
        )
        out[(unit_id, str(collective))] = review_id
        if grade in ("done", "failed") and year >= 2020:
            remediation.append(_remedy(rng, unit_id, year, held, None, review_id, None))
    insert_rows(
        CollectiveReview,
        ["id", "unit", "year", "collective", "held_on", "grade", "year_end", "summary"],
        rows,
    )
    return out


def _suggestions(
    ctx: DemoContext,
    rng: random.Random,
    standing: _Year,
    levels: dict[int, str],
    reviews: dict[int, int],
    collective: dict[tuple[int, str], int],
) -> None:
    """Footnote 8: by the level of the body that suggests, for collectives and individuals.
    Each is answered in the review it suggested."""
    year = standing.year
    wanted_c = _seed("suggestion.collectives")[str(year)]
    wanted_i = _seed("suggestion.individuals")[str(year)]
    province = next(u for u, v in standing.versions.items() if v.kind == UnitKind.PROVINCE)
    # Collectives: the province suggests to the direct committees' standing committees, a
    # district to its grassroots committees (and grassroots cells), a grassroots committee
    # to its cells.
    by_level: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for (unit_id, kind_of), _review in sorted(collective.items()):
        path, kind = standing.path(unit_id), standing.kind(unit_id)
        if kind == UnitKind.DIRECT and kind_of == CollectiveKind.STANDING:
            by_level[ManagementLevel.PROVINCE].append((province, unit_id, kind_of))
        elif kind in (UnitKind.GRASSROOTS_COMMITTEE, UnitKind.GRASSROOTS_CELL) and kind_of in (
            CollectiveKind.COMMITTEE,
            CollectiveKind.CELL,
        ):
            by_level[ManagementLevel.DISTRICT].append((path[1], unit_id, kind_of))
        elif kind == UnitKind.CELL and len(path) > 3:
            grassroots = path[2]
            if standing.kind(grassroots) == UnitKind.GRASSROOTS_COMMITTEE:
                by_level[ManagementLevel.GRASSROOTS].append((grassroots, unit_id, kind_of))
    # Individuals: reviewed members under the management of each level.
    people: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for member_id in sorted(reviews):
        level, path = levels.get(member_id), standing.path(standing.cell[member_id])
        if level == ManagementLevel.PROVINCE:
            people[level].append((province, member_id))
        elif level == ManagementLevel.DISTRICT:
            people[level].append((path[1], member_id))
        elif level == ManagementLevel.GRASSROOTS and len(path) > 2:
            people[level].append((path[2], member_id))
    rows = []
    for level, count in wanted_c.items():
        pool = by_level[level]
        rng.shuffle(pool)
        for issuer, unit_id, kind_of in pool[:count]:
            rows.append(
                _suggestion(
                    rng,
                    year,
                    issuer,
                    level,
                    unit_id,
                    kind_of,
                    None,
                    None,
                    collective[(unit_id, kind_of)],
                )
            )
    for level, count in wanted_i.items():
        persons = people[level]
        rng.shuffle(persons)
        for issuer, member_id in persons[:count]:
            rows.append(
                _suggestion(rng, year, issuer, level, None, "", member_id, reviews[member_id], None)
            )
    ids = iter(next_ids(ReviewSuggestion, len(rows)))
    insert_rows(
        ReviewSuggestion,
        [
            "id",
            "year",
            "issuer",
            "level",
            "issued_on",
            "subject_unit",
            "subject_collective",
            "subject_member",
            "content",
            "answer",
            "answered_on",
            "member_review",
            "collective_review",
            "year_end",
        ],
        [(next(ids), *row) for row in rows],
    )


def _suggestion(
    rng: random.Random,
    year: int,
    issuer: int,
    level: str,
    unit_id: int | None,
    collective: str,
    member_id: int | None,
    member_review: int | None,
    collective_review: int | None,
) -> tuple[Any, ...]:
    issued = date(year, 11, 1) + timedelta(days=rng.randrange(25))
    return (
        year,
        issuer,
        level,
        issued,
        unit_id,
        collective,
        member_id,
        "Làm rõ trách nhiệm trong lãnh đạo, chỉ đạo thực hiện nhiệm vụ chính trị và việc "
        "khắc phục hạn chế đã chỉ ra qua kiểm điểm năm trước.",
        "Đã tiếp thu, làm rõ trong bản kiểm điểm và đề ra biện pháp khắc phục.",
        issued + timedelta(days=30),
        member_review,
        collective_review,
        year_end(year),
    )


def _commitments(rng: random.Random, standing: _Year, reviews: dict[int, int]) -> None:
    """The last year's commitments of the members reviewed, approved early in the year."""
    year = standing.year
    ids = iter(next_ids(Commitment, len(reviews)))
    rows = []
    for member_id in sorted(reviews):
        approved = date(year, 1, 15) + timedelta(days=rng.randrange(60))
        stamp = datetime.combine(approved, time(8), tzinfo=UTC)
        rows.append(
            (
                next(ids),
                member_id,
                year,
                standing.cell[member_id],
                COMMITMENT_TEXT,
                "approved",
                approved,
                approved,
                False,
                stamp,
                stamp,
            )
        )
    insert_rows(
        Commitment,
        [
            "id",
            "member",
            "year",
            "unit",
            "sections",
            "status",
            "approved_on",
            "counted_on",
            "on_paper",
            "submitted_at",
            "updated_at",
        ],
        rows,
    )


# -- this year, in the demo cell --------------------------------------------------------------
@demo_step(order=460, label="Cam kết năm nay, xếp loại 2025 của chi bộ mẫu")
def build_cell_year(ctx: DemoContext) -> None:
    """The demo cell (the secretary's): 2025 reviews rated on the 100-point scale, and this
    year's commitments in every state (the member persona has not begun this year's)."""
    rng = random.Random(ctx.seed * 11 + 3)
    secretary, persona = ctx.personas["secretary"], ctx.personas["member"]
    cell = secretary.memberships.order_by("-valid_from").first().unit
    members = list(
        Member.objects.filter(memberships__unit=cell, memberships__valid_to__gt=ctx.today)
        .distinct()
        .order_by("pk")
    )
    last = ctx.today.year - 1
    for member in members:
        points = Decimal(rng.randrange(62, 98))
        spec = services.MemberReviewSpec(
            member=member,
            year=last,
            outcome=ReviewOutcome.REVIEWED,
            unit=cell,
            points=points,
            held_on=date(last, 12, 10),
            fulfilment=Fulfilment.FULFILLED if points >= 70 else Fulfilment.PARTLY,
        )
        services.member_review_save(spec=spec)
        _commitment_of(member, last, cell, date(last, 1, 20))
    year = ctx.today.year
    states = _states(len(members))
    for member, state in zip(members, states, strict=True):
        if member == persona or state is None:
            continue
        commitment = services.commitment_start(member=member, year=year)
        sections = {k: f"{COMMITMENT_TEXT[k]} (năm {year})" for k in SECTION_KEYS}
        if state == CommitmentStatus.DRAFT:
            services.commitment_save(commitment=commitment, sections=sections)
            continue
        services.commitment_save(commitment=commitment, sections=sections, submit=True)
        if state == CommitmentStatus.RETURNED:
            services.commitment_return(
                commitment=commitment,
                comments={"duties": "Cần nêu cụ thể chỉ tiêu công việc năm nay."},
                actor=None,
            )
        elif state == CommitmentStatus.APPROVED:
            services.commitment_approve(
                commitment=commitment,
                actor=None,
                on=date(year, 2, 1) + timedelta(days=rng.randrange(20)),
            )


def _states(count: int) -> Sequence[str | None]:
    cycle = [
        CommitmentStatus.APPROVED,
        CommitmentStatus.APPROVED,
        CommitmentStatus.SUBMITTED,
        CommitmentStatus.RETURNED,
        CommitmentStatus.DRAFT,
        None,
    ]
    return [cycle[i % len(cycle)] for i in range(count)]


def _commitment_of(member: Member, year: int, cell: Any, approved: date) -> None:
    Commitment.objects.update_or_create(
        member=member,
        year=year,
        defaults={
            "unit": cell,
            "sections": {k: f"{COMMITMENT_TEXT[k]} (năm {year})" for k in SECTION_KEYS},
            "status": CommitmentStatus.APPROVED,
            "approved_on": approved,
            "counted_on": approved,
        },
    )
