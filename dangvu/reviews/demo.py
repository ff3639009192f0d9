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
from typing import Any, NamedTuple

from dangvu.core.effective import valid_after
from dangvu.demo.registry import DemoContext, demo_step
from dangvu.indicators.catalogue import raw
from dangvu.members.models import ManagementLevel, Member, Membership
from dangvu.reviews import services
from dangvu.reviews.models import (
    SECTION_KEYS,
    CollectiveKind,
    CommitmentStatus,
    ExemptReason,
    Fulfilment,
    MemberReview,
    ReviewOutcome,
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
        for member_id, unit_id, start, stop in Membership.objects.in_year(year).values_list(
            "member_id", "unit_id", "valid_from", "valid_to"
        ):
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
    book = services.ReviewBook(reach=services.EVERYTHING, actor=None, reason="", whole=True)
    exempt_flag = set(Member.objects.filter(is_exempt=True).values_list("pk", flat=True))
    levels = dict(Member.objects.exclude(management_level="").values_list("pk", "management_level"))
    remedies: list[services.RemediationRow] = []
    for year in YEARS:
        standing = _Year(year)
        reviews = _member_reviews(rng, standing, exempt_flag, remedies, book)
        collective = _collective_reviews(rng, standing, remedies, book)
        _suggestions(rng, standing, levels, reviews, collective, book)
        if year == YEARS[-1]:
            _commitments(rng, standing, reviews, book)
    services.remediation_add_bulk(rows=remedies)
    ctx.summary["reviews"] = MemberReview.objects.count()


def _held_on(rng: random.Random, year: int) -> date:
    return date(year, 12, 1) + timedelta(days=rng.randrange(28))


class Remedy(NamedTuple):
    """A shortcoming drawn for a review not yet written (its id is known once it is)."""

    unit_id: int
    year: int
    held: date
    shortcoming: str
    plan: str
    deadline: date
    done_on: date | None
    responsible_id: int | None

    def row(
        self, *, member_review: int | None = None, collective_review: int | None = None
    ) -> services.RemediationRow:
        return services.RemediationRow(
            unit_id=self.unit_id,
            year=self.year,
            shortcoming=self.shortcoming,
            plan=self.plan,
            deadline=self.deadline,
            created_on=self.held,
            member_review_id=member_review,
            collective_review_id=collective_review,
            responsible_id=self.responsible_id,
            done_on=self.done_on,
            result="" if self.done_on is None else "Đã khắc phục, báo cáo chi bộ.",
        )


def _written(result: services.BulkResult, what: str) -> dict[Any, int]:
    if result.problems:
        raise RuntimeError(f"{what}: {result.problems[:5]}")
    return result.ids


def _member_reviews(
    rng: random.Random,
    standing: _Year,
    exempt_flag: set[int],
    remediation: list[services.RemediationRow],
    book: services.ReviewBook,
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
    exempt |= set(others[: exempt_count - len(exempt)])
    rows: list[services.MemberReviewRow] = []
    remedies: dict[int, Remedy] = {}
    for member_id in sorted(chosen):
        cell = standing.cell[member_id]
        if member_id in exempt:
            reason = (
                ExemptReason.ACTIVITIES_EXEMPT
                if member_id in exempt_flag
                else rng.choice(EXEMPT_REASONS)
            )
            rows.append(
                services.MemberReviewRow(
                    year=year,
                    outcome=ReviewOutcome.EXEMPT,
                    member_id=member_id,
                    cell_id=cell,
                    exempt_reason=reason,
                )
            )
            continue
        grade = _grade(rng)
        held = _held_on(rng, year)
        rows.append(
            services.MemberReviewRow(
                year=year,
                outcome=ReviewOutcome.REVIEWED,
                member_id=member_id,
                cell_id=cell,
                grade=grade,
                held_on=held,
                fulfilment=_fulfilment(year, grade),
            )
        )
        if grade == "failed" and year >= 2020:
            remedies[member_id] = _remedy(rng, cell, year, held, member_id)
    result = services.member_reviews_save_bulk(
        rows=rows, actor=None, reach=services.EVERYTHING, book=book
    )
    ids = _written(result, f"{year}: member reviews")
    remediation += [r.row(member_review=ids[(m, year)]) for m, r in remedies.items()]
    return {m: ids[(m, year)] for m in sorted(chosen) if m not in exempt}


def _fulfilment(year: int, grade: str) -> str:
    if year < YEARS[-1]:
        return ""
    if grade == "failed":
        return Fulfilment.NOT
    return Fulfilment.PARTLY if grade == "done" else Fulfilment.FULFILLED


def _remedy(
    rng: random.Random, unit_id: int, year: int, held: date, responsible: int | None
) -> Remedy:
    shortcoming, plan = rng.choice(SHORTCOMINGS)
    deadline = held + timedelta(days=rng.randrange(90, 270))
    # Most are put right in the year after the review; some of the latest are still open.
    late = year == YEARS[-1] and rng.random() < 0.2
    done = None if late else held + timedelta(days=rng.randrange(60, 330))
    return Remedy(unit_id, year, held, shortcoming, plan, deadline, done, responsible)


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
    rng: random.Random,
    standing: _Year,
    remediation: list[services.RemediationRow],
    book: services.ReviewBook,
) -> dict[tuple[int, str], int]:
    year = standing.year
    target = _seed("review.collectives_reviewed")[str(year)]
    always, cells = _collective_candidates(standing)
    rng.shuffle(cells)
    chosen = always + cells[: target - len(always)]
    rows: list[services.CollectiveReviewRow] = []
    remedies: dict[tuple[int, int, str], Remedy] = {}
    for unit_id, collective in chosen:
        grade, held = _grade(rng), _held_on(rng, year)
        rows.append(
            services.CollectiveReviewRow(
                year=year, collective=str(collective), unit_id=unit_id, grade=grade, held_on=held
            )
        )
        if grade in ("done", "failed") and year >= 2020:
            remedies[(unit_id, year, str(collective))] = _remedy(rng, unit_id, year, held, None)
    result = services.collective_reviews_save_bulk(
        rows=rows, actor=None, reach=services.EVERYTHING, book=book
    )
    ids = _written(result, f"{year}: collective reviews")
    remediation += [r.row(collective_review=ids[key]) for key, r in remedies.items()]
    return {(u, c): ids[(u, y, c)] for u, y, c in ids}


def _suggestions(
    rng: random.Random,
    standing: _Year,
    levels: dict[int, str],
    reviews: dict[int, int],
    collective: dict[tuple[int, str], int],
    book: services.ReviewBook,
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
    rows: list[services.SuggestionRow] = []
    for level, count in wanted_c.items():
        pool = by_level[level]
        rng.shuffle(pool)
        for issuer, unit_id, kind_of in pool[:count]:
            rows.append(
                _suggestion(
                    rng,
                    year,
                    issuer=issuer,
                    level=level,
                    subject_id=unit_id,
                    collective=kind_of,
                    collective_review_id=collective[(unit_id, kind_of)],
                )
            )
    for level, count in wanted_i.items():
        persons = people[level]
        rng.shuffle(persons)
        for issuer, member_id in persons[:count]:
            rows.append(
                _suggestion(
                    rng,
                    year,
                    issuer=issuer,
                    level=level,
                    subject_id=member_id,
                    member_review_id=reviews[member_id],
                )
            )
    result = services.suggestions_save_bulk(
        rows=rows, actor=None, reach=services.EVERYTHING, book=book
    )
    _written(result, f"{year}: suggestions")


SUGGESTION_TEXT = (
    "Làm rõ trách nhiệm trong lãnh đạo, chỉ đạo thực hiện nhiệm vụ chính trị và việc khắc "
    "phục hạn chế đã chỉ ra qua kiểm điểm năm trước."
)
ANSWER_TEXT = "Đã tiếp thu, làm rõ trong bản kiểm điểm và đề ra biện pháp khắc phục."


def _suggestion(
    rng: random.Random,
    year: int,
    *,
    issuer: int,
    level: str,
    subject_id: int,
    collective: str = "",
    member_review_id: int | None = None,
    collective_review_id: int | None = None,
) -> services.SuggestionRow:
    issued = date(year, 11, 1) + timedelta(days=rng.randrange(25))
    return services.SuggestionRow(
        year=year,
        individual=member_review_id is not None,
        issued_on=issued,
        subject_id=subject_id,
        level=level,
        collective=collective,
        issuer_id=issuer,
        content=SUGGESTION_TEXT,
        answer=ANSWER_TEXT,
        answered_on=issued + timedelta(days=30),
        member_review_id=member_review_id,
        collective_review_id=collective_review_id,
    )


def _commitments(
    rng: random.Random, standing: _Year, reviews: dict[int, int], book: services.ReviewBook
) -> None:
    """The last year's commitments of the members reviewed, approved early in the year."""
    year = standing.year
    rows = []
    for member_id in sorted(reviews):
        approved = date(year, 1, 15) + timedelta(days=rng.randrange(60))
        rows.append(
            services.ApprovedCommitment(
                member_id=member_id,
                year=year,
                unit_id=standing.cell[member_id],
                sections=COMMITMENT_TEXT,
                approved_on=approved,
                submitted_at=datetime.combine(approved, time(8), tzinfo=UTC),
            )
        )
    services.commitments_approved_bulk(rows=rows, book=book)


# -- this year, in the demo cell --------------------------------------------------------------
@demo_step(order=460, label="Cam kết năm nay, xếp loại 2025 của chi bộ mẫu")
def build_cell_year(ctx: DemoContext) -> None:
    """The demo cell (the secretary's): 2025 reviews rated on the 100-point scale, and this
    year's commitments in every state (the member persona has not begun this year's)."""
    rng = random.Random(ctx.seed * 11 + 3)
    secretary, persona = ctx.personas["secretary"], ctx.personas["member"]
    cell = secretary.memberships.order_by("-valid_from").first().unit
    members = list(
        Member.objects.filter(valid_after(ctx.today, "memberships__"), memberships__unit=cell)
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
    _commitments_of(members, last, cell, date(last, 1, 20))
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


def _commitments_of(members: list[Member], year: int, cell: Any, approved: date) -> None:
    services.commitments_approved_bulk(
        rows=[
            services.ApprovedCommitment(
                member_id=member.pk,
                year=year,
                unit_id=cell.pk,
                sections={k: f"{COMMITMENT_TEXT[k]} (năm {year})" for k in SECTION_KEYS},
                approved_on=approved,
            )
            for member in members
        ]
    )
