"""Writes of sociological surveys: design, sample, answers (phone or paper), closing.

Every write is all or nothing; a refused answer sheet lists every question at fault."""

from __future__ import annotations

import random
import re
import secrets
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from dangvu.accounts.models import User
from dangvu.core.errors import DomainError
from dangvu.members.models import COMMITTEE_LEVEL, Membership
from dangvu.sociology.models import (
    Channel,
    Invitation,
    InvitedCount,
    Option,
    Question,
    QuestionKind,
    Questionnaire,
    Response,
    ResponseAnswer,
    Status,
)
from dangvu.sociology.smallcells import merged_units
from dangvu.units.models import CELL_KINDS, Unit, UnitKind, UnitVersion

#: Codes are read off paper and typed on old phones: no 0/O, 1/I/L.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8

TITLE_NEEDED = "Cần ghi tên cuộc điều tra."
NOT_CONDUCTING = "{unit} không phải cấp ủy tiến hành điều tra (tỉnh, huyện hoặc cơ sở)."
UNIT_NOT_STANDING = "Đơn vị {unit} không hoạt động vào ngày {day:%d/%m/%Y}."
ENDS_BEFORE = "Ngày kết thúc không được trước ngày bắt đầu."
SAMPLE_NEEDED = "Cần chọn ít nhất một đơn vị để lấy mẫu."
SAMPLE_OUTSIDE = "Đơn vị {unit} không thuộc {owner}."
DESIGN_CLOSED = "Cuộc điều tra đã mở thu phiếu: không sửa câu hỏi, mẫu được nữa."
QUESTION_TEXT = "Cần ghi nội dung câu hỏi."
OPTIONS_NEEDED = "Câu hỏi lựa chọn cần ít nhất hai phương án (mỗi dòng một phương án)."
SCALE_RANGE = "Điểm cao nhất của thang điểm phải từ 2 đến 10."
TOO_LONG = "{what} dài quá {n} ký tự."
DUPLICATE_OPTION = "Phương án “{text}” bị trùng."
NESTED_SAMPLE = "Đơn vị {inner} nằm trong đơn vị {outer} đã chọn; chỉ chọn một trong hai."
STARTED_FIXED = "Cuộc điều tra đã mở thu phiếu: không đổi ngày bắt đầu được nữa."
NOT_OPEN_TO_CLOSE = "Chỉ kết thúc được cuộc điều tra đang thu phiếu."
NO_QUESTIONS = "Phiếu chưa có câu hỏi nào."
SAMPLE_SIZE = "Cỡ mẫu phải từ 0 đến {n:,} đảng viên đang sinh hoạt ở các đơn vị được chọn."
NOT_OPEN = "Cuộc điều tra không trong thời gian thu phiếu."
#: One answer for an unknown code and for a code whose survey is not collecting (a closed
#: anonymous survey has deleted its codes): the page tells nothing more about a code.
CODE_UNKNOWN = (
    "Mã này không mở được phiếu: mã không đúng, hoặc cuộc điều tra không trong thời gian thu phiếu."
)
#: Told only to whoever sends a complete sheet with the code: had it not been used, that
#: sheet would have been recorded (see `response_submit`).
CODE_USED = (
    "Mã phiếu này đã được dùng để gửi một phiếu; mỗi mã chỉ ghi nhận một phiếu, phiếu vừa gửi "
    "không được ghi nhận."
)
PAPER_UNIT = "Đơn vị {unit} không thuộc mẫu điều tra."
PAPER_NO_CODE = (
    "Phiếu giấy của cuộc điều tra không ghi tên không mang mã phiếu: người nhập phiếu sẽ biết "
    "được phiếu của ai."
)
ANSWERS_REFUSED = "Phiếu chưa được ghi nhận."


def _version(unit: Unit, day: date) -> UnitVersion:
    version = UnitVersion.objects.as_of(day).filter(unit=unit).first()
    if version is None:
        raise DomainError(UNIT_NOT_STANDING.format(unit=unit.code, day=day))
    return version


@dataclass(frozen=True)
class QuestionnaireSpec:
    unit: Unit
    title: str
    started_on: date
    ended_on: date
    sample_units: Sequence[Unit]
    purpose: str = ""
    anonymous: bool = True


