"""Demo: the inspection and discipline cases of the seed (2018 – April 2023), from records:

- violation signs: 41 organisations (37 violated, 14 disciplined); 482 members, 257 of them
  committee members (468 violated, 249 disciplined);
- the performance of inspection and supervision duties: 664 organisations; the enforcement
  of discipline: 281 organisations;
- 40 complex, prominent cases directed by the committees.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from dangvu.demo.registry import PERIOD_START, DemoContext, demo_step
from dangvu.inspection import services
from dangvu.inspection.models import CaseKind, DisciplineForm, SubjectKind
from dangvu.inspection.services import GeneratedCase
from dangvu.members.models import Member, Membership
from dangvu.units.models import GRASSROOTS_KINDS, UnitKind, UnitVersion

LAST_DAY = date(2023, 4, 30)  # "từ năm 2018 đến tháng 4/2023"
ORG_SIGNS, ORG_VIOLATED, ORG_DISCIPLINED = 41, 37, 14
ORG_TASK, ORG_ENFORCEMENT = 664, 281
MEMBER_SIGNS, MEMBER_COMMITTEE, MEMBER_VIOLATED, MEMBER_DISCIPLINED = 482, 257, 468, 249
COMPLEX = 40
CONCLUSIONS = (
    "Vi phạm nguyên tắc tập trung dân chủ, quy chế làm việc.",
    "Vi phạm trong quản lý, sử dụng tài chính, đất đai.",
    "Vi phạm những điều đảng viên không được làm.",
    "Thiếu trách nhiệm trong lãnh đạo, chỉ đạo, kiểm tra, giám sát.",
)


@demo_step(order=335, label="Kiểm tra, giám sát, kỷ luật 2018 – 4/2023")
def build_cases(ctx: DemoContext) -> None:
    rng = random.Random(ctx.seed * 17 + 9)
    forms = {
        (f.rule.code, f.applies, f.code): f.pk
        for f in DisciplineForm.objects.select_related("rule")
    }
    start = {v.unit_id: v for v in UnitVersion.objects.as_of(PERIOD_START)}
    end = {v.unit_id: v for v in UnitVersion.objects.as_of(LAST_DAY)}
    steady = {u: v for u, v in end.items() if u in start and start[u].kind == v.kind}
    organisations = sorted(u for u, v in steady.items() if v.kind in GRASSROOTS_KINDS)
    body_of = {u: _ids(v.path)[1] for u, v in steady.items() if len(_ids(v.path)) > 1}
    members = _steady_members(steady)
    committee = [m for m in members if m[2]]
    others = [m for m in members if not m[2]]
    rng.shuffle(committee)
    rng.shuffle(others)
    people = committee[:MEMBER_COMMITTEE] + others[: MEMBER_SIGNS - MEMBER_COMMITTEE]
    rng.shuffle(people)
    days = (LAST_DAY - PERIOD_START).days
    rows: list[tuple[Any, ...]] = []

    def case(
        kind: str, subject: str, unit: int, member: int | None, is_committee: bool
    ) -> list[Any]:
        opened = PERIOD_START + timedelta(days=rng.randrange(days - 60))
        return [
            kind,
            subject,
            unit if subject == SubjectKind.ORGANISATION else None,
            member,
            unit,
            is_committee,
            body_of.get(unit, unit),
            opened,
        ]

    picks = rng.sample(organisations, ORG_SIGNS)
    for i, unit in enumerate(picks):
        base = case(CaseKind.VIOLATION_SIGNS, SubjectKind.ORGANISATION, unit, None, False)
        rows.append(
            _concluded(
                rng,
                base,
                violated=i < ORG_VIOLATED,
                form=(
                    ("org", rng.choice(["reprimand", "warning"])) if i < ORG_DISCIPLINED else None
                ),
                forms=forms,
            )
        )
    for kind, count in ((CaseKind.TASK, ORG_TASK), (CaseKind.ENFORCEMENT, ORG_ENFORCEMENT)):
        for unit in (rng.choice(organisations) for _ in range(count)):
            base = case(kind, SubjectKind.ORGANISATION, unit, None, False)
            rows.append(_concluded(rng, base, violated=rng.random() < 0.1, form=None, forms=forms))
    for i, (member_id, cell_id, is_committee, full) in enumerate(people):
        base = case(CaseKind.VIOLATION_SIGNS, SubjectKind.MEMBER, cell_id, member_id, is_committee)
        form = None
        if i < MEMBER_DISCIPLINED:
            allowed = (
                ["reprimand", "warning", "removal", "expulsion"]
                if full
                else ["reprimand", "warning"]
            )
            form = (
                "full" if full else "probationary",
                rng.choices(allowed, weights=[5, 3, 1, 1][: len(allowed)])[0],
            )
        rows.append(_concluded(rng, base, violated=i < MEMBER_VIOLATED, form=form, forms=forms))
    # The complex cases: among the violation signs, organisations' and members'.
    signs = [i for i, r in enumerate(rows) if r[1] == CaseKind.VIOLATION_SIGNS]
    complex_ones = set(rng.sample(signs, COMPLEX))
    services.cases_generated(
        cases=[GeneratedCase._make([*row[1:], n in complex_ones]) for n, row in enumerate(rows)]
    )
    ctx.summary["inspection_cases"] = len(rows)


def _ids(path: str) -> list[int]:
    return [int(p) for p in path.strip("/").split("/")]


def _steady_members(steady: dict[int, Any]) -> list[tuple[int, int, bool, bool]]:
    """Members in one cell through the whole period: (id, cell, committee, full member)."""
    cells = {
        m: u
        for m, u in Membership.objects.begun_by(PERIOD_START)
        .valid_after(LAST_DAY)
        .values_list("member_id", "unit_id")
        if u in steady and steady[u].kind in (UnitKind.CELL, UnitKind.GRASSROOTS_CELL)
    }
    out = []
    for pk, committee, full_on in Member.objects.filter(pk__in=cells).values_list(
        "pk", "is_committee_member", "full_member_on"
    ):
        out.append((pk, cells[pk], committee, full_on is not None and full_on <= PERIOD_START))
    return sorted(out)


def _concluded(
    rng: random.Random,
    base: list[Any],
    *,
    violated: bool,
    form: tuple[str, str] | None,
    forms: dict[tuple[str, str, str], int],
) -> tuple[Any, ...]:
    opened = base[7]
    concluded = opened + timedelta(days=rng.randrange(20, 55))
    decision = concluded + timedelta(days=rng.randrange(3, 20)) if form else None
    rule = "69-QĐ/TW" if decision and decision >= date(2022, 7, 6) else "102-QĐ/TW"
    return (
        None,  # the code is numbered later
        *base,
        concluded,
        violated,
        rng.choice(CONCLUSIONS) if violated else "Không có vi phạm.",
        forms[(rule, form[0], form[1])] if form else None,
        f"{rng.randrange(10, 999)}-QĐ/UBKT" if form else "",
        decision,
    )
