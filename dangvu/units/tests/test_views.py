"""The tree over HTTP: browsing on any day, and the reorganisation forms."""

from __future__ import annotations

import html
from datetime import date

import pytest
from django.contrib.messages import get_messages

from dangvu.accounts.models import Department
from dangvu.accounts.scope import today
from dangvu.accounts.services import account_create, role_grant
from dangvu.core.effective import END_OF_TIME
from dangvu.lib.dates import format_date
from dangvu.members.models import Membership
from dangvu.units import selectors, services, views
from dangvu.units.models import (
    Reorganisation,
    ReorganisationKind,
    Unit,
    UnitKind,
    UnitSuccession,
    UnitVersion,
)

DAY = date(2021, 1, 1)
BEFORE = date(2020, 12, 31)
NGAY = "01/01/2021"

EATLING = "DN.CUJUT.EATLING"
TDP1 = "DN.CUJUT.EATLING.TDP1"
TDP2 = "DN.CUJUT.EATLING.TDP2"
EATLING_NAME = "Đảng bộ thị trấn Ea T'Ling"

#: (url suffix, code it is opened on, title on the page)
CHANGE_PAGES = [
    ("thanh-lap", EATLING, "Thành lập đơn vị trực thuộc"),
    ("doi-ten", EATLING, "Đổi tên, đổi loại đơn vị"),
    ("chuyen", EATLING, "Chuyển sang cấp trên khác"),
    ("sap-nhap", TDP1, "Sáp nhập đơn vị khác vào đơn vị này"),
    ("chia-tach", TDP1, "Chia tách đơn vị"),
    ("giai-the", TDP2, "Giải thể đơn vị"),
]


def text(response) -> str:
    return html.unescape(response.content.decode())


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def tree_state() -> tuple[object, ...]:
    return (
        list(Unit.objects.order_by("pk").values_list("pk", "code", "founded_on", "dissolved_on")),
        list(
            UnitVersion.objects.order_by("pk").values_list(
                "pk", "unit_id", "name", "kind", "parent_id", "path", "valid_from", "valid_to"
            )
        ),
        list(
            Membership.objects.order_by("pk").values_list(
                "pk", "member_id", "unit_id", "valid_from", "valid_to", "reason_out"
            )
        ),
        Reorganisation.objects.count(),
        UnitSuccession.objects.count(),
    )


def detail_url(code: str, ngay: str = NGAY) -> str:
    return f"/to-chuc/{code}/?ngay={ngay}"


def member_ids(code: str, day: date) -> set[int]:
    unit = Unit.objects.get(code=code)
    return set(Membership.objects.as_of(day).filter(unit=unit).values_list("member_id", flat=True))


# -- browsing ---------------------------------------------------------------------------


def test_it_shows_the_tree_on_a_day(world):
    response = world.client("tochuc").get("/to-chuc/?ngay=01/01/2020")

    assert response.status_code == 200
    page = text(response)
    assert 'Tổ chức đảng <span class="muted">ngày 01/01/2020</span>' in page
    assert "Đảng bộ tỉnh Đắk Nông" in page
    assert "Đảng bộ tỉnh · 9 đảng viên" in page
    assert "Đảng bộ trực thuộc · 5 đảng viên · 1 đơn vị trực thuộc" in page
    for name in ("Huyện ủy Cư Jút", "Huyện ủy Đắk Mil", "Huyện ủy Tuy Đức"):
        assert name in page
    assert [root.unit.code for root, _ in response.context["branches"]] == ["DN"]


def test_it_shows_a_cell_secretary_only_her_cell(world):
    response = world.client("hoa").get("/to-chuc/?ngay=01/01/2020")

    assert response.status_code == 200
    page = text(response)
    assert "Chi bộ Tổ dân phố 1" in page
    assert "Chi bộ trực thuộc · 4 đảng viên" in page
    assert "Tổ dân phố 2" not in page
    # Her committees are named for orientation, as plain text, never as links.
    assert "Huyện ủy Cư Jút › Đảng bộ thị trấn Ea T'Ling" in page
    assert 'href="/to-chuc/DN.CUJUT/' not in response.content.decode()
    assert [root.unit.code for root, _ in response.context["branches"]] == [TDP1]