@transaction.atomic
def questionnaire_save(
    *, spec: QuestionnaireSpec, actor: User | None = None, existing: Questionnaire | None = None
) -> Questionnaire:
    if not spec.title.strip():
        raise DomainError(TITLE_NEEDED)
    _fits(spec.title.strip(), 300, "Tên cuộc điều tra")
    if spec.ended_on < spec.started_on:
        raise DomainError(ENDS_BEFORE)
    owner = _version(spec.unit, spec.started_on)
    level = COMMITTEE_LEVEL.get(UnitKind(owner.kind))
    if level is None:
        raise DomainError(NOT_CONDUCTING.format(unit=owner.name))
    if not spec.sample_units:
        raise DomainError(SAMPLE_NEEDED)
    paths = {}
    for unit in spec.sample_units:
        path = _version(unit, spec.started_on).path
        if not path.startswith(owner.path):
            raise DomainError(SAMPLE_OUTSIDE.format(unit=unit.code, owner=owner.name))
        paths[unit.code] = path
    for inner, inner_path in paths.items():
        for outer, outer_path in paths.items():
            if inner != outer and inner_path.startswith(outer_path):
                raise DomainError(NESTED_SAMPLE.format(inner=inner, outer=outer))
    if existing is not None:
        existing = Questionnaire.objects.select_for_update().get(pk=existing.pk)
        if existing.status != Status.DRAFT:
            same_sample = {u.pk for u in spec.sample_units} == set(
                existing.sample_units.values_list("pk", flat=True)
            )
            if (
                not same_sample
                or existing.anonymous != spec.anonymous
                or existing.unit != spec.unit
            ):
                raise DomainError(DESIGN_CLOSED)
            if existing.started_on != spec.started_on:
                raise DomainError(STARTED_FIXED)
    q = existing or Questionnaire(created_by=actor)
    q.unit, q.level, q.title = spec.unit, str(level), spec.title.strip()
    q.purpose, q.started_on, q.ended_on = spec.purpose.strip(), spec.started_on, spec.ended_on
    q.anonymous = spec.anonymous
    q.save()
    q.sample_units.set(spec.sample_units)
    return q


def _fits(text: str, n: int, what: str) -> None:
    if len(text) > n:
        raise DomainError(TOO_LONG.format(what=what, n=n))


def _draft(questionnaire: Questionnaire) -> Questionnaire:
    locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if locked.status != Status.DRAFT:
        raise DomainError(DESIGN_CLOSED)
    return locked


@transaction.atomic
def question_add(
    *,
    questionnaire: Questionnaire,
    kind: str,
    text: str,
    options: Iterable[str] = (),
    required: bool = True,
    scale_max: int = 5,
    low_label: str = "",
    high_label: str = "",
) -> Question:
    q = _draft(questionnaire)
    if kind not in QuestionKind.values:
        raise DomainError("Loại câu hỏi không hợp lệ.")
    if not text.strip():
        raise DomainError(QUESTION_TEXT)
    choices = [o.strip() for o in options if o.strip()]
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        if len(choices) < 2:
            raise DomainError(OPTIONS_NEEDED)
        for n, choice in enumerate(choices):
            _fits(choice, 300, f"Phương án {n + 1}")
            if choice in choices[:n]:
                raise DomainError(DUPLICATE_OPTION.format(text=choice))
    _fits(low_label.strip(), 60, "Nhãn điểm thấp nhất")
    _fits(high_label.strip(), 60, "Nhãn điểm cao nhất")
    if kind == QuestionKind.SCALE and not 2 <= scale_max <= 10:
        raise DomainError(SCALE_RANGE)
    last = q.questions.order_by("-number").values_list("number", flat=True).first() or 0
    question = Question.objects.create(
        questionnaire=q,
        number=last + 1,
        kind=kind,
        text=text.strip(),
        required=required,
        scale_max=scale_max if kind == QuestionKind.SCALE else 5,
        low_label=low_label.strip() if kind == QuestionKind.SCALE else "",
        high_label=high_label.strip() if kind == QuestionKind.SCALE else "",
    )
    if question.is_choice:
        Option.objects.bulk_create(
            Option(question=question, number=n, text=t) for n, t in enumerate(choices, 1)
        )
    return question


@transaction.atomic
def question_delete(*, question: Question) -> None:
    q = _draft(question.questionnaire)
    question.delete()
    for n, each in enumerate(q.questions.order_by("number"), 1):
        if each.number != n:
            Question.objects.filter(pk=each.pk).update(number=n)


