"""Writes of award decisions (khen thưởng) with their recipients, all or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from dangvu.accounts.models import User
from dangvu.awards.models import (
    AwardDecision,
    AwardForm,
    AwardRecipient,
    Issuer,
    RecipientKind,
    Theme,
)
from dangvu.core.errors import DomainError
from dangvu.indicators.models import Programme
from dangvu.members.models import COMMITTEE_LEVEL, ManagementLevel, Member, Membership
from dangvu.units.models import Unit, UnitKind, UnitVersion

NUMBER_NEEDED = "Cần ghi số quyết định."
NUMBER_TAKEN = "{unit} đã có quyết định số {number}."
NOT_ISSUING = "{unit} không phải cấp ủy có thẩm quyền khen thưởng (tỉnh, huyện hoặc cơ sở)."
UNIT_NOT_STANDING = "Đơn vị {unit} không hoạt động vào ngày {day:%d/%m/%Y}."
NO_RECIPIENT = "Quyết định cần có ít nhất một tập thể hoặc cá nhân được khen thưởng."
UBND_NOT_GRASSROOTS = "Chủ tịch Ủy ban nhân dân chỉ khen thưởng ở cấp tỉnh, cấp huyện."
PROGRAMME_NEEDED = "Khen thưởng thực hiện đề án cần chọn đề án."
PROGRAMME_ONLY = "Chỉ ghi đề án khi nội dung khen thưởng là thực hiện đề án."
TOO_LONG = "{what} dài quá {n} ký tự."
TWICE = "{what} có hai lần trong quyết định."

KIND_LABEL = dict(RecipientKind.choices)


@dataclass(frozen=True)
class RecipientSpec:
    kind: str
    name: str
    unit: Unit
    member: Member | None = None


@dataclass(frozen=True)
class DecisionSpec:
    unit: Unit
    issuer: str
    number: str
    issued_on: date
    form: str
    theme: str
    recipients: list[RecipientSpec] = field(default_factory=list)
    programme: Programme | None = None
    reason: str = ""


MEMBER_OUTSIDE = (
    "không có đảng viên số thẻ này sinh hoạt trong phạm vi của cấp khen thưởng vào ngày quyết định."
)


def recipients_from_lines(
    *, kind: str, text: str, issued_on: date, issuer_path: str
) -> tuple[list[RecipientSpec], list[str]]:
    """The recipients typed one per line, and a message for every bad line.

    - tổ chức đảng: the unit's code;
    - đảng viên: the party card number (the member's cell on the day places them);
    - tập thể, cá nhân: "name; code of the party organisation it belongs to".
    Every recipient must stand inside the issuer's subtree on the day of the decision."""
    label = KIND_LABEL.get(kind, kind)
    found: list[RecipientSpec] = []
    errors: list[str] = []
    lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    for n, line in lines:
        where = f"{label}, dòng {n} (“{line}”)"
        if kind == RecipientKind.MEMBER:
            member = Member.objects.filter(card_number=line).first()
            cell = (
                Membership.objects.as_of(issued_on).filter(member=member).first()
                if member
                else None
            )
            version = _version(cell.unit_id, issued_on) if cell else None
            # One message whether the card exists nowhere, or stands outside the issuer's
            # subtree on the day: nothing is told of members outside it.
            if (
                member is None
                or cell is None
                or version is None
                or not version.path.startswith(issuer_path)
            ):
                errors.append(f"{where}: {MEMBER_OUTSIDE}")
                continue
            if any(r.member == member for r in found):
                errors.append(f"{where}: đã có ở dòng trên.")
                continue
            found.append(RecipientSpec(kind, member.full_name, cell.unit, member))
            continue
        if kind == RecipientKind.PARTY_ORG:
            name, code = "", line
        else:
            name, _, code = (part.strip() for part in line.rpartition(";"))
            if not name or not code:
                errors.append(f"{where}: cần ghi “tên; mã đơn vị”.")
                continue
        unit = Unit.objects.filter(code=code).first()
        version = _version(unit.pk, issued_on) if unit else None
        if unit is None or version is None:
            errors.append(f"{where}: không có đơn vị mã {code} vào ngày quyết định.")
            continue
        if not version.path.startswith(issuer_path):
            errors.append(f"{where}: đơn vị {code} không thuộc phạm vi của cấp khen thưởng.")
            continue
        if len(name) > 200:
            errors.append(f"{where}: tên dài quá 200 ký tự.")
            continue
        recipient = RecipientSpec(kind, name or version.name, unit)
        if recipient in found:
            errors.append(f"{where}: đã có ở dòng trên.")
            continue
        found.append(recipient)
    return found, errors


def _version(unit_id: int, day: date) -> UnitVersion | None:
    return UnitVersion.objects.as_of(day).filter(unit_id=unit_id).first()


@transaction.atomic
def decision_save(
    *, spec: DecisionSpec, actor: User | None = None, existing: AwardDecision | None = None
) -> AwardDecision:
    """Record (or correct) a decision and replace its recipients; nothing on a refusal."""
    number = spec.number.strip()
    if not number:
        raise DomainError(NUMBER_NEEDED)
    if len(number) > 40:
        raise DomainError(TOO_LONG.format(what="Số quyết định", n=40))
    for value, choices, what in (
        (spec.issuer, Issuer, "Người, cơ quan khen thưởng"),
        (spec.form, AwardForm, "Hình thức khen thưởng"),
        (spec.theme, Theme, "Nội dung khen thưởng"),
    ):
        if value not in choices.values:
            raise DomainError(f"{what} không hợp lệ.")
    version = _version(spec.unit.pk, spec.issued_on)
    if version is None:
        raise DomainError(UNIT_NOT_STANDING.format(unit=spec.unit.code, day=spec.issued_on))
    level = COMMITTEE_LEVEL.get(UnitKind(version.kind))
    if level is None:
        raise DomainError(NOT_ISSUING.format(unit=version.name))
    if spec.issuer == Issuer.PEOPLES_COMMITTEE_CHAIR and level == ManagementLevel.GRASSROOTS:
        raise DomainError(UBND_NOT_GRASSROOTS)
    if spec.theme == Theme.PROGRAMME and spec.programme is None:
        raise DomainError(PROGRAMME_NEEDED)
    if spec.theme != Theme.PROGRAMME and spec.programme is not None:
        raise DomainError(PROGRAMME_ONLY)
    if not spec.recipients:
        raise DomainError(NO_RECIPIENT)
    seen: set[tuple[str, int, int | None, str]] = set()
    for r in spec.recipients:
        identity = (r.kind, r.unit.pk, r.member.pk if r.member else None, r.name)
        if identity in seen:
            raise DomainError(TWICE.format(what=r.name))
        seen.add(identity)
    taken = AwardDecision.objects.filter(unit=spec.unit, number=number)
    if existing is not None:
        taken = taken.exclude(pk=existing.pk)
    if taken.exists():
        raise DomainError(NUMBER_TAKEN.format(unit=version.name, number=number))
    decision = existing or AwardDecision(created_by=actor)
    decision.unit, decision.issuer, decision.level = spec.unit, spec.issuer, str(level)
    decision.number, decision.issued_on, decision.form = number, spec.issued_on, spec.form
    decision.theme, decision.programme = spec.theme, spec.programme
    decision.reason = spec.reason.strip()
    decision.save()
    decision.recipients.all().delete()
    AwardRecipient.objects.bulk_create(
        AwardRecipient(decision=decision, kind=r.kind, name=r.name, unit=r.unit, member=r.member)
        for r in spec.recipients
    )
    return decision


@transaction.atomic
def decision_delete(*, decision: AwardDecision) -> None:
    decision.delete()
