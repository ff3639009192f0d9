"""Sheets of the exchange workbook for the annual cycle: `KiemDiem` (members' reviews and
ratings), `KiemDiemTapThe` (collectives'), `GoiYKiemDiem` (review suggestions).

Beyond the shared format each sheet has optional columns of dangvu's own (absent, they
take defaults): `KiemDiem` the exemption reason, the points (100-point rules) and the cell;
`KiemDiemTapThe` the points; `GoiYKiemDiem` the collective, the issuing committee, the date
and the content. The rows are checked in bulk against what the services check one by one
(the member's cell in the year, the rule of the year, the management level).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from dangvu.core.bulk import insert_rows, next_ids, update_rows
from dangvu.core.errors import DomainError
from dangvu.exchange import workbook as wb
from dangvu.exchange.context import ExportContext, ImportContext
from dangvu.lib.dates import format_number
from dangvu.members.models import ManagementLevel, Member, Membership
from dangvu.reviews import services
from dangvu.reviews.models import (
    CollectiveKind,
    CollectiveReview,
    ExemptReason,
    GradeCode,
    MemberReview,
    RatingAmendment,
    RatingGrade,
    ReviewOutcome,
    ReviewSuggestion,
    year_end,
)
from dangvu.units.models import CELL_KINDS, UnitVersion

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


class _Years:
    """The rule of each year and the units standing at its end, read once per import."""

    def __init__(self, ctx: ImportContext) -> None:
        self.grades: dict[int, dict[str, RatingGrade]] = {}
        self.points: dict[int, bool] = {}
        self.versions: dict[int, dict[int, UnitVersion]] = {}

    def rule(self, year: int) -> tuple[dict[str, RatingGrade], bool]:
        if year not in self.grades:
            scheme = services.scheme_for(year)
            self.grades[year] = {g.code: g for g in scheme.grades.all()}
            self.points[year] = scheme.uses_points
        return self.grades[year], self.points[year]

    def standing(self, year: int) -> dict[int, UnitVersion]:
        if year not in self.versions:
            self.versions[year] = {v.unit_id: v for v in UnitVersion.objects.as_of(year_end(year))}
        return self.versions[year]

    def grade(self, year: int, code: str, points: Decimal | None) -> RatingGrade | None:
        """As services.rate, from the rows read once."""
        grades, uses_points = self.rule(year)
        given = grades.get(code) if code else None
        if not uses_points:
            if points is not None:
                raise DomainError(services.POINTS_NOT_USED.format(year=year, scheme=_scheme(year)))
            return given
        if points is None:
            return given
        expected = next(
            g
            for g in sorted(grades.values(), key=lambda g: g.rank)
            if g.min_points is None or points >= g.min_points
        )
        if given is not None and given != expected:
            raise DomainError(
                services.POINTS_DISAGREE.format(
                    points=format_number(float(points)),
                    expected=expected.label,
                    scheme=_scheme(year),
                    given=given.label,
                )
            )
        return expected


def _scheme(year: int) -> str:
    return services.scheme_for(year).code


def _reachable(ctx: ImportContext) -> frozenset[int] | None:
    """The units the importer writes today (the roles in force): every sheet here asks this,
    before any check that would tell something about what lies outside."""
    return ctx.writable_unit_ids


class _Calendar:
    """The rating calendar for an import (as `services.check_rating_calendar`): a row that
    writes a year not yet open is refused; a closed year is written only by an importer
    holding the level above the grassroots organisation, and traced (`RatingAmendment`,
    reason "imported"). The command line (no scope) is trusted with closed years."""

    def __init__(self, ctx: ImportContext) -> None:
        self.ctx = ctx
        self.windows: dict[int, tuple[date, date]] = {}
        self.above: dict[tuple[int, int], int | None] = {}
        self.now = services.today()

    def closed(self, year: int) -> bool:
        return self.now > self._window(year)[1]

    def _window(self, year: int) -> tuple[date, date]:
        if year not in self.windows:
            self.windows[year] = services.rating_window(year)
        return self.windows[year]

    def refusal(self, year: int, unit_id: int) -> str | None:
        opens, closes = self._window(year)
        if self.now < opens:
            return f"chưa đến kỳ xếp loại năm {year}: kết quả được ghi từ ngày {opens:%d/%m/%Y}"
        reachable = _reachable(self.ctx)
        if self.now <= closes or reachable is None:
            return None
        if (unit_id, year) not in self.above:
            self.above[(unit_id, year)] = services.level_above(unit_id, year)
        if self.above[(unit_id, year)] not in reachable:
            return (
                f"kết quả năm {year} đã khóa sau ngày {closes:%d/%m/%Y}: chỉ cấp ủy cấp trên "
                "trực tiếp của tổ chức cơ sở đảng sửa được"
            )
        return None


def _calendar(ctx: ImportContext) -> _Calendar:
    return ctx.state(_Calendar)


def _trace(ctx: ImportContext, amendments: list[RatingAmendment]) -> None:
    """The closed years' rows an importer changed, each with the import as its reason (the
    command line, trusted, leaves the import's log only)."""
    if ctx.actor is not None and amendments:
        for amendment in amendments:
            amendment.amended_by = ctx.actor
        RatingAmendment.objects.bulk_create(amendments, batch_size=1000)