def members_in_sample(questionnaire: Questionnaire, day: date) -> list[tuple[int, int]]:
    """(member id, sampled unit id) of the members active on the day in the cells under
    the sampled units; a member under two sampled units counts once, in the first."""
    seen: dict[int, int] = {}
    for unit in questionnaire.sample_units.order_by("code"):
        root = unit.version_on(day)
        if root is None:
            continue
        cells = UnitVersion.objects.as_of(day).under(root.path).filter(kind__in=CELL_KINDS)
        members = Membership.objects.as_of(day).filter(
            Q(member__left_on__isnull=True) | Q(member__left_on__gt=day),
            unit_id__in=cells.values("unit_id"),
        )
        for member_id in members.values_list("member_id", flat=True):
            seen.setdefault(member_id, unit.pk)
    return sorted(seen.items())


def _new_codes(n: int) -> list[str]:
    codes: set[str] = set()
    while len(codes) < n:
        batch = {
            "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)) for _ in range(n)
        }
        taken = set(Invitation.objects.filter(code__in=batch).values_list("code", flat=True))
        codes |= batch - taken
    return list(codes)[:n]


@transaction.atomic
def questionnaire_open(
    *,
    questionnaire: Questionnaire,
    sample_size: int,
    day: date | None = None,
    seed: int | None = None,
) -> int:
    """Open the survey: draw `sample_size` members at random from the sampled units (each
    receives a personal code) — 0 for a survey answered on paper only. The members are those
    active on `day`, by default the survey's first day. The number drawn."""
    q = _draft(questionnaire)
    questions = list(q.questions.prefetch_related("options"))
    if not questions:
        raise DomainError(NO_QUESTIONS)
    day = day or q.started_on
    population = members_in_sample(q, day)
    if not 0 <= sample_size <= len(population):
        raise DomainError(SAMPLE_SIZE.format(n=len(population)).replace(",", "."))
    drawn = (
        random.Random(seed).sample(population, sample_size)
        if seed is not None
        else (random.SystemRandom().sample(population, sample_size))
    )
    Invitation.objects.bulk_create(
        Invitation(questionnaire=q, member_id=m, unit_id=u, code=c)
        for (m, u), c in zip(drawn, _new_codes(len(drawn)), strict=True)
    )
    InvitedCount.objects.bulk_create(
        InvitedCount(questionnaire=q, unit_id=u, n=n)
        for u, n in sorted(Counter(u for _, u in drawn).items())
    )
    q.status = Status.OPEN
    q.save(update_fields=["status"])
    return len(drawn)


@transaction.atomic
def questionnaire_close(*, questionnaire: Questionnaire) -> None:
    """End the collection. An anonymous survey then forgets who answered (see
    `_forget_who_answered`)."""
    q = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if q.status != Status.OPEN:
        raise DomainError(NOT_OPEN_TO_CLOSE)
    q.status = Status.CLOSED
    q.save(update_fields=["status"])
    if q.anonymous:
        _forget_who_answered(q)


def _forget_who_answered(q: Questionnaire) -> None:
    """What an anonymous survey must not keep once no sheet can come any more:
    - the invitations (member, code, used) are deleted: `used` told exactly who answered;
      `InvitedCount` keeps how many were invited per unit;
    - the sheets of the units with fewer than 5 sheets lose their unit (the merged group of
      `smallcells`), so that no count by unit below 5 stays even in the database;
    - every sheet and answer is written again, with new random keys, in a random order: the
      order rows were stored in (SQLite's rowid, PostgreSQL's physical order and `xmin`)
      followed the order people answered."""
    Invitation.objects.filter(questionnaire=q).delete()
    sheets = list(Response.objects.filter(questionnaire=q).values_list("pk", "unit_id"))
    answers: dict[object, list[tuple[int, int | None, int | None, str]]] = defaultdict(list)
    for rid, qid, option, points, text in ResponseAnswer.objects.filter(
        response__questionnaire=q
    ).values_list("response_id", "question_id", "option_id", "points", "text"):
        answers[rid].append((qid, option, points, text))
    codes = dict(q.sample_units.values_list("pk", "code"))
    per_unit = Counter(unit_id for _, unit_id in sheets)
    merged = merged_units({code: per_unit.get(pk, 0) for pk, code in codes.items()})
    Response.objects.filter(questionnaire=q).delete()
    shuffle = random.SystemRandom().shuffle
    shuffle(sheets)
    rewritten, rewritten_answers = [], []
    for rid, unit_id in sheets:
        kept = unit_id is not None and codes.get(unit_id) not in (None, *merged)
        sheet = Response(questionnaire=q, unit_id=unit_id if kept else None, channel="")
        rewritten.append(sheet)
        mine = answers[rid]
        shuffle(mine)
        rewritten_answers += [
            ResponseAnswer(response=sheet, question_id=qid, option_id=o, points=p, text=t)
            for qid, o, p, t in mine
        ]
    Response.objects.bulk_create(rewritten)
    ResponseAnswer.objects.bulk_create(rewritten_answers)


