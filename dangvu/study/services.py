"""Every write of study sessions and training."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction

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
    *, session: StudySession, present: set[int], site: Site | None = None, actor: User | None = None
) -> int:
    """Record who attended (at one site, or the whole session): the others are absent."""
    qs = Attendance.objects.filter(session=session)
    if site is not None:
        qs = qs.filter(site=site)
    qs.filter(member_id__in=present).update(attended=True)
    qs.exclude(member_id__in=present).update(attended=False)
    return qs.filter(attended=True).count()


def _members(cards: Sequence[str]) -> list[Member]:
    wanted = {c.strip().upper() for c in cards if c.strip()}
    found = list(Member.objects.filter(card_number__in=wanted))
    missing = wanted - {m.card_number for m in found}
    if missing:
        raise DomainError(UNKNOWN_CARDS.format(cards=", ".join(sorted(missing))))
    return found


@transaction.atomic
def training_class_create(
    *,
    title: str,
    unit: Unit,
    kind: str,
    start_on: date,
    end_on: date,
    participant_cards: Sequence[str],
    actor: User | None = None,
) -> TrainingClass:
    """A training class (lớp bồi dưỡng) with its participants, by card number."""
    if not title.strip():
        raise DomainError(CLASS_TITLE)
    if end_on < start_on:
        raise DomainError(DATES)
    _version(unit, start_on)
    members = _members(participant_cards)
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
    actor: User | None = None,
) -> TheoryTraining:
    """A member completed political-theory training; counted where they were active then."""
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
