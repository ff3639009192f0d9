"""The annual cycle's part of the home page's things to do (see home/todo.py): the member's
commitment, and for whoever runs a cell the commitments to decide, the reviews missing, the
suggestions to answer and the overdue remediation."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import BigIntegerField, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from dangvu.accounts.permissions import Capability
from dangvu.core.effective import active_on, in_year, overlapping
from dangvu.home.todo import NAMES, Ask, Held, Todo, counts, firsts, to_do
from dangvu.members.models import Membership
from dangvu.reviews.models import (
    Commitment,
    CommitmentStatus,
    MemberReview,
    RemediationItem,
    ReviewSuggestion,
)
from dangvu.reviews.services import rating_window
from dangvu.units.models import UnitVersion


@to_do(kind="member", order=20)
def commitment_to_write(ask: Ask) -> list[Todo]:
    """This year's commitment: to write (none, or a draft), or to revise (returned)."""
    now = ask.now
    cell_id = ask.cell_id
    commitment = (
        Commitment.objects.filter(member_id=ask.member_id, year=now.year)
        .values_list("status", flat=True)
        .first()
    )
    url = reverse("reviews:my_commitment") + f"?nam={now.year}"
    if cell_id is not None and commitment in (None, CommitmentStatus.DRAFT):
        return [
            Todo(
                f"Viết bản cam kết năm {now.year} và gửi chi bộ."
                if commitment is None
                else f"Bản cam kết năm {now.year} còn là bản nháp: hoàn thành và gửi chi bộ.",
                url,
                "Viết cam kết",
                kind="commitment_write",
            )
        ]
    if commitment == CommitmentStatus.RETURNED:
        return [
            Todo(
                f"Chi bộ đã góp ý bản cam kết năm {now.year}: sửa theo góp ý và gửi lại.",
                url,
                "Sửa cam kết",
                kind="commitment_revise",
            )
        ]
    return []


@to_do(kind="cell", order=10, capability=Capability.RUN_REVIEWS)
def commitments_to_decide(ask: Ask, cells: list[Held]) -> Iterable[tuple[int, list[Todo]]]:
    """Commitments sent to the cell and not yet decided (nobody decides on their own): the
    first few of each cell by name, the rest counted (two queries). People wait for these
    first."""
    waiting = (
        Commitment.objects.filter(
            unit_id__in=[c.unit_id for c in cells], status=CommitmentStatus.SUBMITTED
        )
        .filter(ask.scope.member_record_filter(Capability.VIEW_MEMBERS, year="year"))
        .exclude(member_id=ask.user.member_id or 0)
    )
    counted = counts(waiting, "unit_id")
    if not counted:
        return []
    first = firsts(waiting.select_related("member"), "unit_id", ("submitted_at", "pk"))
    out = []
    for cell in cells:
        rows = first.get(cell.unit_id, [])
        todos = [
            Todo(
                f"Duyệt bản cam kết năm {c.year} của {c.member.full_name}.",
                reverse("reviews:commitment", args=[c.pk]),
                "Xem và duyệt",
                kind="commitment_decide",
            )
            for c in rows
        ]
        rest = counted.get(cell.unit_id, 0) - len(rows)
        if rest > 0:
            todos.append(
                Todo(
                    f"Còn {rest} bản cam kết khác chờ duyệt.",
                    reverse("reviews:cell", args=[cell.code, rows[0].year]),
                    "Xem tất cả",
                    kind="commitments_more",
                )
            )
        out.append((cell.unit_id, todos))
    return out


def rating_year(now: date) -> int | None:
    """The year whose reviews are being recorded today: this year once its rating opens,
    last year until its rating closes; None between the two (or with no rule in force)."""
    this, last = _window(now.year), _window(now.year - 1)
    if this is not None and now >= this[0]:
        return now.year
    if last is not None and now <= last[1]:
        return now.year - 1
    return None


def _window(year: int) -> tuple[date, date] | None:
    try:
        return rating_window(year)
    except LookupError:  # no rating rule covers the year
        return None