def test_it_shows_the_tree_as_it_stood_before_a_move(world):
    u = world.units
    services.unit_move(unit=u[EATLING], new_parent=u["DN.DAKMIL"], effective_on=DAY)
    client = world.client("tochuc")

    before = client.get(f"/to-chuc/DN.CUJUT/con/?ngay={format_date(BEFORE)}")
    after = client.get(f"/to-chuc/DN.DAKMIL/con/?ngay={NGAY}")

    assert EATLING_NAME in text(before)
    assert EATLING_NAME in text(after)
    assert EATLING_NAME not in text(client.get(f"/to-chuc/DN.CUJUT/con/?ngay={NGAY}"))


def test_it_shows_a_unit_on_a_past_date(world):
    services.unit_rename(
        unit=world.units[EATLING], name="Đảng bộ xã Ea T'Ling", effective_on=DAY, decision="7-NQ"
    )
    client = world.client("tochuc")

    past = client.get(detail_url(EATLING, "31/12/2020"))
    now = client.get(detail_url(EATLING))

    assert past.status_code == now.status_code == 200
    assert past.context["page"].version.name == EATLING_NAME
    assert f"<h1>{EATLING_NAME}" in text(past)
    assert now.context["page"].version.name == "Đảng bộ xã Ea T'Ling"
    assert "<h1>Đảng bộ xã Ea T'Ling" in text(now)
    assert "01/01/2021 — Đổi tên (7-NQ)" in text(past)
    assert "Chi bộ Tổ dân phố 1" in text(past)
    assert "Nguyễn Thị Hoà" in text(past)


def test_it_warns_about_an_invalid_date_and_shows_the_default_day(world):
    response = world.client("tochuc").get("/to-chuc/?ngay=31/02/2020")

    assert response.status_code == 200
    assert messages_of(response) == ["Ngày '31/02/2020' không hợp lệ; đang xem ngày mặc định."]
    assert "Ngày '31/02/2020' không hợp lệ; đang xem ngày mặc định." in text(response)
    assert response.context["day"] == today()
    assert "Đảng bộ tỉnh Đắk Nông" in text(response)


def test_it_says_when_a_unit_did_not_exist_on_the_day(world):
    response = world.client("tochuc").get(detail_url(EATLING, "01/01/2003"))

    assert response.status_code == 200
    assert response.context["page"].version is None
    assert "Đơn vị không tồn tại (hoặc ngoài phạm vi của bạn) vào ngày 01/01/2003" in text(response)


def test_it_shows_where_a_merged_unit_went(world):
    u = world.units
    services.unit_merge(sources=[u[TDP2]], target=u[TDP1], effective_on=DAY)

    response = world.client("tochuc").get(detail_url(TDP2, "01/06/2021"))

    assert response.status_code == 200
    page = text(response)
    assert "Đơn vị đã kết thúc hoạt động từ ngày 01/01/2021. Đơn vị kế thừa:" in page
    assert f'href="/to-chuc/{TDP1}/?ngay=01/01/2021">Chi bộ Tổ dân phố 1</a>' in page


def test_it_serves_the_children_partial(world):
    response = world.client("tochuc").get(
        f"/to-chuc/{EATLING}/con/?ngay=01/01/2020", HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert [t.name for t in response.templates] == ["units/_children.html"]
    page = text(response)
    assert "<html" not in page
    assert "Chi bộ Tổ dân phố 1</a>" in page
    assert "Chi bộ trực thuộc · 4 đảng viên" in page
    assert "Chi bộ trực thuộc · 1 đảng viên" in page
    assert [(c.unit.code, c.member_count) for c in response.context["children"]] == [
        (TDP1, 4),
        (TDP2, 1),
    ]


def test_it_refuses_the_children_of_a_unit_not_there_on_the_day(world):
    response = world.client("tochuc").get(f"/to-chuc/{EATLING}/con/?ngay=01/01/2003")

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("username", "code"),
    [
        ("hoa", "DN"),
        ("hoa", EATLING),
        ("hoa", TDP2),
        ("kbinh", TDP1),
        ("kbinh", "DN.CUJUT"),
        ("huong", EATLING),
    ],
)
def test_it_answers_404_for_units_outside_the_subtree(world, username, code):
    client = world.client(username)

    assert client.get(detail_url(code)).status_code == 404
    assert client.get(f"/to-chuc/{code}/con/?ngay={NGAY}").status_code == 404


