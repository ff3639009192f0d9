"""Every write of study sessions and training."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import NamedTuple

from django.db import transaction
from django.db.models import Exists, F, OuterRef, QuerySet

from dangvu.accounts.models import User
from dangvu.core.bulk import insert_rows, next_ids
from dangvu.core.effective import active_on, overlapping
from dangvu.core.errors import DomainError
from dangvu.documents.models import Document
from dangvu.indicators import services_tallies as tallies
from dangvu.members.models import Member, Membership
from dangvu.study.models import (
    Attendance,
    Site,
    StudySession,
    TheoryTraining,
    TrainingClass,
)
from dangvu.units.models import Unit, UnitVersion
from dangvu.units.spans import UnitSpans

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
NO_CELL_ON = "{name} không sinh hoạt tại chi bộ nào vào ngày {day:%d/%m/%Y}."
THEORY_OUT_OF_REACH = (
    "Không có đảng viên số thẻ {card} sinh hoạt trong phạm vi của bạn vào ngày {day:%d/%m/%Y}."
)


def _version(unit: Unit, day: date) -> UnitVersion:
    version = unit.version_on(day)
    if version is None:
        raise DomainError(NOT_ACTIVE.format(code=unit.code, day=day))
    return version


def check_session(*, title: str, document_count: int) -> None:
    """The rules of a session's own fields, on the page and in bulk alike."""
    if not title.strip():
        raise DomainError(TITLE)
    if not document_count:
        raise DomainError(NO_DOCUMENTS)


def check_site(*, root_path: str, site_path: str, code: str) -> None:
    """A site (điểm cầu) lies under the organising unit."""
    if not site_path.startswith(root_path):
        raise DomainError(NOT_UNDER.format(code=code))


