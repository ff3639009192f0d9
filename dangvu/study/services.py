"""Every write of study sessions and training."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet

from dangvu.accounts.models import User
from dangvu.core.bulk import insert_rows
from dangvu.core.effective import active_on
from dangvu.core.errors import DomainError
from dangvu.documents.models import Document
from dangvu.members.models import Member, Membership
from dangvu.study.models import (
    Attendance,
    Site,
    StudySession,
    TheoryTraining,
    TrainingClass,
)
from dangvu.units.models import Unit, UnitVersion

TITLE = "Tên hội nghị không được để trống."
CLASS_TITLE = "Tên lớp không được để trống."
NO_DOCUMENTS = "Chọn ít nhất một văn bản học tập."
NOT_ACTIVE = "Đơn vị {code} không tồn tại vào ngày {day:%d/%m/%Y}."
NOT_UNDER = "Điểm cầu {code} không thuộc đơn vị tổ chức."
DATES = "Ngày bế giảng không được trước ngày khai giảng."
UNKNOWN_CARDS = "Không có đảng viên số thẻ: {cards}."
NOT_PARTICIPANTS = (
    "Chưa ghi nhận lớp: các số thẻ sau không phải đảng viên sinh hoạt trong {unit} trong "
    "thời gian học, hoặc ngoài phạm vi của bạn: {cards}."
)
NOTHING_LISTED = "Biểu mẫu không kèm danh sách đảng viên dự kiến; chưa ghi nhận gì."
THEORY_OUT_OF_REACH = (
    "Không có đảng viên số thẻ {card} sinh hoạt trong phạm vi của bạn vào ngày {day:%d/%m/%Y}."
)


def _version(unit: Unit, day: date) -> UnitVersion:
    version = unit.version_on(day)
    if version is None:
        raise DomainError(NOT_ACTIVE.format(code=unit.code, day=day))
    return version


@transaction.atomic
def session_create(
    *,
    title: str,
    unit: Unit,
    held_on: date,
    form: str,
    documents: Sequence[Document],
    speaker: str = "",
    sites: Sequence[Unit] = (),
    actor: User | None = None,
) -> StudySession:
    """A study session with its sites (điểm cầu: the organiser itself, and the units
    given); every member active that day under a site is expected, once, at the nearest
    site to their cell."""
    if not title.strip():
        raise DomainError(TITLE)
    if not documents:
        raise DomainError(NO_DOCUMENTS)
    root = _version(unit, held_on)
    session = StudySession.objects.create(
        title=" ".join(title.split()),
        unit=unit,
        held_on=held_on,
        form=form,
        speaker=speaker.strip(),
        created_by=actor,
    )
    session.documents.set(documents)
    site_versions = [(root, True)]
    for site_unit in dict.fromkeys(sites):  # a unit listed twice is one site
        if site_unit.pk == unit.pk:
            continue
        version = _version(site_unit, held_on)
        if not version.path.startswith(root.path):
            raise DomainError(NOT_UNDER.format(code=site_unit.code))
        site_versions.append((version, False))
    created = {
        version.path: Site.objects.create(
            session=session, unit=version.unit, name=version.name, is_main=main
        )
        for version, main in site_versions
    }
    memberships = Membership.objects.filter(
        active_on(held_on),
        active_on(held_on, "unit__versions__"),
        unit__versions__path__startswith=root.path,
    ).values_list("member_id", "unit__versions__path")
    rows = []
    for member_id, path in memberships:
        nearest = max((p for p in created if path.startswith(p)), key=len)
        rows.append((session.pk, created[nearest].pk, member_id, False))
    insert_rows(Attendance, ["session", "site", "member", "attended"], rows)
    return session


@transaction.atomic
def attendance_mark(
    *,
    session: StudySession,
    present: set[int],
    site: Site | None = None,
    listed: set[int] | None = None,
    actor: User | None = None,
) -> int:
    """Record who attended (at one site, or the whole session). `listed` are the members
    the form showed: those present attended, the other listed were absent, and nobody else
    changes (None: the whole list of the site or session). A form that lists nobody is
    refused: it would otherwise wipe the attendance it never showed."""
    qs = Attendance.objects.filter(session=session)
    if site is not None:
        qs = qs.filter(site=site)
    if listed is not None:
        if not listed:
            raise DomainError(NOTHING_LISTED)
        changed = qs.filter(member_id__in=listed)
    else:
        changed = qs
    changed.filter(member_id__in=present).update(attended=True)
    changed.exclude(member_id__in=present).update(attended=False)
    return qs.filter(attended=True).count()


def _members(cards: Sequence[str]) -> list[Member]:
    wanted = {c.strip().upper() for c in cards if c.strip()}
    found = list(Member.objects.filter(card_number__in=wanted))
    missing = wanted - {m.card_number for m in found}
    if missing:
        raise DomainError(UNKNOWN_CARDS.format(cards=", ".join(sorted(missing))))
    return found


def _participants(
    cards: Sequence[str],
    root: UnitVersion,
    start_on: date,
    end_on: date,
    reach: QuerySet[Unit] | None,
) -> tuple[list[Member], list[str]]:
    """The members with these cards active in `root`'s subtree at some time of the class
    [start_on, end_on], in a cell of `reach`; and the cards that are not (unknown cards
    among them: the message never tells whether a card outside reach exists)."""
    wanted = {c.strip().upper() for c in cards if c.strip()}
    # Pairwise overlapping intervals share a day (Helly, in one dimension): membership,
    # the cell's version under the organiser, and the class.
    memberships = Membership.objects.filter(  # one filter(): one join of the versions
        Q(unit__versions__valid_to__gt=start_on),
        Q(unit__versions__valid_to__gt=F("valid_from")),
        member=OuterRef("pk"),
        valid_from__lte=end_on,
        valid_to__gt=start_on,
        unit__versions__path__startswith=root.path,
        unit__versions__valid_from__lte=end_on,
        unit__versions__valid_from__lt=F("valid_to"),
    )
    if reach is not None:
        memberships = memberships.filter(unit__in=reach)
    found = list(Member.objects.filter(card_number__in=wanted).filter(Exists(memberships)))
    return found, sorted(wanted - {m.card_number for m in found})


@transaction.atomic
def training_class_create(
    *,
    title: str,
    unit: Unit,
    kind: str,
    start_on: date,
    end_on: date,
    participant_cards: Sequence[str],
    reach: QuerySet[Unit] | None = None,
    actor: User | None = None,
) -> TrainingClass:
    """A training class (lớp bồi dưỡng) with its participants, by card number: members
    active in the organising unit's subtree during the class and, when `reach` is given
    (the units the writer records today), in a cell of it. Every card that is not is
    listed, and nothing is saved."""
    if not title.strip():
        raise DomainError(CLASS_TITLE)
    if end_on < start_on:
        raise DomainError(DATES)
    root = _version(unit, start_on)
    members, bad = _participants(participant_cards, root, start_on, end_on, reach)
    if bad:
        raise DomainError(NOT_PARTICIPANTS.format(unit=root.name, cards=", ".join(bad)))
    training = TrainingClass.objects.create(
        title=" ".join(title.split()), unit=unit, kind=kind, start_on=start_on, end_on=end_on
    )
    training.participants.set(members)
    return training


@transaction.atomic
def theory_training_add(
    *,
    card_number: str,
    level: str,
    completed_on: date,
    institution: str = "",
    reach: QuerySet[Unit] | None = None,
    actor: User | None = None,
) -> TheoryTraining:
    """A member completed political-theory training; counted where they were active then.
    With `reach` (the units the writer records today) the member's cell that day must be in
    it, and a card out of reach is refused in the same words as an unknown one."""
    if reach is not None:
        card = card_number.strip().upper()
        in_reach = Membership.objects.filter(
            active_on(completed_on), member__card_number=card, unit__in=reach
        ).exists()
        if not in_reach:
            raise DomainError(THEORY_OUT_OF_REACH.format(card=card, day=completed_on))
    member = _members([card_number])[0]
    membership = member.memberships.filter(active_on(completed_on)).first()
    if membership is None:
        raise DomainError(
            f"{member.full_name} không sinh hoạt tại chi bộ nào vào ngày {completed_on:%d/%m/%Y}."
        )
    return TheoryTraining.objects.create(
        member=member,
        unit=membership.unit,
        level=level,
        completed_on=completed_on,
        institution=institution.strip(),
    )
