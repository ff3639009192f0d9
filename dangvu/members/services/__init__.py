"""Every write to members and their membership history."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from dangvu.accounts.models import User
from dangvu.core.effective import END_OF_TIME
from dangvu.core.errors import DomainError
from dangvu.lib.dates import format_date
from dangvu.members.models import Member, Membership, MembershipReason
from dangvu.members.services.bulk import check_member_dates
from dangvu.members.signals import announce
from dangvu.units.models import CELL_KINDS, Unit, UnitVersion

CARD_TAKEN = "Số thẻ đảng viên {card} đã có trong hệ thống."
CARD_INVALID = "Số thẻ đảng viên chỉ gồm chữ số và chữ cái không dấu (tối đa 20 ký tự)."
NAME_REQUIRED = "Họ và tên không được để trống."
NOT_A_CELL = "{name} không phải chi bộ vào ngày {day}; đảng viên chỉ sinh hoạt tại chi bộ."
UNIT_NOT_ACTIVE = "Đơn vị {code} không tồn tại vào ngày {day}."
DATES_ORDER = "Ngày vào Đảng phải sau ngày sinh và không muộn hơn ngày chính thức."
NOT_ACTIVE_MEMBER = "{name} không sinh hoạt tại chi bộ nào vào ngày {day}."
SAME_CELL = "{name} đang sinh hoạt tại chi bộ này."
LATER_MEMBERSHIP = "{name} đã có thay đổi sinh hoạt từ ngày {later}; chọn ngày từ đó trở đi."
ALREADY_LEFT = "{name} đã ra khỏi Đảng từ ngày {day}."
CELL_ENDED = "{name} ngừng hoạt động từ ngày {day}; hãy chọn chi bộ đang hoạt động."


def cell_version_on(unit: Unit, day: date) -> UnitVersion:
    """The unit's version on day, which must be a cell (members are active in cells)."""
    version = unit.versions.as_of(day).first()
    if version is None:
        raise DomainError(UNIT_NOT_ACTIVE.format(code=unit.code, day=format_date(day)))
    if version.kind not in CELL_KINDS:
        raise DomainError(NOT_A_CELL.format(name=version.name, day=format_date(day)))
    return version


def open_cell_version_on(unit: Unit, day: date) -> UnitVersion:
    """Like `cell_version_on`, for a membership open from day: the unit must stay a cell
    from day on, or the member would be active in a unit merged away or dissolved since."""
    version = cell_version_on(unit, day)
    later = list(unit.versions.valid_after(day).order_by("valid_from"))
    for other in later:
        if other.kind not in CELL_KINDS:
            raise DomainError(NOT_A_CELL.format(name=other.name, day=format_date(other.valid_from)))
    if later[-1].valid_to != END_OF_TIME:
        raise DomainError(
            CELL_ENDED.format(name=later[-1].name, day=format_date(later[-1].valid_to))
        )
    return version


def _check_identity(card_number: str, full_name: str) -> tuple[str, str]:
    card = card_number.strip().upper()
    name = " ".join(full_name.split())
    if not card or len(card) > 20 or not all(ch.isascii() and ch.isalnum() for ch in card):
        raise DomainError(CARD_INVALID)
    if not name:
        raise DomainError(NAME_REQUIRED)
    return card, name


def _check_dates(birth_date: date, joined_on: date, full_member_on: date | None) -> None:
    problems = check_member_dates(
        key="",
        birth_date=birth_date,
        joined_on=joined_on,
        full_member_on=full_member_on,
        left_on=None,
    )
    if problems:
        raise DomainError(DATES_ORDER)


