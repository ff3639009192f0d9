"""Reads of inspection cases: only through the DISCIPLINE capability over the case's unit
(the subject's organisation or cell), and every read is recorded (`CaseRead`) by the
selector that hands cases to the person (`cases_page`, `case_or_404`), through the one
writer of the log, `services.cases_read` / `services.case_read`.

The subject typed into a form or a workbook row is looked up inside the reach first: a card
number or unit code outside it is answered exactly as one that does not exist, so no answer
tells where a member stood on a day, or whether they exist."""

from __future__ import annotations

from datetime import date
from typing import cast

from django.core.paginator import Page, Paginator
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from dangvu.accounts.models import User
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for
from dangvu.core.effective import active_on
from dangvu.core.errors import DomainError
from dangvu.inspection import services
from dangvu.inspection.models import CaseRead, InspectionCase, ReadKind
from dangvu.members.models import Member, Membership
from dangvu.units.models import Unit, UnitVersion

CAP = Capability.DISCIPLINE
MEMBER_UNREACHED = (
    "Đảng viên số thẻ {card} không có hoặc không sinh hoạt trong phạm vi của bạn "
    "vào ngày {day:%d/%m/%Y}."
)


def _named(unit_field: str) -> Subquery:
    """The unit's name as it stood on the day the case opened."""
    return Subquery(
        UnitVersion.objects.filter(
            active_on(cast(date, OuterRef("opened_on"))), unit=OuterRef(unit_field)
        ).values("name")[:1]
    )


def _reachable(user: User) -> QuerySet[InspectionCase]:
    """Cases in units the user's roles in force today reach: an inspector who has moved on
    keeps no view of the cases (these records have no history pages)."""
    return InspectionCase.objects.filter(unit__in=scope_for(user).writable_units(CAP)).annotate(
        subject_unit_name=_named("subject_unit"), body_name=_named("body")
    )


def cases_visible(
    *, user: User, query: str = "", kind: str = "", open_only: bool = False
) -> QuerySet[InspectionCase]:
    qs = _reachable(user).select_related("subject_unit", "subject_member", "unit", "discipline")
    if query:
        qs = qs.filter(
            Q(code__icontains=query)
            | Q(subject_member__card_number__startswith=query.upper())
            | Q(subject_unit__code__startswith=query)
        )
    if kind:
        qs = qs.filter(kind=kind)
    if open_only:
        qs = qs.filter(concluded_on__isnull=True)
    return qs.order_by("-opened_on", "-pk")


def cases_page(
    *, user: User, number: int, query: str = "", kind: str = "", open_only: bool = False
) -> Page[InspectionCase]:
    """One page (50 cases) of the list; each case shown is recorded as read (`LIST`)."""
    cases = cases_visible(user=user, query=query, kind=kind, open_only=open_only)
    page = Paginator(cases, 50).get_page(number)
    services.cases_read(actor=user, cases=list(page), what=ReadKind.LIST)
    return page


def subject_member(*, user: User, card_number: str, day: date) -> Member:
    """The member with this card if active on `day` in a cell the user's inspection roles in
    force today reach (where the case would stand); otherwise the same refusal whether the
    card exists or not, the member stood elsewhere that day, or in no cell at all."""
    card = (card_number or "").strip().upper()
    cell = (
        Membership.objects.as_of(day)
        .filter(member__card_number=card, unit__in=scope_for(user).writable_units(CAP))
        .select_related("member")
        .first()
    )
    if not card or cell is None:
        raise DomainError(MEMBER_UNREACHED.format(card=card or "(trống)", day=day))
    return cell.member


def subject_unit(*, user: User, code: str) -> Unit:
    """The organisation with this code if the user's inspection roles in force today reach it;
    otherwise the same refusal whether the code exists or not."""
    return scope_for(user).writable_unit(CAP, code, what="Tổ chức đảng")


BODY_LEVELS = {
    "province": "cấp tỉnh",
    "direct": "cấp huyện",
    "grassroots_committee": "cấp cơ sở",
    "grassroots_cell": "cấp cơ sở",
}


def body_level(case: InspectionCase) -> str:
    """The level of the body that conducted the case, from what the body was that day."""
    version = UnitVersion.objects.as_of(case.opened_on).filter(unit_id=case.body_id).first()
    return BODY_LEVELS.get(version.kind if version else "", "cấp cơ sở")


def case_or_404(
    *, user: User, case_id: int, what: ReadKind | None = ReadKind.DETAIL
) -> InspectionCase:
    """The case, if the user reaches it; the read is recorded before it is returned (`what`
    None: the service the case is handed to records what it did with it)."""
    found = (
        _reachable(user)
        .filter(pk=case_id)
        .select_related("subject_unit", "subject_member", "unit", "body", "discipline")
        .first()
    )
    if found is None:
        raise Http404("Không tìm thấy vụ việc.")
    if what is not None:
        services.case_read(actor=user, case=found, what=what)
    return found


def reads_of(case: InspectionCase) -> QuerySet[CaseRead]:
    return case.reads.select_related("user").order_by("-at")[:50]