@pytest.mark.parametrize(("username", "code"), [("hoa", TDP1), ("kbinh", "DN.TUYDUC.QUANGTRUC.BP")])
def test_it_shows_a_secretary_her_own_cell_without_reorganising(world, username, code):
    response = world.client(username).get(detail_url(code))

    assert response.status_code == 200
    assert response.context["can_reorganise"] is False
    assert "/doi-ten/" not in text(response)


def test_it_offers_reorganisation_to_the_organisation_officer(world):
    response = world.client("tochuc").get(detail_url(EATLING))

    assert response.context["can_reorganise"] is True
    for suffix in ("thanh-lap", "doi-ten", "chuyen", "sap-nhap", "giai-the"):
        assert f"/to-chuc/{EATLING}/{suffix}/" in text(response)


def test_it_answers_404_to_an_account_that_sees_no_units(world):
    response = world.client("ybhiong").get("/to-chuc/")

    assert response.status_code == 404


def test_it_sends_anonymous_visitors_to_the_login(world):
    response = world.client(None).get("/to-chuc/")

    assert response.status_code == 302
    assert "/to-chuc/" in response["Location"]


# -- reorganisation forms ---------------------------------------------------------------


@pytest.mark.parametrize(("suffix", "code", "title"), CHANGE_PAGES)
def test_it_shows_each_reorganisation_form(world, suffix, code, title):
    response = world.client("tochuc").get(f"/to-chuc/{code}/{suffix}/?ngay={NGAY}")

    assert response.status_code == 200
    assert f"<h1>{title}</h1>" in text(response)
    assert 'name="effective_on"' in text(response)


@pytest.mark.parametrize("username", ["hoa", "kbinh", "huong", "tuyengiao", "ybhiong"])
def test_it_answers_404_on_reorganisation_pages_without_the_right(world, username):
    client = world.client(username)
    state = tree_state()

    for suffix, code, _ in CHANGE_PAGES:
        url = f"/to-chuc/{code}/{suffix}/"
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"effective_on": NGAY, "name": "X"}).status_code == 404, url

    assert tree_state() == state


