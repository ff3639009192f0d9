"""Reads of the annual cycle, through the user's scope (members' records: VIEW_MEMBERS)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from dangvu.accounts.models import User
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for
from dangvu.core.effective import in_year
from dangvu.members.models import Member, Membership
from dangvu.reviews.models import (
    CollectiveReview,
    Commitment,
    CommitmentStatus,
    MemberReview,
    RatingScheme,
    RemediationItem,
    ReviewOutcome,
    ReviewSuggestion,
    year_end,
)
from dangvu.reviews.services import collectives_of, scheme_for
from dangvu.units.labels import labels
from dangvu.units.models import CELL_KINDS, Unit, UnitVersion

VIEW = Capability.VIEW_MEMBERS
RUN = Capability.RUN_REVIEWS


def can_run(user: User, unit: Unit) -> bool:
    return scope_for(user).writable_units(RUN).filter(pk=unit.pk).exists()


@dataclass(frozen=True)
class RatingCalendar:
    """Where a year's results stand today, for a user at a unit."""

    opens: date
    closes: date
    open: bool  # results may be recorded (opened, and not closed or amended from above)
    closed: bool  # past the closing: an amendment, with a reason
    amends: bool  # the user holds the level above and may amend a closed year


def rating_calendar(*, user: User, unit: Unit, year: int) -> RatingCalendar:
    from dangvu.reviews.services import amends_closed_year, rating_window, today

    opens, closes = rating_window(year)
    now = today()
    closed = now > closes
    amends = closed and amends_closed_year(user, unit, year)
    return RatingCalendar(opens, closes, now >= opens and (not closed or amends), closed, amends)


def unit_or_404(*, user: User, code: str, cap: Capability = VIEW) -> Unit:
    """A unit the user reads (VIEW: at some time), or writes the records of (RUN: today)."""
    if cap == RUN:
        unit = scope_for(user).writable_units(RUN).filter(code=code.strip()).first()
        if unit is None:
            raise Http404("Không tìm thấy đơn vị.")
        return unit
    return scope_for(user).get_unit(cap, code.strip())


def unit_or_none(*, user: User, code: str, cap: Capability) -> Unit | None:
    """A unit typed into a form: one the user writes today (RUN), or reads (VIEW)."""
    scope = scope_for(user)
    units = scope.writable_units(cap) if cap == RUN else scope.units(cap)
    return units.filter(code=code.strip()).first()


def member_in_reach(*, user: User, card: str, year: int, cap: Capability) -> Member | None:
    """The member with this card if they stood, during the year, in a unit the user reaches
    (None otherwise, alike for a card that exists elsewhere and one that exists nowhere)."""
    readable = scope_for(user).member_record_filter(cap, "pk", year=year)
    return Member.objects.filter(readable, card_number=card.strip()).first()


def member_of_cell(*, unit: Unit, card: str, year: int) -> Member | None:
    """The member with this card if they stood in the cell during the year."""
    return Member.objects.filter(
        in_year(year, prefix="memberships__"),
        card_number=card.strip(),
        memberships__unit=unit,
    ).first()


def version_in(unit: Unit, year: int) -> UnitVersion:
    """The unit as it stood at the end of the year (or the last it stood in it)."""
    version = UnitVersion.objects.in_year(year).filter(unit=unit).order_by("-valid_from").first()
    if version is None:
        raise Http404("Đơn vị không hoạt động trong năm này.")
    return version


@dataclass
class MemberRow:
    member: Member
    left_cell: bool  # not in the cell at the end of the year
    commitment: Commitment | None = None
    review: MemberReview | None = None
    suggestions: int = 0


@dataclass
class CellYear:
    unit: Unit
    version: UnitVersion
    year: int
    scheme: RatingScheme
    rows: list[MemberRow]
    collectives: list[tuple[str, str, CollectiveReview | None]]
    remediation: list[RemediationItem]
    suggestions: list[ReviewSuggestion]
    counts: dict[str, int] = field(default_factory=dict)
    heading: str = ""  # "Chi bộ Thôn 1 — Đảng bộ xã Cư Jút"
    issuers: dict[int, str] = field(default_factory=dict)  # suggestions' issuers, by name


