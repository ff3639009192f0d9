"""export → empty database → import → export gives the same workbook and the same history."""

from __future__ import annotations

from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command

from dangvu.accounts.models import Department, Role, User
from dangvu.accounts.scope import today
from dangvu.accounts.services import role_grant
from dangvu.exchange.tests.helpers import members_of, read, run_import
from dangvu.exchange.workbook import SheetResult
from dangvu.members.models import Member, Membership
from dangvu.members.selectors import member_record, unit_members
from dangvu.members.services import member_leave, member_transfer
from dangvu.units.models import Reorganisation, Unit, UnitSuccession, UnitVersion
from dangvu.units.selectors import unit_page
from dangvu.units.services import unit_merge, unit_move, unit_rename

RENAMED = date(2021, 1, 1)
MOVED = date(2021, 6, 1)
MERGED = date(2022, 1, 1)
TRANSFERRED = date(2022, 6, 1)
LEFT = date(2023, 1, 1)
DAYS = [
    date(2010, 1, 1),
    date(2020, 12, 31),
    RENAMED,
    MOVED,
    date(2021, 12, 31),
    MERGED,
    TRANSFERRED,
    date(2022, 12, 31),
    LEFT,
]


def _reorganise(world) -> None:
    units, members = world.units, world.members
    unit_rename(unit=units["DN.CUJUT.EATLING"], name="Đảng bộ xã Ea T'Ling", effective_on=RENAMED)
    unit_move(unit=units["DN.DAKMIL.DUCMINH"], new_parent=units["DN.CUJUT"], effective_on=MOVED)
    unit_merge(
        sources=[units["DN.CUJUT.EATLING.TDP2"]],
        target=units["DN.CUJUT.EATLING.TDP1"],
        effective_on=MERGED,
    )
    member_transfer(
        member=members["binh"], to_cell=units["DN.DAKMIL.UBKT"], effective_on=TRANSFERRED
    )
    member_leave(member=members["an"], left_on=LEFT)


def _wipe() -> None:
    """Everything the workbook carries (accounts stay, without their roles and their
    grant log), and the tallies' counts of it (an empty database counts nothing; the
    import must count it all again)."""
    from dangvu.accounts.models import GrantEvent, GrantRequest
    from dangvu.indicators.models import Tally, TallyPart

    Tally.objects.all().delete()
    TallyPart.objects.all().delete()

    GrantEvent.objects.all().delete()
    GrantRequest.objects.all().delete()
    Role.objects.all().delete()
    Membership.objects.all().delete()
    Member.objects.all().delete()
    UnitSuccession.objects.all().delete()
    Reorganisation.objects.all().delete()
    UnitVersion.objects.all().delete()
    Unit.objects.all().delete()


def _export(path: Path) -> bytes:
    call_command("workbook_export", str(path), stdout=StringIO())
    return path.read_bytes()


def _reads(codes: list[str], cards: list[str]) -> dict[Any, Any]:
    """What the application shows an administrator about every unit and member, by date."""
    admin = User.objects.get(username="quantri")
    codes_by_id = dict(Unit.objects.values_list("pk", "code"))
    out: dict[Any, Any] = {}
    for code in codes:
        for day in DAYS:
            page = unit_page(user=admin, code=code, day=day)
            version = page.version
            out[code, day] = {
                "state": None
                if version is None
                else (
                    version.name,
                    version.kind,
                    version.depth,
                    codes_by_id.get(version.parent_id),
                ),
                "ancestors": [a.name for a, _ in page.ancestors],
                "children": [(c.name, c.member_count, c.child_count) for c in page.children],
                "kinds": page.kind_counts,
                "members": (page.member_total, page.direct_members),
                "names": [m.full_name for m in unit_members(user=admin, unit=page.unit, day=day)],
                "successors": [
                    (s.successor.code, s.effective_on, v.name) for s, v in page.successors
                ],
                "predecessors": [
                    (s.predecessor.code, s.effective_on, v.name) for s, v in page.predecessors
                ],
            }
        out[code, "history"] = [
            (v.valid_from, v.valid_to, v.name, v.kind, codes_by_id.get(v.parent_id))
            for v in page.history
        ]
    for card in cards:
        member, rows = member_record(user=admin, card_number=card)
        out[card] = (
            member.full_name,
            member.left_on,
            [
                (
                    codes_by_id[r.membership.unit_id],
                    r.membership.valid_from,
                    r.membership.valid_to,
                    r.membership.reason_in,
                    r.membership.reason_out,
                    r.unit_version.name if r.unit_version else None,
                )
                for r in rows
            ],
        )
    return out


