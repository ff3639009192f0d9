"""Sheets of the exchange workbook for the annual cycle: `KiemDiem` (members' reviews and
ratings), `KiemDiemTapThe` (collectives'), `GoiYKiemDiem` (review suggestions).

Beyond the shared format each sheet has optional columns of dangvu's own (absent, they
take defaults): `KiemDiem` the exemption reason, the points (100-point rules) and the cell;
`KiemDiemTapThe` the points; `GoiYKiemDiem` the collective, the issuing committee, the date
and the content. The rows are checked in bulk against what the services check one by one
(the member's cell in the year, the rule of the year, the management level).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from dangvu.exchange import workbook as wb
from dangvu.exchange.context import ExportContext, ImportContext
from dangvu.members.models import ManagementLevel
from dangvu.reviews import services
from dangvu.reviews.models import (
    CollectiveKind,
    CollectiveReview,
    ExemptReason,
    GradeCode,
    MemberReview,
    RatingGrade,
    ReviewOutcome,
    ReviewSuggestion,
)

OUTCOME = wb.choice(ReviewOutcome.choices)
GRADE = wb.choice(GradeCode.choices)
REASON = wb.choice(ExemptReason.choices)
COLLECTIVE = wb.choice(CollectiveKind.choices)
SUBJECT_KIND = wb.choice([("collective", "Tập thể"), ("individual", "Cá nhân")])
LEVEL = wb.choice(ManagementLevel.choices)
FIRST_SUGGESTION_DAY = (12, 1)  # when a sheet gives no date: 1 December of the year


def _points(value: Any) -> Decimal | None:
    number = wb.number(value)
    if number is None:
        return None
    if not 0 <= number <= 100:
        raise wb.CellError("điểm phải từ 0 đến 100")
    return Decimal(str(number)).quantize(Decimal("0.01"))


def _plain_points(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


AUDIT_NOTE = "import"


def _reach(ctx: ImportContext) -> services.Reach:
    """The units the importer writes today (the roles in force); the command line, all."""
    ids = ctx.writable_unit_ids
    return services.EVERYTHING if ids is None else services.Reach(ids=ids)


def _report(
    ctx: ImportContext, spec: wb.SheetSpec, rows: list[wb.Row], result: services.BulkResult
) -> wb.SheetResult:
    """The bulk service's refusals as bad cells (its fields are the sheet's columns)."""
    columns = {c.field for c in spec.columns}
    for problem in result.problems:
        column = problem.field if problem.field in columns else spec.columns[0].field
        ctx.error(spec, rows[problem.index], column, problem.message)
    return wb.SheetResult(result.created, result.updated, result.unchanged)


# -- KiemDiem ---------------------------------------------------------------------------------
#: Rows of a large sheet checked and written at a time: what is held is one chunk's rows,
#: the members they name and those members' records, whatever the database holds. The
#: chunks share the import's transaction: one refused row, and every chunk is rolled back
#: (the chunks after it are only checked, so that every bad cell is still listed).
CHUNK_ROWS = 20_000


def _book(
    ctx: ImportContext, rows: Sequence[wb.Row], fields: Sequence[str], reason: str
) -> services.ReviewBook:
    """A book of the rules' lookups preloaded for these rows: the card numbers and unit
    codes they name, in the years they name (`ReviewBook.preload`)."""
    book = services.ReviewBook(reach=_reach(ctx), actor=ctx.actor, reason=reason, whole=False)
    cards: set[str] = set()
    codes: set[str] = set()
    for row in rows:
        if row.values.get("card_number"):
            cards.add(row["card_number"])
        for name in fields:
            value = row.values.get(name)
            if value:
                codes.add(value)
                cards.add(value.upper())
    book.preload(cards=cards, codes=codes, years={row["year"] for row in rows})
    return book


def _chunks(rows: list[wb.Row]) -> Iterable[list[wb.Row]]:
    for start in range(0, len(rows), CHUNK_ROWS):
        yield rows[start : start + CHUNK_ROWS]


def load_member_reviews(ctx: ImportContext, rows: list[wb.Row]) -> wb.SheetResult:
    """Members' reviews, written by `services.member_reviews_save_bulk`, a chunk of rows
    at a time (`CHUNK_ROWS`)."""
    total = wb.SheetResult()
    for chunk in _chunks(rows):
        result = services.member_reviews_save_bulk(
            rows=[_review_row(row) for row in chunk],
            actor=ctx.actor,
            reach=_reach(ctx),
            reason=services.IMPORTED,
            note=AUDIT_NOTE,
            check_only=bool(ctx.errors),
            book=_book(ctx, chunk, ("cell_code",), services.IMPORTED),
        )
        done = _report(ctx, KIEM_DIEM, chunk, result)
        total.created += done.created
        total.updated += done.updated
        total.unchanged += done.unchanged
    return total


def _review_row(row: wb.Row) -> services.MemberReviewRow:
    return services.MemberReviewRow(
        year=row["year"],
        outcome=str(row["outcome"]),
        card_number=row["card_number"],
        cell_code=row.values.get("cell_code") or "",
        exempt_reason=row.values.get("exempt_reason") or None,
        grade=str(row["grade"] or ""),
        points=row.values.get("points"),
        self_review=None,
        fulfilment=None,
    )


def dump_member_reviews(ctx: ExportContext) -> Iterable[Sequence[Any]]:
    grades = dict(RatingGrade.objects.values_list("pk", "code"))
    labels = dict(GradeCode.choices)
    qs = MemberReview.objects.order_by("year", "member__card_number")
    if ctx.unit_ids is not None:
        qs = qs.filter(unit_id__in=ctx.unit_ids)
    for year, card, outcome, reason, grade, points, cell in qs.values_list(
        "year",
        "member__card_number",
        "outcome",
        "exempt_reason",
        "grade_id",
        "points",
        "unit__code",
    ).iterator(chunk_size=5000):
        yield (
            year,
            card,
            ReviewOutcome(outcome).label,
            labels[grades[grade]] if grade else "",
            ExemptReason(reason).label if reason else "",
            _plain_points(points),
            cell,
        )


KIEM_DIEM = wb.registry.register(
    wb.SheetSpec(
        name="KiemDiem",
        title="Kiểm điểm, xếp loại đảng viên hằng năm",
        order=40,
        after=("DonVi", "DangVien"),
        columns=(
            wb.Column("Năm", "year", wb.year, required=True, key=True, example=2022, width=8),
            wb.Column(
                "Số thẻ đảng viên",
                "card_number",
                wb.card,
                required=True,
                key=True,
                example="67012345",
            ),
            wb.Column(
                "Kết quả", "outcome", OUTCOME, required=True, example="Đã kiểm điểm", width=22
            ),
            wb.Column("Xếp loại", "grade", GRADE, example="Hoàn thành tốt nhiệm vụ", width=30),
            wb.Column(
                "Lý do không phải kiểm điểm",
                "exempt_reason",
                REASON,
                width=30,
                note="Cột riêng của dangvu; để trống: “Được miễn sinh hoạt đảng” nếu đảng viên "
                "được miễn, “Lý do khác” nếu không",
            ),
            wb.Column(
                "Điểm",
                "points",
                _points,
                width=8,
                note="Cột riêng của dangvu; năm xếp loại theo thang 100 điểm (từ 2025)",
            ),
            wb.Column(
                "Mã chi bộ",
                "cell_code",
                wb.code,
                width=24,
                note="Cột riêng của dangvu; để trống: chi bộ sinh hoạt cuối cùng trong năm",
            ),
        ),
        load=load_member_reviews,
        dump=dump_member_reviews,
    )
)


# -- KiemDiemTapThe ---------------------------------------------------------------------------
def load_collective_reviews(ctx: ImportContext, rows: list[wb.Row]) -> wb.SheetResult:
    """Collectives' reviews, written by `services.collective_reviews_save_bulk`."""
    result = services.collective_reviews_save_bulk(
        rows=[
            services.CollectiveReviewRow(
                year=row["year"],
                collective=str(row["collective"]),
                unit_code=row["unit_code"],
                grade=str(row["grade"] or ""),
                points=row.values.get("points"),
                summary=None,
            )
            for row in rows
        ],
        actor=ctx.actor,
        reach=_reach(ctx),
        reason=services.IMPORTED,
        note=AUDIT_NOTE,
        check_only=bool(ctx.errors),
        book=_book(ctx, rows, ("unit_code",), services.IMPORTED),
    )
    return _report(ctx, KIEM_DIEM_TAP_THE, rows, result)


