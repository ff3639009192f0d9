"""Sheet `KiemTra` of the exchange workbook: inspection and discipline cases.

Guarded twice: only a named user with the DISCIPLINE capability imports it, and an export
writes only the cases that capability reaches, for a named reader (none for the
organisation department, which holds the exchange capability but not this one, nor for the
administrator or the command line run without --as); every case exported, and every case
an import compares with its rows, is recorded as read.
dangvu's own optional columns carry the opening date, the committee-member flag, the
conducting body, the decision and the conclusion, so that an export imports back the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for
from dangvu.core.errors import DomainError
from dangvu.exchange import workbook as wb
from dangvu.exchange.context import ExportContext, ImportContext
from dangvu.inspection import selectors, services
from dangvu.inspection.models import CaseKind, InspectionCase, ReadKind, SubjectKind
from dangvu.units.models import Unit, UnitVersion

KIND = wb.choice(CaseKind.choices)
SUBJECT = wb.choice(SubjectKind.choices)
FORMS = wb.choice(
    [
        ("reprimand", "Khiển trách"),
        ("warning", "Cảnh cáo"),
        ("removal", "Cách chức"),
        ("expulsion", "Khai trừ"),
        ("dissolution", "Giải tán"),
    ]
)
CAP = Capability.DISCIPLINE
NOT_ALLOWED = "chỉ cán bộ kiểm tra (hoặc lãnh đạo cấp ủy) mới nhập được trang này"


def _default_body(unit: Unit, day: date) -> Unit | None:
    """The district committee above the subject (the province for a district)."""
    version = UnitVersion.objects.as_of(day).filter(unit=unit).first()
    if version is None:
        return None
    ids = [int(p) for p in version.path.strip("/").split("/")]
    pick = ids[1] if len(ids) > 2 else ids[0]
    return Unit.objects.filter(pk=pick).first()


def load_cases(ctx: ImportContext, rows: list[wb.Row]) -> wb.SheetResult:
    """Each row is checked against the importer's reach before anything else: a subject or
    case code outside it is answered as one that does not exist (a code, which must stay
    unique, as taken), and such a case is never compared with the row. Every existing case
    a row is compared with is recorded as read, whether the import is written, refused or
    only tried (`ctx.keep`)."""
    spec = KIEM_TRA
    result = wb.SheetResult()
    if not ctx.may(CAP) or ctx.actor is None:
        for row in rows[:1]:
            ctx.error(spec, row, "code", NOT_ALLOWED)
        return result
    actor = ctx.actor
    reach = set(scope_for(actor).writable_units(CAP).values_list("pk", flat=True))
    units = {u.code: u for u in Unit.objects.all()}
    existing = {c.code: c for c in InspectionCase.objects.all()}
    compared: list[InspectionCase] = []
    ctx.keep(lambda: services.cases_read(actor=actor, cases=compared, what=ReadKind.IMPORT))
    seen: set[str] = set()
    for row in rows:
        code = row["code"]
        if code in seen:
            ctx.error(spec, row, "code", "trùng mã với dòng khác")
            continue
        seen.add(code)
        opened = row.values.get("opened_on") or row["concluded_on"]
        if opened is None:
            ctx.error(spec, row, "concluded_on", "cần ngày kiểm tra hoặc ngày kết luận")
            continue
        subject_unit = subject_member = None
        try:
            if row["subject_kind"] == SubjectKind.MEMBER:
                subject_member = selectors.subject_member(
                    user=actor, card_number=row["subject"], day=opened
                )
            else:
                subject_unit = selectors.subject_unit(user=actor, code=row["subject"])
        except DomainError as error:
            ctx.error(spec, row, "subject", error.message)
            continue
        before = existing.get(code)
        if before is not None and before.unit_id not in reach:
            ctx.error(spec, row, "code", services.CODE_ELSEWHERE.format(code=code))
            continue
        if before is not None:
            compared.append(before)
        body_code = row.values.get("body_code") or ""
        anchor = subject_unit
        if anchor is None and subject_member is not None:
            cell = subject_member.memberships.as_of(opened).select_related("unit").first()
            anchor = cell.unit if cell else None
        body = (
            units.get(body_code)
            if body_code
            else (_default_body(anchor, opened) if anchor else None)
        )
        if body is None:
            ctx.error(
                spec,
                row,
                "body_code" if body_code else "subject",
                "không xác định được cơ quan tiến hành",
            )
            continue
        case_spec = services.CaseSpec(
            code=code,
            kind=row["kind"],
            body=body,
            opened_on=opened,
            subject_unit=subject_unit,
            subject_member=subject_member,
            complex=row["complex"],
        )
        try:
            where, committee = services.placed(case_spec)
        except DomainError as error:
            ctx.error(spec, row, "subject", error.message)
            continue
        if "committee" in row.present:
            committee = row["committee"]
        try:
            case = before
            if case is None:
                case = services.case_open(spec=case_spec, actor=actor, via=ReadKind.IMPORT)
                result.created += 1
            else:
                changed = _update(case, case_spec, where, committee)
                result.updated += int(changed)
                result.unchanged += int(not changed)
            if case.is_committee_member != committee:
                case.is_committee_member = committee
                case.save(update_fields=["is_committee_member"])
            if (
                row["concluded_on"] is not None
                and row["violation"] is not None
                and case.discipline_id is None
            ):
                case = services.case_conclude(
                    case=case,
                    concluded_on=row["concluded_on"],
                    violation=row["violation"],
                    conclusion=row.values.get("conclusion") or "",
                )
            if row["discipline"] and case.discipline_id is None:
                case = services.case_discipline(
                    case=case,
                    form_code=row["discipline"],
                    decision_number=row.values.get("decision_number") or "",
                    decision_on=row.values.get("decision_on") or row["concluded_on"] or opened,
                    number_required=False,
                )
        except DomainError as error:
            ctx.error(
                spec, row, "discipline" if row["discipline"] else "concluded_on", error.message
            )
    return result


def _update(case: InspectionCase, spec: services.CaseSpec, where: Unit, committee: bool) -> bool:
    values = {
        "kind": spec.kind,
        "subject_kind": SubjectKind.ORGANISATION if spec.subject_unit else SubjectKind.MEMBER,
        "subject_unit": spec.subject_unit,
        "subject_member": spec.subject_member,
        "unit": where,
        "body": spec.body,
        "opened_on": spec.opened_on,
        "complex": spec.complex,
    }
    changed = any(getattr(case, k) != v for k, v in values.items())
    if changed:
        for k, v in values.items():
            setattr(case, k, v)
        case.save()
    return changed


def _boolean_or_blank(value: Any) -> bool | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return wb.boolean(value)


def dump_cases(ctx: ExportContext) -> Iterable[Sequence[Any]]:
    qs = InspectionCase.objects.select_related(
        "subject_unit", "subject_member", "body", "discipline"
    ).order_by("code")
    if ctx.unit_ids is not None:  # the reach of the discipline capability (and the org asked)
        qs = qs.filter(unit_id__in=ctx.unit_ids)
    if ctx.actor is None:
        return  # no named reader, no case: every case written out is a read of someone's
    cases = list(qs)
    services.cases_read(actor=ctx.actor, cases=cases, what=ReadKind.EXPORT)
    for c in cases:
        yield (
            c.code,
            CaseKind(c.kind).label,
            c.subject_member.card_number if c.subject_member else c.subject_unit.code,  # type: ignore[union-attr]
            SubjectKind(c.subject_kind).label,
            c.concluded_on,
            None if c.violation is None else ("Có" if c.violation else "Không"),
            c.discipline.label if c.discipline else "",
            "Có" if c.complex else "Không",
            c.opened_on,
            "Có" if c.is_committee_member else "Không",
            c.body.code,
            c.decision_number,
            c.decision_on,
            c.conclusion,
        )


KIEM_TRA = wb.registry.register(
    wb.SheetSpec(
        name="KiemTra",
        title="Kiểm tra, giám sát, kỷ luật",
        order=50,
        after=("DonVi", "DangVien"),
        columns=(
            wb.Column(
                "Mã vụ việc", "code", wb.code, required=True, key=True, example="KT-2022-001"
            ),
            wb.Column(
                "Loại kiểm tra", "kind", KIND, required=True, example="Dấu hiệu vi phạm", width=30
            ),
            wb.Column("Đối tượng", "subject", wb.code, required=True, example="67012345"),
            wb.Column(
                "Loại đối tượng", "subject_kind", SUBJECT, required=True, example="Đảng viên"
            ),
            wb.Column("Ngày kết luận", "concluded_on", wb.date, example="20/10/2022", width=12),
            wb.Column("Có vi phạm", "violation", _boolean_or_blank, example="Có", width=10),
            wb.Column("Hình thức kỷ luật", "discipline", FORMS, example="Khiển trách", width=16),
            wb.Column("Phức tạp", "complex", wb.boolean, example="Không", width=10),
            wb.Column(
                "Ngày kiểm tra",
                "opened_on",
                wb.date,
                width=12,
                note="Cột riêng của dangvu; để trống: ngày kết luận",
            ),
            wb.Column(
                "Cấp ủy viên",
                "committee",
                wb.boolean,
                width=10,
                note="Cột riêng của dangvu; để trống: theo hồ sơ đảng viên",
            ),
            wb.Column(
                "Mã cơ quan kiểm tra",
                "body_code",
                wb.code,
                width=20,
                note="Cột riêng của dangvu; để trống: cấp huyện của đối tượng",
            ),
            wb.Column(
                "Số quyết định", "decision_number", wb.text, width=14, note="Cột riêng của dangvu"
            ),
            wb.Column(
                "Ngày quyết định", "decision_on", wb.date, width=12, note="Cột riêng của dangvu"
            ),
            wb.Column(
                "Nội dung kết luận", "conclusion", wb.text, width=40, note="Cột riêng của dangvu"
            ),
        ),
        load=load_cases,
        dump=dump_cases,
        capability=Capability.DISCIPLINE.value,
    )
)
