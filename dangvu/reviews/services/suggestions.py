"""Writes of review suggestions (gợi ý kiểm điểm): one row validator for a page and a
workbook."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from django.db import transaction

from dangvu.accounts.models import User
from dangvu.core.errors import DomainError
from dangvu.members.models import COMMITTEE_LEVEL, ManagementLevel, Member
from dangvu.reviews.models import (
    CollectiveKind,
    CollectiveReview,
    MemberReview,
    ReviewSuggestion,
    year_end,
)
from dangvu.reviews.services.collective_reviews import collectives_of
from dangvu.reviews.services.common import (
    BulkResult,
    Problem,
    Reach,
    ReviewBook,
    RowError,
    Upsert,
    audit_bulk,
    check_year,
    upsert,
)
from dangvu.reviews.services.messages import (
    ANSWER_EMPTY,
    ANSWER_WRONG_REVIEW,
    CARD_NOT_IN_REACH,
    COLLECTIVE_NOT_HERE,
    DUPLICATE_ROW,
    ISSUER_NOT_AT_LEVEL,
    ISSUER_OUTSIDE,
    NO_CELL,
    NO_ISSUER_AT_LEVEL,
    NO_SUCH_CARD,
    NO_UNIT_IN_YEAR,
    NOT_A_MANAGING_BODY,
    ONE_SUBJECT,
    SUBJECT_LEVEL,
    SUBJECT_OUTSIDE,
    SUGGESTED_ALREADY,
    SUGGESTION_NOT_YOURS,
    UNIT_GONE,
)
from dangvu.units.models import Unit, UnitKind, UnitVersion

# -- review suggestions -----------------------------------------------------------------------


def level_of(version: UnitVersion) -> str:
    level = COMMITTEE_LEVEL.get(UnitKind(version.kind))
    if level is None:
        raise RowError(NOT_A_MANAGING_BODY.format(unit=version.name), "issuer_code")
    return str(level)


@dataclass(frozen=True)
class SuggestionSpec:
    year: int
    issuer: Unit
    issued_on: date
    content: str = ""
    subject_unit: Unit | None = None
    subject_collective: str = ""
    subject_member: Member | None = None


@dataclass(frozen=True)
class SuggestionRow:
    """A review suggestion as a workbook or the demo gives it. The subject: a member (card
    or id) or a unit (code or id) with its collective (None: the unit's first). The issuer
    by code or id (neither: the nearest body of `level` above the subject); `level` "": the
    issuer's. The answer and the reviews it links are written with a new suggestion."""

    year: int
    individual: bool
    issued_on: date
    subject: str = ""
    subject_id: int | None = None
    level: str = ""
    collective: str | None = ""
    issuer_code: str = ""
    issuer_id: int | None = None
    content: str = ""
    answer: str = ""
    answered_on: date | None = None
    member_review_id: int | None = None
    collective_review_id: int | None = None

    @classmethod
    def of(cls, spec: SuggestionSpec) -> SuggestionRow:
        member, unit = spec.subject_member, spec.subject_unit
        return cls(
            year=spec.year,
            individual=member is not None,
            issued_on=spec.issued_on,
            subject=member.card_number if member else unit.code if unit else "",
            subject_id=member.pk if member else unit.pk if unit else None,
            collective=spec.subject_collective,
            issuer_code=spec.issuer.code,
            issuer_id=spec.issuer.pk,
            content=spec.content.strip(),
        )


class SuggestionValues(NamedTuple):
    issuer: int
    level: str
    issued_on: date
    subject_unit: int | None
    subject_collective: str
    subject_member: int | None
    content: str


SuggestionKey = tuple[int, str, int]  # (year, "m" or "u", the member or the unit)


RecordedSuggestion = tuple[int, SuggestionValues]


class CheckedSuggestion(NamedTuple):
    key: SuggestionKey
    values: SuggestionValues
    before: SuggestionValues | None
    before_pk: int | None
    row: SuggestionRow


class _Subject(NamedTuple):
    key: SuggestionKey
    anchor: int  # the unit, or the member's last cell of the year
    paths: list[str]  # where the subject stood at the year's end
    collective: str


def _suggestion_member(row: SuggestionRow, book: ReviewBook) -> _Subject:
    """The member, told only when the writer reaches one of the member's cells in the year:
    nothing is said of a member outside it (nor whether the card exists)."""
    card, year = row.subject, row.year
    found = row.subject_id if row.subject_id is not None else (book.member(card) or (None,))[0]
    cells = [c for c in book.cells(found, year) if book.standing(c, year)] if found else []
    if not book.reach.everything and not book.in_reach(cells):
        raise RowError(CARD_NOT_IN_REACH.format(card=card, year=year), "subject")
    if found is None:
        raise RowError(NO_SUCH_CARD.format(card=card), "subject")
    if not cells:
        raise RowError(NO_CELL.format(card=card, year=year), "subject")
    paths = [book.standing(c, year).path for c in cells]  # type: ignore[union-attr]
    return _Subject((year, "m", found), cells[0], paths, "")


def _suggestion_unit(row: SuggestionRow, book: ReviewBook) -> _Subject:
    year = row.year
    unit_id = row.subject_id if row.subject_id is not None else book.unit_id(row.subject)
    version = book.standing(unit_id, year) if unit_id is not None else None
    if unit_id is None or version is None or unit_id not in book.reach:
        raise RowError(NO_UNIT_IN_YEAR.format(code=row.subject, year=year), "subject")
    allowed = collectives_of(version.kind)
    collective = allowed[0] if row.collective is None else row.collective
    if collective not in allowed:
        raise RowError(
            COLLECTIVE_NOT_HERE.format(
                collective=CollectiveKind(collective).label
                if collective in CollectiveKind.values
                else "(chưa chọn tập thể)",
                unit=version.name,
                kind=version.get_kind_display(),
            ),
            "collective",
        )
    return _Subject((year, "u", unit_id), unit_id, [version.path], collective)


def _suggestion_issuer(
    row: SuggestionRow, subject: _Subject, book: ReviewBook
) -> tuple[UnitVersion, str]:
    """The issuing body and its level: the one named, if it manages the subject at the
    row's level; else the nearest body of that level above the subject."""
    year = row.year
    if row.issuer_id is None and not row.issuer_code:
        found = _nearest_issuer(subject, row.level, book, strict=not row.individual)
        if found is None:
            raise RowError(NO_ISSUER_AT_LEVEL, "level")
        return found, row.level
    issuer_id = row.issuer_id if row.issuer_id is not None else book.unit_id(row.issuer_code)
    version = book.standing(issuer_id, year) if issuer_id is not None else None
    if version is None:
        raise RowError(UNIT_GONE.format(unit=row.issuer_code, year=year), "issuer_code")
    level = level_of(version)
    if row.level and level != row.level:
        label = ManagementLevel(row.level).label.lower()
        raise RowError(ISSUER_NOT_AT_LEVEL.format(code=row.issuer_code, level=label), "issuer_code")
    if not any(path.startswith(version.path) for path in subject.paths):
        raise RowError(SUBJECT_OUTSIDE.format(issuer=version.name), "issuer_code")
    return version, level


def _nearest_issuer(
    subject: _Subject, level: str, book: ReviewBook, *, strict: bool
) -> UnitVersion | None:
    """The nearest unit above (or, for a person's cell, at) the subject of the level."""
    ids = [int(p) for p in subject.paths[0].strip("/").split("/")]
    for unit_id in reversed(ids[:-1] if strict else ids):
        version = book.standing(unit_id, subject.key[0])
        if version is not None and COMMITTEE_LEVEL.get(UnitKind(version.kind)) == level:
            return version
    return None


def check_suggestion_row(
    row: SuggestionRow, book: ReviewBook, recorded: RecordedSuggestion | None, *, once: bool
) -> CheckedSuggestion | None:
    """THE rules of a review suggestion, for a page and a workbook alike: the subject in
    the writer's reach, under the issuer, of the issuer's management level; the issuer
    written by the writer (a body outside its reach suggests nothing in its name). A
    subject suggested already in the year: refused (`once`, the page), else rewritten, if
    the suggestion recorded was issued by a body the writer writes. None: unchanged."""
    check_year(row.year)
    subject = _suggestion_member(row, book) if row.individual else _suggestion_unit(row, book)
    issuer, level = _suggestion_issuer(row, subject, book)
    if issuer.unit_id not in book.reach:
        raise RowError(ISSUER_OUTSIDE.format(issuer=issuer.name), "issuer_code")
    if row.individual:
        _check_subject_level(row, subject, level, issuer, book)
    before_pk, before = recorded or (None, None)
    if before is not None and once:
        raise RowError(SUGGESTED_ALREADY.format(year=row.year), "subject")
    if before is not None and before.issuer not in book.reach:
        raise RowError(SUGGESTION_NOT_YOURS.format(year=row.year), "subject")
    values = SuggestionValues(
        issuer=issuer.unit_id,
        level=level,
        issued_on=row.issued_on,
        subject_unit=None if row.individual else subject.key[2],
        subject_collective=subject.collective,
        subject_member=subject.key[2] if row.individual else None,
        content=row.content,
    )
    if before == values:
        return None
    return CheckedSuggestion(subject.key, values, before, before_pk, row)


def _check_subject_level(
    row: SuggestionRow, subject: _Subject, level: str, issuer: UnitVersion, book: ReviewBook
) -> None:
    member_level = book.management_level(subject.key[2])
    if member_level != level:
        raise RowError(
            SUBJECT_LEVEL.format(
                card=row.subject,
                level=ManagementLevel(member_level).label if member_level else "(chưa xác định)",
                issuer_level=ManagementLevel(level).label,
                issuer=issuer.name,
            ),
            "level",
        )


def _suggestion_key(spec: SuggestionSpec) -> SuggestionKey:
    if spec.subject_member is not None:
        return (spec.year, "m", spec.subject_member.pk)
    assert spec.subject_unit is not None
    return (spec.year, "u", spec.subject_unit.pk)


def _checked_suggestion(spec: SuggestionSpec, actor: User | None) -> CheckedSuggestion:
    if (spec.subject_unit is None) == (spec.subject_member is None):
        raise DomainError(ONE_SUBJECT)
    book = ReviewBook.for_one(actor)
    key = _suggestion_key(spec)
    taken = ReviewSuggestion.objects.filter(year=spec.year)
    if key[1] == "m":
        taken = taken.filter(subject_member_id=key[2])
    else:
        taken = taken.filter(subject_unit_id=key[2])
    recorded = taken.first()
    checked = check_suggestion_row(
        SuggestionRow.of(spec),
        book,
        (recorded.pk, _suggestion_values(recorded)) if recorded else None,
        once=True,
    )
    assert checked is not None  # `once`: a recorded suggestion is refused
    return checked


def _suggestion_values(s: ReviewSuggestion) -> SuggestionValues:
    return SuggestionValues(
        s.issuer_id,
        s.level,
        s.issued_on,
        s.subject_unit_id,
        s.subject_collective,
        s.subject_member_id,
        s.content,
    )


def check_suggestion(spec: SuggestionSpec, actor: User | None = None) -> str:
    """The level of the suggestion, after checking the subject is under the issuer."""
    return _checked_suggestion(spec, actor).values.level


@transaction.atomic
def suggestion_issue(*, spec: SuggestionSpec, actor: User | None = None) -> ReviewSuggestion:
    values = _checked_suggestion(spec, actor).values
    return ReviewSuggestion.objects.create(
        year=spec.year,
        issuer=spec.issuer,
        level=values.level,
        issued_on=spec.issued_on,
        subject_unit=spec.subject_unit,
        subject_collective=values.subject_collective,
        subject_member=spec.subject_member,
        content=values.content,
        year_end=year_end(spec.year),
        created_by=actor,
    )


def suggestions_save_bulk(
    *,
    rows: Sequence[SuggestionRow],
    actor: User | None,
    reach: Reach,
    note: str = "",
    check_only: bool = False,
    book: ReviewBook | None = None,
) -> BulkResult:
    """Many review suggestions at once (a workbook, the demo), by the rules of
    `check_suggestion_row`; a subject's suggestion of the year is rewritten (if the
    writer writes its issuer). One refused row writes nothing."""
    book = book or ReviewBook(reach=reach, actor=actor, reason="", whole=True)
    recorded = _recorded_suggestions({r.year for r in rows})
    result, checked, seen = BulkResult(), [], set()
    for index, row in enumerate(rows):
        try:
            found = check_suggestion_row(row, book, recorded.get(_row_key(row, book)), once=False)
            key = found.key if found else _row_key(row, book)
            if key in seen:
                what = "cùng năm, cùng đối tượng"
                raise RowError(DUPLICATE_ROW.format(what=what), "subject")
            seen.add(key)
        except DomainError as error:
            result.problems.append(Problem(index, getattr(error, "field", "year"), error.message))
            continue
        if found is None:
            result.unchanged += 1
        else:
            checked.append(found)
    if result.problems or check_only:
        return result
    _write_suggestions(checked, actor=actor, note=note, result=result)
    return result


def _row_key(row: SuggestionRow, book: ReviewBook) -> SuggestionKey:
    if row.subject_id is not None:
        return (row.year, "m" if row.individual else "u", row.subject_id)
    if row.individual:
        return (row.year, "m", (book.member(row.subject) or (0,))[0])
    return (row.year, "u", book.unit_id(row.subject) or 0)


def _recorded_suggestions(years: set[int]) -> dict[SuggestionKey, RecordedSuggestion]:
    rows = ReviewSuggestion.objects.filter(year__in=years).values_list(
        "pk", "year", *(f"{f}_id" if f in _FKS else f for f in SuggestionValues._fields)
    )
    out: dict[SuggestionKey, RecordedSuggestion] = {}
    for pk, year, *recorded in rows:
        values = SuggestionValues(*recorded)
        kind, subject = (
            ("u", values.subject_unit) if values.subject_unit else ("m", values.subject_member)
        )
        out[(year, kind, subject or 0)] = (pk, values)
    return out


_FKS = ("issuer", "subject_unit", "subject_member")


SUGGESTION_WRITTEN = ("year", *SuggestionValues._fields, "year_end")


SUGGESTION_NEW_ONLY = (
    "answer",
    "answered_on",
    "member_review",
    "collective_review",
    "created_by",
)


def _write_suggestions(
    checked: list[CheckedSuggestion], *, actor: User | None, note: str, result: BulkResult
) -> None:
    actor_id = actor.pk if actor else None
    rows = [
        Upsert(
            c.key,
            c.before_pk,
            (c.key[0], *c.values, year_end(c.key[0])),
            (
                c.row.answer,
                c.row.answered_on,
                c.row.member_review_id,
                c.row.collective_review_id,
                actor_id,
            ),
        )
        for c in checked
    ]
    ids = upsert(
        ReviewSuggestion,
        keys=(),
        written=SUGGESTION_WRITTEN,
        rows=rows,
        new_only=SUGGESTION_NEW_ONLY,
    )
    if note:
        changes = [(c.key, ids[c.key], c.values, c.before) for c in checked]
        audit_bulk(
            ReviewSuggestion,
            changes,
            make=lambda key, pk: ReviewSuggestion(pk=pk, year=key[0]),
            actor=actor,
            note=note,
        )
    result.created = sum(1 for c in checked if c.before_pk is None)
    result.updated, result.ids = len(checked) - result.created, ids


@transaction.atomic
def suggestion_answer(
    *,
    suggestion: ReviewSuggestion,
    answer: str,
    answered_on: date,
    member_review: MemberReview | None = None,
    collective_review: CollectiveReview | None = None,
) -> ReviewSuggestion:
    """Link the review that answers the suggestion, with what it says in reply."""
    if not answer.strip():
        raise DomainError(ANSWER_EMPTY)
    wrong = DomainError(ANSWER_WRONG_REVIEW.format(year=suggestion.year))
    if suggestion.is_individual:
        if member_review is None or (
            member_review.member_id != suggestion.subject_member_id
            or member_review.year != suggestion.year
        ):
            raise wrong
    elif collective_review is None or (
        collective_review.unit_id != suggestion.subject_unit_id
        or collective_review.year != suggestion.year
        or collective_review.collective != suggestion.subject_collective
    ):
        raise wrong
    suggestion.answer, suggestion.answered_on = answer.strip(), answered_on
    suggestion.member_review, suggestion.collective_review = member_review, collective_review
    suggestion.save()
    return suggestion
