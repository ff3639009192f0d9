"""Writes of the annual cycle. Every refusal is a DomainError with a Vietnamese message,
raised before anything is written."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from dangvu.accounts.models import User
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for, today
from dangvu.core import reference
from dangvu.core.errors import DomainError
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

SECTION_LIMIT = 4000


def check_year(year: int) -> int:
    last = timezone.localdate().year + 1
    if not FIRST_YEAR <= year <= last:
        raise DomainError(BAD_YEAR.format(year=year, first=FIRST_YEAR, last=last))
    return year


# -- rating rules --------------------------------------------------------------------------
def scheme_for(year: int) -> RatingScheme:
    """The rule in force for rating the year `year` (the one valid on its 31 December);
    reference data, read without a query (core/reference.py)."""
    schemes = reference.loaded(
        "reviews.RatingScheme", lambda: RatingScheme.objects.prefetch_related("grades")
    )
    return reference.in_force(schemes, year_end(year), "quy định xếp loại")


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
        UnitVersion.objects.filter(
            unit_id=unit_id, valid_from__lte=year_end(year), valid_to__gt=date(year, 1, 1)
        )
        .order_by("-valid_from")
        .first()
    )
    if version is None:
        return None
    ids = [int(p) for p in version.path.strip("/").split("/") if p]
    day = min(year_end(year), version.valid_to - timedelta(days=1))
    kinds = dict(
        UnitVersion.objects.filter(
            unit_id__in=ids, valid_from__lte=day, valid_to__gt=day
        ).values_list("unit_id", "kind")
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


def _not_oneself(actor: User | None, member_id: int, message: str) -> None:
    """A member decides nothing on their own record."""
    if actor is not None and actor.member_id is not None and actor.member_id == member_id:
        raise DomainError(message)


def parse_points(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return parse_decimal(value, low=Decimal(0), high=Decimal(100))
    except ValueError as error:  # also "NaN", which Decimal reads and no comparison takes
        raise DomainError(POINTS_RANGE) from error


def rate(year: int, grade_code: str | None, points: Decimal | None) -> RatingGrade | None:
    """The grade of `year`'s rule: from the points under a points rule (a grade given as
    well must agree), from the grade code otherwise. None when nothing is given."""
    scheme = scheme_for(year)
    grades = list(scheme.grades.all())
    given = None
    if grade_code:
        given = next((g for g in grades if g.code == grade_code), None)
        if given is None:
            raise DomainError(UNKNOWN_GRADE.format(grade=grade_code, scheme=scheme.code))
    if not scheme.uses_points:
        if points is not None:
            raise DomainError(POINTS_NOT_USED.format(year=year, scheme=scheme.code))
        return given
    if points is None:
        return given  # a grade decided without its points (imported, historical)
    expected = next(g for g in grades if g.min_points is None or points >= g.min_points)
    if given is not None and given != expected:
        raise DomainError(
            POINTS_DISAGREE.format(
                points=format_number(float(points)),
                expected=expected.label,
                scheme=scheme.code,
                given=given.label,
            )
        )
    return expected


# -- where a member belongs in a year ---------------------------------------------------------
def cells_in_year(member: Member, year: int) -> list[int]:
    """Cells the member was active in during `year`, the latest first."""
    return list(
        Membership.objects.filter(
            member=member, valid_from__lte=year_end(year), valid_to__gt=date(year, 1, 1)
        )
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


def check_member_review(
    spec: MemberReviewSpec, *, actor: User | None = None, reason: str = ""
) -> tuple[Unit, RatingGrade | None]:
    """Every check of a member's review before it is written (the cell's page checks all
    rows with it first). A row that changes nothing recorded passes whatever the calendar:
    a closed year's page may be sent again unchanged."""
    check_year(spec.year)
    _not_oneself(actor, spec.member.pk, SELF_REVIEW)
    if spec.outcome not in ReviewOutcome.values:
        raise DomainError("Kết quả kiểm điểm không hợp lệ.")
    if spec.outcome == ReviewOutcome.EXEMPT:
        if spec.exempt_reason not in ExemptReason.values:
            raise DomainError(REASON_NEEDED)
        if spec.grade or spec.points is not None:
            raise DomainError(EXEMPT_NOT_RATED)
    elif spec.exempt_reason:
        raise DomainError(REASON_ONLY_EXEMPT)
    if spec.fulfilment and spec.fulfilment not in Fulfilment.values:
        raise DomainError("Mức thực hiện cam kết không hợp lệ.")
    unit = _member_cell(spec.member, spec.year, spec.unit)
    grade = rate(spec.year, spec.grade or None, spec.points)
    found = MemberReview.objects.filter(member=spec.member, year=spec.year).first()
    if found is None or _review_values(found) != _spec_values(spec, unit, grade):
        check_rating_calendar(spec.year, unit=unit, actor=actor, reason=reason)
    return unit, grade


