"""Writes of the annual cycle. Every refusal is a DomainError with a Vietnamese message,
raised before anything is written."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import models, transaction
from django.utils import timezone

from dangvu.accounts.models import User
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for, today
from dangvu.core.bulk import insert_rows, next_ids, update_rows
from dangvu.core.effective import year_bounds
from dangvu.core.errors import DomainError
from dangvu.exchange.audit import log_bulk
from dangvu.lib.dates import format_number
from dangvu.lib.numbers import parse_decimal
from dangvu.members.models import COMMITTEE_LEVEL, ManagementLevel, Member, Membership
from dangvu.reviews.models import (
    FIRST_YEAR,
    SECTION_KEYS,
    CollectiveKind,
    CollectiveReview,
    Commitment,
    CommitmentComment,
    CommitmentStatus,
    ExemptReason,
    Fulfilment,
    MemberReview,
    RatingAmendment,
    RatingGrade,
    RatingScheme,
    RemediationItem,
    ReviewOutcome,
    ReviewSuggestion,
    year_end,
)
from dangvu.units.models import CELL_KINDS, GRASSROOTS_KINDS, Unit, UnitKind, UnitVersion

SECTION_TOO_LONG = "Mục “{heading}” dài quá {limit} ký tự."
EMPTY_COMMITMENT = "Bản cam kết chưa có nội dung ở mục: {sections}."
NOT_EDITABLE = "Bản cam kết đã gửi chi bộ hoặc đã được duyệt: không sửa được nữa."
NOT_SUBMITTED = "Bản cam kết chưa được gửi chi bộ."
NOT_OPEN_FOR_COMMENTS = "Chỉ góp ý được khi bản cam kết đang chờ chi bộ cho ý kiến."
COMMENT_TOO_LONG = "Ý kiến dài quá {limit} ký tự."
NOT_IN_CELL = "Đảng viên {card} không sinh hoạt tại chi bộ {unit} trong năm {year}."
NO_CELL = "Đảng viên {card} không sinh hoạt tại chi bộ nào trong năm {year}."
BAD_YEAR = "Năm {year} không hợp lệ (từ {first} đến {last})."
REASON_NEEDED = "Đảng viên không phải kiểm điểm cần có lý do."
REASON_ONLY_EXEMPT = "Chỉ ghi lý do khi đảng viên không phải kiểm điểm."
EXEMPT_NOT_RATED = "Đảng viên không phải kiểm điểm thì không xếp loại."
UNKNOWN_GRADE = "Mức xếp loại “{grade}” không có trong {scheme}."
POINTS_RANGE = "Điểm phải từ 0 đến 100."
POINTS_NOT_USED = "Năm {year} xếp loại theo {scheme}: không chấm điểm."
POINTS_DISAGREE = "{points} điểm là mức “{expected}” theo {scheme}, không phải “{given}”."
COLLECTIVE_NOT_HERE = "{collective} không có ở {unit} ({kind})."
UNIT_GONE = "Đơn vị {unit} không còn hoạt động vào ngày 31/12/{year}."
NOT_A_MANAGING_BODY = "{unit} không phải cấp ủy có thẩm quyền gợi ý kiểm điểm."
SUBJECT_OUTSIDE = "Đối tượng được gợi ý không thuộc phạm vi quản lý của {issuer}."
SUBJECT_LEVEL = (
    "Đảng viên {card} thuộc diện {level} quản lý, không phải diện {issuer_level} của {issuer}."
)
ANSWER_WRONG_REVIEW = "Bản kiểm điểm này không phải của đối tượng được gợi ý, năm {year}."
SUGGESTED_ALREADY = "Đối tượng này đã được gợi ý kiểm điểm năm {year}."
ANSWER_EMPTY = "Cần ghi nội dung tiếp thu, trả lời gợi ý kiểm điểm."
DEADLINE_BEFORE = "Thời hạn khắc phục phải sau ngày ghi nhận."
TEXT_NEEDED = "Cần ghi {what}."
ALREADY_DONE = "Nội dung khắc phục này đã hoàn thành ngày {day:%d/%m/%Y}."
DONE_BEFORE = "Ngày hoàn thành không được trước ngày ghi nhận ({day:%d/%m/%Y})."

RATING_NOT_OPEN = "Chưa đến kỳ kiểm điểm, xếp loại năm {year}: kết quả được ghi từ ngày {opens}."
RATING_CLOSED = (
    "Kết quả kiểm điểm, xếp loại năm {year} đã khóa sau ngày {closes}: chỉ cấp ủy cấp trên "
    "trực tiếp của tổ chức cơ sở đảng sửa được, và phải ghi lý do."
)
AMEND_REASON_NEEDED = "Sửa kết quả kiểm điểm, xếp loại năm {year} đã khóa cần ghi lý do sửa."
SELF_REVIEW = "Không tự ghi kết quả kiểm điểm, xếp loại của chính mình."
SELF_COMMITMENT = "Không tự duyệt, trả lại hoặc ghi bản cam kết của chính mình."
IMPORTED = "Nhập từ bảng tính trao đổi"
# Rows of a workbook (the wording the import has always used: the cell's address before it).
CARD_NOT_IN_REACH = "không có đảng viên số thẻ {card} trong phạm vi của bạn năm {year}"
NO_SUCH_CARD = "không có đảng viên số thẻ {card}"
NO_SUCH_UNIT = "không có đơn vị mã {code}"
NO_UNIT_IN_YEAR = "không có đơn vị mã {code} hoạt động năm {year}"
MEMBER_OUTSIDE = "đảng viên ngoài phạm vi quản lý của bạn"
UNIT_OUTSIDE = "đơn vị ngoài phạm vi quản lý của bạn"
DUPLICATE_ROW = "trùng dòng khác ({what})"
OUTCOME_INVALID = "Kết quả kiểm điểm không hợp lệ."
FULFILMENT_INVALID = "Mức thực hiện cam kết không hợp lệ."
NO_MEMBER_REVIEW_HERE = "Chưa có bản kiểm điểm năm {year} của đảng viên {card} tại đây."
NO_COLLECTIVE_REVIEW_HERE = "Chưa có bản kiểm điểm tập thể năm {year} để gắn nội dung này."
ONE_REVIEW = "Nội dung khắc phục phải gắn với một bản kiểm điểm."
ONE_SUBJECT = "Chọn một đối tượng: một tập thể hoặc một cá nhân."
NO_ISSUER_AT_LEVEL = "không tìm thấy cấp ủy cấp này quản lý đối tượng"
ISSUER_NOT_AT_LEVEL = "{code} không phải cấp ủy {level} quản lý đối tượng"
ISSUER_OUTSIDE = (
    "{issuer} ngoài phạm vi quản lý của bạn: không ghi gợi ý kiểm điểm thay cấp ủy này được."
)
SUGGESTION_NOT_YOURS = (
    "Gợi ý kiểm điểm năm {year} của đối tượng này do cấp ủy ngoài phạm vi của bạn ban hành: "
    "không sửa được."
)
REVIEW_HELD_ELSEWHERE = (
    "Bản kiểm điểm năm {year} của đảng viên này do chi bộ khác ghi, ngoài phạm vi của bạn: "
    "không sửa được."
)

SECTION_LIMIT = 4000


def check_year(year: int) -> int:
    last = timezone.localdate().year + 1
    if not FIRST_YEAR <= year <= last:
        raise DomainError(BAD_YEAR.format(year=year, first=FIRST_YEAR, last=last))
    return year


# -- rating rules --------------------------------------------------------------------------
def ensure_rules() -> None:
    """The shipped rating rules (loaded by migration; restored if a test flush took them)."""
    if not RatingScheme.objects.exists():
        from dangvu.reviews.rules import rules_sync

        rules_sync(RatingScheme, RatingGrade)


def scheme_for(year: int) -> RatingScheme:
    """The rule in force for rating the year `year` (the one valid on its 31 December)."""
    ensure_rules()
    return RatingScheme.objects.as_of(year_end(year)).get()


# -- the rating calendar: when a year's results are recorded, and when they close ----------
def rating_window(year: int) -> tuple[date, date]:
    """The first day results of `year` are recorded, and the last day before they close
    (data: the rule's `rating_opens`, `rating_closes`)."""
    return scheme_for(year).window(year)


def level_above(unit: Unit | int, year: int) -> int | None:
    """The unit above the grassroots organisation of `unit` (itself, or the nearest
    grassroots organisation above it), as the unit stood at the end of the year or last in
    it: the level that amends the year once it is closed. For a unit above the grassroots,
    its own parent; for the province, itself. None when the unit did not stand in the year."""
    unit_id = unit if isinstance(unit, int) else unit.pk
    version = (
        UnitVersion.objects.in_year(year).filter(unit_id=unit_id).order_by("-valid_from").first()
    )
    if version is None:
        return None
    ids = [int(p) for p in version.path.strip("/").split("/") if p]
    day = min(year_end(year), version.valid_to - timedelta(days=1))
    kinds = dict(
        UnitVersion.objects.as_of(day).filter(unit_id__in=ids).values_list("unit_id", "kind")
    )
    anchor = next(
        (i for i in reversed(range(len(ids))) if kinds.get(ids[i]) in GRASSROOTS_KINDS),
        len(ids) - 1,
    )
    return ids[anchor - 1] if anchor > 0 else ids[0]


def amends_closed_year(
    actor: User, unit: Unit, year: int, cap: Capability = Capability.RUN_REVIEWS
) -> bool:
    """The actor holds today, by a role in force, the level above the unit's grassroots
    organisation (`level_above`)."""
    above = level_above(unit, year)
    return above is not None and scope_for(actor).writable_units(cap).filter(pk=above).exists()


def check_rating_calendar(
    year: int,
    *,
    unit: Unit,
    actor: User | None,
    reason: str = "",
    cap: Capability = Capability.RUN_REVIEWS,
) -> bool:
    """A review or rating of `year` may be written today: not before the year's results
    open (never for a year not yet ended but in its last weeks); once they are closed, only
    by the level above, with a reason. True when the year is closed (the write is an
    amendment, traced). `actor` None is the trusted command line (the demo, a migration):
    only the opening is checked for it."""
    opens, closes = rating_window(year)
    now = today()
    if now < opens:
        raise DomainError(RATING_NOT_OPEN.format(year=year, opens=opens.strftime("%d/%m/%Y")))
    if now <= closes:
        return False
    if actor is not None:
        if not amends_closed_year(actor, unit, year, cap):
            raise DomainError(RATING_CLOSED.format(year=year, closes=closes.strftime("%d/%m/%Y")))
        if not reason.strip():
            raise DomainError(AMEND_REASON_NEEDED.format(year=year))
    return True


def parse_points(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return parse_decimal(value, low=Decimal(0), high=Decimal(100))
    except ValueError as error:  # also "NaN", which Decimal reads and no comparison takes
        raise DomainError(POINTS_RANGE) from error


def rate(year: int, grade_code: str | None, points: Decimal | None) -> RatingGrade | None:
    """The grade of `year`'s rule (`ReviewBook.rate`)."""
    return ReviewBook(reach=EVERYTHING, actor=None, reason="", whole=False).rate(
        year, grade_code, points
    )


# -- where a member belongs in a year ---------------------------------------------------------
def cells_in_year(member: Member, year: int) -> list[int]:
    """Cells the member was active in during `year`, the latest first."""
    return list(
        Membership.objects.in_year(year)
        .filter(member=member)
        .order_by("-valid_from")
        .values_list("unit_id", flat=True)
    )


def _standing(unit: Unit, year: int) -> UnitVersion:
    version = UnitVersion.objects.as_of(year_end(year)).filter(unit=unit).first()
    if version is None:
        raise DomainError(UNIT_GONE.format(unit=unit.code, year=year))
    return version


def _member_cell(member: Member, year: int, unit: Unit | None) -> Unit:
    cells = cells_in_year(member, year)
    if not cells:
        raise DomainError(NO_CELL.format(card=member.card_number, year=year))
    if unit is None:
        unit = Unit.objects.get(pk=cells[0])
    elif unit.pk not in cells:
        raise DomainError(NOT_IN_CELL.format(card=member.card_number, unit=unit.code, year=year))
    _standing(unit, year)
    return unit


# -- commitments ------------------------------------------------------------------------------
def _clean_sections(sections: Mapping[str, str]) -> dict[str, str]:
    from dangvu.reviews.models import COMMITMENT_SECTIONS

    out = {}
    for key, heading in COMMITMENT_SECTIONS:
        text = str(sections.get(key, "") or "").strip().replace("\r\n", "\n")
        if len(text) > SECTION_LIMIT:
            raise DomainError(SECTION_TOO_LONG.format(heading=heading, limit=SECTION_LIMIT))
        out[key] = text
    return out


def _require_complete(sections: Mapping[str, str]) -> None:
    from dangvu.reviews.models import COMMITMENT_SECTIONS

    empty = [heading for key, heading in COMMITMENT_SECTIONS if not sections.get(key)]
    if empty:
        raise DomainError(EMPTY_COMMITMENT.format(sections="; ".join(empty)))


def commitment_start(*, member: Member, year: int) -> Commitment:
    """This year's commitment, begun from last year's text when there is one."""
    check_year(year)
    found = Commitment.objects.filter(member=member, year=year).first()
    if found is not None:
        return found
    unit = _member_cell(member, year, None)
    last = Commitment.objects.filter(member=member, year__lt=year).order_by("-year").first()
    sections = dict(last.sections) if last else {k: "" for k in SECTION_KEYS}
    return Commitment.objects.create(member=member, year=year, unit=unit, sections=sections)


@transaction.atomic
def commitment_save(
    *, commitment: Commitment, sections: Mapping[str, str], submit: bool = False
) -> Commitment:
    """The member's own edit (a draft, or a commitment the cell returned); `submit` sends it."""
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if commitment.status not in (CommitmentStatus.DRAFT, CommitmentStatus.RETURNED):
        raise DomainError(NOT_EDITABLE)
    clean = _clean_sections(sections)
    if submit:
        _require_complete(clean)
        commitment.status = CommitmentStatus.SUBMITTED
        commitment.submitted_at = timezone.now()
    commitment.sections = clean
    commitment.save()
    return commitment


@transaction.atomic
def commitment_save_own(
    *,
    member: Member,
    year: int,
    commitment: Commitment | None,
    sections: Mapping[str, str],
    submit: bool = False,
) -> Commitment:
    """The member's own commitment of the year, begun if need be: a refused first sending
    leaves no draft behind."""
    started = commitment or commitment_start(member=member, year=year)
    return commitment_save(commitment=started, sections=sections, submit=submit)


@transaction.atomic
def commitment_return(
    *, commitment: Commitment, comments: Mapping[str, str], actor: User | None
) -> Commitment:
    """The cell's comments, section by section (key "" for the whole): back to the member."""
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    _not_oneself(actor, commitment.member_id, SELF_COMMITMENT)
    if commitment.status != CommitmentStatus.SUBMITTED:
        raise DomainError(NOT_SUBMITTED)
    texts = {k: str(v).strip() for k, v in comments.items() if str(v or "").strip()}
    if not texts:
        raise DomainError(TEXT_NEEDED.format(what="ý kiến góp ý"))
    for key, text in texts.items():
        CommitmentComment.objects.create(
            commitment=commitment,
            author=actor,
            section=key if key in SECTION_KEYS else "",
            text=text,
        )
    commitment.status = CommitmentStatus.RETURNED
    commitment.save(update_fields=["status", "updated_at"])
    return commitment


@transaction.atomic
def commitment_comment(
    *, commitment: Commitment, section: str, text: str, actor: User | None
) -> CommitmentComment:
    """A comment on a commitment sent to the cell, by a member of the cell (tham gia ý kiến):
    the member reads it; the status does not change."""
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if commitment.status != CommitmentStatus.SUBMITTED:
        raise DomainError(NOT_OPEN_FOR_COMMENTS)
    if not text.strip():
        raise DomainError(TEXT_NEEDED.format(what="ý kiến góp ý"))
    if len(text) > SECTION_LIMIT:
        raise DomainError(COMMENT_TOO_LONG.format(limit=SECTION_LIMIT))
    return CommitmentComment.objects.create(
        commitment=commitment,
        author=actor,
        section=section if section in SECTION_KEYS else "",
        text=text.strip(),
    )


def _counted_on(year: int, day: date) -> date:
    return min(max(day, date(year, 1, 1)), year_end(year))


@transaction.atomic
def commitment_approve(
    *, commitment: Commitment, actor: User | None, on: date | None = None
) -> Commitment:
    """Approved by the cell, and so published to the cell's members (never by its author)."""
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    _not_oneself(actor, commitment.member_id, SELF_COMMITMENT)
    if commitment.status != CommitmentStatus.SUBMITTED:
        raise DomainError(NOT_SUBMITTED)
    _require_complete(commitment.sections)
    day = on or timezone.localdate()
    commitment.status = CommitmentStatus.APPROVED
    commitment.approved_on, commitment.approved_by = day, actor
    commitment.counted_on = _counted_on(commitment.year, day)
    commitment.save()
    return commitment


@transaction.atomic
def commitment_record_paper(
    *,
    member: Member,
    year: int,
    sections: Mapping[str, str],
    signed_on: date,
    actor: User | None,
    unit: Unit | None = None,
) -> Commitment:
    """A commitment signed on paper, entered by staff: approved as signed (in `unit`, which
    must be a cell the member was in that year; by default the last one)."""
    check_year(year)
    _not_oneself(actor, member.pk, SELF_COMMITMENT)
    clean = _clean_sections(sections)
    if not any(clean.values()):
        clean = {k: "(Bản giấy lưu tại chi bộ)" for k in SECTION_KEYS}
    unit = _member_cell(member, year, unit)
    found = Commitment.objects.select_for_update().filter(member=member, year=year).first()
    if found is not None and found.is_approved:
        raise DomainError(NOT_EDITABLE)
    commitment = found or Commitment(member=member, year=year, unit=unit)
    commitment.sections = {k: clean[k] or "(Bản giấy lưu tại chi bộ)" for k in SECTION_KEYS}
    commitment.status = CommitmentStatus.APPROVED
    commitment.on_paper = True
    commitment.approved_on, commitment.approved_by = signed_on, actor
    commitment.counted_on = _counted_on(year, signed_on)
    commitment.save()
    return commitment


@dataclass(frozen=True)
class ApprovedCommitment:
    """A commitment approved by its cell (the demo's past years): the sections as signed."""

    member_id: int
    year: int
    unit_id: int
    sections: Mapping[str, str]
    approved_on: date
    submitted_at: datetime | None = None


def commitments_approved_bulk(
    *, rows: Sequence[ApprovedCommitment], book: ReviewBook | None = None
) -> int:
    """Approved commitments at once, by the rules of a commitment (each section within its
    limit, none empty, the member in the cell that year): a recorded commitment of the
    member's year is replaced. A refused row raises before anything is written."""
    book = book or ReviewBook(reach=EVERYTHING, actor=None, reason="", whole=True)
    checked = []
    for row in rows:
        check_year(row.year)
        sections = _clean_sections(row.sections)
        _require_complete(sections)
        if row.unit_id not in book.cells(row.member_id, row.year):
            unit = _code_of(row.unit_id)
            raise DomainError(NOT_IN_CELL.format(card=row.member_id, unit=unit, year=row.year))
        checked.append(replace(row, sections=sections))
    recorded = {
        (member, year): pk
        for member, year, pk in Commitment.objects.filter(
            year__in={r.year for r in rows}
        ).values_list("member_id", "year", "pk")
    }
    now = timezone.now()
    values = [
        (
            r.unit_id,
            r.sections,
            CommitmentStatus.APPROVED,
            r.approved_on,
            _counted_on(r.year, r.approved_on),
            False,
            r.submitted_at,
            r.submitted_at or now,
        )
        for r in checked
    ]
    keys = [(r.member_id, r.year) for r in checked]
    new = [(r, v) for r, v, k in zip(checked, values, keys, strict=True) if k not in recorded]
    ids = iter(next_ids(Commitment, len(new)))
    insert_rows(
        Commitment,
        ["id", "member", "year", *COMMITMENT_WRITTEN],
        [(next(ids), r.member_id, r.year, *v) for r, v in new],
    )
    update_rows(
        Commitment,
        COMMITMENT_WRITTEN,
        [(recorded[k], *v) for v, k in zip(values, keys, strict=True) if k in recorded],
    )
    return len(checked)


COMMITMENT_WRITTEN = (
    "unit",
    "sections",
    "status",
    "approved_on",
    "counted_on",
    "on_paper",
    "submitted_at",
    "updated_at",
)


# -- the reach of a write, and what the review rules read ------------------------------------
class Reach:
    """The units a writer writes today: the ids an importer writes, or (a page) the actor's
    scope asked unit by unit. `everything`: the trusted command line and the demo, which
    write a closed year without being the level above."""

    def __init__(
        self,
        *,
        ids: frozenset[int] | None = None,
        actor: User | None = None,
        cap: Capability = Capability.RUN_REVIEWS,
    ) -> None:
        self.ids, self.actor, self.cap = ids, actor, cap
        self.everything = ids is None and actor is None
        self._asked: dict[int, bool] = {}

    def __contains__(self, unit_id: object) -> bool:
        if self.everything:
            return True
        if self.ids is not None:
            return unit_id in self.ids
        if not isinstance(unit_id, int):
            return False
        if unit_id not in self._asked:
            assert self.actor is not None
            writable = scope_for(self.actor).writable_units(self.cap)
            self._asked[unit_id] = writable.filter(pk=unit_id).exists()
        return self._asked[unit_id]


EVERYTHING = Reach()


class RowError(DomainError):
    """A refusal naming the field of the row it is about (a workbook maps it to a column)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Problem:
    """A row a bulk service refused: its index in the rows given, the field, the message."""

    index: int
    field: str
    message: str


@dataclass
class BulkResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    ids: dict[Any, int] = field(default_factory=dict)  # each row's key → its record


class ReviewBook:
    """What the rules of reviews read, read once per write: for one record by small
    queries; for many (`whole`) by one scan of each table."""

    def __init__(self, *, reach: Reach, actor: User | None, reason: str, whole: bool) -> None:
        self.reach, self.actor, self.reason, self.whole = reach, actor, reason, whole
        self.now = today()
        self._rules: dict[int, tuple[RatingScheme, list[RatingGrade]]] = {}
        self._standing: dict[int, dict[int, UnitVersion]] = {}
        self._windows: dict[int, tuple[date, date]] = {}
        self._above: dict[tuple[int, int], int | None] = {}
        self._spans: dict[int, list[tuple[int, date, date]]] | None = None
        self._cards: dict[str, tuple[int, bool]] | None = None
        self._codes: dict[str, int] | None = None
        self._levels: dict[int, str] | None = None

    # -- the rule and the calendar of a year
    def rule(self, year: int) -> tuple[RatingScheme, list[RatingGrade]]:
        if year not in self._rules:
            scheme = scheme_for(year)
            self._rules[year] = (scheme, sorted(scheme.grades.all(), key=lambda g: g.rank))
        return self._rules[year]

    def rate(self, year: int, grade_code: str | None, points: Decimal | None) -> RatingGrade | None:
        """The grade of `year`'s rule: from the points under a points rule (a grade given
        as well must agree), from the grade code otherwise. None when nothing is given."""
        scheme, grades = self.rule(year)
        given = None
        if grade_code:
            given = next((g for g in grades if g.code == grade_code), None)
            if given is None:
                raise RowError(UNKNOWN_GRADE.format(grade=grade_code, scheme=scheme.code), "grade")
        if not scheme.uses_points:
            if points is not None:
                raise RowError(POINTS_NOT_USED.format(year=year, scheme=scheme.code), "grade")
            return given
        if points is None:
            return given  # a grade decided without its points (imported, historical)
        expected = next(g for g in grades if g.min_points is None or points >= g.min_points)
        if given is not None and given != expected:
            raise RowError(
                POINTS_DISAGREE.format(
                    points=format_number(float(points)),
                    expected=expected.label,
                    scheme=scheme.code,
                    given=given.label,
                ),
                "grade",
            )
        return expected

    def window(self, year: int) -> tuple[date, date]:
        if year not in self._windows:
            self._windows[year] = self.rule(year)[0].window(year)
        return self._windows[year]

    def closed(self, year: int) -> bool:
        return self.now > self.window(year)[1]

    def calendar(self, year: int, unit_id: int) -> bool:
        """Not before the year's results open; once closed, only by the level above, with
        a reason. True when the year is closed (the write is an amendment, traced)."""
        opens, closes = self.window(year)
        if self.now < opens:
            raise RowError(
                RATING_NOT_OPEN.format(year=year, opens=opens.strftime("%d/%m/%Y")), "year"
            )
        if self.now <= closes:
            return False
        if not self.reach.everything:
            if (unit_id, year) not in self._above:
                self._above[(unit_id, year)] = level_above(unit_id, year)
            if self._above[(unit_id, year)] not in self.reach:
                raise RowError(
                    RATING_CLOSED.format(year=year, closes=closes.strftime("%d/%m/%Y")), "year"
                )
            if not self.reason.strip():
                raise RowError(AMEND_REASON_NEEDED.format(year=year), "year")
        return True

    # -- the units and members
    def standing(self, unit_id: int, year: int) -> UnitVersion | None:
        """The unit as it stood on 31 December of the year."""
        if year not in self._standing:
            self._standing[year] = {}
            if self.whole:
                self._standing[year] = {
                    v.unit_id: v for v in UnitVersion.objects.as_of(year_end(year))
                }
        known = self._standing[year]
        if unit_id not in known and not self.whole:
            found = UnitVersion.objects.as_of(year_end(year)).filter(unit_id=unit_id).first()
            if found is not None:
                known[unit_id] = found
        return known.get(unit_id)

    def unit_id(self, code: str) -> int | None:
        if self._codes is None:
            self._codes = {}
            if self.whole:
                self._codes = dict(Unit.objects.values_list("code", "pk"))
        if code not in self._codes and not self.whole:
            found = Unit.objects.filter(code=code).values_list("pk", flat=True).first()
            if found is not None:
                self._codes[code] = found
        return self._codes.get(code)

    def member(self, card: str) -> tuple[int, bool] | None:
        """(id, flagged exempt from activities) of the card's member."""
        if self._cards is None:
            self._cards = {}
            if self.whole:
                # Whole tables, not IN lists: a province's sheet names more members than
                # SQLite takes parameters in one statement; one scan is fast.
                self._cards = {
                    c: (pk, exempt)
                    for c, pk, exempt in Member.objects.values_list(
                        "card_number", "pk", "is_exempt"
                    )
                }
        if card not in self._cards and not self.whole:
            found = Member.objects.filter(card_number=card).values_list("pk", "is_exempt").first()
            if found is not None:
                self._cards[card] = found
        return self._cards.get(card)

    def management_level(self, member_id: int) -> str:
        """The member's management level ("" when none is recorded)."""
        if self._levels is None:
            self._levels = {}
            if self.whole:
                self._levels = dict(
                    Member.objects.exclude(management_level="").values_list(
                        "pk", "management_level"
                    )
                )
        if member_id not in self._levels and not self.whole:
            self._levels[member_id] = (
                Member.objects.filter(pk=member_id)
                .values_list("management_level", flat=True)
                .first()
                or ""
            )
        return self._levels.get(member_id, "")

    def cells(self, member_id: int, year: int) -> list[int]:
        """The cells the member stood in during the year, the latest first."""
        if self._spans is None:
            self._spans = defaultdict(list)
        fresh = not self._spans if self.whole else member_id not in self._spans
        if fresh:
            memberships = Membership.objects.all()
            if not self.whole:
                memberships = memberships.filter(member_id=member_id)
                self._spans[member_id] = []
            for member, unit, start, stop in memberships.values_list(
                "member_id", "unit_id", "valid_from", "valid_to"
            ):
                self._spans[member].append((unit, start, stop))
        first, after = year_bounds(year)
        spans = [(s, u) for u, s, e in self._spans.get(member_id, ()) if s < after and e > first]
        return [u for _, u in sorted(spans, reverse=True)]

    def in_reach(self, units: Iterable[int]) -> bool:
        return any(u in self.reach for u in units)


def _not_oneself(actor: User | None, member_id: int, message: str) -> None:
    """A member decides nothing on their own record."""
    if actor is not None and actor.member_id is not None and actor.member_id == member_id:
        raise RowError(message, "card_number")


# -- member reviews ---------------------------------------------------------------------------
@dataclass(frozen=True)
class MemberReviewSpec:
    member: Member
    year: int
    outcome: str
    unit: Unit | None = None
    exempt_reason: str = ""
    grade: str = ""
    points: Decimal | None = None
    held_on: date | None = None
    self_review: str = ""
    fulfilment: str = ""


@dataclass(frozen=True)
class MemberReviewRow:
    """A member's review as a workbook or the demo gives it. The member by card number or
    id; the cell by code or id (neither: the last cell of the year). `exempt_reason` None:
    the default (exempt from activities when flagged so, else another reason). The fields
    None after it are not given: kept as recorded (empty when new)."""

    year: int
    outcome: str
    card_number: str = ""
    member_id: int | None = None
    cell_code: str = ""
    cell_id: int | None = None
    exempt_reason: str | None = ""
    grade: str = ""
    points: Decimal | None = None
    held_on: date | None = None
    self_review: str | None = ""
    fulfilment: str | None = ""

    @classmethod
    def of(cls, spec: MemberReviewSpec) -> MemberReviewRow:
        return cls(
            year=spec.year,
            outcome=spec.outcome,
            card_number=spec.member.card_number,
            member_id=spec.member.pk,
            cell_id=spec.unit.pk if spec.unit is not None else None,
            exempt_reason=spec.exempt_reason,
            grade=spec.grade,
            points=spec.points,
            held_on=spec.held_on,
            self_review=spec.self_review,
            fulfilment=spec.fulfilment,
        )


class ReviewValues(NamedTuple):
    """What a member's review records (compared before a write: an unchanged row writes
    nothing and passes whatever the calendar)."""

    unit: int
    outcome: str
    exempt_reason: str
    grade: int | None
    points: Decimal | None
    held_on: date | None
    self_review: str
    fulfilment: str

    def plain(self) -> dict[str, Any]:
        return {k: _plain_value(v) for k, v in self._asdict().items()}


REVIEW_COLUMNS = tuple(ReviewValues._fields)


def _plain_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _quantized(points: Decimal | None) -> Decimal | None:
    return None if points is None else Decimal(points).quantize(Decimal("0.01"))


Recorded = tuple[int, ReviewValues]  # a recorded review: its id and what it records


class CheckedReview(NamedTuple):
    member_id: int
    year: int
    values: ReviewValues
    before: ReviewValues | None
    before_pk: int | None
    closed: bool


def _review_member(row: MemberReviewRow, book: ReviewBook) -> tuple[int, bool, list[int]]:
    """The row's member, told only when the writer reaches one of the member's cells in
    the year: a card outside it and a card that does not exist are said alike."""
    card = row.card_number
    found = book.member(card) if row.member_id is None else (row.member_id, False)
    cells = book.cells(found[0], row.year) if found else []
    if not book.reach.everything and not book.in_reach(cells):
        raise RowError(CARD_NOT_IN_REACH.format(card=card, year=row.year), "card_number")
    if found is None:
        raise RowError(NO_SUCH_CARD.format(card=card), "card_number")
    return found[0], found[1], cells


def _review_cell(row: MemberReviewRow, cells: list[int], book: ReviewBook) -> int:
    card, year = row.card_number, row.year
    if not cells:
        raise RowError(NO_CELL.format(card=card, year=year), "card_number")
    if row.cell_code:
        unit_id = book.unit_id(row.cell_code)
    else:
        unit_id = cells[0] if row.cell_id is None else row.cell_id
    if unit_id is None or unit_id not in cells:
        unit = row.cell_code or _code_of(unit_id)
        raise RowError(NOT_IN_CELL.format(card=card, unit=unit, year=year), "cell_code")
    version = book.standing(unit_id, year)
    if version is None or version.kind not in CELL_KINDS:
        raise RowError(UNIT_GONE.format(unit=_code_of(unit_id), year=year), "year")
    if unit_id not in book.reach:
        raise RowError(MEMBER_OUTSIDE, "card_number")
    return unit_id


def _code_of(unit_id: int | None) -> str:
    if unit_id is None:
        return ""
    return Unit.objects.filter(pk=unit_id).values_list("code", flat=True).first() or ""


def _review_outcome(row: MemberReviewRow, flagged: bool) -> str:
    """The exemption reason, after the outcome's own checks."""
    if row.outcome not in ReviewOutcome.values:
        raise RowError(OUTCOME_INVALID, "outcome")
    reason = row.exempt_reason
    if row.outcome == ReviewOutcome.EXEMPT:
        if reason is None:
            reason = ExemptReason.ACTIVITIES_EXEMPT if flagged else ExemptReason.OTHER
        if reason not in ExemptReason.values:
            raise RowError(REASON_NEEDED, "exempt_reason")
        if row.grade or row.points is not None:
            raise RowError(EXEMPT_NOT_RATED, "grade")
    elif reason:
        raise RowError(REASON_ONLY_EXEMPT, "exempt_reason")
    if row.fulfilment and row.fulfilment not in Fulfilment.values:
        raise RowError(FULFILMENT_INVALID, "fulfilment")
    return str(reason or "")


def check_review_row(
    row: MemberReviewRow, book: ReviewBook, recorded: Recorded | None = None
) -> CheckedReview | None:
    """THE rules of a member's review, for a page and a workbook alike; None when the row
    changes nothing recorded. `recorded`: the member's review of the year (with its id)."""
    check_year(row.year)
    member_id, flagged, cells = _review_member(row, book)
    _not_oneself(book.actor, member_id, SELF_REVIEW)
    reason = _review_outcome(row, flagged)
    unit_id = _review_cell(row, cells, book)
    grade = book.rate(row.year, row.grade or None, _quantized(row.points))
    before_pk, before = recorded or (None, None)
    kept = before or ReviewValues(unit_id, "", "", None, None, None, "", "")
    values = ReviewValues(
        unit=unit_id,
        outcome=str(row.outcome),
        exempt_reason=reason,
        grade=grade.pk if grade else None,
        points=_quantized(row.points),
        held_on=row.held_on if row.held_on is not None or before is None else kept.held_on,
        self_review=kept.self_review if row.self_review is None else row.self_review,
        fulfilment=kept.fulfilment if row.fulfilment is None else row.fulfilment,
    )
    if before is not None and before == values:
        return None
    if before is not None and before.unit not in book.reach:
        # The review is held by another cell (the member moved in the year): its writer's.
        raise RowError(REVIEW_HELD_ELSEWHERE.format(year=row.year), "card_number")
    closed = book.calendar(row.year, unit_id)
    return CheckedReview(member_id, row.year, values, before, before_pk, closed)


def _review_values(review: MemberReview) -> ReviewValues:
    return ReviewValues(
        unit=review.unit_id,
        outcome=review.outcome,
        exempt_reason=review.exempt_reason,
        grade=review.grade_id,
        points=_quantized(review.points),
        held_on=review.held_on,
        self_review=review.self_review,
        fulfilment=review.fulfilment,
    )


def check_member_review(
    spec: MemberReviewSpec, *, actor: User | None = None, reason: str = ""
) -> tuple[Unit, RatingGrade | None]:
    """Every check of a member's review before it is written (the cell's page checks all
    rows with it first). A row that changes nothing recorded passes whatever the calendar:
    a closed year's page may be sent again unchanged."""
    book = ReviewBook(reach=_reach_of(actor), actor=actor, reason=reason, whole=False)
    found = MemberReview.objects.filter(member=spec.member, year=spec.year).first()
    recorded = (found.pk, _review_values(found)) if found else None
    checked = check_review_row(MemberReviewRow.of(spec), book, recorded)
    values = checked.values if checked else recorded[1]  # type: ignore[index]
    unit = spec.unit if spec.unit is not None else Unit.objects.get(pk=values.unit)
    grade = RatingGrade.objects.get(pk=values.grade) if values.grade else None
    return unit, grade


def _reach_of(actor: User | None) -> Reach:
    return EVERYTHING if actor is None else Reach(actor=actor)


@transaction.atomic
def member_review_save(
    *, spec: MemberReviewSpec, actor: User | None = None, reason: str = ""
) -> MemberReview:
    """Record (or correct) a member's review of the year, with the rating if decided. Not
    one's own; not before the year's results open; once they are closed, only by the level
    above with a reason, kept as a `RatingAmendment` beside the audit trail's entry."""
    book = ReviewBook(reach=_reach_of(actor), actor=actor, reason=reason, whole=False)
    found = MemberReview.objects.select_for_update().filter(member=spec.member, year=spec.year)
    before = found.first()
    recorded = (before.pk, _review_values(before)) if before else None
    checked = check_review_row(MemberReviewRow.of(spec), book, recorded)
    if checked is None:
        assert before is not None
        return before
    values = checked.values
    review, _ = MemberReview.objects.update_or_create(
        member=spec.member,
        year=spec.year,
        defaults={
            **{f: getattr(values, f) for f in REVIEW_COLUMNS if f not in ("unit", "grade")},
            "unit_id": values.unit,
            "grade_id": values.grade,
            "points": spec.points,
            "year_end": year_end(spec.year),
            "recorded_by": actor,
        },
    )
    if checked.closed and (actor is not None or reason.strip()):
        RatingAmendment.objects.create(
            year=spec.year,
            member_review=review,
            reason=reason.strip() or IMPORTED,
            before=recorded[1].plain() if recorded else {},
            after=values.plain(),
            amended_by=actor,
        )
    return review


def member_reviews_save_bulk(
    *,
    rows: Sequence[MemberReviewRow],
    actor: User | None,
    reach: Reach,
    reason: str = "",
    note: str = "",
    check_only: bool = False,
    book: ReviewBook | None = None,
) -> BulkResult:
    """Many members' reviews at once (a workbook, the demo), by the rules of
    `check_review_row`: every row is checked first, and one refused row writes nothing.
    A closed year's change by an actor is traced (`RatingAmendment`, the reason); with a
    `note` every change is entered in the audit trail."""
    book = book or ReviewBook(reach=reach, actor=actor, reason=reason, whole=True)
    recorded = _recorded_reviews({r.year for r in rows})
    result, checked, seen = BulkResult(), [], set()
    for index, row in enumerate(rows):
        try:
            member = row.member_id or (book.member(row.card_number) or (0,))[0]
            if member and (member, row.year) in seen:
                raise RowError(DUPLICATE_ROW.format(what="cùng năm, cùng đảng viên"), "card_number")
            seen.add((member, row.year))
            found = check_review_row(row, book, recorded.get((member, row.year)))
        except RowError as error:
            result.problems.append(Problem(index, error.field, error.message))
            continue
        except DomainError as error:
            result.problems.append(Problem(index, "year", error.message))
            continue
        if found is None:
            result.unchanged += 1
        else:
            checked.append(found)
    if result.problems or check_only:
        return result
    _write_reviews(checked, actor=actor, reason=reason, note=note, result=result)
    return result


def _recorded_reviews(years: set[int]) -> dict[tuple[int, int], Recorded]:
    columns = [f"{f}_id" if f in ("unit", "grade") else f for f in REVIEW_COLUMNS]
    rows = MemberReview.objects.filter(year__in=years).values_list(
        "pk", "member_id", "year", *columns
    )
    return {
        (member, year): (
            pk,
            ReviewValues(unit, outcome, reason, grade, _quantized(points), held, own, fulfilment),
        )
        for pk, member, year, unit, outcome, reason, grade, points, held, own, fulfilment in rows
    }


def _write_reviews(
    checked: list[CheckedReview], *, actor: User | None, reason: str, note: str, result: BulkResult
) -> None:
    """Insert the new reviews and update the changed ones in bulk, with their traces."""
    new = [c for c in checked if c.before_pk is None]
    changed = [c for c in checked if c.before_pk is not None]
    ids = dict(
        zip(((c.member_id, c.year) for c in new), next_ids(MemberReview, len(new)), strict=True)
    )
    fields = [
        "unit",
        "outcome",
        "exempt_reason",
        "grade",
        "points",
        "held_on",
        "self_review",
        "fulfilment",
        "year_end",
        "recorded_by",
    ]
    insert_rows(
        MemberReview,
        ["id", "member", "year", *fields],
        [
            (
                ids[(c.member_id, c.year)],
                c.member_id,
                c.year,
                *c.values,
                year_end(c.year),
                actor.pk if actor else None,
            )
            for c in new
        ],
    )
    update_rows(
        MemberReview,
        fields,
        [(c.before_pk, *c.values, year_end(c.year), actor.pk if actor else None) for c in changed],
    )
    pk = {(c.member_id, c.year): c.before_pk or ids[(c.member_id, c.year)] for c in checked}
    _amendments(
        [
            RatingAmendment(
                year=c.year,
                member_review_id=pk[(c.member_id, c.year)],
                before=c.before.plain() if c.before else {},
                after=c.values.plain(),
            )
            for c in checked
            if c.closed
        ],
        actor=actor,
        reason=reason,
    )
    if note:
        _audit(
            MemberReview,
            [
                (
                    MemberReview(pk=pk[(c.member_id, c.year)], member_id=c.member_id, year=c.year),
                    c.before and c.values,
                    c.before,
                )
                for c in checked
            ],
            actor=actor,
            note=note,
        )
    result.created, result.updated = len(new), len(changed)
    result.ids = pk


def _audit(
    model: type[models.Model],
    changes: list[tuple[models.Model, tuple[Any, ...] | None, tuple[Any, ...] | None]],
    *,
    actor: User | None,
    note: str,
) -> None:
    """Audit entries of a bulk write (the signals of django-auditlog do not see it): the
    created, and the changed with their changed fields."""
    created = [(obj, None) for obj, _, before in changes if before is None]
    updated = [(obj, _diff(before, after)) for obj, after, before in changes if before is not None]
    log_bulk(model, created, actor=actor, created=True, note=note)
    log_bulk(model, updated, actor=actor, created=False, note=note)


def _diff(before: Any, after: Any) -> dict[str, list[Any]]:
    old, new = before._asdict(), after._asdict()
    return {k: [_plain_value(old[k]), _plain_value(new[k])] for k in new if old.get(k) != new[k]}


class RowsRefused(DomainError):
    """Rows of a page refused together: each member with the message."""

    def __init__(self, errors: list[tuple[Member, str]]) -> None:
        super().__init__("; ".join(message for _, message in errors))
        self.errors = errors


def cell_reviews_save(
    *,
    rows: Sequence[tuple[Member, MemberReviewSpec | DomainError]],
    actor: User | None,
    reason: str = "",
) -> int:
    """A cell's reviews of the year in one go (each row: the spec, or why its form was
    refused): every row is checked first; one bad row and nothing is saved, `RowsRefused`
    lists every bad row."""
    errors: list[tuple[Member, str]] = []
    for member, spec in rows:
        try:
            if isinstance(spec, DomainError):
                raise spec
            check_member_review(spec, actor=actor, reason=reason)
        except DomainError as error:
            errors.append((member, error.message))
    if errors:
        raise RowsRefused(errors)
    with transaction.atomic():
        for _, spec in rows:
            assert isinstance(spec, MemberReviewSpec)
            member_review_save(spec=spec, actor=actor, reason=reason)
    return len(rows)


def year_closed(year: int) -> bool:
    """The results of `year` are closed today (amended only by the level above)."""
    return today() > rating_window(year)[1]


# -- collective reviews ---------------------------------------------------------------------
def collectives_of(kind: str) -> list[str]:
    """The collectives a unit of this kind has."""
    if kind in CELL_KINDS:
        return [CollectiveKind.CELL]
    if kind == UnitKind.PARTIAL_COMMITTEE:
        return [CollectiveKind.COMMITTEE]
    if kind == UnitKind.GRASSROOTS_COMMITTEE:
        return [CollectiveKind.COMMITTEE, CollectiveKind.STANDING, CollectiveKind.LEADERSHIP]
    return [CollectiveKind.COMMITTEE, CollectiveKind.STANDING, CollectiveKind.LEADERSHIP]


@dataclass(frozen=True)
class CollectiveReviewSpec:
    unit: Unit
    year: int
    collective: str
    grade: str = ""
    points: Decimal | None = None
    held_on: date | None = None
    summary: str = ""


@dataclass(frozen=True)
class CollectiveReviewRow:
    """A collective's review as a workbook or the demo gives it: the unit by code or id.
    `held_on` and `summary` None: not given, kept as recorded (empty when new)."""

    year: int
    collective: str
    unit_code: str = ""
    unit_id: int | None = None
    grade: str = ""
    points: Decimal | None = None
    held_on: date | None = None
    summary: str | None = ""

    @classmethod
    def of(cls, spec: CollectiveReviewSpec) -> CollectiveReviewRow:
        return cls(
            year=spec.year,
            collective=spec.collective,
            unit_code=spec.unit.code,
            unit_id=spec.unit.pk,
            grade=spec.grade,
            points=spec.points,
            held_on=spec.held_on,
            summary=spec.summary,
        )


class CollectiveValues(NamedTuple):
    grade: int | None
    points: Decimal | None
    held_on: date | None
    summary: str

    def plain(self) -> dict[str, Any]:
        return {k: _plain_value(v) for k, v in self._asdict().items()}


RecordedCollective = tuple[int, CollectiveValues]


class CheckedCollective(NamedTuple):
    unit_id: int
    year: int
    collective: str
    values: CollectiveValues
    before: CollectiveValues | None
    before_pk: int | None
    closed: bool

    @property
    def key(self) -> tuple[int, int, str]:
        return (self.unit_id, self.year, self.collective)


def _collective_unit(row: CollectiveReviewRow, book: ReviewBook) -> tuple[int, UnitVersion]:
    unit_id = row.unit_id if row.unit_id is not None else book.unit_id(row.unit_code)
    if unit_id is None:
        raise RowError(NO_SUCH_UNIT.format(code=row.unit_code), "unit_code")
    if unit_id not in book.reach:
        raise RowError(UNIT_OUTSIDE, "unit_code")
    version = book.standing(unit_id, row.year)
    if version is None:
        raise RowError(UNIT_GONE.format(unit=row.unit_code, year=row.year), "unit_code")
    if row.collective not in collectives_of(version.kind):
        raise RowError(
            COLLECTIVE_NOT_HERE.format(
                collective=CollectiveKind(row.collective).label
                if row.collective in CollectiveKind.values
                else row.collective,
                unit=version.name,
                kind=version.get_kind_display(),
            ),
            "collective",
        )
    return unit_id, version


def check_collective_row(
    row: CollectiveReviewRow, book: ReviewBook, recorded: RecordedCollective | None = None
) -> CheckedCollective | None:
    """THE rules of a collective's review, for a page and a workbook alike; None when the
    row changes nothing recorded. `recorded`: the collective's review of the year."""
    check_year(row.year)
    unit_id, _ = _collective_unit(row, book)
    grade = book.rate(row.year, row.grade or None, _quantized(row.points))
    before_pk, before = recorded or (None, None)
    values = CollectiveValues(
        grade=grade.pk if grade else None,
        points=_quantized(row.points),
        held_on=row.held_on if row.held_on is not None or before is None else before.held_on,
        summary=(before.summary if before else "") if row.summary is None else row.summary,
    )
    if before is not None and before == values:
        return None
    closed = book.calendar(row.year, unit_id)
    return CheckedCollective(unit_id, row.year, row.collective, values, before, before_pk, closed)


def _collective_values(review: CollectiveReview) -> CollectiveValues:
    return CollectiveValues(
        grade=review.grade_id,
        points=_quantized(review.points),
        held_on=review.held_on,
        summary=review.summary,
    )


def check_collective_review(
    spec: CollectiveReviewSpec, *, actor: User | None = None, reason: str = ""
) -> RatingGrade | None:
    book = ReviewBook(reach=_reach_of(actor), actor=actor, reason=reason, whole=False)
    found = CollectiveReview.objects.filter(
        unit=spec.unit, year=spec.year, collective=spec.collective
    ).first()
    recorded = (found.pk, _collective_values(found)) if found else None
    checked = check_collective_row(CollectiveReviewRow.of(spec), book, recorded)
    values = checked.values if checked else recorded[1]  # type: ignore[index]
    return RatingGrade.objects.get(pk=values.grade) if values.grade else None


@transaction.atomic
def collective_review_save(
    *, spec: CollectiveReviewSpec, actor: User | None = None, reason: str = ""
) -> CollectiveReview:
    """Record (or correct) a collective's review of the year: the same calendar as a
    member's (a closed year: the level above, with a reason, traced)."""
    book = ReviewBook(reach=_reach_of(actor), actor=actor, reason=reason, whole=False)
    before = (
        CollectiveReview.objects.select_for_update()
        .filter(unit=spec.unit, year=spec.year, collective=spec.collective)
        .first()
    )
    recorded = (before.pk, _collective_values(before)) if before else None
    checked = check_collective_row(CollectiveReviewRow.of(spec), book, recorded)
    if checked is None:
        assert before is not None
        return before
    values = checked.values
    review, _ = CollectiveReview.objects.update_or_create(
        unit=spec.unit,
        year=spec.year,
        collective=spec.collective,
        defaults={
            "grade_id": values.grade,
            "points": spec.points,
            "held_on": values.held_on,
            "summary": values.summary,
            "year_end": year_end(spec.year),
            "recorded_by": actor,
        },
    )
    if checked.closed and (actor is not None or reason.strip()):
        RatingAmendment.objects.create(
            year=spec.year,
            collective_review=review,
            reason=reason.strip() or IMPORTED,
            before=recorded[1].plain() if recorded else {},
            after=values.plain(),
            amended_by=actor,
        )
    return review


def collective_reviews_save_bulk(
    *,
    rows: Sequence[CollectiveReviewRow],
    actor: User | None,
    reach: Reach,
    reason: str = "",
    note: str = "",
    check_only: bool = False,
    book: ReviewBook | None = None,
) -> BulkResult:
    """Many collectives' reviews at once (a workbook, the demo), by the rules of
    `check_collective_row`; one refused row writes nothing. Traces and audit entries as
    `member_reviews_save_bulk`. `ids` of the result: (unit, year, collective) → review."""
    book = book or ReviewBook(reach=reach, actor=actor, reason=reason, whole=True)
    recorded = _recorded_collectives({r.year for r in rows})
    result, checked, seen = BulkResult(), [], set()
    for index, row in enumerate(rows):
        try:
            key = (row.unit_id or book.unit_id(row.unit_code), row.year, row.collective)
            if key[0] is not None and key in seen:
                what = "cùng năm, đơn vị, tập thể"
                raise RowError(DUPLICATE_ROW.format(what=what), "unit_code")
            seen.add(key)
            found = check_collective_row(row, book, recorded.get(key))  # type: ignore[arg-type]
        except RowError as error:
            result.problems.append(Problem(index, error.field, error.message))
            continue
        except DomainError as error:
            result.problems.append(Problem(index, "year", error.message))
            continue
        if found is None:
            result.unchanged += 1
        else:
            checked.append(found)
    if result.problems or check_only:
        return result
    _write_collectives(checked, actor=actor, reason=reason, note=note, result=result)
    return result


def _recorded_collectives(years: set[int]) -> dict[tuple[int, int, str], RecordedCollective]:
    rows = CollectiveReview.objects.filter(year__in=years).values_list(
        "pk", "unit_id", "year", "collective", "grade_id", "points", "held_on", "summary"
    )
    return {
        (unit, year, collective): (pk, CollectiveValues(grade, _quantized(points), held, text))
        for pk, unit, year, collective, grade, points, held, text in rows
    }


COLLECTIVE_WRITTEN = ("grade", "points", "held_on", "summary", "year_end", "recorded_by")


def _write_collectives(
    checked: list[CheckedCollective],
    *,
    actor: User | None,
    reason: str,
    note: str,
    result: BulkResult,
) -> None:
    new = [c for c in checked if c.before_pk is None]
    changed = [c for c in checked if c.before_pk is not None]
    fresh = dict(zip((c.key for c in new), next_ids(CollectiveReview, len(new)), strict=True))
    actor_id = actor.pk if actor else None
    insert_rows(
        CollectiveReview,
        ["id", "unit", "year", "collective", *COLLECTIVE_WRITTEN],
        [(fresh[c.key], *c.key, *c.values, year_end(c.year), actor_id) for c in new],
    )
    update_rows(
        CollectiveReview,
        COLLECTIVE_WRITTEN,
        [(c.before_pk, *c.values, year_end(c.year), actor_id) for c in changed],
    )
    ids = {c.key: c.before_pk or fresh[c.key] for c in checked}
    _amendments(
        [
            RatingAmendment(
                year=c.year,
                collective_review_id=ids[c.key],
                before=c.before.plain() if c.before else {},
                after=c.values.plain(),
            )
            for c in checked
            if c.closed
        ],
        actor=actor,
        reason=reason,
    )
    if note:
        objs = {
            c.key: CollectiveReview(
                pk=ids[c.key], unit_id=c.unit_id, year=c.year, collective=c.collective
            )
            for c in checked
        }
        _audit(
            CollectiveReview,
            [(objs[c.key], c.values, c.before) for c in checked],
            actor=actor,
            note=note,
        )
    result.created, result.updated = len(new), len(changed)
    result.ids = dict(ids)


def _amendments(amendments: list[RatingAmendment], *, actor: User | None, reason: str) -> None:
    """A closed year's rows an actor changed, each traced with the reason (the command line
    and the demo, trusted, leave no trace)."""
    if actor is None or not amendments:
        return
    for amendment in amendments:
        amendment.reason, amendment.amended_by = reason.strip() or IMPORTED, actor
    RatingAmendment.objects.bulk_create(amendments, batch_size=1000)


# -- review suggestions -----------------------------------------------------------------------


def level_of(version: UnitVersion) -> str:
    level = COMMITTEE_LEVEL.get(UnitKind(version.kind))
    if level is None:
        raise RowError(NOT_A_MANAGING_BODY.format(unit=version.name), "issuer_code")
    return str(level)


@dataclass(frozen=True)
class SuggestionSpec:
    year: int
    issuer: Unit
    issued_on: date
    content: str = ""
    subject_unit: Unit | None = None
    subject_collective: str = ""
    subject_member: Member | None = None


@dataclass(frozen=True)
class SuggestionRow:
    """A review suggestion as a workbook or the demo gives it. The subject: a member (card
    or id) or a unit (code or id) with its collective (None: the unit's first). The issuer
    by code or id (neither: the nearest body of `level` above the subject); `level` "": the
    issuer's. The answer and the reviews it links are written with a new suggestion."""

    year: int
    individual: bool
    issued_on: date
    subject: str = ""
    subject_id: int | None = None
    level: str = ""
    collective: str | None = ""
    issuer_code: str = ""
    issuer_id: int | None = None
    content: str = ""
    answer: str = ""
    answered_on: date | None = None
    member_review_id: int | None = None
    collective_review_id: int | None = None

    @classmethod
    def of(cls, spec: SuggestionSpec) -> SuggestionRow:
        member, unit = spec.subject_member, spec.subject_unit
        return cls(
            year=spec.year,
            individual=member is not None,
            issued_on=spec.issued_on,
            subject=member.card_number if member else unit.code if unit else "",
            subject_id=member.pk if member else unit.pk if unit else None,
            collective=spec.subject_collective,
            issuer_code=spec.issuer.code,
            issuer_id=spec.issuer.pk,
            content=spec.content.strip(),
        )


class SuggestionValues(NamedTuple):
    issuer: int
    level: str
    issued_on: date
    subject_unit: int | None
    subject_collective: str
    subject_member: int | None
    content: str


SuggestionKey = tuple[int, str, int]  # (year, "m" or "u", the member or the unit)
RecordedSuggestion = tuple[int, SuggestionValues]


class CheckedSuggestion(NamedTuple):
    key: SuggestionKey
    values: SuggestionValues
    before: SuggestionValues | None
    before_pk: int | None
    row: SuggestionRow


class _Subject(NamedTuple):
    key: SuggestionKey
    anchor: int  # the unit, or the member's last cell of the year
    paths: list[str]  # where the subject stood at the year's end
    collective: str


def _suggestion_member(row: SuggestionRow, book: ReviewBook) -> _Subject:
    """The member, told only when the writer reaches one of the member's cells in the year:
    nothing is said of a member outside it (nor whether the card exists)."""
    card, year = row.subject, row.year
    found = row.subject_id if row.subject_id is not None else (book.member(card) or (None,))[0]
    cells = [c for c in book.cells(found, year) if book.standing(c, year)] if found else []
    if not book.reach.everything and not book.in_reach(cells):
        raise RowError(CARD_NOT_IN_REACH.format(card=card, year=year), "subject")
    if found is None:
        raise RowError(NO_SUCH_CARD.format(card=card), "subject")
    if not cells:
        raise RowError(NO_CELL.format(card=card, year=year), "subject")
    paths = [book.standing(c, year).path for c in cells]  # type: ignore[union-attr]
    return _Subject((year, "m", found), cells[0], paths, "")


def _suggestion_unit(row: SuggestionRow, book: ReviewBook) -> _Subject:
    year = row.year
    unit_id = row.subject_id if row.subject_id is not None else book.unit_id(row.subject)
    version = book.standing(unit_id, year) if unit_id is not None else None
    if unit_id is None or version is None or unit_id not in book.reach:
        raise RowError(NO_UNIT_IN_YEAR.format(code=row.subject, year=year), "subject")
    allowed = collectives_of(version.kind)
    collective = allowed[0] if row.collective is None else row.collective
    if collective not in allowed:
        raise RowError(
            COLLECTIVE_NOT_HERE.format(
                collective=CollectiveKind(collective).label
                if collective in CollectiveKind.values
                else "(chưa chọn tập thể)",
                unit=version.name,
                kind=version.get_kind_display(),
            ),
            "collective",
        )
    return _Subject((year, "u", unit_id), unit_id, [version.path], collective)


def _suggestion_issuer(
    row: SuggestionRow, subject: _Subject, book: ReviewBook
) -> tuple[UnitVersion, str]:
    """The issuing body and its level: the one named, if it manages the subject at the
    row's level; else the nearest body of that level above the subject."""
    year = row.year
    if row.issuer_id is None and not row.issuer_code:
        found = _nearest_issuer(subject, row.level, book, strict=not row.individual)
        if found is None:
            raise RowError(NO_ISSUER_AT_LEVEL, "level")
        return found, row.level
    issuer_id = row.issuer_id if row.issuer_id is not None else book.unit_id(row.issuer_code)
    version = book.standing(issuer_id, year) if issuer_id is not None else None
    if version is None:
        raise RowError(UNIT_GONE.format(unit=row.issuer_code, year=year), "issuer_code")
    level = level_of(version)
    if row.level and level != row.level:
        label = ManagementLevel(row.level).label.lower()
        raise RowError(ISSUER_NOT_AT_LEVEL.format(code=row.issuer_code, level=label), "issuer_code")
    if not any(path.startswith(version.path) for path in subject.paths):
        raise RowError(SUBJECT_OUTSIDE.format(issuer=version.name), "issuer_code")
    return version, level


def _nearest_issuer(
    subject: _Subject, level: str, book: ReviewBook, *, strict: bool
) -> UnitVersion | None:
    """The nearest unit above (or, for a person's cell, at) the subject of the level."""
    ids = [int(p) for p in subject.paths[0].strip("/").split("/")]
    for unit_id in reversed(ids[:-1] if strict else ids):
        version = book.standing(unit_id, subject.key[0])
        if version is not None and COMMITTEE_LEVEL.get(UnitKind(version.kind)) == level:
            return version
    return None


def check_suggestion_row(
    row: SuggestionRow, book: ReviewBook, recorded: RecordedSuggestion | None, *, once: bool
) -> CheckedSuggestion | None:
    """THE rules of a review suggestion, for a page and a workbook alike: the subject in
    the writer's reach, under the issuer, of the issuer's management level; the issuer
    written by the writer (a body outside its reach suggests nothing in its name). A
    subject suggested already in the year: refused (`once`, the page), else rewritten, if
    the suggestion recorded was issued by a body the writer writes. None: unchanged."""
    check_year(row.year)
    subject = _suggestion_member(row, book) if row.individual else _suggestion_unit(row, book)
    issuer, level = _suggestion_issuer(row, subject, book)
    if issuer.unit_id not in book.reach:
        raise RowError(ISSUER_OUTSIDE.format(issuer=issuer.name), "issuer_code")
    if row.individual:
        _check_subject_level(row, subject, level, issuer, book)
    before_pk, before = recorded or (None, None)
    if before is not None and once:
        raise RowError(SUGGESTED_ALREADY.format(year=row.year), "subject")
    if before is not None and before.issuer not in book.reach:
        raise RowError(SUGGESTION_NOT_YOURS.format(year=row.year), "subject")
    values = SuggestionValues(
        issuer=issuer.unit_id,
        level=level,
        issued_on=row.issued_on,
        subject_unit=None if row.individual else subject.key[2],
        subject_collective=subject.collective,
        subject_member=subject.key[2] if row.individual else None,
        content=row.content,
    )
    if before == values:
        return None
    return CheckedSuggestion(subject.key, values, before, before_pk, row)


def _check_subject_level(
    row: SuggestionRow, subject: _Subject, level: str, issuer: UnitVersion, book: ReviewBook
) -> None:
    member_level = book.management_level(subject.key[2])
    if member_level != level:
        raise RowError(
            SUBJECT_LEVEL.format(
                card=row.subject,
                level=ManagementLevel(member_level).label if member_level else "(chưa xác định)",
                issuer_level=ManagementLevel(level).label,
                issuer=issuer.name,
            ),
            "level",
        )


def _suggestion_key(spec: SuggestionSpec) -> SuggestionKey:
    if spec.subject_member is not None:
        return (spec.year, "m", spec.subject_member.pk)
    assert spec.subject_unit is not None
    return (spec.year, "u", spec.subject_unit.pk)


def _checked_suggestion(spec: SuggestionSpec, actor: User | None) -> CheckedSuggestion:
    if (spec.subject_unit is None) == (spec.subject_member is None):
        raise DomainError(ONE_SUBJECT)
    book = ReviewBook(reach=_reach_of(actor), actor=actor, reason="", whole=False)
    key = _suggestion_key(spec)
    taken = ReviewSuggestion.objects.filter(year=spec.year)
    if key[1] == "m":
        taken = taken.filter(subject_member_id=key[2])
    else:
        taken = taken.filter(subject_unit_id=key[2])
    recorded = taken.first()
    checked = check_suggestion_row(
        SuggestionRow.of(spec),
        book,
        (recorded.pk, _suggestion_values(recorded)) if recorded else None,
        once=True,
    )
    assert checked is not None  # `once`: a recorded suggestion is refused
    return checked


def _suggestion_values(s: ReviewSuggestion) -> SuggestionValues:
    return SuggestionValues(
        s.issuer_id,
        s.level,
        s.issued_on,
        s.subject_unit_id,
        s.subject_collective,
        s.subject_member_id,
        s.content,
    )


def check_suggestion(spec: SuggestionSpec, actor: User | None = None) -> str:
    """The level of the suggestion, after checking the subject is under the issuer."""
    return _checked_suggestion(spec, actor).values.level


@transaction.atomic
def suggestion_issue(*, spec: SuggestionSpec, actor: User | None = None) -> ReviewSuggestion:
    values = _checked_suggestion(spec, actor).values
    return ReviewSuggestion.objects.create(
        year=spec.year,
        issuer=spec.issuer,
        level=values.level,
        issued_on=spec.issued_on,
        subject_unit=spec.subject_unit,
        subject_collective=values.subject_collective,
        subject_member=spec.subject_member,
        content=values.content,
        year_end=year_end(spec.year),
        created_by=actor,
    )


def suggestions_save_bulk(
    *,
    rows: Sequence[SuggestionRow],
    actor: User | None,
    reach: Reach,
    note: str = "",
    check_only: bool = False,
    book: ReviewBook | None = None,
) -> BulkResult:
    """Many review suggestions at once (a workbook, the demo), by the rules of
    `check_suggestion_row`; a subject's suggestion of the year is rewritten (if the
    writer writes its issuer). One refused row writes nothing."""
    book = book or ReviewBook(reach=reach, actor=actor, reason="", whole=True)
    recorded = _recorded_suggestions({r.year for r in rows})
    result, checked, seen = BulkResult(), [], set()
    for index, row in enumerate(rows):
        try:
            found = check_suggestion_row(row, book, recorded.get(_row_key(row, book)), once=False)
            key = found.key if found else _row_key(row, book)
            if key in seen:
                what = "cùng năm, cùng đối tượng"
                raise RowError(DUPLICATE_ROW.format(what=what), "subject")
            seen.add(key)
        except DomainError as error:
            result.problems.append(Problem(index, getattr(error, "field", "year"), error.message))
            continue
        if found is None:
            result.unchanged += 1
        else:
            checked.append(found)
    if result.problems or check_only:
        return result
    _write_suggestions(checked, actor=actor, note=note, result=result)
    return result


def _row_key(row: SuggestionRow, book: ReviewBook) -> SuggestionKey:
    if row.subject_id is not None:
        return (row.year, "m" if row.individual else "u", row.subject_id)
    if row.individual:
        return (row.year, "m", (book.member(row.subject) or (0,))[0])
    return (row.year, "u", book.unit_id(row.subject) or 0)


def _recorded_suggestions(years: set[int]) -> dict[SuggestionKey, RecordedSuggestion]:
    rows = ReviewSuggestion.objects.filter(year__in=years).values_list(
        "pk", "year", *(f"{f}_id" if f in _FKS else f for f in SuggestionValues._fields)
    )
    out: dict[SuggestionKey, RecordedSuggestion] = {}
    for pk, year, *recorded in rows:
        values = SuggestionValues(*recorded)
        kind, subject = (
            ("u", values.subject_unit) if values.subject_unit else ("m", values.subject_member)
        )
        out[(year, kind, subject or 0)] = (pk, values)
    return out


_FKS = ("issuer", "subject_unit", "subject_member")
SUGGESTION_WRITTEN = (*SuggestionValues._fields, "year_end")


def _write_suggestions(
    checked: list[CheckedSuggestion], *, actor: User | None, note: str, result: BulkResult
) -> None:
    new = [c for c in checked if c.before_pk is None]
    changed = [c for c in checked if c.before_pk is not None]
    fresh = dict(zip((c.key for c in new), next_ids(ReviewSuggestion, len(new)), strict=True))
    insert_rows(
        ReviewSuggestion,
        [
            "id",
            "year",
            *SUGGESTION_WRITTEN,
            "answer",
            "answered_on",
            "member_review",
            "collective_review",
            "created_by",
        ],
        [
            (
                fresh[c.key],
                c.key[0],
                *c.values,
                year_end(c.key[0]),
                c.row.answer,
                c.row.answered_on,
                c.row.member_review_id,
                c.row.collective_review_id,
                actor.pk if actor else None,
            )
            for c in new
        ],
    )
    update_rows(
        ReviewSuggestion,
        SUGGESTION_WRITTEN,
        [(c.before_pk, *c.values, year_end(c.key[0])) for c in changed],
    )
    ids = {c.key: c.before_pk or fresh[c.key] for c in checked}
    if note:
        _audit(
            ReviewSuggestion,
            [(ReviewSuggestion(pk=ids[c.key], year=c.key[0]), c.values, c.before) for c in checked],
            actor=actor,
            note=note,
        )
    result.created, result.updated, result.ids = len(new), len(changed), ids


@transaction.atomic
def suggestion_answer(
    *,
    suggestion: ReviewSuggestion,
    answer: str,
    answered_on: date,
    member_review: MemberReview | None = None,
    collective_review: CollectiveReview | None = None,
) -> ReviewSuggestion:
    """Link the review that answers the suggestion, with what it says in reply."""
    if not answer.strip():
        raise DomainError(ANSWER_EMPTY)
    wrong = DomainError(ANSWER_WRONG_REVIEW.format(year=suggestion.year))
    if suggestion.is_individual:
        if member_review is None or (
            member_review.member_id != suggestion.subject_member_id
            or member_review.year != suggestion.year
        ):
            raise wrong
    elif collective_review is None or (
        collective_review.unit_id != suggestion.subject_unit_id
        or collective_review.year != suggestion.year
        or collective_review.collective != suggestion.subject_collective
    ):
        raise wrong
    suggestion.answer, suggestion.answered_on = answer.strip(), answered_on
    suggestion.member_review, suggestion.collective_review = member_review, collective_review
    suggestion.save()
    return suggestion


# -- remediation ------------------------------------------------------------------------------
@dataclass(frozen=True)
class RemediationRow:
    """A shortcoming named in a review, with its plan (the demo gives many at once)."""

    unit_id: int
    year: int
    shortcoming: str
    plan: str
    deadline: date
    created_on: date
    member_review_id: int | None = None
    collective_review_id: int | None = None
    responsible_id: int | None = None
    done_on: date | None = None
    result: str = ""


def check_remediation_row(row: RemediationRow) -> RemediationRow:
    """THE rules of a remediation item: what and how, one review, a deadline after the
    day it is recorded; done (if so) not before that day, with its result."""
    if not row.shortcoming.strip():
        raise DomainError(TEXT_NEEDED.format(what="hạn chế, khuyết điểm"))
    if not row.plan.strip():
        raise DomainError(TEXT_NEEDED.format(what="biện pháp khắc phục"))
    if (row.member_review_id is None) == (row.collective_review_id is None):
        raise DomainError(ONE_REVIEW)
    if row.deadline <= row.created_on:
        raise DomainError(DEADLINE_BEFORE)
    if row.done_on is not None:
        if not row.result.strip():
            raise DomainError(TEXT_NEEDED.format(what="kết quả khắc phục"))
        if row.done_on < row.created_on:
            raise DomainError(DONE_BEFORE.format(day=row.created_on))
    return replace(row, shortcoming=row.shortcoming.strip(), plan=row.plan.strip())


@transaction.atomic
def remediation_add(
    *,
    shortcoming: str,
    plan: str,
    deadline: date,
    member_review: MemberReview | None = None,
    collective_review: CollectiveReview | None = None,
    responsible: Member | None = None,
    created_on: date | None = None,
) -> RemediationItem:
    """A shortcoming named in a review; the follow-up report is due a year after."""
    review: MemberReview | CollectiveReview | None = member_review or collective_review
    if member_review is not None and responsible is None:
        responsible = member_review.member
    row = check_remediation_row(
        RemediationRow(
            unit_id=review.unit_id if review else 0,
            year=review.year if review else 0,
            shortcoming=shortcoming,
            plan=plan,
            deadline=deadline,
            created_on=created_on or timezone.localdate(),
            member_review_id=member_review.pk if member_review else None,
            collective_review_id=collective_review.pk if collective_review else None,
            responsible_id=responsible.pk if responsible else None,
        )
    )
    return RemediationItem.objects.create(
        **{f: getattr(row, f) for f in REMEDIATION_FIELDS},
        report_due=report_due_after(row.created_on),
    )


@transaction.atomic
def remediation_attach(
    *,
    unit: Unit,
    year: int,
    card: str,
    collective: str,
    shortcoming: str,
    plan: str,
    deadline: date,
) -> RemediationItem:
    """A remediation item on the review recorded here: the member's (by card) or the
    collective's."""
    member_review = collective_review = None
    if card:
        member_review = MemberReview.objects.filter(
            unit=unit, year=year, member__card_number=card
        ).first()
        if member_review is None:
            raise DomainError(NO_MEMBER_REVIEW_HERE.format(year=year, card=card))
    else:
        collective_review = CollectiveReview.objects.filter(
            unit=unit, year=year, collective=collective
        ).first()
        if collective_review is None:
            raise DomainError(NO_COLLECTIVE_REVIEW_HERE.format(year=year))
    return remediation_add(
        shortcoming=shortcoming,
        plan=plan,
        deadline=deadline,
        member_review=member_review,
        collective_review=collective_review,
    )


REMEDIATION_FIELDS = tuple(f.name for f in fields(RemediationRow))


def remediation_add_bulk(*, rows: Sequence[RemediationRow]) -> int:
    """Many remediation items at once (the demo), by `check_remediation_row`; a refused row
    raises before anything is written."""
    checked = [check_remediation_row(row) for row in rows]
    ids = iter(next_ids(RemediationItem, len(checked)))
    return insert_rows(
        RemediationItem,
        ["id", *REMEDIATION_FIELDS, "report_due"],
        [
            (
                next(ids),
                *(getattr(r, f) for f in REMEDIATION_FIELDS),
                report_due_after(r.created_on),
            )
            for r in checked
        ],
    )


def report_due_after(day: date) -> date:
    """One year after (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


@transaction.atomic
def remediation_done(*, item: RemediationItem, done_on: date, result: str) -> RemediationItem:
    item = RemediationItem.objects.select_for_update().get(pk=item.pk)
    if item.done_on is not None:
        raise DomainError(ALREADY_DONE.format(day=item.done_on))
    if not result.strip():
        raise DomainError(TEXT_NEEDED.format(what="kết quả khắc phục"))
    if done_on < item.created_on:
        raise DomainError(DONE_BEFORE.format(day=item.created_on))
    item.done_on, item.result = done_on, result.strip()
    item.save(update_fields=["done_on", "result"])
    return item
