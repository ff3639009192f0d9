"""Writes of commitments (cam kết): the member's own, the cell's decision, paper ones, and
approved ones in bulk."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from dangvu.accounts.models import User
from dangvu.core.bulk import insert_rows, next_ids, update_rows
from dangvu.core.errors import DomainError
from dangvu.indicators import services_tallies as tallies
from dangvu.members.models import Member
from dangvu.reviews.models import (
    SECTION_KEYS,
    Commitment,
    CommitmentComment,
    CommitmentStatus,
    year_end,
)
from dangvu.reviews.services.common import (
    EVERYTHING,
    SECTION_LIMIT,
    ReviewBook,
    check_year,
    code_of,
    member_cell,
    not_oneself,
)
from dangvu.reviews.services.messages import (
    COMMENT_TOO_LONG,
    EMPTY_COMMITMENT,
    NOT_EDITABLE,
    NOT_IN_CELL,
    NOT_OPEN_FOR_COMMENTS,
    NOT_SUBMITTED,
    SECTION_TOO_LONG,
    SELF_COMMITMENT,
    TEXT_NEEDED,
)
from dangvu.units.models import Unit


# -- commitments ------------------------------------------------------------------------------
def _clean_sections(sections: Mapping[str, str]) -> dict[str, str]:
    from dangvu.reviews.models import COMMITMENT_SECTIONS

    out = {}
    for key, heading in COMMITMENT_SECTIONS:
        text = str(sections.get(key, "") or "").strip().replace("\r\n", "\n")
        if len(text) > SECTION_LIMIT:
            raise DomainError(SECTION_TOO_LONG.format(heading=heading, limit=SECTION_LIMIT))
        out[key] = text
    return out


def _require_complete(sections: Mapping[str, str]) -> None:
    from dangvu.reviews.models import COMMITMENT_SECTIONS

    empty = [heading for key, heading in COMMITMENT_SECTIONS if not sections.get(key)]
    if empty:
        raise DomainError(EMPTY_COMMITMENT.format(sections="; ".join(empty)))


def commitment_start(*, member: Member, year: int) -> Commitment:
    """This year's commitment, begun from last year's text when there is one."""
    check_year(year)
    found = Commitment.objects.filter(member=member, year=year).first()
    if found is not None:
        return found
    unit = member_cell(member, year, None)
    last = Commitment.objects.filter(member=member, year__lt=year).order_by("-year").first()
    sections = dict(last.sections) if last else {k: "" for k in SECTION_KEYS}
    return Commitment.objects.create(member=member, year=year, unit=unit, sections=sections)


@transaction.atomic
def commitment_save(
    *, commitment: Commitment, sections: Mapping[str, str], submit: bool = False
) -> Commitment:
    """The member's own edit (a draft, or a commitment the cell returned); `submit` sends it."""
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if commitment.status not in (CommitmentStatus.DRAFT, CommitmentStatus.RETURNED):
        raise DomainError(NOT_EDITABLE)
    clean = _clean_sections(sections)
    if submit:
        _require_complete(clean)
        commitment.status = CommitmentStatus.SUBMITTED
        commitment.submitted_at = timezone.now()
    commitment.sections = clean
    commitment.save()
    return commitment


@transaction.atomic
def commitment_save_own(
    *,
    member: Member,
    year: int,
    commitment: Commitment | None,
    sections: Mapping[str, str],
    submit: bool = False,
) -> Commitment:
    """The member's own commitment of the year, begun if need be: a refused first sending
    leaves no draft behind."""
    started = commitment or commitment_start(member=member, year=year)
    return commitment_save(commitment=started, sections=sections, submit=submit)


@transaction.atomic
def commitment_return(
    *, commitment: Commitment, comments: Mapping[str, str], actor: User | None
) -> Commitment:
    """The cell's comments, section by section (key "" for the whole): back to the member."""
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    not_oneself(actor, commitment.member_id, SELF_COMMITMENT)
    if commitment.status != CommitmentStatus.SUBMITTED:
        raise DomainError(NOT_SUBMITTED)
    texts = {k: str(v).strip() for k, v in comments.items() if str(v or "").strip()}
    if not texts:
        raise DomainError(TEXT_NEEDED.format(what="ý kiến góp ý"))
    for key, text in texts.items():
        CommitmentComment.objects.create(
            commitment=commitment,
            author=actor,
            section=key if key in SECTION_KEYS else "",
            text=text,
        )
    commitment.status = CommitmentStatus.RETURNED
    commitment.save(update_fields=["status", "updated_at"])
    return commitment


@transaction.atomic
def commitment_comment(
    *, commitment: Commitment, section: str, text: str, actor: User | None
) -> CommitmentComment:
    """A comment on a commitment sent to the cell, by a member of the cell (tham gia ý kiến):
    the member reads it; the status does not change."""
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if commitment.status != CommitmentStatus.SUBMITTED:
        raise DomainError(NOT_OPEN_FOR_COMMENTS)
    if not text.strip():
        raise DomainError(TEXT_NEEDED.format(what="ý kiến góp ý"))
    if len(text) > SECTION_LIMIT:
        raise DomainError(COMMENT_TOO_LONG.format(limit=SECTION_LIMIT))
    return CommitmentComment.objects.create(
        commitment=commitment,
        author=actor,
        section=section if section in SECTION_KEYS else "",
        text=text.strip(),
    )