def check_answers(
    questions: Sequence[Question], raw: Mapping[int, Sequence[str]]
) -> tuple[list[ResponseAnswer], list[str]]:
    """The answers of one sheet (`raw`: question id -> values sent) and a message per
    question at fault."""
    answers: list[ResponseAnswer] = []
    errors: list[str] = []
    for q in questions:
        values = [v.strip() for v in raw.get(q.pk, []) if v.strip()]
        where = f"Câu {q.number}"
        if not values:
            if q.required:
                errors.append(f"{where}: chưa trả lời.")
            continue
        if q.is_choice:
            options = {str(o.pk): o for o in q.options.all()}
            chosen = [options.get(v) for v in values]
            if any(o is None for o in chosen):
                errors.append(f"{where}: phương án không có trong câu hỏi.")
            elif q.kind == QuestionKind.SINGLE and len(chosen) > 1:
                errors.append(f"{where}: chỉ chọn một phương án.")
            else:
                answers += [ResponseAnswer(question=q, option=o) for o in dict.fromkeys(chosen)]
        elif q.kind == QuestionKind.SCALE:
            if (
                len(values) != 1
                or not re.fullmatch(r"[0-9]{1,2}", values[0])
                or not 1 <= int(values[0]) <= q.scale_max
            ):
                errors.append(f"{where}: chọn một điểm từ 1 đến {q.scale_max}.")
            else:
                answers.append(ResponseAnswer(question=q, points=int(values[0])))
        else:
            text = "\n".join(values)
            if len(text) > 4000:
                errors.append(f"{where}: câu trả lời quá dài (tối đa 4.000 ký tự).")
            else:
                answers.append(ResponseAnswer(question=q, text=text))
    return answers, errors


def checked_answers(
    questions: Sequence[Question], raw: Mapping[int, Sequence[str]]
) -> list[ResponseAnswer]:
    """The answers of one sheet, or a DomainError naming every question at fault."""
    answers, errors = check_answers(questions, raw)
    if errors:
        raise DomainError(" ".join([ANSWERS_REFUSED, *errors]))
    return answers


def check_paper_unit(sample: set[int], unit_id: int | None, code: str) -> None:
    """A sheet without a code names one of the survey's sampled units."""
    if unit_id is None or unit_id not in sample:
        raise DomainError(PAPER_UNIT.format(unit=code or "(trống)"))


def invitation_to_answer(code: str, day: date | None = None) -> Invitation | None:
    """The invitation of a code whose survey collects on the day; whether the code was used
    is not looked at (the page a code opens is the same, used or not)."""
    day = day or timezone.localdate()
    return (
        Invitation.objects.select_related("questionnaire")
        .filter(
            code=code.strip().upper(),
            questionnaire__status=Status.OPEN,
            questionnaire__started_on__lte=day,
            questionnaire__ended_on__gte=day,
        )
        .first()
    )


def _sampled_unit(q: Questionnaire, unit: Unit | None, code: str) -> Unit:
    """The unit a paper sheet names, given or typed: one of the survey's sample."""
    if unit is None and code:
        unit = Unit.objects.filter(code=code).first()
    sample = set(q.sample_units.values_list("pk", flat=True))
    check_paper_unit(sample, unit.pk if unit else None, unit.code if unit else code)
    assert unit is not None
    return unit


@transaction.atomic
def responses_import(
    *, questionnaire: Questionnaire, sheets: Sequence[tuple[str, Mapping[int, Sequence[str]]]]
) -> int:
    """Paper sheets from a workbook (unit code, answers), all or nothing."""
    units = {u.code: u for u in questionnaire.sample_units.all()}
    for code, raw in sheets:
        response_submit(
            questionnaire=questionnaire, raw=raw, channel=Channel.PAPER, unit=units.get(code)
        )
    return len(sheets)


