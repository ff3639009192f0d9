"""Demo members and their history: joining, transfers between cells, leaving.

Membership over time is planned so the seed's figures hold and later modules can build
on it: 27,210 members on 30/06/2023, and in every year 2018–2022 more members active at
some time of the year than the seed's "đảng viên có mặt" of that year (footnote 7).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from dangvu.core.effective import END_OF_TIME
from dangvu.demo import names
from dangvu.demo.registry import PERIOD_END, PROVINCE_FOUNDED, DemoContext, demo_step
from dangvu.demo.tree import CELL_SIZE, stable_cells
from dangvu.members.models import Gender, ManagementLevel, MembershipReason
from dangvu.members.services.bulk import MemberData, MemberWrite, Stint, members_write

#: Members active on 31/12/2017; then per period: (start, end, joined, left, transfers).
STOCK_2017 = 24_800
FLOWS = [
    (date(2018, 1, 1), date(2018, 12, 31), 1000, 500, 380),
    (date(2019, 1, 1), date(2019, 12, 31), 1120, 520, 380),
    (date(2020, 1, 1), date(2020, 12, 31), 990, 540, 380),
    (date(2021, 1, 1), date(2021, 12, 31), 910, 560, 380),
    (date(2022, 1, 1), date(2022, 12, 31), 1000, 600, 380),
    (date(2023, 1, 1), PERIOD_END, 520, 410, 190),
    (date(2023, 7, 1), date(2023, 12, 31), 500, 300, 190),
    (date(2024, 1, 1), date(2024, 12, 31), 950, 600, 380),
    (date(2025, 1, 1), date(2025, 6, 30), 450, 320, 190),
    (date(2025, 7, 2), date(2025, 12, 31), 450, 330, 150),
    (date(2026, 1, 1), date(2026, 10, 31), 700, 500, 300),
]
MEMBERS_ON_PERIOD_END = 27_210
REASON_JOINED = MembershipReason.JOINED


@dataclass
class Person:
    card: str
    name: str
    female: bool
    birth: date
    joined: date
    full_on: date | None
    cell: str
    level: str = ""
    committee: bool = False
    exempt: bool = False
    left: date | None = None
    protected: bool = False
    moves: list[tuple[date, str]] = field(default_factory=list)  # (day, new cell code)


def _day_between(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


class _People:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        cells = stable_cells(ctx)
        self.all_cells = [i for i in ctx.info.values() if i["kind"] in ("cell", "grassroots_cell")]
        self.stable = cells
        self.stable_by_parent: dict[str, list[dict]] = {}
        for cell in cells:
            self.stable_by_parent.setdefault(cell["parent"], []).append(cell)
        self.weights = {c["code"]: self._weight(c) for c in self.all_cells}
        self.stable_weights = [self.weights[c["code"]] for c in cells]
        self.districts = {d["key"]: d for d in names.DISTRICTS}
        self.cards: set[str] = set()
        self.people: list[Person] = []

    def _weight(self, cell: dict) -> float:
        lo, hi = CELL_SIZE.get(cell["group"], CELL_SIZE["grassroots_cell"])
        return float(self.rng.randint(lo, hi))

    def card(self) -> str:
        while True:
            card = f"67{self.rng.randint(0, 999_999):06d}"
            if card not in self.cards:
                self.cards.add(card)
                return card

    def _ethnicity(self, cell: dict) -> str:
        district = self.districts.get(cell.get("district") or "")
        share = district["ethnic_share"] if district else 0.12
        return names.pick_ethnicity(self.rng, share)

    def person(self, cell: dict, joined: date, *, birth: date | None = None) -> Person:
        rng = self.rng
        female = rng.random() < (
            0.22 if cell["group"] in ("police", "military", "border") else 0.45
        )
        if birth is None:
            age = max(18, min(60, int(rng.gauss(27, 6))))
            birth = date(joined.year - age, rng.randint(1, 12), rng.randint(1, 28))
        full_on = joined + timedelta(days=365 + rng.randint(0, 40))
        return Person(
            card=self.card(),
            name=names.person_name(rng, female=female, ethnicity=self._ethnicity(cell)),
            female=female,
            birth=birth,
            joined=joined,
            full_on=full_on if full_on <= self.ctx.today else None,
            cell=cell["code"],
        )

    def stock(self, count: int) -> list[Person]:
        """Members active on 31/12/2017, spread over all cells by their weights."""
        rng = self.rng
        weights = [self.weights[c["code"]] for c in self.all_cells]
        chosen = rng.choices(self.all_cells, weights=weights, k=count)
        people = []
        for cell in chosen:
            # Joined between 1965 and 2017, more of them recently.
            years_ago = min(52, int(rng.expovariate(1 / 14)))
            joined = date(2017 - years_ago, rng.randint(1, 12), rng.randint(1, 28))
            people.append(self.person(cell, joined))
        return people

    def assign_attributes(self) -> None:
        rng = self.rng
        for p in self.people:
            if p.protected:
                continue
            age = (PERIOD_END - p.birth).days // 365
            roll = rng.random()
            p.level = (
                ManagementLevel.PROVINCE
                if roll < 0.011
                else ManagementLevel.DISTRICT
                if roll < 0.07
                else ManagementLevel.GRASSROOTS
                if roll < 0.2
                else ""
            )
            p.committee = p.level != "" or rng.random() < 0.06
            p.exempt = age >= 72 and rng.random() < 0.55

    def run(self) -> None:
        """Simulate 2018–2026 from the 2017 stock (the personas already added count in it)."""
        rng = self.rng
        self.people += self.stock(STOCK_2017 - len(self.people))
        active = list(range(len(self.people)))
        for start, end, joined, left, transfers in FLOWS:
            events: list[tuple[date, int, str]] = []
            events += [(_day_between(rng, start, end), 0, "join") for _ in range(joined)]
            events += [(_day_between(rng, start, end), 1, "leave") for _ in range(left)]
            events += [(_day_between(rng, start, end), 2, "move") for _ in range(transfers)]
            events.sort()
            for day, _, kind in events:
                if kind == "join":
                    cell = rng.choices(self.stable, weights=self.stable_weights, k=1)[0]
                    self.people.append(self.person(cell, day))
                    active.append(len(self.people) - 1)
                elif kind == "leave":
                    index = self._pick_leaver(active, day)
                    self.people[active[index]].left = day
                    active[index] = active[-1]
                    active.pop()
                else:
                    self._move(active, day)
        self.assign_attributes()

    def _pick_leaver(self, active: list[int], day: date) -> int:
        """Deaths lean to the old; moves out of the province to anyone."""
        rng = self.rng
        for _ in range(50):
            candidates = [rng.randrange(len(active)) for _ in range(4)]
            candidates = [i for i in candidates if self._free(self.people[active[i]], day)]
            if not candidates:
                continue
            if rng.random() < 0.6:
                return min(candidates, key=lambda i: self.people[active[i]].birth)
            return candidates[0]
        raise RuntimeError("no member can leave")

    def _free(self, p: Person, day: date) -> bool:
        last = p.moves[-1][0] if p.moves else max(p.joined, PROVINCE_FOUNDED)
        return not p.protected and last < day

    def _move(self, active: list[int], day: date) -> None:
        rng = self.rng
        for _ in range(20):
            p = self.people[active[rng.randrange(len(active))]]
            if not self._free(p, day):
                continue
            current = self.ctx.info[p.moves[-1][1] if p.moves else p.cell]
            if not current["stable"]:
                continue
            same = [
                c
                for c in self.stable
                if c["parent"] == current["parent"] and c["code"] != current["code"]
            ]
            pool = same if same and rng.random() < 0.6 else self.stable
            target = rng.choice(pool)
            if target["code"] != current["code"]:
                p.moves.append((day, target["code"]))
                return


def _persona(
    people: _People,
    cell_code: str,
    name: str,
    *,
    female: bool,
    committee: bool,
    level: str = "",
    joined: date = date(2005, 5, 19),
    birth: date = date(1979, 8, 14),
) -> Person:
    cell = people.ctx.info[cell_code]
    p = people.person(cell, joined, birth=birth)
    p.name, p.female, p.protected = name, female, True
    p.committee, p.level = committee, level
    people.people.append(p)
    return p


def _cell_in(ctx: DemoContext, district: str, *, group: str = "commune") -> str:
    return next(
        code
        for code, i in ctx.info.items()
        if i["district"] == district and i["group"] == group and i["kind"] == "cell" and i["stable"]
    )


@demo_step(order=200, label="Đảng viên và quá trình sinh hoạt")
def build_members(ctx: DemoContext) -> None:
    people = _People(ctx)
    # Named people the demo accounts and the tests rely on; they never leave or move.
    hoa_cell = _cell_in(ctx, "cu-jut")
    ctx.personas["secretary"] = _persona(
        people,
        hoa_cell,
        "Nguyễn Thị Hoà",
        female=True,
        committee=True,
        level=ManagementLevel.GRASSROOTS,
    )
    ctx.personas["member"] = _persona(
        people,
        hoa_cell,
        "Y Bhiông Niê",
        female=False,
        committee=False,
        joined=date(2012, 2, 3),
        birth=date(1988, 4, 2),
    )
    ctx.personas["stranger"] = _persona(
        people,
        _cell_in(ctx, "tuy-duc"),
        "Điểu K'Bình",
        female=False,
        committee=True,
        level=ManagementLevel.GRASSROOTS,
        birth=date(1983, 1, 9),
    )
    ctx.personas["inspector"] = _persona(
        people,
        _cell_in(ctx, "dak-mil", group="agency"),
        "Đặng Thị Thu Hương",
        female=True,
        committee=True,
        level=ManagementLevel.DISTRICT,
        joined=date(2003, 3, 26),
        birth=date(1976, 12, 1),
    )
    people.run()
    assert len(people.people) == STOCK_2017 + sum(f[2] for f in FLOWS)
    _save(ctx, people.people)
    ctx.summary["members_created"] = len(people.people)


def _stints(ctx: DemoContext, person: Person) -> list[Stint]:
    """The person's memberships: joined in the first cell, each move a transfer."""
    units = ctx.units
    start = max(person.joined, units[person.cell].founded_on)
    cell, reason_in = person.cell, REASON_JOINED
    stints = []
    for day, target in person.moves:
        transfer = MembershipReason.TRANSFER
        stints.append(Stint(units[cell].pk, start, day, reason_in, transfer))
        start, cell, reason_in = day, target, transfer
    reason_out = MembershipReason.LEFT if person.left else ""
    stints.append(Stint(units[cell].pk, start, person.left or END_OF_TIME, reason_in, reason_out))
    return stints


def _data(p: Person) -> MemberData:
    return MemberData(
        card_number=p.card,
        full_name=p.name,
        birth_date=p.birth,
        gender=Gender.FEMALE if p.female else Gender.MALE,
        joined_on=p.joined,
        full_member_on=p.full_on,
        management_level=p.level,
        is_committee_member=p.committee,
        is_exempt=p.exempt,
        left_on=p.left,
    )


def _save(ctx: DemoContext, people: list[Person]) -> None:
    """Write the members and memberships through the members' bulk service."""
    writes = [MemberWrite(_data(p), _stints(ctx, p)) for p in people]
    written = members_write(writes=writes, note=None)
    by_card = {m.card_number: m for m in written.created}
    for key, persona in list(ctx.personas.items()):
        ctx.personas[key] = by_card[persona.card]