def dump_collective_reviews(ctx: ExportContext) -> Iterable[Sequence[Any]]:
    grades = dict(RatingGrade.objects.values_list("pk", "code"))
    labels = dict(GradeCode.choices)
    qs = CollectiveReview.objects.order_by("year", "unit__code", "collective")
    if ctx.unit_ids is not None:
        qs = qs.filter(unit_id__in=ctx.unit_ids)
    for year, code, collective, grade, points in qs.values_list(
        "year", "unit__code", "collective", "grade_id", "points"
    ):
        yield (
            year,
            code,
            CollectiveKind(collective).label,
            labels[grades[grade]] if grade else "",
            _plain_points(points),
        )


KIEM_DIEM_TAP_THE = wb.registry.register(
    wb.SheetSpec(
        name="KiemDiemTapThe",
        title="Kiểm điểm, xếp loại tập thể hằng năm",
        order=41,
        after=("DonVi",),
        columns=(
            wb.Column("Năm", "year", wb.year, required=True, key=True, example=2022, width=8),
            wb.Column(
                "Mã đơn vị",
                "unit_code",
                wb.code,
                required=True,
                key=True,
                example="DN.CUJUT.EATLING.TDP1",
                width=24,
            ),
            wb.Column(
                "Tập thể", "collective", COLLECTIVE, required=True, key=True, example="Chi bộ"
            ),
            wb.Column("Xếp loại", "grade", GRADE, example="Hoàn thành tốt nhiệm vụ", width=30),
            wb.Column(
                "Điểm",
                "points",
                _points,
                width=8,
                note="Cột riêng của dangvu; năm xếp loại theo thang 100 điểm (từ 2025)",
            ),
        ),
        load=load_collective_reviews,
        dump=dump_collective_reviews,
    )
)