def check_class(*, title: str, start_on: date, end_on: date) -> None:
    """The rules of a training class's own fields, on the page and in bulk alike."""
    if not title.strip():
        raise DomainError(CLASS_TITLE)
    if end_on < start_on:
        raise DomainError(DATES)


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
    check_session(title=title, document_count=len(documents))
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
        check_site(root_path=root.path, site_path=version.path, code=site_unit.code)
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
    tallies.touched(Attendance, [site.unit_id for site in created.values()], [held_on])
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
    units = session.sites.values_list("unit_id", flat=True) if site is None else [site.unit_id]
    tallies.touched(Attendance, list(units), [session.held_on])
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
    after = end_on + timedelta(days=1)
    memberships = Membership.objects.filter(  # one filter(): one join of the versions
        overlapping(start_on, after),
        overlapping(start_on, after, "unit__versions__"),
        overlapping(F("valid_from"), F("valid_to"), "unit__versions__"),  # the membership's
        member=OuterRef("pk"),
        unit__versions__path__startswith=root.path,
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
    check_class(title=title, start_on=start_on, end_on=end_on)
    root = _version(unit, start_on)
    members, bad = _participants(participant_cards, root, start_on, end_on, reach)
    if bad:
        raise DomainError(NOT_PARTICIPANTS.format(unit=root.name, cards=", ".join(bad)))
    training = TrainingClass.objects.create(
        title=" ".join(title.split()), unit=unit, kind=kind, start_on=start_on, end_on=end_on
    )
    training.participants.set(members)
    _classes_touched({unit.pk}, {start_on})
    return training


def _classes_touched(units: set[int], days: set[date]) -> None:
    """Training classes (and their participations, counted with them) were written."""
    tallies.touched(TrainingClass, units, days)
    tallies.touched(TrainingClass.participants.through, units, days)


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
        raise DomainError(NO_CELL_ON.format(name=member.full_name, day=completed_on))
    training = TheoryTraining.objects.create(
        member=member,
        unit=membership.unit,
        level=level,
        completed_on=completed_on,
        institution=institution.strip(),
    )
    tallies.touched(TheoryTraining, [membership.unit_id], [completed_on])
    return training


# -- in bulk (the demo; a loader) ---------------------------------------------------------
class SiteRow(NamedTuple):
    """A site of a session in bulk: the organiser's own (`is_main`) or a unit under it."""

    unit_id: int
    name: str
    is_main: bool = False


class ExpectedRow(NamedTuple):
    """A member expected at a session, at its site number `site` (0: the first listed)."""

    site: int
    member_id: int
    attended: bool = False


class SessionRow(NamedTuple):
    """A study session for `sessions_create`, with its sites and the members expected."""

    title: str
    unit_id: int
    held_on: date
    form: str
    document_ids: Sequence[int]
    sites: Sequence[SiteRow]
    expected: Sequence[ExpectedRow]
    speaker: str = ""


def _check_sessions(rows: Sequence[SessionRow]) -> None:
    """`session_create`'s rules for many sessions, the units' versions read once."""
    spans = UnitSpans([r.unit_id for r in rows] + [s.unit_id for r in rows for s in r.sites])

    def path(unit_id: int, day: date) -> str:
        version = spans.on(unit_id, day)
        if version is None:
            raise DomainError(NOT_ACTIVE.format(code=spans.code(unit_id), day=day))
        return version.path

    for r in rows:
        check_session(title=r.title, document_count=len(r.document_ids))
        root = path(r.unit_id, r.held_on)
        for site in r.sites:
            if site.unit_id != r.unit_id:
                check_site(
                    root_path=root,
                    site_path=path(site.unit_id, r.held_on),
                    code=spans.code(site.unit_id),
                )


@transaction.atomic
def sessions_create(*, rows: Sequence[SessionRow], actor: User | None = None) -> int:
    """Record many study sessions at once (sessions held before they were recorded here: the
    members expected and who attended are given), by the rules of `session_create`; all or
    nothing. The number recorded."""
    _check_sessions(rows)
    session_ids = next_ids(StudySession, len(rows))
    site_ids = iter(next_ids(Site, sum(len(r.sites) for r in rows)))
    sessions, links, sites, expected = [], [], [], []
    creator = actor.pk if actor else None
    for session_id, r in zip(session_ids, rows, strict=True):
        title = " ".join(r.title.split())
        sessions.append(
            (session_id, title, r.unit_id, r.held_on, r.form, r.speaker.strip(), creator)
        )
        links += [(session_id, d) for d in dict.fromkeys(r.document_ids)]
        mine = [next(site_ids) for _ in r.sites]
        sites += [
            (i, session_id, s.unit_id, s.name, s.is_main)
            for i, s in zip(mine, r.sites, strict=True)
        ]
        expected += [(session_id, mine[e.site], e.member_id, e.attended) for e in r.expected]
    fields = ["id", "title", "unit", "held_on", "form", "speaker", "created_by"]
    insert_rows(StudySession, fields, sessions)
    insert_rows(StudySession.documents.through, ["studysession", "document"], links)
    insert_rows(Site, ["id", "session", "unit", "name", "is_main"], sites)
    insert_rows(Attendance, ["session", "site", "member", "attended"], expected)
    tallies.touched(Attendance, {s[2] for s in sites}, {r.held_on for r in rows})
    return len(sessions)


class TrainingClassRow(NamedTuple):
    """A training class for `training_classes_create`, its participants by member id."""

    title: str
    unit_id: int
    kind: str
    start_on: date
    end_on: date
    participant_ids: Sequence[int]


@transaction.atomic
def training_classes_create(*, rows: Sequence[TrainingClassRow]) -> int:
    """Record many training classes at once, by the rules of `training_class_create` for the
    class itself (title, dates, the organiser standing when it began); all or nothing."""
    spans = UnitSpans(r.unit_id for r in rows)
    for r in rows:
        check_class(title=r.title, start_on=r.start_on, end_on=r.end_on)
        if spans.on(r.unit_id, r.start_on) is None:
            raise DomainError(NOT_ACTIVE.format(code=spans.code(r.unit_id), day=r.start_on))
    ids = next_ids(TrainingClass, len(rows))
    insert_rows(
        TrainingClass,
        ["id", "title", "unit", "kind", "start_on", "end_on"],
        (
            (i, " ".join(r.title.split()), r.unit_id, r.kind, r.start_on, r.end_on)
            for i, r in zip(ids, rows, strict=True)
        ),
    )
    insert_rows(
        TrainingClass.participants.through,
        ["trainingclass", "member"],
        ((i, m) for i, r in zip(ids, rows, strict=True) for m in dict.fromkeys(r.participant_ids)),
    )
    _classes_touched({r.unit_id for r in rows}, {r.start_on for r in rows})
    return len(rows)


class TheoryRow(NamedTuple):
    """A member's completed political-theory training, for `theory_trainings_add`."""

    member_id: int
    level: str
    completed_on: date
    institution: str = ""


def _cells_on(rows: Iterable[TheoryRow]) -> dict[tuple[int, date], int]:
    """(member, day) -> the cell the member was active in that day."""
    wanted = {(r.member_id, r.completed_on) for r in rows}
    spans: dict[int, list[tuple[date, date, int]]] = {}
    for member_id, start, stop, unit_id in (
        Membership.objects.filter(member_id__in={m for m, _ in wanted})
        .order_by("valid_from")
        .values_list("member_id", "valid_from", "valid_to", "unit_id")
    ):
        spans.setdefault(member_id, []).append((start, stop, unit_id))
    out = {}
    for member_id, day in wanted:
        unit = next((u for a, b, u in spans.get(member_id, ()) if a <= day < b), None)
        if unit is not None:
            out[(member_id, day)] = unit
    return out


@transaction.atomic
def theory_trainings_add(*, rows: Sequence[TheoryRow]) -> int:
    """Record many completed political-theory trainings at once, each counted in the cell
    the member was active in that day (the rule of `theory_training_add`); all or nothing."""
    cells = _cells_on(rows)
    for r in rows:
        if (r.member_id, r.completed_on) not in cells:
            member = Member.objects.filter(pk=r.member_id).first()
            name = member.full_name if member else f"Đảng viên #{r.member_id}"
            raise DomainError(NO_CELL_ON.format(name=name, day=r.completed_on))
    written = insert_rows(
        TheoryTraining,
        ["member", "unit", "level", "completed_on", "institution"],
        (
            (
                r.member_id,
                cells[(r.member_id, r.completed_on)],
                r.level,
                r.completed_on,
                r.institution.strip(),
            )
            for r in rows
        ),
    )
    tallies.touched(TheoryTraining, set(cells.values()), {r.completed_on for r in rows})
    return written