def test_it_round_trips_the_world_after_a_reorganisation(world, tmp_path):
    _reorganise(world)
    codes = sorted(world.units)
    cards = sorted(m.card_number for m in world.members.values())
    before = _reads(codes, cards)
    first = _export(tmp_path / "lan-1.xlsx")
    sheets = read(first)
    assert len(sheets["LichSuDonVi"]) == 5  # header + two units with two periods each
    assert len(sheets["KeThuaDonVi"]) == 2
    assert len(sheets["QuaTrinhSinhHoat"]) == 5  # Bình transferred, Ánh merged

    _wipe()
    assert not Unit.objects.exists() and not Member.objects.exists()
    report = run_import(first)

    assert report.ok, [str(e) for e in report.errors]
    assert report.counts["DonVi"] == SheetResult(created=12)
    assert report.counts["DangVien"] == SheetResult(created=9)
    assert report.counts["KeThuaDonVi"] == SheetResult(created=1)
    second = _export(tmp_path / "lan-2.xlsx")
    assert read(second) == sheets
    assert _reads(codes, cards) == before


def test_it_keeps_past_dates_readable_after_the_round_trip(world, tmp_path):
    _reorganise(world)
    data = _export(tmp_path / "du-lieu.xlsx")
    _wipe()

    assert run_import(data).ok

    tdp1, tdp2 = "DN.CUJUT.EATLING.TDP1", "DN.CUJUT.EATLING.TDP2"
    # Before the merge Ánh was in Tổ dân phố 2; after it, in Tổ dân phố 1.
    assert members_of(tdp2, date(2021, 12, 31)) == ["67000005"]
    assert members_of(tdp2, MERGED) == []
    assert members_of(tdp1, date(2021, 12, 31)) == ["67000001", "67000002", "67000003", "67000004"]
    assert members_of(tdp1, TRANSFERRED) == ["67000001", "67000002", "67000004", "67000005"]
    assert members_of(tdp1, today()) == ["67000001", "67000002", "67000005"]
    assert members_of("DN.DAKMIL.UBKT", TRANSFERRED) == ["67000003", "67000006"]
    ducminh = UnitVersion.objects.filter(unit__code="DN.DAKMIL.DUCMINH")
    assert ducminh.as_of(date(2021, 5, 31)).get().parent.code == "DN.DAKMIL"
    assert ducminh.as_of(MOVED).get().parent.code == "DN.CUJUT"
    # Thôn 1 follows its parent: a path-only split, rebuilt by the import.
    t1 = UnitVersion.objects.filter(unit__code="DN.DAKMIL.DUCMINH.T1").order_by("valid_from")
    assert [v.valid_from for v in t1] == [date(2004, 1, 1), MOVED]
    # The same pages through HTTP, for a province officer granted a role again.
    tochuc = User.objects.get(username="tochuc")
    role_grant(
        user=tochuc,
        unit=Unit.objects.get(code="DN"),
        department=Department.ORGANISATION,
        valid_from=date(2018, 1, 1),
    )
    client = world.client("tochuc")
    before_merge = client.get(f"/to-chuc/{tdp2}/?ngay=31/12/2021").content.decode()
    assert "Lê Thị Ánh" in before_merge
    renamed = client.get("/to-chuc/DN.CUJUT.EATLING/?ngay=31/12/2020").content.decode()
    assert "Đảng bộ thị trấn Ea T&#x27;Ling" in renamed
