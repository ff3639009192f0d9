"""Finding members: accent-insensitive, by card number, ranked, in Vietnamese order, in scope."""

from __future__ import annotations

from datetime import date

from dangvu.members import selectors
from dangvu.members.models import Gender
from dangvu.members.services import member_create

DAY = date(2024, 6, 1)


def _names(world, username: str, query: str, day: date = DAY) -> list[str]:
    results = selectors.member_search(user=world.users[username], query=query, day=day)
    return [m.full_name for m in results]


def _add(world, card: str, name: str, cell: str = "DN.CUJUT.EATLING.TDP2") -> None:
    member_create(
        card_number=card,
        full_name=name,
        birth_date=date(1985, 1, 1),
        gender=Gender.MALE,
        joined_on=date(2010, 1, 1),
        cell=world.units[cell],
    )


def test_it_finds_a_name_typed_without_accents(world):
    assert _names(world, "tochuc", "nguyen thi hoa") == ["Nguyễn Thị Hoà"]
    assert _names(world, "tochuc", "NGUYỄN thị HOÀ") == ["Nguyễn Thị Hoà"]
    assert _names(world, "tochuc", "ng th ho") == ["Nguyễn Thị Hoà"]


def test_it_folds_d_with_stroke_to_d(world):
    assert _names(world, "tochuc", "dang") == ["Đặng Văn Bình", "Đặng Thị Thu Hương"]
    assert _names(world, "tochuc", "đặng thu") == ["Đặng Thị Thu Hương"]


def test_it_matches_word_prefixes_only(world):
    assert _names(world, "tochuc", "oa") == []
    assert _names(world, "tochuc", "kbinh") == ["Điểu K'Bình"]


def test_it_finds_a_member_by_card_number_prefix(world):
    assert _names(world, "tochuc", "67000006") == ["Đặng Thị Thu Hương"]
    assert len(_names(world, "tochuc", "670000")) == 9
    assert _names(world, "tochuc", "67000009 niê") == ["H'Bia Niê"]


def test_it_finds_a_card_number_with_letters_whatever_the_case_typed(world):
    _add(world, "DN2020AB01", "Nguyễn Văn Thẻ")

    assert _names(world, "tochuc", "dn2020") == ["Nguyễn Văn Thẻ"]
    assert _names(world, "tochuc", "DN2020AB") == ["Nguyễn Văn Thẻ"]
    exact = selectors.member_search(user=world.users["tochuc"], query="dn2020ab01", day=DAY)
    assert [m.rank for m in exact] == [0]


def test_it_ranks_whole_word_matches_before_prefix_matches(world):
    _add(world, "67000010", "Nguyễn Văn Hoài")
    _add(world, "67000011", "Hoàng Văn An")  # "An" sorts before "Hoà" by name

    assert _names(world, "tochuc", "hoa") == ["Nguyễn Thị Hoà", "Hoàng Văn An", "Nguyễn Văn Hoài"]


def test_it_ranks_the_whole_name_first(world):
    _add(world, "67000010", "Hoà Thị Nguyễn")  # every word matches, not the name as typed

    assert _names(world, "tochuc", "nguyen thi hoa") == ["Nguyễn Thị Hoà", "Hoà Thị Nguyễn"]
    results = selectors.member_search(user=world.users["tochuc"], query="nguyen thi hoa", day=DAY)
    assert [m.rank for m in results] == [0, 1]


def test_it_lists_results_in_vietnamese_name_order(world):
    assert _names(world, "tochuc", "670000") == [
        "Trần Văn An",
        "Lê Thị Ánh",
        "Đặng Văn Bình",
        "Phạm Văn Cường",
        "Nguyễn Thị Hoà",
        "Đặng Thị Thu Hương",
        "Điểu K'Bình",
        "H'Bia Niê",
        "Y Bhiông Niê",
    ]


def test_it_orders_by_given_name_then_the_rest(world):
    for card, name in [
        ("67000010", "An Văn Bình"),
        ("67000011", "Trần Văn Ân"),
        ("67000012", "Lê Văn Ánh"),
        ("67000013", "Bùi Văn An"),
        ("67000014", "Lê Văn Anh"),
        ("67000015", "Ân Văn An"),
    ]:
        _add(world, card, name)

    assert _names(world, "tochuc", "6700001") == [
        "Ân Văn An",  # An, then the family name: Ân < Bùi
        "Bùi Văn An",
        "Lê Văn Anh",  # An < Anh: a word ends before any letter
        "Lê Văn Ánh",  # no tone < sắc
        "Trần Văn Ân",  # a < â
        "An Văn Bình",
    ]