def test_it_founds_a_sub_unit(world):
    tochuc = world.users["tochuc"]

    response = world.client("tochuc").post(
        f"/to-chuc/{EATLING}/thanh-lap/",
        {
            "code": "DN.CUJUT.EATLING.TDP3",
            "name": "Chi bộ Tổ dân phố 3",
            "kind": UnitKind.CELL,
            "effective_on": NGAY,
            "decision": "12-QĐ/ĐU",
            "note": "Tách từ tổ dân phố 1",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == detail_url("DN.CUJUT.EATLING.TDP3")
    assert messages_of(response) == ["Đã thành lập đơn vị."]
    unit = Unit.objects.get(code="DN.CUJUT.EATLING.TDP3")
    version = unit.versions.get()
    assert (version.name, version.kind, version.parent_id, version.valid_from) == (
        "Chi bộ Tổ dân phố 3",
        UnitKind.CELL,
        world.units[EATLING].pk,
        DAY,
    )
    event = unit.reorganisations.get()
    assert (event.kind, event.decision, event.note, event.created_by) == (
        ReorganisationKind.CREATE,
        "12-QĐ/ĐU",
        "Tách từ tổ dân phố 1",
        tochuc,
    )


def test_it_renames_a_unit(world):
    eatling = world.units[EATLING]
    client = world.client("tochuc")
    form = client.get(f"/to-chuc/{EATLING}/doi-ten/")
    assert form.context["form"].initial == {
        "name": EATLING_NAME,
        "kind": UnitKind.GRASSROOTS_COMMITTEE,
    }

    response = client.post(
        f"/to-chuc/{EATLING}/doi-ten/",
        {
            "name": "Đảng bộ xã Ea T'Ling",
            "kind": UnitKind.GRASSROOTS_COMMITTEE,
            "effective_on": NGAY,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == detail_url(EATLING)
    assert messages_of(response) == ["Đã đổi tên đơn vị."]
    assert eatling.version_on(BEFORE).name == EATLING_NAME
    assert eatling.version_on(DAY).name == "Đảng bộ xã Ea T'Ling"
    assert (
        eatling.reorganisations.get(kind=ReorganisationKind.RENAME).created_by
        == (world.users["tochuc"])
    )


def test_it_moves_a_unit(world):
    u = world.units
    dakmil_path = u["DN.DAKMIL"].version_on(DAY).path

    response = world.client("tochuc").post(
        f"/to-chuc/{EATLING}/chuyen/", {"parent_code": " DN.DAKMIL ", "effective_on": NGAY}
    )

    assert response.status_code == 302
    assert response["Location"] == detail_url(EATLING)
    assert u[EATLING].version_on(DAY).parent_id == u["DN.DAKMIL"].pk
    assert u[EATLING].version_on(BEFORE).parent_id == u["DN.CUJUT"].pk
    assert u[TDP1].version_on(DAY).path.startswith(dakmil_path)


def test_it_merges_units_into_this_one(world):
    u = world.units

    response = world.client("tochuc").post(
        f"/to-chuc/{TDP1}/sap-nhap/",
        {"source_codes": f"{TDP2}, ", "effective_on": NGAY, "decision": "5-NQ"},
    )

    assert response.status_code == 302
    assert response["Location"] == detail_url(TDP1)
    assert messages_of(response) == ["Đã sáp nhập 1 đơn vị."]
    assert Unit.objects.get(code=TDP2).dissolved_on == DAY
    assert world.members["anh"].pk in member_ids(TDP1, DAY)
    assert UnitSuccession.objects.filter(predecessor=u[TDP2], successor=u[TDP1]).exists()


def test_it_splits_a_unit(world):
    m = world.members
    client = world.client("tochuc")
    url = f"/to-chuc/{TDP1}/chia-tach/?ngay={NGAY}"
    form = client.get(url).context["form"]
    assert {f"member_{m[k].pk}" for k in ("hoa", "ybhiong", "binh", "an")} <= set(form.fields)

    response = client.post(
        url,
        {
            "effective_on": NGAY,
            "part1_code": "DN.CUJUT.EATLING.TDP1A",
            "part1_name": "Chi bộ Tổ dân phố 1A",
            "part1_kind": UnitKind.CELL,
            "part2_code": "DN.CUJUT.EATLING.TDP1B",
            "part2_name": "Chi bộ Tổ dân phố 1B",
            "part2_kind": UnitKind.CELL,
            f"member_{m['hoa'].pk}": "1",
            f"member_{m['binh'].pk}": "1",
            f"member_{m['ybhiong'].pk}": "2",
            f"member_{m['an'].pk}": "2",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == detail_url(TDP1)
    assert member_ids("DN.CUJUT.EATLING.TDP1A", DAY) == {m["hoa"].pk, m["binh"].pk}
    assert member_ids("DN.CUJUT.EATLING.TDP1B", DAY) == {m["ybhiong"].pk, m["an"].pk}
    assert member_ids(TDP1, DAY) == set()
    assert Unit.objects.get(code=TDP1).dissolved_on == DAY
    assert UnitSuccession.objects.filter(predecessor=world.units[TDP1]).count() == 2


def test_it_dissolves_an_empty_unit(world):
    u = world.units
    empty = services.unit_create(
        code="DN.CUJUT.EATLING.TDP3",
        name="Chi bộ Tổ dân phố 3",
        kind=UnitKind.CELL,
        parent=u[EATLING],
        valid_from=date(2019, 1, 1),
    )

    response = world.client("tochuc").post(
        "/to-chuc/DN.CUJUT.EATLING.TDP3/giai-the/",
        {"successor_code": TDP1, "effective_on": NGAY},
    )

    assert response.status_code == 302
    assert response["Location"] == detail_url("DN.CUJUT.EATLING.TDP3")
    assert messages_of(response) == ["Đã giải thể đơn vị."]
    empty.refresh_from_db()
    assert empty.dissolved_on == DAY
    assert list(empty.versions.values_list("valid_to", flat=True)) == [DAY]
    assert UnitSuccession.objects.get(predecessor=empty).successor == u[TDP1]


# -- refused changes --------------------------------------------------------------------


def refused_post(world, url: str, data: dict[str, str], message: str) -> None:
    state = tree_state()

    response = world.client("tochuc").post(url, data)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [message]
    assert f'<ul class="errorlist msg-error"><li>{message}</li></ul>' in text(response)
    assert tree_state() == state


def test_it_shows_why_a_sub_unit_cannot_be_founded(world):
    refused_post(
        world,
        f"/to-chuc/{EATLING}/thanh-lap/",
        {"code": TDP2, "name": "Chi bộ mới", "kind": UnitKind.CELL, "effective_on": NGAY},
        services.CODE_TAKEN.format(code=TDP2),
    )


def test_it_shows_why_a_move_is_refused(world):
    refused_post(
        world,
        "/to-chuc/DN.CUJUT/chuyen/",
        {"parent_code": EATLING, "effective_on": NGAY},
        services.MOVE_INTO_ITSELF.format(name="Huyện ủy Cư Jút"),
    )


def test_it_shows_an_unknown_parent_on_the_field(world):
    state = tree_state()

    response = world.client("tochuc").post(
        f"/to-chuc/{EATLING}/chuyen/", {"parent_code": "DN.KHONGCO", "effective_on": NGAY}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["parent_code"] == [
        selectors.UNIT_PICK_UNKNOWN.format(text="DN.KHONGCO")
    ]
    assert tree_state() == state


def test_it_reads_a_new_parent_chosen_by_name(world):
    response = world.client("tochuc").post(
        f"/to-chuc/{EATLING}/chuyen/", {"parent_code": "huyen uy dak mil", "effective_on": NGAY}
    )

    assert response.status_code == 302
    moved = world.units[EATLING].version_on(DAY)
    assert moved is not None and moved.parent_id == world.units["DN.DAKMIL"].pk


def test_it_shows_why_a_merge_is_refused(world):
    refused_post(
        world,
        f"/to-chuc/{EATLING}/sap-nhap/",
        {"source_codes": TDP2, "effective_on": NGAY},
        services.MERGE_MEMBERS_TO_NON_CELL.format(
            name="Chi bộ Tổ dân phố 2", count=1, target=EATLING_NAME
        ),
    )


def test_it_shows_why_a_split_is_refused(world):
    m = world.members
    refused_post(
        world,
        f"/to-chuc/{TDP2}/chia-tach/?ngay={NGAY}",
        {
            "effective_on": NGAY,
            "part1_code": "DN.CUJUT.EATLING.TDP2A",
            "part1_name": "Chi bộ Tổ dân phố 2A",
            "part1_kind": UnitKind.CELL,
            "part2_code": "DN.CUJUT.EATLING.TDP2B",
            "part2_name": "Chi bộ Tổ dân phố 2B",
            "part2_kind": UnitKind.CELL,
            f"member_{m['anh'].pk}": "3",
        },
        views.SPLIT_UNDECLARED,
    )


def test_it_shows_why_a_dissolution_is_refused(world):
    refused_post(
        world,
        f"/to-chuc/{EATLING}/giai-the/",
        {"effective_on": NGAY},
        services.DISSOLVE_NOT_EMPTY.format(name=EATLING_NAME, children=2, members=0, day=NGAY),
    )


def test_it_shows_why_a_rename_is_refused(world):
    refused_post(
        world,
        f"/to-chuc/{TDP1}/doi-ten/",
        {"name": "Chi bộ Tổ dân phố 1", "kind": UnitKind.PARTIAL_COMMITTEE, "effective_on": NGAY},
        services.KIND_WITH_MEMBERS.format(name="Chi bộ Tổ dân phố 1"),
    )


def test_it_refuses_a_change_dated_before_the_unit_came_into_the_reach(world):
    services.unit_move(
        unit=world.units[EATLING], new_parent=world.units["DN.DAKMIL"], effective_on=DAY
    )
    officer = account_create(
        username="tochuc.dakmil", password="mat-khau-thu-nghiem", check_password=False
    )
    role_grant(
        user=officer,
        unit=world.units["DN.DAKMIL"],
        department=Department.ORGANISATION,
        valid_from=date(2018, 1, 1),
    )
    client = world.client(None)
    client.force_login(officer)
    state = tree_state()

    response = client.post(
        f"/to-chuc/{EATLING}/doi-ten/",
        {"name": "Tên khác", "kind": UnitKind.GRASSROOTS_COMMITTEE, "effective_on": "31/12/2020"},
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        views.NOT_IN_SCOPE_ON_DAY.format(code=EATLING, day="31/12/2020")
    ]
    assert tree_state() == state


def test_it_lets_no_role_that_has_ended_reorganise(world):
    state = tree_state()
    client = world.client("tuyduc.cu")

    page = client.get("/to-chuc/DN.TUYDUC.QUANGTRUC/doi-ten/")
    response = client.post(
        "/to-chuc/DN.TUYDUC.QUANGTRUC/doi-ten/",
        {"name": "Tên khác", "kind": UnitKind.GRASSROOTS_COMMITTEE, "effective_on": "01/06/2024"},
    )

    assert (page.status_code, response.status_code) == (404, 404)
    assert tree_state() == state


def test_it_gives_a_moved_unit_to_its_new_district_only(world):
    services.unit_move(
        unit=world.units[EATLING], new_parent=world.units["DN.DAKMIL"], effective_on=DAY
    )
    officer = account_create(
        username="tochuc.cujut", password="mat-khau-thu-nghiem", check_password=False
    )
    role_grant(
        user=officer,
        unit=world.units["DN.CUJUT"],
        department=Department.ORGANISATION,
        valid_from=date(2018, 1, 1),
    )
    client = world.client(None)
    client.force_login(officer)
    state = tree_state()

    page = client.get(f"/to-chuc/{EATLING}/doi-ten/")
    response = client.post(
        f"/to-chuc/{EATLING}/doi-ten/",
        {"name": "Tên khác", "kind": UnitKind.GRASSROOTS_COMMITTEE, "effective_on": "01/06/2024"},
    )

    assert (page.status_code, response.status_code) == (404, 404)
    assert tree_state() == state
    # The history under Cư Jút stays readable by Cư Jút.
    assert client.get(f"/to-chuc/{EATLING}/", {"ngay": "31/12/2020"}).status_code == 200


def test_it_shows_an_invalid_effective_date_on_the_field(world):
    state = tree_state()

    response = world.client("tochuc").post(
        f"/to-chuc/{EATLING}/doi-ten/",
        {"name": "Tên khác", "kind": UnitKind.GRASSROOTS_COMMITTEE, "effective_on": "31/02/2021"},
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["effective_on"]
    assert tree_state() == state
    assert world.units[EATLING].versions.get().valid_to == END_OF_TIME


def test_it_keeps_a_district_officer_inside_her_district(world):
    officer = account_create(
        username="tochuc.tuyduc", password="mat-khau-thu-nghiem", check_password=False
    )
    role_grant(
        user=officer,
        unit=world.units["DN.TUYDUC"],
        department=Department.ORGANISATION,
        valid_from=date(2018, 1, 1),
    )
    client = world.client(None)
    client.force_login(officer)
    state = tree_state()

    outside = client.get(f"/to-chuc/{EATLING}/doi-ten/")
    response = client.post(
        "/to-chuc/DN.TUYDUC.QUANGTRUC/chuyen/", {"parent_code": "DN.CUJUT", "effective_on": NGAY}
    )

    assert outside.status_code == 404
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        views.NOT_IN_SCOPE_ON_DAY.format(code="DN.CUJUT", day=NGAY)
    ]
    assert tree_state() == state
