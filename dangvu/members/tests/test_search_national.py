"""The member search across provinces: every result list equals the plain query (the scope
applied, ranked, in Vietnamese order) cut at the page's limit, for readers of each province,
the administrator and readers of a cell or a district, on SQLite and PostgreSQL — the yardstick
for any faster plan of the search (an index that skipped a member or a scope that leaked
would fail here)."""

from __future__ import annotations

from datetime import date

import pytest

from dangvu.accounts.models import Department
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for
from dangvu.accounts.services import role_grant
from dangvu.lib.vietnamese import search_tokens
from dangvu.members import selectors
from dangvu.members.models import Gender, Member
from dangvu.members.services import member_create, member_transfer, member_update
from dangvu.units.models import UnitKind
from dangvu.units.services import unit_create

DAY = date(2024, 6, 1)
NAMES = [
    "Nguyễn Văn An",
    "Nguyễn Văn Anh",
    "Nguyễn Thị An",
    "Trần Văn An",
    "Lê An Bình",
    "Phạm Ánh Dương",
    "Nguyễn Văn An",
    "Đỗ Văn Ân",
    "An Văn Nguyên",
    "Hoàng Thị Ngân",
]
QUERIES = ["an", "nguyen van an", "van", "nguy an", "ngu", "AN", "6701", "lda", "ng", "binh le"]


def _oracle(user, query: str, day: date, include_former: bool) -> list[str]:
    """The old member search: every member scanned, the scope applied, ranked, ordered."""
    scope = scope_for(user)
    if include_former:
        members = scope.members(Capability.VIEW_MEMBERS)
    else:
        members = scope.members_on(Capability.VIEW_MEMBERS, day)
    ordered = members.search(search_tokens(query)).in_vietnamese_order("rank")
    return list(ordered.values_list("card_number", flat=True))


def _found(user, query: str, day: date, include_former: bool, limit: int) -> list[str]:
    results = selectors.member_search(
        user=user, query=query, day=day, include_former=include_former
    )[:limit]
    return [m.card_number for m in results]


@pytest.fixture
def country(world):
    """A second province (Lâm Đồng) with namesakes of the first's members, and members of
    both who moved between them."""
    ld = unit_create(
        code="LD",
        name="Đảng bộ tỉnh Lâm Đồng",
        kind=UnitKind.PROVINCE,
        parent=None,
        valid_from=date(2004, 1, 1),
    )
    ld_cell = unit_create(
        code="LD.DALAT.C1",
        name="Chi bộ Phường 1",
        kind=UnitKind.GRASSROOTS_CELL,
        parent=ld,
        valid_from=date(2004, 1, 1),
    )
    world.units["LD"] = ld
    world.units["LD.DALAT.C1"] = ld_cell
    dn_cells = ["DN.CUJUT.EATLING.TDP1", "DN.CUJUT.EATLING.TDP2", "DN.TUYDUC.QUANGTRUC.BP"]
    for i, name in enumerate(NAMES):
        for j, cell in enumerate([*dn_cells, "LD.DALAT.C1"]):
            member_create(
                card_number=f"LDA{i:02d}{j}" if cell.startswith("LD") else f"6701{i:02d}{j}",
                full_name=name,
                birth_date=date(1980, 1, 1),
                gender=Gender.MALE,
                joined_on=date(2010, 1, 1),
                cell=world.units[cell],
            )
    # One of Đắk Nông's moved to Lâm Đồng in 2023, one of Lâm Đồng's to Đắk Nông.
    member_transfer(
        member=Member.objects.get(card_number="6701000"),
        to_cell=ld_cell,
        effective_on=date(2023, 1, 1),
    )
    member_transfer(
        member=Member.objects.get(card_number="LDA013"),
        to_cell=world.units["DN.TUYDUC.QUANGTRUC.BP"],
        effective_on=date(2023, 1, 1),
    )
    from dangvu.accounts.services import account_create

    officer = account_create(
        username="tochuc.ld",
        password="mat-khau-thu-nghiem",
        full_name="Tổ chức Lâm Đồng",
        check_password=False,
    )
    role_grant(
        user=officer, unit=ld, department=Department.ORGANISATION, valid_from=date(2018, 1, 1)
    )
    world.users["tochuc.ld"] = officer
    return world