def cell_year(*, user: User, code: str, year: int) -> CellYear:
    """A cell's (or any unit's) year: its members with their commitment and review, its
    collectives' reviews, its remediation items and the suggestions it received."""
    unit = unit_or_404(user=user, code=code)
    version = version_in(unit, year)
    end = year_end(year)
    memberships = (
        Membership.objects.in_year(year)
        .filter(unit=unit)
        # The members whose records of the year the user reads (the cell as it stood then
        # is in the user's reach), so nothing below shows another reach's year.
        .filter(scope_for(user).member_record_filter(VIEW, year=year))
        .select_related("member")
        .order_by("member__name_sort", "-valid_from")
    )
    rows: dict[int, MemberRow] = {}
    for m in memberships:
        if m.member_id not in rows:
            rows[m.member_id] = MemberRow(m.member, left_cell=m.valid_to <= end)
    for c in Commitment.objects.filter(year=year, member_id__in=rows):
        rows[c.member_id].commitment = c
    for r in MemberReview.objects.filter(year=year, member_id__in=rows).select_related("grade"):
        rows[r.member_id].review = r
    for member_id, n in (
        ReviewSuggestion.objects.filter(year=year, subject_member_id__in=rows)
        .values_list("subject_member_id")
        .annotate(n=Count("pk"))
    ):
        rows[member_id].suggestions = n
    reviews = {
        r.collective: r
        for r in CollectiveReview.objects.filter(unit=unit, year=year).select_related("grade")
    }
    collectives = [
        (str(c), str(c.label), reviews.get(c))
        for c in map(_collective, collectives_of(version.kind))
    ]
    listed = list(rows.values())
    received = list(
        ReviewSuggestion.objects.filter(year=year)
        .filter(Q(subject_unit=unit) | Q(subject_member_id__in=rows))
        .select_related("issuer", "subject_member", "subject_unit")
    )
    counts = {
        "members": len(listed),
        "committed": sum(1 for r in listed if r.commitment and r.commitment.is_approved),
        "reviewed": sum(
            1 for r in listed if r.review and r.review.outcome == ReviewOutcome.REVIEWED
        ),
        "exempt": sum(1 for r in listed if r.review and r.review.outcome == ReviewOutcome.EXEMPT),
        "missing": sum(1 for r in listed if r.review is None and not r.left_cell),
        "rated": sum(1 for r in listed if r.review and r.review.grade_id),
    }
    return CellYear(
        unit=unit,
        version=version,
        year=year,
        scheme=scheme_for(year),
        rows=listed,
        collectives=collectives,
        remediation=list(
            RemediationItem.objects.filter(unit=unit, year=year).select_related("responsible")
        ),
        suggestions=received,
        counts=counts,
        heading=unit_heading(version, year),
        issuers=unit_names({s.issuer_id for s in received}, year),
    )


def _collective(code: str) -> Any:
    from dangvu.reviews.models import CollectiveKind

    return CollectiveKind(code)