def _as_dict(fields: Sequence[str], values: Sequence[Any] | None) -> dict[str, Any]:
    if values is None:
        return {}
    return {
        f: (str(v) if isinstance(v, Decimal | date) else v)
        for f, v in zip(fields, values, strict=False)
    }


def _years(ctx: ImportContext) -> _Years:
    return ctx.state(_Years)


def _unit_codes(ctx: ImportContext) -> dict[str, int]:
    return ctx.unit_ids_by_code


# -- KiemDiem ---------------------------------------------------------------------------------
MEMBER_REVIEW_FIELDS = ("unit", "outcome", "exempt_reason", "grade", "points", "year_end")


def load_member_reviews(ctx: ImportContext, rows: list[wb.Row]) -> wb.SheetResult:
    spec = KIEM_DIEM
    result = wb.SheetResult()
    # Whole tables, not IN lists: a province's sheet names more members than SQLite takes
    # parameters in one statement, and reading them all is one fast scan each.
    members = {
        card: (pk, exempt)
        for card, pk, exempt in Member.objects.values_list("card_number", "pk", "is_exempt")
    }
    spans: dict[int, list[tuple[int, date, date]]] = defaultdict(list)
    for member_id, cell_id, start, stop in Membership.objects.values_list(
        "member_id", "unit_id", "valid_from", "valid_to"
    ):
        spans[member_id].append((cell_id, start, stop))
    codes, years, reachable = _unit_codes(ctx), _years(ctx), _reachable(ctx)
    existing = {
        (m, y): (pk, unit, outcome, reason, grade, points)
        for pk, m, y, unit, outcome, reason, grade, points in MemberReview.objects.filter(
            year__in={r["year"] for r in rows}
        ).values_list(
            "pk", "member_id", "year", "unit_id", "outcome", "exempt_reason", "grade_id", "points"
        )
    }
    calendar = _calendar(ctx)
    own = ctx.actor.member_id if ctx.actor is not None else None
    seen: set[tuple[int, int]] = set()
    new, changed = [], []
    traced: list[tuple[int | None, tuple[int, int], Any, tuple[Any, ...]]] = []
    for row in rows:
        found = members.get(row["card_number"])
        year = row["year"]
        start, end = date(year, 1, 1), year_end(year)
        cells = sorted(
            ((u, s) for u, s, e in spans[found[0]] if s <= end and e > start) if found else (),
            key=lambda x: x[1],
            reverse=True,
        )
        # The reach first: a card outside it (or nowhere) is said alike, and nothing of
        # the member's cells or record is told.
        if reachable is not None and not any(u in reachable for u, _ in cells):
            ctx.error(
                spec,
                row,
                "card_number",
                f"không có đảng viên số thẻ {row['card_number']} trong phạm vi của bạn năm {year}",
            )
            continue
        if found is None:
            ctx.error(spec, row, "card_number", f"không có đảng viên số thẻ {row['card_number']}")
            continue
        member_id, flagged = found
        if member_id == own:
            ctx.error(spec, row, "card_number", services.SELF_REVIEW)
            continue
        if (member_id, year) in seen:
            ctx.error(spec, row, "card_number", "trùng dòng khác (cùng năm, cùng đảng viên)")
            continue
        seen.add((member_id, year))
        standing = years.standing(year)
        unit_id: int | None = None
        if row.values.get("cell_code"):
            unit_id = codes.get(row["cell_code"])
            if unit_id is None or unit_id not in {u for u, _ in cells}:
                ctx.error(
                    spec,
                    row,
                    "cell_code",
                    f"đảng viên không sinh hoạt tại chi bộ {row['cell_code']} trong năm {year}",
                )
                continue
        elif cells:
            unit_id = cells[0][0]
        if unit_id is None:
            ctx.error(
                spec, row, "card_number", f"đảng viên không sinh hoạt tại chi bộ nào năm {year}"
            )
            continue
        version = standing.get(unit_id)
        if version is None or version.kind not in CELL_KINDS:
            ctx.error(
                spec, row, "year", f"chi bộ của đảng viên không còn hoạt động ngày 31/12/{year}"
            )
            continue
        if reachable is not None and unit_id not in reachable:
            ctx.error(spec, row, "card_number", "đảng viên ngoài phạm vi quản lý của bạn")
            continue
        outcome = row["outcome"]
        reason = row.values.get("exempt_reason") or ""
        if outcome == ReviewOutcome.EXEMPT:
            if row["grade"] or row.values.get("points") is not None:
                ctx.error(spec, row, "grade", "đảng viên không phải kiểm điểm thì không xếp loại")
                continue
            reason = reason or (ExemptReason.ACTIVITIES_EXEMPT if flagged else ExemptReason.OTHER)
        elif reason:
            ctx.error(spec, row, "exempt_reason", "chỉ ghi lý do khi không phải kiểm điểm")
            continue
        try:
            grade = years.grade(year, row["grade"], row.values.get("points"))
        except DomainError as error:
            ctx.error(spec, row, "grade", error.message)
            continue
        values = (
            unit_id,
            str(outcome),
            str(reason),
            grade.pk if grade else None,
            row.values.get("points"),
            end,
        )
        before = existing.get((member_id, year))
        if before is not None and before[1:] == values[:-1]:
            result.unchanged += 1
            continue
        refusal = calendar.refusal(year, unit_id)
        if refusal is not None:
            ctx.error(spec, row, "year", refusal)
            continue
        if calendar.closed(year):
            traced.append((before[0] if before else None, (member_id, year), before, values))
        if before is None:
            new.append((member_id, year, *values))
        else:
            changed.append((before[0], *values))
    if ctx.errors:
        return result
    new_ids = dict(zip(((r[0], r[1]) for r in new), next_ids(MemberReview, len(new)), strict=True))
    insert_rows(
        MemberReview,
        ["id", "member", "year", *MEMBER_REVIEW_FIELDS, "self_review", "fulfilment"],
        [(new_ids[(row[0], row[1])], *row, "", "") for row in new],
    )
    update_rows(MemberReview, MEMBER_REVIEW_FIELDS, changed)
    _trace(
        ctx,
        [
            RatingAmendment(
                year=key[1],
                member_review_id=pk if pk is not None else new_ids[key],
                reason=services.IMPORTED,
                before=_as_dict(MEMBER_REVIEW_FIELDS, before[1:] if before else None),
                after=_as_dict(MEMBER_REVIEW_FIELDS, values),
            )
            for pk, key, before, values in traced
        ],
    )
    result.created, result.updated = len(new), len(changed)
    return result


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
COLLECTIVE_FIELDS = ("grade", "points", "year_end")