@to_do(kind="cell", order=30, capability=Capability.RUN_REVIEWS)
def reviews_missing(ask: Ask, cells: list[Held]) -> Iterable[tuple[int, list[Todo]]]:
    """Members in the cell at the year's end (or today) without a review of the year whose
    rating is open: one item per cell, to its year's review page (one grouped query)."""
    year = rating_year(ask.now)
    if year is None:
        return []
    day = min(ask.now, date(year, 12, 31))
    reviewed = MemberReview.objects.filter(member=OuterRef("member"), year=year)
    missing = (
        Membership.objects.filter(active_on(day), unit_id__in=[c.unit_id for c in cells])
        .exclude(member_id=ask.user.member_id or 0)
        .exclude(Exists(reviewed))
    )
    counted = counts(missing, "unit_id")
    if not counted:
        return []
    first = firsts(missing.select_related("member"), "unit_id", ("member__name_sort",), limit=NAMES)
    names = {unit: [m.member.full_name for m in rows] for unit, rows in first.items()}
    out = []
    for cell in cells:
        n = counted.get(cell.unit_id, 0)
        if not n:
            continue
        listed = ", ".join(names[cell.unit_id]) + (", …" if n > NAMES else "")
        out.append(
            (
                cell.unit_id,
                [
                    Todo(
                        f"{n} đảng viên chưa có kết quả kiểm điểm năm {year}: {listed}.",
                        reverse("reviews:cell", args=[cell.code, year]),
                        "Ghi kiểm điểm",
                        kind="reviews_missing",
                    )
                ],
            )
        )
    return out


@to_do(kind="cell", order=40, capability=Capability.RUN_REVIEWS)
def suggestions_to_answer(ask: Ask, cells: list[Held]) -> Iterable[tuple[int, list[Todo]]]:
    """Suggestions of this year or last, not yet answered, to the cell itself or to a
    member who stood in it that year (a grouped count, and the first few)."""
    now = ask.now
    ids = [c.unit_id for c in cells]
    cell_of = Membership.objects.filter(
        in_year(OuterRef("year")), unit_id__in=ids, member=OuterRef("subject_member")
    ).values("unit_id")[:1]
    # The cells' members of these years (indexed), before the per-row subquery runs.
    members = (
        Membership.objects.filter(unit_id__in=ids)
        .filter(overlapping(date(now.year - 1, 1, 1), date(now.year + 1, 1, 1)))
        .values("member_id")
    )
    issuer_name = UnitVersion.objects.filter(active_on(now), unit=OuterRef("issuer")).values(
        "name"
    )[:1]
    pending = (
        ReviewSuggestion.objects.filter(answered_on__isnull=True, year__gte=now.year - 1)
        .filter(Q(subject_unit_id__in=ids) | Q(subject_member_id__in=members))
        .annotate(
            owner=Coalesce("subject_unit_id", Subquery(cell_of), output_field=BigIntegerField())
        )
        .filter(owner__in=ids)
    )
    counted = counts(pending, "owner")
    if not counted:
        return []
    first = firsts(
        pending.annotate(issuer_name=Subquery(issuer_name)).select_related("subject_member"),
        "owner",
        ("year", "issued_on", "pk"),
    )
    out = []
    for cell in cells:
        rows = first.get(cell.unit_id, [])
        todos = []
        for s in rows:
            who = (
                f"đồng chí {s.subject_member.full_name}"
                if s.subject_member
                else f"tập thể {s.get_subject_collective_display().lower()}"
            )
            todos.append(
                Todo(
                    f"Trả lời gợi ý kiểm điểm năm {s.year} của "
                    f"{s.issuer_name or 'cấp ủy cấp trên'} cho {who}.",
                    reverse("reviews:suggestions") + f"?nam={s.year}",
                    "Trả lời",
                    kind="suggestion_to_answer",
                )
            )
        rest = counted.get(cell.unit_id, 0) - len(rows)
        if rest > 0:
            todos.append(
                Todo(
                    f"Còn {rest} gợi ý kiểm điểm khác chưa trả lời.",
                    reverse("reviews:suggestions") + f"?nam={now.year}",
                    "Xem tất cả",
                    kind="suggestions_more",
                )
            )
        out.append((cell.unit_id, todos))
    return out


@to_do(kind="cell", order=50, capability=Capability.RUN_REVIEWS)
def remediation_overdue(ask: Ask, cells: list[Held]) -> Iterable[tuple[int, list[Todo]]]:
    """Remediation items of the cell past their deadline and not done: a count per cell."""
    counted = counts(
        RemediationItem.objects.filter(
            unit_id__in=[c.unit_id for c in cells], done_on__isnull=True, deadline__lt=ask.now
        ),
        "unit_id",
    )
    url = reverse("reviews:remediation") + "?qua-han=1"
    return [
        (
            cell.unit_id,
            [
                Todo(
                    f"{counted[cell.unit_id]} nội dung khắc phục hạn chế, khuyết điểm đã quá hạn.",
                    url,
                    "Cập nhật kết quả",
                    kind="remediation_overdue",
                )
            ],
        )
        for cell in cells
        if counted.get(cell.unit_id)
    ]