def cells_in_reach(*, user: User, year: int, within: str = "") -> QuerySet[UnitVersion]:
    """Cells standing at the end of the year inside the user's reach, with their counts."""
    scope = scope_for(user)
    end = year_end(year)
    versions = (
        UnitVersion.objects.as_of(end)
        .filter(kind__in=CELL_KINDS, unit__in=scope.units(VIEW))
        .select_related("unit")
        .order_by("path")
    )
    if within:  # a unit's code: the cells under it as it stood at the end of the year
        top = UnitVersion.objects.as_of(end).filter(unit__in=scope.units(VIEW), unit__code=within)
        path = top.values_list("path", flat=True).first()
        versions = versions.under(path) if path else versions.none()
    # Counted by correlated subqueries: a join of reviews × commitments per cell would
    # multiply the rows of every cell before counting them.
    reviewed = (
        MemberReview.objects.filter(unit=OuterRef("unit"), year=year)
        .values("unit")
        .annotate(n=Count("pk"))
        .values("n")
    )
    committed = (
        Commitment.objects.filter(
            unit=OuterRef("unit"), year=year, status=CommitmentStatus.APPROVED
        )
        .values("unit")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return versions.annotate(
        reviewed=Coalesce(Subquery(reviewed), 0), committed=Coalesce(Subquery(committed), 0)
    )


def review_of(*, user: User, code: str, year: int, card: str) -> tuple[Unit, Member]:
    """The cell and the member of a member's year, if the member stood in the cell that
    year and the user reads the member's records of that year (404 otherwise)."""
    scope = scope_for(user)
    unit = unit_or_404(user=user, code=code)
    member = scope.get_member(VIEW, card.strip())
    if (
        not Membership.objects.in_year(year)
        .filter(
            scope.member_record_filter(VIEW, year=year),
            member=member,
            unit=unit,
        )
        .exists()
    ):
        raise Http404("Đảng viên không sinh hoạt tại chi bộ này trong năm.")
    return unit, member


@dataclass
class Evidence:
    """What the cell weighs when it rates a member for a year."""

    commitment: Commitment | None
    review: MemberReview | None
    attempts: list[Any]
    study_expected: int
    study_attended: int
    meetings_recorded: int
    meetings_attended: int
    suggestions: list[ReviewSuggestion]
    remediation: list[RemediationItem]
    earlier: list[MemberReview]


def discipline_in_year(*, user: User, member: Member, unit: Unit, year: int) -> list[Any] | None:
    """The member's inspection cases concluded in the year, if the user reaches inspection
    records at the cell (the inspection role, the committee leadership above); None when
    the user holds no key to them. A read of inspection records: whoever shows them
    records it with `dangvu.inspection.services.cases_read` (`ReadKind.EVIDENCE`)."""
    from dangvu.inspection.models import InspectionCase

    reach = scope_for(user).writable_units(Capability.DISCIPLINE)
    if not reach.filter(pk=unit.pk).exists():
        return None
    cases = list(
        InspectionCase.objects.filter(
            unit__in=reach,
            subject_member=member,
            concluded_on__gte=date(year, 1, 1),
            concluded_on__lte=year_end(year),
        ).select_related("discipline")
    )
    return cases


def evidence(*, user: User, member: Member, year: int) -> Evidence:
    """The year's commitment, review, quick assessments, study and meeting attendance,
    suggestions, remediation and earlier ratings of a member: each only of the days or
    years the member stood in a unit the user reaches (a member who came from another
    cell brings no record of their years there)."""
    from dangvu.assessments.models import Attempt
    from dangvu.meetings.models import MeetingAttendance
    from dangvu.study.models import Attendance

    scope = scope_for(user)

    def of_year(field: str = "year", who: str = "member") -> Q:
        return scope.member_record_filter(VIEW, who, year=field)

    def of_day(field: str) -> Q:
        return scope.member_record_filter(VIEW, day=field)

    start, end = date(year, 1, 1), year_end(year)
    meetings = (
        MeetingAttendance.objects.filter(
            member=member, meeting__held_on__gte=start, meeting__held_on__lte=end
        )
        .filter(of_day("meeting__held_on"))
        .aggregate(n=Count("pk"), present=Count("pk", filter=Q(present=True)))
    )
    attendance = (
        Attendance.objects.filter(
            member=member, session__held_on__gte=start, session__held_on__lte=end
        )
        .filter(of_day("session__held_on"))
        .aggregate(n=Count("pk"), present=Count("pk", filter=Q(attended=True)))
    )
    return Evidence(
        commitment=Commitment.objects.filter(of_year(), member=member, year=year).first(),
        review=MemberReview.objects.filter(of_year(), member=member, year=year)
        .select_related("grade")
        .first(),
        attempts=list(
            Attempt.objects.filter(member=member, submitted_on__gte=start, submitted_on__lte=end)
            .filter(of_day("submitted_on"))
            .select_related("assessment")
        ),
        study_expected=attendance["n"] or 0,
        study_attended=attendance["present"] or 0,
        meetings_recorded=meetings["n"] or 0,
        meetings_attended=meetings["present"] or 0,
        suggestions=list(
            ReviewSuggestion.objects.filter(
                of_year(who="subject_member"), subject_member=member, year=year
            ).select_related("issuer")
        ),
        remediation=list(
            RemediationItem.objects.filter(
                of_year(who="member_review__member"), member_review__member=member, year=year
            )
        ),
        earlier=list(
            MemberReview.objects.filter(of_year(), member=member, year__lt=year, year__gte=year - 3)
            .select_related("grade")
            .order_by("-year")
        ),
    )


def suggestions_visible(*, user: User, year: int | None = None) -> QuerySet[ReviewSuggestion]:
    """Those the user's reach issued or received (a person's: through their record)."""
    scope = scope_for(user)
    units = scope.units(VIEW)
    qs = ReviewSuggestion.objects.filter(
        Q(issuer__in=units)
        | Q(subject_unit__in=units)
        | Q(subject_member__isnull=False)
        & scope.member_record_filter(VIEW, "subject_member", year="year")
    )
    if year:
        qs = qs.filter(year=year)
    return qs.select_related("issuer", "subject_unit", "subject_member").order_by(
        "-year", "-issued_on", "-pk"
    )


def suggestion_to_answer_or_404(*, user: User, suggestion_id: int) -> ReviewSuggestion:
    """A suggestion the user answers: its subject's review of the year belongs to a unit the
    user writes today. For a person, the cell where their review of that year is recorded
    (until it is, the last cell they stood in that year): the secretary of a cell the member
    left before the year does not answer for them."""
    found = ReviewSuggestion.objects.filter(pk=suggestion_id).first()
    owner = _answering_unit(found) if found is not None else None
    if owner is None or not can_run(user, owner):
        raise Http404("Không tìm thấy gợi ý kiểm điểm.")
    return found  # type: ignore[return-value]


def _answering_unit(suggestion: ReviewSuggestion) -> Unit | None:
    from dangvu.reviews.services import cells_in_year

    if not suggestion.is_individual:
        return suggestion.subject_unit
    review = MemberReview.objects.filter(
        member_id=suggestion.subject_member_id or 0, year=suggestion.year
    ).first()
    if review is not None:
        return review.unit
    assert suggestion.subject_member is not None
    cells = cells_in_year(suggestion.subject_member, suggestion.year)
    return Unit.objects.filter(pk=cells[0]).first() if cells else None


def answering_review(
    suggestion: ReviewSuggestion,
) -> tuple[MemberReview | None, CollectiveReview | None]:
    """The review of the suggestion's subject and year that answers it (DomainError: none
    recorded yet)."""
    from dangvu.core.errors import DomainError

    member_review = collective_review = None
    if suggestion.is_individual:
        member_review = MemberReview.objects.filter(
            member_id=suggestion.subject_member_id or 0, year=suggestion.year
        ).first()
    else:
        collective_review = CollectiveReview.objects.filter(
            unit_id=suggestion.subject_unit_id or 0,
            year=suggestion.year,
            collective=suggestion.subject_collective,
        ).first()
    if member_review is None and collective_review is None:
        raise DomainError(NO_REVIEW_YET)
    return member_review, collective_review


NO_REVIEW_YET = "Chưa có bản kiểm điểm của đối tượng được gợi ý trong năm đó."


def remediation_visible(
    *, user: User, day: date, overdue: bool = False
) -> QuerySet[RemediationItem]:
    scope = scope_for(user)
    qs = RemediationItem.objects.filter(
        Q(member_review__isnull=True, unit__in=scope.units(VIEW))
        | Q(member_review__isnull=False)
        & scope.member_record_filter(VIEW, "member_review__member", year="year"),
        done_on__isnull=True,
    )
    if overdue:
        qs = qs.filter(deadline__lt=day)
    return qs.select_related("unit", "responsible").order_by("deadline", "pk")


def own_commitments(member: Member) -> QuerySet[Commitment]:
    return Commitment.objects.filter(member=member).order_by("-year")


SHARED_STATUSES = (CommitmentStatus.SUBMITTED, CommitmentStatus.APPROVED)


def in_cell_of(user: User, commitment: Commitment) -> bool:
    """The user is a member of the commitment's cell in its year (a cell-mate)."""
    member_id = user.member_id
    if member_id is None:
        return False
    return (
        Membership.objects.in_year(commitment.year)
        .filter(member_id=member_id, unit_id=commitment.unit_id)
        .exists()
    )


def commitment_or_404(*, user: User, commitment_id: int) -> Commitment:
    """The member's own; any in a unit the user reviews; a cell-mate's once sent to the
    cell (to comment on it) or approved (published inside the cell)."""
    commitment = (
        Commitment.objects.select_related("member", "unit").filter(pk=commitment_id).first()
    )
    if commitment is None:
        raise Http404("Không tìm thấy bản cam kết.")
    if user.member_id == commitment.member_id:
        return commitment
    readable = scope_for(user).member_record_filter(VIEW, year="year")
    if Commitment.objects.filter(readable, pk=commitment.pk).exists():
        return commitment
    if commitment.status in SHARED_STATUSES and in_cell_of(user, commitment):
        return commitment
    raise Http404("Không tìm thấy bản cam kết.")


def cell_commitments(member: Member, year: int) -> QuerySet[Commitment]:
    """The cell-mates' commitments sent to the cell (to comment on) or approved."""
    cells = Membership.objects.in_year(year).filter(member=member).values("unit_id")
    return (
        Commitment.objects.filter(year=year, unit_id__in=cells, status__in=SHARED_STATUSES)
        .exclude(member=member)
        .select_related("member")
        .order_by("member__name_sort")
    )


def scale_text(scheme: RatingScheme) -> str:
    """The points of each grade, as the rule says them: "≥ 90", "70 – < 90" ..."""
    grades = list(scheme.grades.all())
    parts: list[str] = []
    upper: str | None = None
    for grade in grades:
        least = None if grade.min_points is None else f"{grade.min_points.normalize():f}"
        if least is None:
            span = f"dưới {upper}" if upper is not None else ""
        elif upper is None:
            span = f"từ {least} điểm"
        else:
            span = f"từ {least} đến dưới {upper}"
        parts.append(f"{grade.label}: {span}")
        upper = least
    return "; ".join(parts) + "."


def member_years(
    *, user: User, member: Member
) -> list[tuple[int, MemberReview | None, Commitment | None]]:
    """A member's years on their record page: each year's review and commitment, of the
    years the member stood in a unit the user reaches."""
    readable = scope_for(user).member_record_filter(VIEW, year="year")
    reviews = {
        r.year: r
        for r in MemberReview.objects.filter(readable, member=member).select_related(
            "grade", "unit"
        )
    }
    commitments = {c.year: c for c in Commitment.objects.filter(readable, member=member)}
    years = sorted(set(reviews) | set(commitments), reverse=True)
    return [(y, reviews.get(y), commitments.get(y)) for y in years]


# -- what the pages ask before they write ------------------------------------------------------
def may_run(user: User) -> bool:
    """The user runs the annual cycle somewhere today."""
    return scope_for(user).can(RUN)


def issuer_typed(*, user: User, code: str) -> Unit:
    """The issuing body typed into a form, if the user writes it today (else DomainError)."""
    return scope_for(user).writable_unit(RUN, code, "Cấp ủy")


def runnable_unit_ids(*, user: User, unit_ids: list[int]) -> set[int]:
    """Of these units, those the user writes today."""
    return set(
        scope_for(user).writable_units(RUN).filter(pk__in=unit_ids).values_list("pk", flat=True)
    )


def remediation_item_or_404(*, user: User, item_id: int) -> RemediationItem:
    """A remediation item in a unit the user writes today (404 otherwise)."""
    item = RemediationItem.objects.filter(
        pk=item_id, unit__in=scope_for(user).writable_units(RUN)
    ).first()
    if item is None:
        raise Http404("Không tìm thấy nội dung khắc phục.")
    return item


# -- names, not codes: what a person reads ------------------------------------------------------
def _day_of(version: UnitVersion, year: int) -> date:
    """The day a year's page names a unit on: the year's end, or the unit's last day."""
    return min(year_end(year), version.valid_to - timedelta(days=1))


def unit_names(unit_ids: list[int] | set[int], year: int) -> dict[int, str]:
    """Unit id → its name as it stood at the end of the year (or last in it), with the
    names of the units above it where names repeat ("Chi bộ Thôn 1 — Đảng bộ xã Cư Jút")."""
    latest: dict[int, UnitVersion] = {}
    for v in UnitVersion.objects.in_year(year).filter(unit_id__in=unit_ids).order_by("-valid_from"):
        latest.setdefault(v.unit_id, v)
    for v in UnitVersion.objects.filter(unit_id__in=set(unit_ids) - set(latest)).order_by(
        "-valid_from"
    ):
        latest.setdefault(v.unit_id, v)
    return labels(latest.values(), year_end(year))


def unit_heading(version: UnitVersion, year: int) -> str:
    """The unit's name and its parent's, for a page's heading."""
    return labels([version], _day_of(version, year), context=1)[version.unit_id]


def reaches_committee(*, user: User, year: int) -> bool:
    """The user reaches a committee standing at the end of the year (staff, who pick a
    unit whose cells to list; a cell secretary has only her cells)."""
    return (
        UnitVersion.objects.as_of(year_end(year))
        .filter(unit__in=scope_for(user).units(VIEW))
        .exclude(kind__in=CELL_KINDS)
        .exists()
    )


def unit_heading_of(unit: Unit, year: int) -> str:
    """The unit's heading as it stood in the year (or as it last stood)."""
    version = (
        UnitVersion.objects.in_year(year).filter(unit=unit).order_by("-valid_from").first()
        or UnitVersion.objects.filter(unit=unit).order_by("-valid_from").first()
    )
    return unit_heading(version, year) if version is not None else unit.code


def commitments_waiting(*, user: User) -> list[Commitment]:
    """Commitments sent to a cell the user runs today, waiting for its approval."""
    return list(
        Commitment.objects.filter(
            status=CommitmentStatus.SUBMITTED, unit__in=scope_for(user).writable_units(RUN)
        )
        .select_related("member", "unit")
        .order_by("-year", "member__name_sort")[:50]
    )


def cell_members_now(*, unit: Unit, year: int) -> list[Member]:
    """The members who stood in the cell during the year, by name (to pick one)."""
    return list(
        Member.objects.filter(in_year(year, prefix="memberships__"), memberships__unit=unit)
        .distinct()
        .order_by("name_sort")
    )