def load_collective_reviews(ctx: ImportContext, rows: list[wb.Row]) -> wb.SheetResult:
    spec = KIEM_DIEM_TAP_THE
    result = wb.SheetResult()
    codes, years, reachable = _unit_codes(ctx), _years(ctx), _reachable(ctx)
    existing = {
        (u, y, c): (pk, g, p)
        for pk, u, y, c, g, p in CollectiveReview.objects.filter(
            year__in={r["year"] for r in rows}
        ).values_list("pk", "unit_id", "year", "collective", "grade_id", "points")
    }
    calendar = _calendar(ctx)
    seen: set[tuple[int, int, str]] = set()
    new, changed = [], []
    traced: list[tuple[int | None, tuple[int, int, str], Any, tuple[Any, ...]]] = []
    for row in rows:
        unit_id = codes.get(row["unit_code"])
        if unit_id is None:
            ctx.error(spec, row, "unit_code", f"không có đơn vị mã {row['unit_code']}")
            continue
        if reachable is not None and unit_id not in reachable:
            ctx.error(spec, row, "unit_code", "đơn vị ngoài phạm vi quản lý của bạn")
            continue
        year, collective = row["year"], str(row["collective"])
        version = years.standing(year).get(unit_id)
        if version is None:
            ctx.error(spec, row, "unit_code", f"đơn vị không còn hoạt động ngày 31/12/{year}")
            continue
        if collective not in services.collectives_of(version.kind):
            ctx.error(
                spec,
                row,
                "collective",
                f"{CollectiveKind(collective).label} không có ở {version.get_kind_display().lower()}",
            )
            continue
        if (unit_id, year, collective) in seen:
            ctx.error(spec, row, "unit_code", "trùng dòng khác (cùng năm, đơn vị, tập thể)")
            continue
        seen.add((unit_id, year, collective))
        try:
            grade = years.grade(year, row["grade"], row.values.get("points"))
        except DomainError as error:
            ctx.error(spec, row, "grade", error.message)
            continue
        values = (grade.pk if grade else None, row.values.get("points"), year_end(year))
        before = existing.get((unit_id, year, collective))
        if before is not None and before[1:] == values[:-1]:
            result.unchanged += 1
            continue
        refusal = calendar.refusal(year, unit_id)
        if refusal is not None:
            ctx.error(spec, row, "year", refusal)
            continue
        key = (unit_id, year, collective)
        if calendar.closed(year):
            traced.append((before[0] if before else None, key, before, values))
        if before is None:
            new.append((*key, *values))
        else:
            changed.append((before[0], *values))
    if ctx.errors:
        return result
    new_ids = dict(zip((r[:3] for r in new), next_ids(CollectiveReview, len(new)), strict=True))
    insert_rows(
        CollectiveReview,
        ["id", "unit", "year", "collective", *COLLECTIVE_FIELDS, "summary"],
        [(new_ids[row[:3]], *row, "") for row in new],
    )
    update_rows(CollectiveReview, COLLECTIVE_FIELDS, changed)
    _trace(
        ctx,
        [
            RatingAmendment(
                year=key[1],
                collective_review_id=pk if pk is not None else new_ids[key],
                reason=services.IMPORTED,
                before=_as_dict(COLLECTIVE_FIELDS, before[1:] if before else None),
                after=_as_dict(COLLECTIVE_FIELDS, values),
            )
            for pk, key, before, values in traced
        ],
    )
    result.created, result.updated = len(new), len(changed)
    return result


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
def _issuer(standing: dict[int, UnitVersion], path: str, level: str, *, strict: bool) -> int | None:
    """The nearest unit above (or, for a person's cell, at) `path` of the level's kind."""
    ids = [int(p) for p in path.strip("/").split("/")]
    if strict:
        ids = ids[:-1]
    for unit_id in reversed(ids):
        version = standing.get(unit_id)
        if version is None:
            continue
        try:
            if services.level_of(version) == level:
                return unit_id
        except DomainError:
            continue
    return None