@pytest.mark.parametrize("include_former", [False, True])
@pytest.mark.parametrize("limit", [1, 3, 51])
def test_results_equal_the_plain_query_cut_at_the_limit(country, include_former, limit):
    for username in ("tochuc", "tochuc.ld", "quantri", "hoa", "kbinh", "huong", "tuyduc.cu"):
        user = country.users[username]
        for query in QUERIES:
            for day in (DAY, date(2022, 6, 1)):
                expected = _oracle(user, query, day, include_former)[:limit]
                got = _found(user, query, day, include_former, limit)
                assert got == expected, (username, query, day, include_former, limit)


def test_the_scope_does_not_leak_across_provinces(country):
    # The same name in both provinces: each officer finds their own, the administrator both.
    dn = set(_found(country.users["tochuc"], "hoang thi ngan", DAY, False, 51))
    ld = set(_found(country.users["tochuc.ld"], "hoang thi ngan", DAY, False, 51))
    everyone = set(_found(country.users["quantri"], "hoang thi ngan", DAY, False, 51))
    assert dn == {"6701090", "6701091", "6701092"}
    assert ld == {"LDA093"}
    assert everyone == dn | ld
    # The member who moved to Lâm Đồng in 2023 is Lâm Đồng's today, Đắk Nông's in 2022, and
    # Đắk Nông's officer still finds him among former members.
    assert "6701000" in _found(country.users["tochuc.ld"], "nguyen van an", DAY, False, 51)
    assert "6701000" not in _found(country.users["tochuc"], "nguyen van an", DAY, False, 51)
    assert "6701000" in _found(
        country.users["tochuc"], "nguyen van an", date(2022, 6, 1), False, 51
    )
    assert "6701000" in _found(country.users["tochuc"], "nguyen van an", DAY, True, 51)


def test_a_renamed_member_is_found_by_the_new_name_only(country):
    member = Member.objects.get(card_number="LDA053")
    member_update(
        member=member,
        full_name="Vi Thị Xuân",
        birth_date=member.birth_date,
        gender=member.gender,
        joined_on=member.joined_on,
        full_member_on=member.full_member_on,
        management_level=member.management_level,
        is_committee_member=member.is_committee_member,
        is_exempt=member.is_exempt,
    )
    officer = country.users["tochuc.ld"]
    assert _found(officer, "xuan vi", DAY, False, 51) == ["LDA053"]
    assert "LDA053" not in _found(officer, "pham anh", DAY, False, 51)


def test_the_unit_moved_to_another_province_is_searched_there(country):
    """A reorganisation that rewrites paths (a cell moved under another province)."""
    from dangvu.units.services import unit_move

    cell = country.units["DN.CUJUT.EATLING.TDP2"]
    unit_move(unit=cell, new_parent=country.units["LD"], effective_on=date(2024, 1, 1))
    officer = country.users["tochuc.ld"]
    for query in QUERIES:
        assert _found(officer, query, DAY, False, 51) == _oracle(officer, query, DAY, False)[:51]
    assert "6701011" in _found(officer, "nguyen van anh", DAY, False, 51)


@pytest.mark.parametrize(("walk_budget", "narrow_units"), [(1, 20_000), (7, 0), (10_000, 0)])
def test_every_plan_of_the_search_gives_the_plain_query(
    country, monkeypatch, walk_budget, narrow_units
):
    """On PostgreSQL, each way `_first_ids` reads a rank: the name index walked and cut short
    (a budget of one row or a few, then the trigram index) or walked to the end, a reader of
    a province read rank by rank like the administrator (no reader is narrow enough), and a
    short page (`limit`) that a short walk fills. SQLite reads the plain query."""
    monkeypatch.setattr(selectors, "WALK_BUDGET", walk_budget)
    monkeypatch.setattr(selectors, "NARROW_UNITS", narrow_units)
    # Beyond the page's queries: a whole card number alone or with a name (rank 0, and
    # rank 1 through the card), a word twice, a given name with a family name.
    queries = [*QUERIES, "6701000", "an 6701000", "lda013 nguyen", "an an", "ngan hoang"]
    for username in ("tochuc", "tochuc.ld", "quantri", "hoa", "kbinh"):
        user = country.users[username]
        for query in queries:
            for day in (DAY, date(2022, 6, 1)):
                for limit in (1, 2, 51):
                    expected = _oracle(user, query, day, False)[:limit]
                    got = selectors.member_search(user=user, query=query, day=day, limit=limit)
                    assert [m.card_number for m in got] == expected, (username, query, day, limit)