def _review_values(review: MemberReview) -> dict[str, Any]:
    return {
        "unit": review.unit_id,
        "outcome": review.outcome,
        "exempt_reason": review.exempt_reason,
        "grade": review.grade_id,
        "points": None if review.points is None else str(review.points),
        "held_on": review.held_on.isoformat() if review.held_on else None,
        "self_review": review.self_review,
        "fulfilment": review.fulfilment,
    }


def _spec_values(spec: MemberReviewSpec, unit: Unit, grade: RatingGrade | None) -> dict[str, Any]:
    points = None if spec.points is None else Decimal(spec.points).quantize(Decimal("0.01"))
    return {
        "unit": unit.pk,
        "outcome": spec.outcome,
        "exempt_reason": spec.exempt_reason,
        "grade": grade.pk if grade else None,
        "points": None if points is None else str(points),
        "held_on": spec.held_on.isoformat() if spec.held_on else None,
        "self_review": spec.self_review,
        "fulfilment": spec.fulfilment,
    }


@transaction.atomic
def member_review_save(
    *, spec: MemberReviewSpec, actor: User | None = None, reason: str = ""
) -> MemberReview:
    """Record (or correct) a member's review of the year, with the rating if decided. Not
    one's own; not before the year's results open; once they are closed, only by the level
    above with a reason, kept as a `RatingAmendment` beside the audit trail's entry."""
    unit, grade = check_member_review(spec, actor=actor, reason=reason)
    found = MemberReview.objects.select_for_update().filter(member=spec.member, year=spec.year)
    before = found.first()
    after = _spec_values(spec, unit, grade)
    if before is not None and _review_values(before) == after:
        return before
    review, _ = MemberReview.objects.update_or_create(
        member=spec.member,
        year=spec.year,
        defaults={
            "unit": unit,
            "outcome": spec.outcome,
            "exempt_reason": spec.exempt_reason,
            "grade": grade,
            "points": spec.points,
            "held_on": spec.held_on,
            "self_review": spec.self_review,
            "fulfilment": spec.fulfilment,
            "year_end": year_end(spec.year),
            "recorded_by": actor,
        },
    )
    if year_closed(spec.year) and (actor is not None or reason.strip()):
        RatingAmendment.objects.create(
            year=spec.year,
            member_review=review,
            reason=reason.strip() or IMPORTED,
            before=_review_values(before) if before else {},
            after=after,
            amended_by=actor,
        )
    return review


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


def check_collective_review(
    spec: CollectiveReviewSpec, *, actor: User | None = None, reason: str = ""
) -> RatingGrade | None:
    check_year(spec.year)
    version = _standing(spec.unit, spec.year)
    if spec.collective not in collectives_of(version.kind):
        raise DomainError(
            COLLECTIVE_NOT_HERE.format(
                collective=CollectiveKind(spec.collective).label
                if spec.collective in CollectiveKind.values
                else spec.collective,
                unit=version.name,
                kind=version.get_kind_display(),
            )
        )
    grade = rate(spec.year, spec.grade or None, spec.points)
    found = CollectiveReview.objects.filter(
        unit=spec.unit, year=spec.year, collective=spec.collective
    ).first()
    if found is None or _collective_values(found) != _collective_spec_values(spec, grade):
        check_rating_calendar(spec.year, unit=spec.unit, actor=actor, reason=reason)
    return grade


def _collective_values(review: CollectiveReview) -> dict[str, Any]:
    return {
        "grade": review.grade_id,
        "points": None if review.points is None else str(review.points),
        "held_on": review.held_on.isoformat() if review.held_on else None,
        "summary": review.summary,
    }


def _collective_spec_values(
    spec: CollectiveReviewSpec, grade: RatingGrade | None
) -> dict[str, Any]:
    points = None if spec.points is None else Decimal(spec.points).quantize(Decimal("0.01"))
    return {
        "grade": grade.pk if grade else None,
        "points": None if points is None else str(points),
        "held_on": spec.held_on.isoformat() if spec.held_on else None,
        "summary": spec.summary,
    }


