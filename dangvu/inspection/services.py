"""Writes of inspection and discipline cases. Refusals are DomainErrors in Vietnamese,
raised before anything is written. Who may write is the views' business (DISCIPLINE over
the subject's unit); what may be written is checked here.

The read log (`CaseRead`) is written here and nowhere else: every service that changes a
case for someone writes that person's row itself, inside its transaction when the change
is written, after it was rolled back when the change is refused (the refusal told the
reader something about the case, and the log says "refused", never "written"). A read
without a change is recorded by the selector that hands the case to the person (a page of
the list, the case's page: `selectors.py`) or by the sheet that exports or compares it,
each through `cases_read`; views never record a read themselves."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from django.db import transaction

from dangvu.accounts.models import User
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for
from dangvu.core import reference
from dangvu.core.bulk import insert_rows, next_ids
from dangvu.core.errors import DomainError
from dangvu.core.http import BAD_DAY
from dangvu.indicators import services_tallies as tallies
from dangvu.inspection.models import (
    Applies,
    CaseKind,
    CaseRead,
    DisciplineForm,
    DisciplineRule,
    InspectionCase,
    ReadKind,
    SubjectKind,
)
from dangvu.members.models import Member, Membership
from dangvu.units.models import Unit, UnitVersion

CODE_NEEDED = "Cần ghi mã vụ việc."
CODE_TAKEN = "Mã vụ việc {code} đã có."
SUBJECT_NEEDED = "Chọn đối tượng: một tổ chức đảng hoặc một đảng viên."
UNIT_NOT_STANDING = "Tổ chức đảng {unit} không hoạt động vào ngày {day:%d/%m/%Y}."
MEMBER_NOT_ACTIVE = "Đảng viên {card} không sinh hoạt tại chi bộ nào vào ngày {day:%d/%m/%Y}."
BODY_NOT_ABOVE = "{body} không phải cấp ủy cấp trên (hoặc chính tổ chức) của đối tượng."
CONCLUDED_BEFORE = "Ngày kết luận không được trước ngày quyết định kiểm tra ({day:%d/%m/%Y})."
CONCLUSION_NEEDED = "Cần ghi có hay không có vi phạm."
NO_VIOLATION = "Chỉ thi hành kỷ luật khi kết luận có vi phạm."
DECISION_BEFORE = "Ngày quyết định kỷ luật không được trước ngày kết luận ({day:%d/%m/%Y})."
FORM_NOT_ALLOWED = "Theo {rule}, {subject} chỉ có thể bị: {allowed}."
DECISION_NUMBER_NEEDED = "Cần ghi số quyết định kỷ luật."
ALREADY_DISCIPLINED = "Vụ việc đã có quyết định kỷ luật: không sửa kết luận được nữa."
#: The page's words for a unit typed into the form that the user does not write today.
BODY_UNREACHED = "Đơn vị mã {code} không có hoặc ngoài phạm vi của bạn."
CONCLUDED_ON = "Ngày kết luận"
DECISION_ON = "Ngày quyết định kỷ luật"
#: A workbook row naming a case the importer does not reach: codes are unique in the whole
#: tree, so the code cannot be taken; nothing of that case is compared or told.
CODE_ELSEWHERE = "Mã vụ việc {code} đã dùng cho một vụ việc ngoài phạm vi của bạn; chọn mã khác."


def cases_read(*, actor: User, cases: Iterable[InspectionCase], what: ReadKind) -> None:
    """Record that `actor` read these cases (a page of the list, an export, an import that
    compared them with its rows): one row per case."""
    CaseRead.objects.bulk_create([CaseRead(user=actor, case=c, what=what) for c in cases])


def case_read(*, actor: User | None, case: InspectionCase, what: ReadKind) -> None:
    """Record that `actor` read (or was refused a change to) one case; nothing without an
    actor (the demo's seeding)."""
    if actor is not None:
        CaseRead.objects.create(user=actor, case=case, what=what)


def rule_on(day: date) -> DisciplineRule:
    """The forms of discipline in force on `day` (reference data, read without a query)."""
    rules = reference.loaded("inspection.DisciplineRule", DisciplineRule.objects.all)
    return reference.in_force(rules, day, "quy định về hình thức kỷ luật")


def applies_to(case: InspectionCase, day: date) -> str:
    """Organisation, full member or probationary member (on the day of the decision)."""
    if case.subject_kind == SubjectKind.ORGANISATION:
        return Applies.ORGANISATION
    member = case.subject_member
    assert member is not None
    full = member.full_member_on is not None and member.full_member_on <= day
    return Applies.FULL_MEMBER if full else Applies.PROBATIONARY


def allowed_forms(case: InspectionCase, day: date) -> list[DisciplineForm]:
    return list(rule_on(day).forms.filter(applies=applies_to(case, day)).order_by("rank"))


@dataclass(frozen=True)
class CaseSpec:
    code: str
    kind: str
    body: Unit
    opened_on: date
    subject_unit: Unit | None = None
    subject_member: Member | None = None
    complex: bool = False


def placed(spec: CaseSpec) -> tuple[Unit, bool]:
    """Where the case stands (the organisation, or the member's cell then) and whether the
    member sits on a committee; after checking the body is above the subject."""
    if not spec.code.strip():
        raise DomainError(CODE_NEEDED)
    if spec.kind not in CaseKind.values:
        raise DomainError("Loại kiểm tra, giám sát không hợp lệ.")
    if (spec.subject_unit is None) == (spec.subject_member is None):
        raise DomainError(SUBJECT_NEEDED)
    day = spec.opened_on
    if spec.subject_unit is not None:
        unit, committee = spec.subject_unit, False
        if not UnitVersion.objects.as_of(day).filter(unit=unit).exists():
            raise DomainError(UNIT_NOT_STANDING.format(unit=unit.code, day=day))
    else:
        member = spec.subject_member
        assert member is not None
        cell = Membership.objects.as_of(day).filter(member=member).select_related("unit").first()
        if cell is None:
            raise DomainError(MEMBER_NOT_ACTIVE.format(card=member.card_number, day=day))
        unit, committee = cell.unit, member.is_committee_member
    body = UnitVersion.objects.as_of(day).filter(unit=spec.body).first()
    where = UnitVersion.objects.as_of(day).filter(unit=unit).first()
    if body is None or where is None or not where.path.startswith(body.path):
        raise DomainError(BODY_NOT_ABOVE.format(body=body.name if body else spec.body.code))
    return unit, committee


def check_body(spec: CaseSpec, actor: User | None) -> None:
    """The conducting body is a unit the actor writes today (the page's rule, also for
    an import); the operator (no actor) is trusted."""
    if actor is None:
        return
    units = scope_for(actor).writable_units(Capability.DISCIPLINE)
    if not units.filter(pk=spec.body.pk).exists():
        raise DomainError(BODY_UNREACHED.format(code=spec.body.code), field="body_code")


def check_case(spec: CaseSpec, actor: User | None) -> tuple[Unit, bool]:
    """The one row validator of a case (the form, the workbook): the body within the
    actor's reach, then `placed`. Returns where the case stands and the committee flag."""
    check_body(spec, actor)
    try:
        return placed(spec)
    except DomainError as error:
        raise DomainError(error.message, field=error.field or "subject") from error


@transaction.atomic
def case_open(
    *,
    spec: CaseSpec,
    actor: User | None = None,
    via: ReadKind = ReadKind.OPEN,
    committee: bool | None = None,
) -> InspectionCase:
    """Open a case; the opening is the actor's first read of it (`via`: the form or an
    import). Without an actor (the demo's seeding) nothing is read. `committee` overrides
    the member's record (a workbook's column)."""
    unit, on_committee = check_case(spec, actor)
    committee = on_committee if committee is None else committee
    code = spec.code.strip()
    if InspectionCase.objects.filter(code=code).exists():
        raise DomainError(CODE_TAKEN.format(code=code))
    case = InspectionCase.objects.create(
        code=code,
        kind=spec.kind,
        subject_kind=SubjectKind.ORGANISATION if spec.subject_unit else SubjectKind.MEMBER,
        subject_unit=spec.subject_unit,
        subject_member=spec.subject_member,
        unit=unit,
        is_committee_member=committee,
        body=spec.body,
        opened_on=spec.opened_on,
        complex=spec.complex,
        created_by=actor,
    )
    tallies.touched(InspectionCase, [unit.pk], [spec.opened_on])
    case_read(actor=actor, case=case, what=via)
    return case


@transaction.atomic
def case_amend(
    *, case: InspectionCase, spec: CaseSpec, actor: User | None, committee: bool | None = None
) -> bool:
    """Correct an open case's particulars from a workbook row (the code stays); True when
    something changed. The caller has recorded the case as read."""
    unit, on_committee = check_case(spec, actor)
    values = {
        "kind": spec.kind,
        "subject_kind": SubjectKind.ORGANISATION if spec.subject_unit else SubjectKind.MEMBER,
        "subject_unit": spec.subject_unit,
        "subject_member": spec.subject_member,
        "unit": unit,
        "body": spec.body,
        "opened_on": spec.opened_on,
        "complex": spec.complex,
    }
    changed = any(getattr(case, k) != v for k, v in values.items())
    flag = on_committee if committee is None else committee
    before = tallies.where(InspectionCase, [case.pk])
    if changed:
        for k, v in values.items():
            setattr(case, k, v)
        case.save()
    if case.is_committee_member != flag:
        case.is_committee_member = flag
        case.save(update_fields=["is_committee_member"])
    tallies.touched_records(InspectionCase, [case.pk], before)
    return changed


def case_conclude(
    *,
    case: InspectionCase,
    concluded_on: date | None,
    violation: bool | None,
    conclusion: str,
    actor: User | None = None,
) -> InspectionCase:
    """Record the conclusion (atomic); a refusal is logged as a refused read of the case
    (`concluded_on` None: the form's date could not be read)."""
    try:
        return _conclude(
            case=case,
            concluded_on=concluded_on,
            violation=violation,
            conclusion=conclusion,
            actor=actor,
        )
    except DomainError:
        case_read(actor=actor, case=case, what=ReadKind.CONCLUDE_REFUSED)
        raise


@transaction.atomic
def _conclude(
    *,
    case: InspectionCase,
    concluded_on: date | None,
    violation: bool | None,
    conclusion: str,
    actor: User | None,
) -> InspectionCase:
    if concluded_on is None:
        raise DomainError(BAD_DAY.format(what=CONCLUDED_ON))
    case = InspectionCase.objects.select_for_update().get(pk=case.pk)
    if case.discipline_id is not None:
        raise DomainError(ALREADY_DISCIPLINED)
    if violation is None:
        raise DomainError(CONCLUSION_NEEDED)
    if concluded_on < case.opened_on:
        raise DomainError(CONCLUDED_BEFORE.format(day=case.opened_on))
    if not violation and case.discipline_id is not None:
        raise DomainError(NO_VIOLATION)
    case.concluded_on, case.violation, case.conclusion = concluded_on, violation, conclusion.strip()
    case.save(update_fields=["concluded_on", "violation", "conclusion"])
    tallies.touched(InspectionCase, [case.unit_id], [case.opened_on])
    case_read(actor=actor, case=case, what=ReadKind.CONCLUDE)
    return case


def case_discipline(
    *,
    case: InspectionCase,
    form_code: str,
    decision_number: str,
    decision_on: date | None,
    number_required: bool = True,
    actor: User | None = None,
) -> InspectionCase:
    """The discipline decided: a form the rule in force allows for this subject (atomic);
    a refusal is logged as a refused read of the case (`decision_on` None: the form's date
    could not be read)."""
    try:
        return _discipline(
            case=case,
            form_code=form_code,
            decision_number=decision_number,
            decision_on=decision_on,
            number_required=number_required,
            actor=actor,
        )
    except DomainError:
        case_read(actor=actor, case=case, what=ReadKind.DISCIPLINE_REFUSED)
        raise


@transaction.atomic
def _discipline(
    *,
    case: InspectionCase,
    form_code: str,
    decision_number: str,
    decision_on: date | None,
    number_required: bool,
    actor: User | None,
) -> InspectionCase:
    if decision_on is None:
        raise DomainError(BAD_DAY.format(what=DECISION_ON))
    case = (
        InspectionCase.objects.select_for_update(of=("self",))
        .select_related("subject_member")
        .get(pk=case.pk)
    )
    if not case.violation or case.concluded_on is None:
        raise DomainError(NO_VIOLATION)
    if decision_on < case.concluded_on:
        raise DomainError(DECISION_BEFORE.format(day=case.concluded_on))
    if number_required and not decision_number.strip():
        raise DomainError(DECISION_NUMBER_NEEDED)
    forms = allowed_forms(case, decision_on)
    chosen = next((f for f in forms if f.code == form_code), None)
    if chosen is None:
        raise DomainError(
            FORM_NOT_ALLOWED.format(
                rule=rule_on(decision_on).code,
                subject=Applies(applies_to(case, decision_on)).label.lower(),
                allowed=", ".join(f.label.lower() for f in forms),
            )
        )
    case.discipline, case.decision_number, case.decision_on = (
        chosen,
        decision_number.strip(),
        decision_on,
    )
    case.save(update_fields=["discipline", "decision_number", "decision_on"])
    tallies.touched(InspectionCase, [case.unit_id], [case.opened_on])
    case_read(actor=actor, case=case, what=ReadKind.DISCIPLINE)
    return case


class GeneratedCase(NamedTuple):
    """A case made by the demo generator, in the columns of `InspectionCase`."""

    kind: str
    subject_kind: str
    subject_unit: int | None
    subject_member: int | None
    unit: int
    is_committee_member: bool
    body: int
    opened_on: date
    concluded_on: date | None
    violation: str
    conclusion: str
    discipline: int | None
    decision_number: str
    decision_on: date | None
    complex: bool


def cases_generated(*, cases: Sequence[GeneratedCase]) -> int:
    """Write generated cases in one statement, numbered KT-<year opened>-<n> in their order.
    Generated data is consistent by construction (the demo draws units, members and forms
    from the rules in force): no reach to check, no read to record (no reader)."""
    ids = next_ids(InspectionCase, len(cases))
    written = insert_rows(
        InspectionCase,
        ["id", "code", *GeneratedCase._fields],
        [
            (pk, f"KT-{case.opened_on.year}-{n:04d}", *case)
            for n, (pk, case) in enumerate(zip(ids, cases, strict=True), start=1)
        ],
    )
    tallies.touched(InspectionCase, {c.unit for c in cases}, {c.opened_on for c in cases})
    return written
