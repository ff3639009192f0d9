"""Writes of units' plans: submit (or resubmit once returned), return with comments,
approve. Who may do which is the views' business (WRITE_REPORTS over the unit to submit,
over the level above to decide); what may be done is checked here."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from dangvu.accounts.models import User
from dangvu.core.errors import DomainError
from dangvu.indicators.models import Programme
from dangvu.plans.models import PlanStatus, UnitPlan
from dangvu.units.models import Unit, UnitVersion

TITLE_NEEDED = "Cần ghi trích yếu kế hoạch."
BEFORE_PROGRAMME = "Kế hoạch không thể trình trước ngày ban hành đề án ({day:%d/%m/%Y})."
UNIT_NOT_STANDING = "Đơn vị {unit} không hoạt động vào ngày {day:%d/%m/%Y}."
ALREADY = "Kế hoạch của đơn vị {state}: không trình lại được."
STATE = {PlanStatus.SUBMITTED: "đang chờ phê duyệt", PlanStatus.APPROVED: "đã được phê duyệt"}
NOT_PENDING = "Kế hoạch không ở trạng thái chờ phê duyệt."
COMMENTS_NEEDED = "Cần ghi ý kiến khi trả lại kế hoạch."
DECIDED_BEFORE = "Ngày phê duyệt không được trước ngày trình ({day:%d/%m/%Y})."


@transaction.atomic
def plan_submit(
    *, programme: Programme, unit: Unit, title: str, submitted_on: date, number: str = ""
) -> UnitPlan:
    if not title.strip():
        raise DomainError(TITLE_NEEDED)
    if submitted_on < programme.issued_on:
        raise DomainError(BEFORE_PROGRAMME.format(day=programme.issued_on))
    if not UnitVersion.objects.as_of(submitted_on).filter(unit=unit).exists():
        raise DomainError(UNIT_NOT_STANDING.format(unit=unit.code, day=submitted_on))
    plan = UnitPlan.objects.select_for_update().filter(programme=programme, unit=unit).first()
    if plan is not None and plan.status != PlanStatus.RETURNED:
        raise DomainError(ALREADY.format(state=STATE[PlanStatus(plan.status)]))
    plan = plan or UnitPlan(programme=programme, unit=unit)
    plan.title, plan.number, plan.submitted_on = title.strip(), number.strip(), submitted_on
    plan.status = PlanStatus.SUBMITTED
    plan.save()
    return plan


@transaction.atomic
def plan_decide(
    *, plan: UnitPlan, approve: bool, on: date, actor: User | None, comments: str = ""
) -> UnitPlan:
    plan = UnitPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.SUBMITTED:
        raise DomainError(NOT_PENDING)
    if on < plan.submitted_on:
        raise DomainError(DECIDED_BEFORE.format(day=plan.submitted_on))
    if not approve and not comments.strip():
        raise DomainError(COMMENTS_NEEDED)
    plan.status = PlanStatus.APPROVED if approve else PlanStatus.RETURNED
    plan.approved_on = on if approve else None
    plan.comments, plan.decided_by = comments.strip(), actor
    plan.save()
    return plan