@transaction.atomic
def collective_review_save(
    *, spec: CollectiveReviewSpec, actor: User | None = None, reason: str = ""
) -> CollectiveReview:
    """Record (or correct) a collective's review of the year: the same calendar as a
    member's (a closed year: the level above, with a reason, traced)."""
    grade = check_collective_review(spec, actor=actor, reason=reason)
    before = (
        CollectiveReview.objects.select_for_update()
        .filter(unit=spec.unit, year=spec.year, collective=spec.collective)
        .first()
    )
    after = _collective_spec_values(spec, grade)
    if before is not None and _collective_values(before) == after:
        return before
    review, _ = CollectiveReview.objects.update_or_create(
        unit=spec.unit,
        year=spec.year,
        collective=spec.collective,
        defaults={
            "grade": grade,
            "points": spec.points,
            "held_on": spec.held_on,
            "summary": spec.summary,
            "year_end": year_end(spec.year),
            "recorded_by": actor,
        },
    )
    if year_closed(spec.year) and (actor is not None or reason.strip()):
        RatingAmendment.objects.create(
            year=spec.year,
            collective_review=review,
            reason=reason.strip() or IMPORTED,
            before=_collective_values(before) if before else {},
            after=after,
            amended_by=actor,
        )
    return review


# -- review suggestions -----------------------------------------------------------------------


def level_of(version: UnitVersion) -> str:
    level = COMMITTEE_LEVEL.get(UnitKind(version.kind))
    if level is None:
        raise DomainError(NOT_A_MANAGING_BODY.format(unit=version.name))
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


def check_suggestion(spec: SuggestionSpec) -> str:
    """The level of the suggestion, after checking the subject is under the issuer."""
    check_year(spec.year)
    issuer = _standing(spec.issuer, spec.year)
    level = level_of(issuer)
    if (spec.subject_unit is None) == (spec.subject_member is None):
        raise DomainError("Chọn một đối tượng: một tập thể hoặc một cá nhân.")
    if spec.subject_unit is not None:
        subject = _standing(spec.subject_unit, spec.year)
        inside = subject.path.startswith(issuer.path)
        if not inside:
            raise DomainError(SUBJECT_OUTSIDE.format(issuer=issuer.name))
        if spec.subject_collective not in collectives_of(subject.kind):
            raise DomainError(
                COLLECTIVE_NOT_HERE.format(
                    collective=CollectiveKind(spec.subject_collective).label
                    if spec.subject_collective in CollectiveKind.values
                    else "(chưa chọn tập thể)",
                    unit=subject.name,
                    kind=subject.get_kind_display(),
                )
            )
        _once(spec)
        return level
    member = spec.subject_member
    assert member is not None
    cells = cells_in_year(member, spec.year)
    paths = UnitVersion.objects.as_of(year_end(spec.year)).filter(unit_id__in=cells)
    if not any(p.startswith(issuer.path) for p in paths.values_list("path", flat=True)):
        raise DomainError(SUBJECT_OUTSIDE.format(issuer=issuer.name))
    if member.management_level != level:
        raise DomainError(
            SUBJECT_LEVEL.format(
                card=member.card_number,
                level=member.get_management_level_display() or "(chưa xác định)",
                issuer_level=ManagementLevel(level).label,
                issuer=issuer.name,
            )
        )
    _once(spec)
    return level


def _once(spec: SuggestionSpec) -> None:
    taken = ReviewSuggestion.objects.filter(year=spec.year)
    if spec.subject_member is not None:
        taken = taken.filter(subject_member=spec.subject_member)
    else:
        taken = taken.filter(subject_unit=spec.subject_unit)
    if taken.exists():
        raise DomainError(SUGGESTED_ALREADY.format(year=spec.year))


@transaction.atomic
def suggestion_issue(*, spec: SuggestionSpec, actor: User | None = None) -> ReviewSuggestion:
    level = check_suggestion(spec)
    return ReviewSuggestion.objects.create(
        year=spec.year,
        issuer=spec.issuer,
        level=level,
        issued_on=spec.issued_on,
        subject_unit=spec.subject_unit,
        subject_collective=spec.subject_collective if spec.subject_unit else "",
        subject_member=spec.subject_member,
        content=spec.content.strip(),
        year_end=year_end(spec.year),
        created_by=actor,
    )


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
    if not shortcoming.strip():
        raise DomainError(TEXT_NEEDED.format(what="hạn chế, khuyết điểm"))
    if not plan.strip():
        raise DomainError(TEXT_NEEDED.format(what="biện pháp khắc phục"))
    review: MemberReview | CollectiveReview | None = member_review or collective_review
    if review is None or (member_review is not None and collective_review is not None):
        raise DomainError("Nội dung khắc phục phải gắn với một bản kiểm điểm.")
    created = created_on or timezone.localdate()
    if deadline <= created:
        raise DomainError(DEADLINE_BEFORE)
    if member_review is not None and responsible is None:
        responsible = member_review.member
    return RemediationItem.objects.create(
        unit_id=review.unit_id,
        year=review.year,
        member_review=member_review,
        collective_review=collective_review,
        shortcoming=shortcoming.strip(),
        plan=plan.strip(),
        responsible=responsible,
        deadline=deadline,
        report_due=report_due_after(created),
        created_on=created,
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