def test_it_keeps_the_cell_secretary_inside_her_cell(world):
    assert _names(world, "hoa", "670000") == [
        "Trần Văn An",
        "Đặng Văn Bình",
        "Nguyễn Thị Hoà",
        "Y Bhiông Niê",
    ]
    assert _names(world, "hoa", "le thi anh") == []
    assert _names(world, "hoa", "dang") == ["Đặng Văn Bình"]


def test_it_shows_the_stranger_nobody_from_cu_jut(world):
    assert _names(world, "kbinh", "nguyen thi hoa") == []
    assert _names(world, "kbinh", "670000") == ["Điểu K'Bình", "H'Bia Niê"]
    assert _names(world, "huong", "dang") == ["Đặng Thị Thu Hương"]


def test_it_finds_nothing_for_a_blank_query(world):
    assert _names(world, "tochuc", "   ") == []
    assert _names(world, "tochuc", "'-") == []


def test_it_shows_the_results_with_their_cell(world):
    response = world.client("tochuc").get("/dang-vien/", {"q": "dang"})

    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" in body and "Tìm đảng viên" in body
    assert [(m.full_name, m.cell_name) for m in response.context["results"]] == [
        ("Đặng Văn Bình", "Chi bộ Tổ dân phố 1"),
        ("Đặng Thị Thu Hương", "Chi bộ Cơ quan Ủy ban Kiểm tra"),
    ]
    assert body.index("Đặng Văn Bình") < body.index("Chi bộ Tổ dân phố 1")
    assert body.index("Đặng Thị Thu Hương") < body.index("Chi bộ Cơ quan Ủy ban Kiểm tra")


def test_it_renders_only_the_results_fragment_for_htmx(world):
    response = world.client("tochuc").get(
        "/dang-vien/", {"q": "nguyen thi hoa"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "Nguyễn Thị Hoà" in body and "Chi bộ Tổ dân phố 1" in body
    assert "<html" not in body
    assert 'id="q"' not in body
    assert response.templates[0].name == "members/_results.html"
    assert "members/search.html" not in {t.name for t in response.templates}


def test_it_says_when_nothing_matches(world):
    response = world.client("kbinh").get("/dang-vien/", {"q": "nguyen thi hoa"})

    assert response.status_code == 200
    assert "Không tìm thấy đảng viên nào khớp với “nguyen thi hoa”." in response.content.decode()


def test_it_searches_on_the_requested_day(world):
    client = world.client("tochuc")

    before = client.get("/dang-vien/", {"q": "tran van an", "ngay": "01/01/2019"})
    after = client.get("/dang-vien/", {"q": "tran van an", "ngay": "01/06/2019"})

    assert list(before.context["results"]) == []  # joined on 01/06/2019
    assert [m.full_name for m in after.context["results"]] == ["Trần Văn An"]


def test_it_hides_the_search_from_those_who_cannot_see_members(world):
    assert world.client("mattran").get("/dang-vien/", {"q": "hoa"}).status_code == 404
    assert world.client("ybhiong").get("/dang-vien/", {"q": "hoa"}).status_code == 404
    assert world.client(None).get("/dang-vien/", {"q": "hoa"}).status_code == 302


def test_it_shows_a_former_members_cell_only_inside_the_reach(world):
    from dangvu.members.services import member_transfer

    an = world.members["an"]
    member_transfer(
        member=an, to_cell=world.units["DN.TUYDUC.QUANGTRUC.BP"], effective_on=date(2024, 1, 1)
    )

    def found(username: str):
        return list(
            selectors.member_search(
                user=world.users[username], query="tran van an", day=DAY, include_former=True
            )
        )

    # Hoà still finds him (he stood in her cell), with the cell he stood in there, not where
    # he stands now, in another district.
    assert [m.cell_name for m in found("hoa")] == ["Chi bộ Tổ dân phố 1"]
    assert [m.cell_name for m in found("kbinh")] == ["Chi bộ Bon Bu Prăng"]
    assert [m.cell_name for m in found("tochuc")] == ["Chi bộ Bon Bu Prăng"]


def test_it_lists_only_the_cells_in_reach_on_a_former_members_record(world):
    from dangvu.members.services import member_transfer

    member_transfer(
        member=world.members["an"],
        to_cell=world.units["DN.TUYDUC.QUANGTRUC.BP"],
        effective_on=date(2024, 1, 1),
    )

    hoa = world.client("hoa").get("/dang-vien/67000004/")
    kbinh = world.client("kbinh").get("/dang-vien/67000004/")

    assert [r.membership.unit.code for r in hoa.context["rows"]] == ["DN.CUJUT.EATLING.TDP1"]
    assert hoa.context["current"] is None
    assert "Bon Bu Prăng" not in hoa.content.decode()
    assert [r.membership.unit.code for r in kbinh.context["rows"]] == ["DN.TUYDUC.QUANGTRUC.BP"]
    assert kbinh.context["current"][0].unit.code == "DN.TUYDUC.QUANGTRUC.BP"
