"""Reads of sociological surveys: what the user reaches, the results, cross-tabulations."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from dangvu.accounts.models import User
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for
from dangvu.sociology.models import (
    Invitation,
    InvitedCount,
    Question,
    QuestionKind,
    Questionnaire,
    Response,
    ResponseAnswer,
    Status,
)
from dangvu.sociology.smallcells import SMALL_GROUP

VIEW, WRITE = Capability.VIEW_REPORTS, Capability.WRITE_REPORTS
OTHER_UNITS = f"Các đơn vị khác (dưới {SMALL_GROUP} phiếu)"
WHOLE_SAMPLE = "Cả mẫu (theo từng đơn vị: khi kết thúc thu phiếu)"
UNIT_DIMENSION = "don-vi"


def visible(user: User) -> QuerySet[Questionnaire]:
    """Surveys conducted inside the user's reach or sampling a unit inside it."""
    units = scope_for(user).units(VIEW)
    inside = Questionnaire.objects.filter(Q(unit__in=units) | Q(sample_units__in=units)).values(
        "pk"
    )
    return (
        Questionnaire.objects.filter(pk__in=inside)
        .select_related("unit")
        .annotate(n_responses=Count("responses", distinct=True))
    )


def results_readable(user: User) -> QuerySet[Questionnaire]:
    """Results belong to the committee that conducted the survey: those who reach it read
    them (a sampled cell sees the survey, not the whole province's answers)."""
    return visible(user).filter(unit__in=scope_for(user).units(VIEW))


def results_shown(questionnaire: Questionnaire) -> bool:
    """An anonymous survey's results open once it is closed: followed while the codes are
    used one by one, their changes would tell who answered what."""
    return not questionnaire.anonymous or questionnaire.status == Status.CLOSED


def writable(user: User) -> QuerySet[Questionnaire]:
    return Questionnaire.objects.filter(unit__in=scope_for(user).writable_units(WRITE))


@dataclass
class Bar:
    label: str
    n: int
    share: float  # percent of the sheets that answered the question


@dataclass
class QuestionResult:
    question: Question
    answered: int
    bars: list[Bar] = field(default_factory=list)
    mean: float | None = None
    texts: list[str] = field(default_factory=list)


def _bars(counts: Mapping[Any, int], labels: Sequence[tuple[Any, str]], answered: int) -> list[Bar]:
    return [
        Bar(
            label,
            counts.get(key, 0),
            round(100.0 * counts.get(key, 0) / answered, 1) if answered else 0.0,
        )
        for key, label in labels
    ]


def results(questionnaire: Questionnaire, texts_limit: int = 200) -> list[QuestionResult]:
    questions = list(questionnaire.questions.prefetch_related("options"))
    rows = ResponseAnswer.objects.filter(response__questionnaire=questionnaire)
    answered = dict(
        rows.values("question_id")
        .annotate(n=Count("response_id", distinct=True))
        .values_list("question_id", "n")
    )
    by_option = Counter(
        dict(
            rows.exclude(option=None)
            .values("option_id")
            .annotate(n=Count("pk"))
            .values_list("option_id", "n")
        )
    )
    points: dict[int, Counter[int]] = defaultdict(Counter)
    for question_id, value, n in (
        rows.exclude(points=None)
        .values("question_id", "points")
        .annotate(n=Count("pk"))
        .values_list("question_id", "points", "n")
    ):
        if value is not None:
            points[question_id][value] = n
    out = []
    for q in questions:
        n = answered.get(q.pk, 0)
        result = QuestionResult(q, n)
        if q.is_choice:
            result.bars = _bars(by_option, [(o.pk, o.text) for o in q.options.all()], n)
        elif q.kind == QuestionKind.SCALE:
            counts = points[q.pk]
            result.bars = _bars(counts, [(v, str(v)) for v in range(1, q.scale_max + 1)], n)
            total = sum(counts.values())
            result.mean = round(sum(v * c for v, c in counts.items()) / total, 2) if total else None
        else:
            # In the order of the texts: the order of keys is random, and differs from one
            # reading of the same answers to the next.
            result.texts = list(
                rows.filter(question=q)
                .exclude(text="")
                .order_by("text")
                .values_list("text", flat=True)[:texts_limit]
            )
        out.append(result)
    return out


@dataclass
class CrossTab:
    rows: list[str]
    cols: list[str]
    cells: list[list[int]]  # rows × cols
    row_totals: list[int]

    def share(self, r: int, c: int) -> float:
        total = self.row_totals[r]
        return round(100.0 * self.cells[r][c] / total, 1) if total else 0.0

    @property
    def lines(self) -> list[tuple[str, list[tuple[int, float]], int]]:
        """Per row: its label, (count, row percent) per column, the row's sheets."""
        return [
            (
                label,
                [(n, self.share(r, c)) for c, n in enumerate(self.cells[r])],
                self.row_totals[r],
            )
            for r, label in enumerate(self.rows)
        ]


