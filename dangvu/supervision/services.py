"""Writes of supervisions. Every refusal is a DomainError in Vietnamese, before any write.

`check` is the one row validator, shared by the single-record service (`supervision_save`,
the pages) and the bulk service (`supervisions_import`, the GiamSat sheet and the demo).
Who may write where is the caller's lookup (the unit typed in, if the user writes it today:
`Scope.writable_unit` on the page, the units writable today in the workbook)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from dangvu.accounts.models import User
from dangvu.core.audit import diff_fields, log_bulk
from dangvu.core.bulk import insert_rows, next_ids, update_rows
from dangvu.core.errors import BulkOutcome, DomainError, Refusal
from dangvu.indicators import services_tallies as tallies
from dangvu.supervision.models import FrontLevel, FrontOrganisation, Supervision
from dangvu.units.models import Unit, UnitKind, UnitVersion

LEVEL_KINDS = {
    FrontLevel.PROVINCE: {UnitKind.PROVINCE},
    FrontLevel.DISTRICT: {UnitKind.DIRECT},
    FrontLevel.COMMUNE: {
        UnitKind.GRASSROOTS_COMMITTEE,
        UnitKind.GRASSROOTS_CELL,
        UnitKind.PARTIAL_COMMITTEE,
        UnitKind.CELL,
    },
}
CODE_TAKEN = "Mã cuộc giám sát {code} đã có."
CODE_NEEDED = "Cần ghi mã cuộc giám sát."
SUBJECT_NEEDED = "Cần ghi nội dung giám sát."
UNIT_NOT_STANDING = "Đơn vị {unit} không hoạt động vào ngày {day:%d/%m/%Y}."
LEVEL_MISMATCH = "Cuộc giám sát cấp {level} phải ghi tại {kinds}, không phải {kind}."
FOLLOW_UP_BEFORE = "Ngày báo cáo thực hiện kiến nghị không được trước ngày giám sát."
BAD_CHOICE = "Cấp chủ trì hoặc tổ chức chủ trì không hợp lệ."


def level_fits(level: str, kind: str) -> bool:
    return kind in LEVEL_KINDS.get(FrontLevel(level), set())


@dataclass(frozen=True)
class SupervisionSpec:
    code: str
    held_on: date
    level: str
    organisation: str
    unit: Unit
    subject: str
    findings: str = ""
    recommendations: str = ""
    follow_up: str = ""
    followed_up_on: date | None = None


def check(spec: SupervisionSpec, versions: dict[int, list[UnitVersion]] | None = None) -> None:
    """Raise DomainError (naming the field at fault) unless the supervision may be written.
    `versions`: the units' versions read once for many rows (else one query)."""
    if not spec.code.strip():
        raise DomainError(CODE_NEEDED, field="code")
    if not spec.subject.strip():
        raise DomainError(SUBJECT_NEEDED, field="subject")
    if spec.level not in FrontLevel.values or spec.organisation not in FrontOrganisation.values:
        raise DomainError(BAD_CHOICE, field="level")
    if versions is None:
        version = UnitVersion.objects.as_of(spec.held_on).filter(unit=spec.unit).first()
    else:
        standing = versions.get(spec.unit.pk, [])
        version = next((v for v in standing if v.is_active_on(spec.held_on)), None)
    if version is None:
        raise DomainError(
            UNIT_NOT_STANDING.format(unit=spec.unit.code, day=spec.held_on), field="unit_code"
        )
    if not level_fits(spec.level, version.kind):
        kinds = ", ".join(
            sorted(UnitKind(k).label.lower() for k in LEVEL_KINDS[FrontLevel(spec.level)])
        )
        raise DomainError(
            LEVEL_MISMATCH.format(
                level=FrontLevel(spec.level).label.lower(),
                kinds=kinds,
                kind=version.get_kind_display().lower(),
            ),
            field="level",
        )
    if spec.followed_up_on is not None and spec.followed_up_on < spec.held_on:
        raise DomainError(FOLLOW_UP_BEFORE, field="followed_up_on")