class PaperSheet(NamedTuple):
    """A paper sheet for the bulk path (`paper_sheets_record`): its sampled unit, the
    answers as a form sends them (question id -> values) and the day it came in."""

    unit_id: int
    answers: Mapping[int, Sequence[str]]
    received_on: date | None = None


@transaction.atomic
def paper_sheets_record(*, questionnaire: Questionnaire, sheets: Sequence[PaperSheet]) -> int:
    """Record many paper sheets without codes at once, by the rules of `response_submit`
    (the survey collecting, the sheet's unit sampled, the answers checked), all or nothing.
    An anonymous survey keeps neither the day nor the channel."""
    q = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if q.status != Status.OPEN:
        raise DomainError(NOT_OPEN)
    sample = set(q.sample_units.values_list("pk", flat=True))
    questions = list(q.questions.prefetch_related("options"))
    today = timezone.localdate()
    responses, answers = [], []
    for sheet in sheets:
        if sheet.unit_id not in sample:
            unit = Unit.objects.filter(pk=sheet.unit_id).first()
            check_paper_unit(sample, sheet.unit_id, unit.code if unit else "")
        response = Response(
            questionnaire=q,
            unit_id=sheet.unit_id,
            channel="" if q.anonymous else Channel.PAPER,
            received_on=None if q.anonymous else sheet.received_on or today,
        )
        responses.append(response)
        for answer in checked_answers(questions, sheet.answers):
            answer.response = response
            answers.append(answer)
    Response.objects.bulk_create(responses, batch_size=2000)
    ResponseAnswer.objects.bulk_create(answers, batch_size=5000)
    return len(responses)


@transaction.atomic
def response_submit(
    *,
    questionnaire: Questionnaire,
    raw: Mapping[int, Sequence[str]],
    channel: str,
    code: str = "",
    unit: Unit | None = None,
    unit_code: str = "",
    day: date | None = None,
) -> Response:
    """Record one answer sheet. On a phone the personal code is required; on paper the sheet
    names its sampled unit (`unit`, or its code as typed: `unit_code`) and may carry the
    code (then the member is not asked again).
    An anonymous survey keeps no trace of whose sheet it is, nor of when or how it came; only
    that the code was used (until it closes).

    Whether a code was used is checked last, after the answers: anyone holding a slip learns
    it only by sending a complete sheet, which — had the code not been used — would have
    been recorded in the owner's place (and the owner told so when they answer)."""
    q = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    day = day or timezone.localdate()
    outside = not q.started_on <= day <= q.ended_on
    if q.status != Status.OPEN or (outside and channel == Channel.PHONE):
        raise DomainError(NOT_OPEN)
    invitation = None
    if q.anonymous and channel == Channel.PAPER and code.strip():
        raise DomainError(PAPER_NO_CODE)
    if code.strip() or channel == Channel.PHONE:
        invitation = (
            Invitation.objects.select_for_update()
            .filter(questionnaire=q, code=code.strip().upper())
            .first()
        )
        if invitation is None:
            raise DomainError(CODE_UNKNOWN)
    if invitation is not None:
        unit = Unit.objects.get(pk=invitation.unit_id)
    else:
        unit = _sampled_unit(q, unit, unit_code.strip())
    questions = list(q.questions.prefetch_related("options"))
    answers = checked_answers(questions, raw)
    if invitation is not None and invitation.used:
        raise DomainError(CODE_USED)
    if invitation is not None and q.anonymous:
        # Every invitation of the survey is written by this statement, not only the one
        # used: on PostgreSQL each row's transaction id (xmin) then names the latest sheet
        # for all of them alike, instead of tying this member's row to this sheet's.
        Invitation.objects.filter(questionnaire=q).update(
            used=Case(When(pk=invitation.pk, then=Value(True)), default=F("used"))
        )
    elif invitation is not None:
        Invitation.objects.filter(pk=invitation.pk).update(used=True)
    response = Response.objects.create(
        questionnaire=q,
        unit=unit,
        member=None if q.anonymous or invitation is None else invitation.member,
        channel="" if q.anonymous else channel,
        received_on=None if q.anonymous else day,
    )
    for answer in answers:
        answer.response = response
    ResponseAnswer.objects.bulk_create(answers)
    return response