def unit_groups(questionnaire: Questionnaire) -> dict[int | None, str]:
    """The label each sampled unit's sheets go under (by unit id; `None`: the sheets a closed
    anonymous survey merged). On a survey that is not anonymous, the unit's code. On an
    anonymous survey:
    - while it collects, one group, the whole sample: groups that changed with each sheet
      could be set against each other (and against the final ones) to count a small unit's
      sheets, one by one;
    - once closed, the merge of `smallcells` was made in the database by the closing
      (`services._forget_who_answered`): a unit still named on a sheet stands on its own,
      every other one is in the merged group."""
    codes = dict(questionnaire.sample_units.values_list("pk", "code"))
    if not questionnaire.anonymous:
        return {None: OTHER_UNITS} | codes
    if questionnaire.status != Status.CLOSED:
        return {None: WHOLE_SAMPLE} | dict.fromkeys(codes, WHOLE_SAMPLE)
    named = set(
        Response.objects.filter(questionnaire=questionnaire)
        .exclude(unit=None)
        .values_list("unit_id", flat=True)
    )
    return {None: OTHER_UNITS} | {
        pk: code if pk in named else OTHER_UNITS for pk, code in codes.items()
    }


def _ordered_labels(shown: set[str]) -> list[str]:
    """Units by code, the merged group last."""
    return sorted(shown - {OTHER_UNITS}) + ([OTHER_UNITS] if OTHER_UNITS in shown else [])


@dataclass
class UnitLine:
    label: str
    invited: int
    sheets: int


def sheets_by_unit(questionnaire: Questionnaire) -> list[UnitLine]:
    """Per unit (or group, on an anonymous survey): the members given a code and the sheets
    received. Never who answered: on an anonymous survey the groups are those of the
    results (`unit_groups`), so the two pages cannot be set against each other."""
    groups = unit_groups(questionnaire)
    invited: Counter[str] = Counter()
    for unit_id, n in InvitedCount.objects.filter(questionnaire=questionnaire).values_list(
        "unit_id", "n"
    ):
        invited[groups.get(unit_id, OTHER_UNITS)] += n
    sheets: Counter[str] = Counter()
    for unit_id, n in (
        Response.objects.filter(questionnaire=questionnaire)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    ):
        sheets[groups.get(unit_id, OTHER_UNITS)] += n
    shown = {label for unit_id, label in groups.items() if unit_id is not None}
    shown |= {groups[None]} if sheets[groups[None]] else set()
    return [UnitLine(label, invited[label], sheets[label]) for label in _ordered_labels(shown)]


def invited_total(questionnaire: Questionnaire) -> int:
    return InvitedCount.objects.filter(questionnaire=questionnaire).aggregate(n=Sum("n"))["n"] or 0


def codes_shown(questionnaire: Questionnaire) -> QuerySet[Invitation]:
    """The personal codes to hand out (none left once an anonymous survey is closed)."""
    return (
        Invitation.objects.filter(questionnaire=questionnaire)
        .select_related("member", "unit")
        .order_by("unit__code", "member__name_sort")
    )


def who_answered_shown(questionnaire: Questionnaire) -> bool:
    """Whether the codes page ticks the codes used: never on an anonymous survey."""
    return not questionnaire.anonymous


def _dimension(
    questionnaire: Questionnaire, key: str
) -> tuple[list[str], dict[object, set[int]]] | None:
    """Labels of a dimension and, per response, the indexes of its values."""
    if key == UNIT_DIMENSION:
        groups = unit_groups(questionnaire)
        sheets = list(
            Response.objects.filter(questionnaire=questionnaire).values_list("pk", "unit_id")
        )
        labels = _ordered_labels({groups.get(u, OTHER_UNITS) for _, u in sheets})
        return labels, {rid: {labels.index(groups.get(u, OTHER_UNITS))} for rid, u in sheets}
    number = int(key) if re.fullmatch(r"[0-9]{1,12}", key) else 0
    question = questionnaire.questions.filter(pk=number).first()
    if question is None or question.kind == QuestionKind.TEXT:
        return None
    values: dict[object, set[int]] = defaultdict(set)
    if question.is_choice:
        options = list(question.options.values_list("pk", "text"))
        position = {pk: i for i, (pk, _) in enumerate(options)}
        for rid, option_id in ResponseAnswer.objects.filter(question=question).values_list(
            "response_id", "option_id"
        ):
            values[rid].add(position[option_id])
        return [text for _, text in options], values
    for rid, value in ResponseAnswer.objects.filter(question=question).values_list(
        "response_id", "points"
    ):
        if value is not None:
            values[rid].add(value - 1)
    return [str(v) for v in range(1, question.scale_max + 1)], values


def crosstab(questionnaire: Questionnaire, row_key: str, col_key: str) -> CrossTab | None:
    """Sheets counted by the values of two questions (or the unit and a question); a sheet
    with several options of a multiple choice counts under each."""
    rows = _dimension(questionnaire, row_key)
    cols = _dimension(questionnaire, col_key)
    if rows is None or cols is None or row_key == col_key:
        return None
    (row_labels, row_values), (col_labels, col_values) = rows, cols
    cells = [[0] * len(col_labels) for _ in row_labels]
    totals = [0] * len(row_labels)
    for rid, row_set in row_values.items():
        for r in row_set:
            totals[r] += 1
            for c in col_values.get(rid, ()):
                cells[r][c] += 1
    return CrossTab(row_labels, col_labels, cells, totals)