@transaction.atomic
def supervision_save(
    *, spec: SupervisionSpec, actor: User | None = None, existing: Supervision | None = None
) -> Supervision:
    """Record a supervision, or correct one (`existing`)."""
    check(spec)
    code = spec.code.strip()
    taken = Supervision.objects.filter(code=code)
    if existing is not None:
        taken = taken.exclude(pk=existing.pk)
    if taken.exists():
        raise DomainError(CODE_TAKEN.format(code=code))
    before = tallies.where(Supervision, [existing.pk] if existing is not None else [])
    record = existing or Supervision(created_by=actor)
    record.code, record.held_on, record.level = code, spec.held_on, spec.level
    record.organisation, record.unit = spec.organisation, spec.unit
    record.subject, record.findings = spec.subject.strip(), spec.findings.strip()
    record.recommendations, record.follow_up = spec.recommendations.strip(), spec.follow_up.strip()
    record.followed_up_on = spec.followed_up_on
    record.save()
    tallies.touched_records(Supervision, [record.pk], before)
    return record


FIELDS = (
    "code",
    "held_on",
    "level",
    "organisation",
    "unit_id",
    "subject",
    "findings",
    "recommendations",
    "follow_up",
    "followed_up_on",
)


def _values(spec: SupervisionSpec) -> dict[str, object]:
    return {
        "code": spec.code.strip(),
        "held_on": spec.held_on,
        "level": spec.level,
        "organisation": spec.organisation,
        "unit_id": spec.unit.pk,
        "subject": spec.subject.strip(),
        "findings": spec.findings.strip(),
        "recommendations": spec.recommendations.strip(),
        "follow_up": spec.follow_up.strip(),
        "followed_up_on": spec.followed_up_on,
    }


@transaction.atomic
def supervisions_import(
    *, specs: Sequence[SupervisionSpec], actor: User | None, source: str = "import"
) -> BulkOutcome:
    """Record many supervisions at once (new codes created, known ones corrected), each
    checked by `check`; nothing is written when one is refused. Every record created or
    changed leaves an audit entry marked `source` (none for the demo's seeding: "")."""
    outcome = BulkOutcome()
    versions: dict[int, list[UnitVersion]] = {}
    for version in UnitVersion.objects.filter(unit_id__in={s.unit.pk for s in specs}):
        versions.setdefault(version.unit_id, []).append(version)
    for index, spec in enumerate(specs):
        try:
            check(spec, versions)
        except DomainError as error:
            outcome.refused.append(Refusal(index, error.field, error.message))
    if outcome.refused:
        return outcome
    existing = {s.code: s for s in Supervision.objects.filter(code__in=[s.code for s in specs])}
    # Where the records counted before they are corrected, and where they count after.
    units = {s.unit_id for s in existing.values()} | {s.unit.pk for s in specs}
    days = {s.held_on for s in existing.values()} | {s.held_on for s in specs}
    new = [_values(s) for s in specs if s.code.strip() not in existing]
    changed: list[tuple[Supervision, dict[str, list[object]]]] = []
    for spec in specs:
        found = existing.get(spec.code.strip())
        diff = diff_fields(found, _values(spec)) if found is not None else {}
        if found is not None and diff:
            for name, value in _values(spec).items():
                setattr(found, name, value)
            changed.append((found, diff))
    _write(new, [s for s, _ in changed], actor)
    tallies.touched(Supervision, units, days)
    outcome.created, outcome.updated = len(new), len(changed)
    outcome.unchanged = len(specs) - len(new) - len(changed)
    if source:
        created = list(Supervision.objects.filter(code__in=[v["code"] for v in new]))
        log_bulk(Supervision, [(s, None) for s in created], actor=actor, created=True, note=source)
        log_bulk(Supervision, changed, actor=actor, created=False, note=source)
    return outcome


def _write(new: list[dict[str, object]], changed: list[Supervision], actor: User | None) -> None:
    ids = iter(next_ids(Supervision, len(new)))
    actor_id = actor.pk if actor is not None else None
    insert_rows(
        Supervision,
        ("id", *FIELDS, "created_by"),
        ((next(ids), *(v[f] for f in FIELDS), actor_id) for v in new),
    )
    update_rows(
        Supervision,
        FIELDS,
        ((s.pk, *(getattr(s, f) for f in FIELDS)) for s in changed),
    )