# -- GoiYKiemDiem ------------------------------------------------------------------------------
def load_suggestions(ctx: ImportContext, rows: list[wb.Row]) -> wb.SheetResult:
    """Review suggestions, written by `services.suggestions_save_bulk`."""
    result = services.suggestions_save_bulk(
        rows=[_suggestion_row(row) for row in rows],
        actor=ctx.actor,
        reach=_reach(ctx),
        note=AUDIT_NOTE,
        check_only=bool(ctx.errors),
        book=_book(ctx, rows, ("subject", "issuer_code"), ""),
    )
    return _report(ctx, GOI_Y, rows, result)


def _suggestion_row(row: wb.Row) -> services.SuggestionRow:
    year, individual = row["year"], row["subject_kind"] == "individual"
    return services.SuggestionRow(
        year=year,
        individual=individual,
        subject=row["subject"].upper() if individual else row["subject"],
        level=str(row["level"]),
        collective=None if individual else (row.values.get("collective") or None),
        issuer_code=row.values.get("issuer_code") or "",
        issued_on=row.values.get("issued_on") or date(year, *FIRST_SUGGESTION_DAY),
        content=row.values.get("content") or "",
    )


def dump_suggestions(ctx: ExportContext) -> Iterable[Sequence[Any]]:
    qs = ReviewSuggestion.objects.order_by("year", "pk")
    if ctx.unit_ids is not None:
        qs = qs.filter(issuer_id__in=ctx.unit_ids)
    for s in qs.select_related("issuer", "subject_unit", "subject_member"):
        yield (
            s.year,
            s.subject_member.card_number if s.subject_member else s.subject_unit.code,  # type: ignore[union-attr]
            "Cá nhân" if s.subject_member_id else "Tập thể",
            ManagementLevel(s.level).label,
            CollectiveKind(s.subject_collective).label if s.subject_collective else "",
            s.issuer.code,
            s.issued_on,
            s.content,
        )


GOI_Y = wb.registry.register(
    wb.SheetSpec(
        name="GoiYKiemDiem",
        title="Gợi ý kiểm điểm",
        order=42,
        after=("DonVi", "DangVien"),
        columns=(
            wb.Column("Năm", "year", wb.year, required=True, key=True, example=2022, width=8),
            wb.Column(
                "Đối tượng",
                "subject",
                wb.code,
                required=True,
                key=True,
                example="DN.CUJUT.EATLING",
                width=24,
                note="Mã đơn vị (tập thể) hoặc số thẻ đảng viên (cá nhân)",
            ),
            wb.Column(
                "Loại đối tượng", "subject_kind", SUBJECT_KIND, required=True, example="Tập thể"
            ),
            wb.Column("Cấp quản lý", "level", LEVEL, required=True, example="Cấp huyện"),
            wb.Column(
                "Tập thể",
                "collective",
                COLLECTIVE,
                example="Cấp ủy",
                note="Cột riêng của dangvu; để trống: chi bộ, hoặc cấp ủy của đảng bộ",
            ),
            wb.Column(
                "Mã cấp ủy gợi ý",
                "issuer_code",
                wb.code,
                width=20,
                note="Cột riêng của dangvu; để trống: cấp ủy gần nhất của cấp quản lý",
            ),
            wb.Column(
                "Ngày gợi ý",
                "issued_on",
                wb.date,
                width=12,
                note="Cột riêng của dangvu; để trống: 01/12 của năm",
            ),
            wb.Column("Nội dung", "content", wb.text, width=40, note="Cột riêng của dangvu"),
        ),
        load=load_suggestions,
        dump=dump_suggestions,
    )
)