def _counted_on(year: int, day: date) -> date:
    return min(max(day, date(year, 1, 1)), year_end(year))


@transaction.atomic
def commitment_approve(
    *, commitment: Commitment, actor: User | None, on: date | None = None
) -> Commitment:
    """Approved by the cell, and so published to the cell's members (never by its author)."""
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    not_oneself(actor, commitment.member_id, SELF_COMMITMENT)
    if commitment.status != CommitmentStatus.SUBMITTED:
        raise DomainError(NOT_SUBMITTED)
    _require_complete(commitment.sections)
    day = on or timezone.localdate()
    before = tallies.where(Commitment, [commitment.pk])
    commitment.status = CommitmentStatus.APPROVED
    commitment.approved_on, commitment.approved_by = day, actor
    commitment.counted_on = _counted_on(commitment.year, day)
    commitment.save()
    tallies.touched_records(Commitment, [commitment.pk], before)
    return commitment


@transaction.atomic
def commitment_record_paper(
    *,
    member: Member,
    year: int,
    sections: Mapping[str, str],
    signed_on: date,
    actor: User | None,
    unit: Unit | None = None,
) -> Commitment:
    """A commitment signed on paper, entered by staff: approved as signed (in `unit`, which
    must be a cell the member was in that year; by default the last one)."""
    check_year(year)
    not_oneself(actor, member.pk, SELF_COMMITMENT)
    clean = _clean_sections(sections)
    if not any(clean.values()):
        clean = {k: "(Bản giấy lưu tại chi bộ)" for k in SECTION_KEYS}
    unit = member_cell(member, year, unit)
    found = Commitment.objects.select_for_update().filter(member=member, year=year).first()
    if found is not None and found.is_approved:
        raise DomainError(NOT_EDITABLE)
    before = tallies.where(Commitment, [found.pk] if found else [])
    commitment = found or Commitment(member=member, year=year, unit=unit)
    commitment.sections = {k: clean[k] or "(Bản giấy lưu tại chi bộ)" for k in SECTION_KEYS}
    commitment.status = CommitmentStatus.APPROVED
    commitment.on_paper = True
    commitment.approved_on, commitment.approved_by = signed_on, actor
    commitment.counted_on = _counted_on(year, signed_on)
    commitment.save()
    tallies.touched_records(Commitment, [commitment.pk], before)
    return commitment


@dataclass(frozen=True)
class ApprovedCommitment:
    """A commitment approved by its cell (the demo's past years): the sections as signed."""

    member_id: int
    year: int
    unit_id: int
    sections: Mapping[str, str]
    approved_on: date
    submitted_at: datetime | None = None


def commitments_approved_bulk(
    *, rows: Sequence[ApprovedCommitment], book: ReviewBook | None = None
) -> int:
    """Approved commitments at once, by the rules of a commitment (each section within its
    limit, none empty, the member in the cell that year): a recorded commitment of the
    member's year is replaced. A refused row raises before anything is written."""
    book = book or ReviewBook(reach=EVERYTHING, actor=None, reason="", whole=True)
    checked = []
    for row in rows:
        check_year(row.year)
        sections = _clean_sections(row.sections)
        _require_complete(sections)
        if row.unit_id not in book.cells(row.member_id, row.year):
            unit = code_of(row.unit_id)
            raise DomainError(NOT_IN_CELL.format(card=row.member_id, unit=unit, year=row.year))
        checked.append(replace(row, sections=sections))
    recorded = {
        (member, year): pk
        for member, year, pk in Commitment.objects.filter(
            year__in={r.year for r in rows}
        ).values_list("member_id", "year", "pk")
    }
    now = timezone.now()
    values = [
        (
            r.unit_id,
            r.sections,
            CommitmentStatus.APPROVED,
            r.approved_on,
            _counted_on(r.year, r.approved_on),
            False,
            r.submitted_at,
            r.submitted_at or now,
        )
        for r in checked
    ]
    keys = [(r.member_id, r.year) for r in checked]
    new = [(r, v) for r, v, k in zip(checked, values, keys, strict=True) if k not in recorded]
    replaced = [recorded[k] for k in keys if k in recorded]
    before = tallies.where(Commitment, replaced)
    ids = list(next_ids(Commitment, len(new)))
    insert_rows(
        Commitment,
        ["id", "member", "year", *COMMITMENT_WRITTEN],
        [(pk, r.member_id, r.year, *v) for pk, (r, v) in zip(ids, new, strict=True)],
    )
    update_rows(
        Commitment,
        COMMITMENT_WRITTEN,
        [(recorded[k], *v) for v, k in zip(values, keys, strict=True) if k in recorded],
    )
    tallies.touched_records(Commitment, [*ids, *replaced], before)
    return len(checked)


COMMITMENT_WRITTEN = (
    "unit",
    "sections",
    "status",
    "approved_on",
    "counted_on",
    "on_paper",
    "submitted_at",
    "updated_at",
)