@transaction.atomic
def member_create(
    *,
    card_number: str,
    full_name: str,
    birth_date: date,
    gender: str,
    joined_on: date,
    cell: Unit,
    active_from: date | None = None,
    full_member_on: date | None = None,
    management_level: str = "",
    is_committee_member: bool = False,
    is_exempt: bool = False,
    actor: User | None = None,
) -> Member:
    """Register a member active in `cell` from `active_from` (default: the joining date)."""
    card, name = _check_identity(card_number, full_name)
    if Member.objects.filter(card_number=card).exists():
        raise DomainError(CARD_TAKEN.format(card=card))
    _check_dates(birth_date, joined_on, full_member_on)
    start = active_from or joined_on
    open_cell_version_on(cell, start)
    member = Member.objects.create(
        card_number=card,
        full_name=name,
        birth_date=birth_date,
        gender=gender,
        joined_on=joined_on,
        full_member_on=full_member_on,
        management_level=management_level,
        is_committee_member=is_committee_member,
        is_exempt=is_exempt,
    )
    Membership.objects.create(member=member, unit=cell, valid_from=start)
    announce([(cell.pk, start, END_OF_TIME)])
    return member


@transaction.atomic
def member_update(
    *,
    member: Member,
    full_name: str,
    birth_date: date,
    gender: str,
    joined_on: date,
    full_member_on: date | None,
    management_level: str,
    is_committee_member: bool,
    is_exempt: bool,
    actor: User | None = None,
) -> Member:
    """Correct a member's personal data (the audit trail keeps the previous values)."""
    _, name = _check_identity(member.card_number, full_name)
    _check_dates(birth_date, joined_on, full_member_on)
    member.full_name = name
    member.birth_date = birth_date
    member.gender = gender
    member.joined_on = joined_on
    member.full_member_on = full_member_on
    member.management_level = management_level
    member.is_committee_member = is_committee_member
    member.is_exempt = is_exempt
    member.save()
    return member


def _current_membership(member: Member, day: date) -> Membership:
    if member.left_on is not None and member.left_on <= day:
        raise DomainError(
            ALREADY_LEFT.format(name=member.full_name, day=format_date(member.left_on))
        )
    membership = member.memberships.as_of(day).select_for_update().first()
    if membership is None:
        raise DomainError(NOT_ACTIVE_MEMBER.format(name=member.full_name, day=format_date(day)))
    if membership.valid_to != END_OF_TIME or membership.valid_from >= day:
        later = membership.valid_from if membership.valid_from >= day else membership.valid_to
        raise DomainError(LATER_MEMBERSHIP.format(name=member.full_name, later=format_date(later)))
    return membership


@transaction.atomic
def member_transfer(
    *, member: Member, to_cell: Unit, effective_on: date, actor: User | None = None
) -> Membership:
    """Move a member's activity to another cell from `effective_on` (chuyển sinh hoạt)."""
    membership = _current_membership(member, effective_on)
    if membership.unit_id == to_cell.pk:
        raise DomainError(SAME_CELL.format(name=member.full_name))
    open_cell_version_on(to_cell, effective_on)
    before = (membership.unit_id, membership.valid_from, membership.valid_to)
    membership.valid_to = effective_on
    membership.reason_out = MembershipReason.TRANSFER
    membership.save(update_fields=["valid_to", "reason_out"])
    moved = Membership.objects.create(
        member=member, unit=to_cell, valid_from=effective_on, reason_in=MembershipReason.TRANSFER
    )
    announce(
        [before, (to_cell.pk, effective_on, END_OF_TIME), (before[0], before[1], effective_on)]
    )
    return moved


@transaction.atomic
def member_leave(*, member: Member, left_on: date, actor: User | None = None) -> Member:
    """Record that a member left the Party on `left_on` (died, removed, moved away)."""
    membership = _current_membership(member, left_on)
    before = (membership.unit_id, membership.valid_from, membership.valid_to)
    membership.valid_to = left_on
    membership.reason_out = MembershipReason.LEFT
    membership.save(update_fields=["valid_to", "reason_out"])
    announce([before, (before[0], before[1], left_on)])
    member.left_on = left_on
    member.save(update_fields=["left_on"])
    return member
