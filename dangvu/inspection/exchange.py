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

from dangvu.accounts.models import User
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for
from dangvu.core.errors import DomainError
from dangvu.exchange import workbook as wb
from dangvu.exchange.context import ExportContext, ImportContext
from dangvu.indicators import services_tallies as tallies
from dangvu.inspection import selectors, services
from dangvu.inspection.models import CaseKind, InspectionCase, ReadKind, SubjectKind
from dangvu.members.models import Member
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


TWICE = "trùng mã với dòng khác"
NO_DAY = "cần ngày kiểm tra hoặc ngày kết luận"
NO_BODY = "không xác định được cơ quan tiến hành"


class _Cases:
    """What the rows of one KiemTra sheet share: the importer, the cases they compare."""

    def __init__(self, ctx: ImportContext, actor: User) -> None:
        self.ctx, self.actor = ctx, actor
        self.reach = set(scope_for(actor).writable_units(CAP).values_list("pk", flat=True))
        self.existing = {c.code: c for c in InspectionCase.objects.all()}
        self.compared: list[InspectionCase] = []
        self.seen: set[str] = set()


def load_cases(ctx: ImportContext, rows: list[wb.Row]) -> wb.SheetResult:
    """Each row is checked against the importer's reach before anything else: a subject or
    case code outside it is answered as one that does not exist (a code, which must stay
    unique, as taken), and such a case is never compared with the row. Every existing case
    a row is compared with is recorded as read, whether the import is written, refused or
    only tried (`ctx.keep`). The writes, and their rules, are the services'."""
    result = wb.SheetResult()
    if not ctx.may(CAP) or ctx.actor is None:
        for row in rows[:1]:
            ctx.error(KIEM_TRA, row, "code", NOT_ALLOWED)
        return result
    sheet = _Cases(ctx, ctx.actor)
    ctx.keep(
        lambda: services.cases_read(actor=sheet.actor, cases=sheet.compared, what=ReadKind.IMPORT)
    )
    with tallies.batch():  # the tallies kept once for the sheet, not once per row
        for row in rows:
            try:
                _load_row(sheet, row, result)
            except DomainError as error:
                ctx.error(KIEM_TRA, row, error.field or "subject", error.message)
    return result


def _load_row(sheet: _Cases, row: wb.Row, result: wb.SheetResult) -> None:
    """One row through the services: opened or amended, then concluded and disciplined."""
    spec = _spec(sheet, row)
    committee = row["committee"] if "committee" in row.present else None
    case = sheet.existing.get(spec.code)
    if case is None:
        case = services.case_open(
            spec=spec, actor=sheet.actor, via=ReadKind.IMPORT, committee=committee
        )
        result.created += 1
    else:
        changed = services.case_amend(case=case, spec=spec, actor=sheet.actor, committee=committee)
        result.updated += int(changed)
        result.unchanged += int(not changed)
    later = "discipline" if row["discipline"] else "concluded_on"
    try:
        _conclude(case, row, spec.opened_on)
    except DomainError as error:
        raise DomainError(error.message, field=later) from error


def _spec(sheet: _Cases, row: wb.Row) -> services.CaseSpec:
    """The row as a case to write, its subject and code looked up inside the reach first."""
    code = row["code"]
    if code in sheet.seen:
        raise DomainError(TWICE, field="code")
    sheet.seen.add(code)
    opened = row.values.get("opened_on") or row["concluded_on"]
    if opened is None:
        raise DomainError(NO_DAY, field="concluded_on")
    subject_unit = subject_member = None
    if row["subject_kind"] == SubjectKind.MEMBER:
        subject_member = selectors.subject_member(
            user=sheet.actor, card_number=row["subject"], day=opened
        )
    else:
        subject_unit = selectors.subject_unit(user=sheet.actor, code=row["subject"])
    before = sheet.existing.get(code)
    if before is not None and before.unit_id not in sheet.reach:
        raise DomainError(services.CODE_ELSEWHERE.format(code=code), field="code")
    if before is not None:
        sheet.compared.append(before)
    body = _body(sheet.ctx, row, opened, subject_unit, subject_member)
    return services.CaseSpec(
        code=code,
        kind=row["kind"],
        body=body,
        opened_on=opened,
        subject_unit=subject_unit,
        subject_member=subject_member,
        complex=row["complex"],
    )


def _body(
    ctx: ImportContext, row: wb.Row, opened: date, unit: Unit | None, member: Member | None
) -> Unit:
    """The body named in the row, or by default the district committee above the subject."""
    body_code = row.values.get("body_code") or ""
    if body_code:
        body = ctx.units_by_code.get(body_code)
    else:
        if unit is None and member is not None:
            cell = member.memberships.as_of(opened).select_related("unit").first()
            unit = cell.unit if cell else None
        body = _default_body(unit, opened) if unit else None
    if body is None:
        raise DomainError(NO_BODY, field="body_code" if body_code else "subject")
    return body


def _conclude(case: InspectionCase, row: wb.Row, opened: date) -> None:
    if row["concluded_on"] is not None and row["violation"] is not None and not case.discipline_id:
        case = services.case_conclude(
            case=case,
            concluded_on=row["concluded_on"],
            violation=row["violation"],
            conclusion=row.values.get("conclusion") or "",
        )
    if row["discipline"] and case.discipline_id is None:
        services.case_discipline(
            case=case,
            form_code=row["discipline"],
            decision_number=row.values.get("decision_number") or "",
            decision_on=row.values.get("decision_on") or row["concluded_on"] or opened,
            number_required=False,
        )


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