def load_suggestions(ctx: ImportContext, rows: list[wb.Row]) -> wb.SheetResult:
    spec = GOI_Y
    result = wb.SheetResult()
    codes, years, reachable = _unit_codes(ctx), _years(ctx), _reachable(ctx)
    members = dict(
        Member.objects.filter(card_number__in={r["subject"].upper() for r in rows}).values_list(
            "card_number", "pk"
        )
    )
    levels = dict(
        Member.objects.filter(pk__in=members.values()).values_list("pk", "management_level")
    )
    existing = {
        (y, "u" if u else "m", u or m): pk
        for pk, y, u, m in ReviewSuggestion.objects.values_list(
            "pk", "year", "subject_unit_id", "subject_member_id"
        )
    }
    seen: set[tuple[int, str, int]] = set()
    new, changed = [], []
    for row in rows:
        year, level = row["year"], str(row["level"])
        standing = years.standing(year)
        individual = row["subject_kind"] == "individual"
        subject = row["subject"].upper() if individual else row["subject"]
        if individual:
            member_id = members.get(subject)
            cells = [
                u
                for u, s, e in Membership.objects.filter(member_id=member_id or 0).values_list(
                    "unit_id", "valid_from", "valid_to"
                )
                if s <= year_end(year) and e > date(year, 1, 1) and u in standing
            ]
            # The reach first: nothing is told of a member outside it (nor whether the
            # card exists), not their cells, not their management level.
            if reachable is not None and not any(u in reachable for u in cells):
                ctx.error(
                    spec,
                    row,
                    "subject",
                    f"không có đảng viên số thẻ {subject} trong phạm vi của bạn năm {year}",
                )
                continue
            if member_id is None:
                ctx.error(spec, row, "subject", f"không có đảng viên số thẻ {subject}")
                continue
            if not cells:
                ctx.error(
                    spec, row, "subject", f"đảng viên không sinh hoạt tại chi bộ nào năm {year}"
                )
                continue
            if levels.get(member_id) != level:
                ctx.error(
                    spec,
                    row,
                    "level",
                    f"đảng viên thuộc diện {ManagementLevel(levels[member_id]).label if levels.get(member_id) else '(chưa xác định)'} quản lý",
                )
                continue
            anchor: int | None = cells[0]
            key = (year, "m", member_id)
            collective = ""
        else:
            anchor = codes.get(subject)
            if anchor is None or anchor not in standing:
                ctx.error(
                    spec, row, "subject", f"không có đơn vị mã {subject} hoạt động năm {year}"
                )
                continue
            key = (year, "u", anchor)
            allowed = services.collectives_of(standing[anchor].kind)
            collective = str(row.values.get("collective") or allowed[0])
            if collective not in allowed:
                ctx.error(
                    spec,
                    row,
                    "collective",
                    f"{CollectiveKind(collective).label} không có ở đơn vị này",
                )
                continue
        assert anchor is not None
        anchor_path = standing[anchor].path
        issuer_id: int | None
        if row.values.get("issuer_code"):
            issuer_id = codes.get(row["issuer_code"])
            version = standing.get(issuer_id) if issuer_id else None
            inside = version is not None and anchor_path.startswith(version.path)
            if version is None or not inside or services.level_of(version) != level:
                ctx.error(
                    spec,
                    row,
                    "issuer_code",
                    f"{row['issuer_code']} không phải cấp ủy {ManagementLevel(level).label.lower()} quản lý đối tượng",
                )
                continue
        else:
            issuer_id = _issuer(standing, anchor_path, level, strict=not individual)
            if issuer_id is None:
                ctx.error(spec, row, "level", "không tìm thấy cấp ủy cấp này quản lý đối tượng")
                continue
        if reachable is not None and issuer_id not in reachable and anchor not in reachable:
            ctx.error(spec, row, "subject", "ngoài phạm vi quản lý của bạn")
            continue
        if key in seen:
            ctx.error(spec, row, "subject", "trùng dòng khác (cùng năm, cùng đối tượng)")
            continue
        seen.add(key)
        issued = row.values.get("issued_on") or date(year, *FIRST_SUGGESTION_DAY)
        values = (
            issuer_id,
            level,
            issued,
            None if individual else anchor,
            collective,
            key[2] if individual else None,
            row.values.get("content") or "",
            year_end(year),
        )
        before = existing.get(key)
        if before is None:
            new.append((year, *values))
        else:
            changed.append((before, *values))
    if ctx.errors:
        return result
    fields = [
        "issuer",
        "level",
        "issued_on",
        "subject_unit",
        "subject_collective",
        "subject_member",
        "content",
        "year_end",
    ]
    ids = iter(next_ids(ReviewSuggestion, len(new)))
    insert_rows(
        ReviewSuggestion,
        ["id", "year", *fields, "answer"],
        [(next(ids), *row, "") for row in new],
    )
    update_rows(ReviewSuggestion, fields, changed)
    result.created, result.updated = len(new), len(changed)
    return result


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
