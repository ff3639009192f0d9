"""Indicator pages as the personas use them: the figures and findings of a unit, the
dashboards, the drill-down, and the entry grid. (Who may open which page is covered by
core/tests/test_authorization.py.)"""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages

from dangvu.indicators.models import EnteredValue, Indicator, Source
from dangvu.indicators.tests.helpers import EATLING, SEED_PERIOD, TDP1, enter
from dangvu.lib.periods import INVALID

OVERVIEW = "/so-lieu/"
ENTRY = "/so-lieu/nhap/"
SEED_QUERY = f"don_vi=DN&ky={SEED_PERIOD}"
NO_FINDINGS = "Không phát hiện sai lệch theo các quy tắc kiểm tra."
ENTERED_ONLY = [
    "study.online_halls_district",
    "study.online_rooms_commune",
    "media.press_agencies_local",
    "media.press_agencies_central",
    "media.press_agencies_registered",
    "media.websites",
    "media.issues_oriented",
    "propaganda.teams_35",
    "propaganda.online_pages",
]


def text(response) -> str:
    return html.unescape(response.content.decode())


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def stored() -> list[tuple[str, str, str, str, Decimal, str | None]]:
    return list(
        EnteredValue.objects.order_by("indicator__code", "key").values_list(
            "indicator__code", "key", "unit__code", "period", "value", "entered_by__username"
        )
    )


def grid_post(**values: str) -> dict[str, str]:
    """The entry grid as a browser posts it: every field of the default grid, some filled."""
    data = {f"v__{code}__": "" for code in ENTERED_ONLY}
    data.update({f"v__{code}__": value for code, value in values.items()})
    return data


# -- overview -------------------------------------------------------------------------
def test_it_shows_the_province_figures_to_the_organisation_officer(world):
    response = world.client("tochuc").get(OVERVIEW)

    assert response.status_code == 200
    page = text(response)
    assert "Số liệu Đề án số 05-ĐA/TU" in page
    assert "Đảng bộ tỉnh Đắk Nông · Cả thời kỳ đề án: 05/07/2018 – 30/06/2023" in page
    assert response.context["unit"] == world.units["DN"]
    assert response.context["period"].label == SEED_PERIOD
    report = response.context["report"]
    assert report.line("org.members").shaped == 9
    assert report.line("org.direct_committees").shaped == 3
    assert report.findings == []
    assert NO_FINDINGS in page
    assert "Nhập số liệu tổng hợp" in page


def test_it_explains_the_seeds_supervision_mismatch_in_a_sentence(world):
    enter(world, "supervision.front_total", "DN", SEED_PERIOD, 899)
    for key, value in {"province": 35, "district": 199, "commune": 745}.items():
        enter(world, "supervision.front_by_level", "DN", SEED_PERIOD, value, key=key)

    response = world.client("tochuc").get(OVERVIEW)

    page = text(response)
    assert NO_FINDINGS not in page
    table = page[page.index("<h2>Kiểm tra số liệu") : page.index("</section>")]
    assert re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", table)).strip() == (
        "Kiểm tra số liệu Có 1 chỗ số liệu chưa khớp nhau, cần xem lại: "
        "Lỗi Tại Đảng bộ tỉnh Đắk Nông (từ 05/07/2018 đến 30/06/2023), số cuộc giám sát của "
        "MTTQ và các đoàn thể là 899 nhưng cộng số của từng cấp lại là 979: hãy sửa số tổng "
        "hoặc số theo cấp đã nhập cho khớp. Mở trang nhập số liệu"
    )
    assert "supervision.front" not in table


def test_it_shows_the_secretary_her_own_cell(world):
    response = world.client("hoa").get(OVERVIEW)

    assert response.status_code == 200
    assert response.context["unit"] == world.units[TDP1]
    assert "Chi bộ Tổ dân phố 1 · Cả thời kỳ đề án: 05/07/2018 – 30/06/2023" in text(response)
    assert response.context["report"].line("org.members").shaped == 4
    assert "Nhập số liệu tổng hợp" not in text(response)


def test_it_hides_a_unit_outside_the_secretarys_reach(world):
    assert world.client("hoa").get(OVERVIEW, {"don_vi": "DN.TUYDUC"}).status_code == 404
    assert world.client("hoa").get(OVERVIEW, {"don_vi": "DN"}).status_code == 404


def test_it_shows_a_unit_of_the_inspectors_district(world):
    response = world.client("huong").get(OVERVIEW, {"don_vi": "DN.DAKMIL.DUCMINH", "ky": "2019"})

    assert response.status_code == 200
    assert "Đảng bộ xã Đức Minh · Năm 2019: 01/01/2019 – 31/12/2019" in text(response)
    assert response.context["report"].line("org.members").shaped == 1


def test_it_falls_back_to_the_programmes_period_on_a_bad_one(world):
    response = world.client("tochuc").get(OVERVIEW, {"ky": "bad"})

    assert response.status_code == 200
    assert messages_of(response) == [INVALID.format(text="bad")]
    assert response.context["period"].label == SEED_PERIOD
    assert INVALID.format(text="bad") in text(response)


def test_it_shows_the_period_asked_for(world):
    response = world.client("tochuc").get(OVERVIEW, {"ky": "2019q3"})

    assert messages_of(response) == []
    assert response.context["period"].label == "2019Q3"
    assert "Đảng bộ tỉnh Đắk Nông · Quý 3/2019: 01/07/2019 – 30/09/2019" in text(response)


# -- dashboards -----------------------------------------------------------------------
@pytest.mark.parametrize("group", ["org", "1", "2.1", "2.2", "2.3", "2.4", "2.5"])
def test_it_draws_a_dashboard_for_every_group(world, group):
    response = world.client("tochuc").get(f"/so-lieu/nhom/{group}/")

    assert response.status_code == 200
    charts = response.context["charts"]
    indicators = Indicator.objects.filter(group__code=group)
    assert [c["indicator"].code for c in charts] == [i.code for i in indicators]
    page = response.content.decode()
    drawn = [c for c in charts if not c["missing"]]
    assert page.count("<svg") == len(drawn)
    assert page.count("Chưa có số liệu.") == len(charts) - len(drawn)


def test_it_draws_the_organisation_per_year(world):
    response = world.client("tochuc").get("/so-lieu/nhom/org/")

    charts = response.context["charts"]
    assert [c["missing"] for c in charts] == [False] * 5
    members = next(c for c in charts if c["indicator"].code == "org.members")
    assert 'aria-label="Tổng số đảng viên"' in members["svg"]
    for year in ["2018", "2019", "2020", "2021", "2022", "2023"]:
        assert f">{year}</text>" in members["svg"]
    assert response.content.decode().count("<svg") == 5


def test_it_draws_entered_yearly_values_on_a_dashboard(world):
    enter(world, "review.members_reviewed", "DN", "2019", 24986)
    enter(world, "review.members_reviewed", "DN", "2020", 25149)

    response = world.client("tochuc").get("/so-lieu/nhom/2.2/")

    charts = {c["indicator"].code: c for c in response.context["charts"]}
    assert not charts["review.members_reviewed"]["missing"]
    assert ">24.986</text>" in charts["review.members_reviewed"]["svg"]
    assert ">25.149</text>" in charts["review.members_reviewed"]["svg"]
    assert not charts["review.members_present"]["missing"]  # computed: zeros


def test_it_has_no_dashboard_for_an_unknown_group(world):
    assert world.client("tochuc").get("/so-lieu/nhom/9.9/").status_code == 404


# -- drill-down -----------------------------------------------------------------------
def test_it_lists_the_children_that_make_up_a_value(world):
    enter(world, "org.members", "DN.DAKMIL", "2019", 50)

    response = world.client("tochuc").get(
        "/so-lieu/chi-tieu/org.members/", {"don_vi": "DN", "ky": "2019"}
    )

    assert response.status_code == 200
    rows = [(r.unit.code, r.name, r.values, r.entered) for r in response.context["rows"]]
    assert rows == [
        ("DN.CUJUT", "Huyện ủy Cư Jút", {"2019": {"": 5}}, False),
        ("DN.DAKMIL", "Huyện ủy Đắk Mil", {"2019": {"": 50}}, True),
        ("DN.TUYDUC", "Huyện ủy Tuy Đức", {"2019": {"": 2}}, False),
    ]
    assert response.context["own"] == {"2019": {"": 57}}
    page = text(response)
    assert page.count("có số nhập") == 1
    assert "Đơn vị có số liệu nhập tổng hợp" not in page


def test_it_marks_only_values_entered_for_the_period_shown(world):
    enter(world, "org.members", "DN.DAKMIL", "2020", 50)
    enter(world, "org.members", "DN", "2020", 60)

    response = world.client("tochuc").get(
        "/so-lieu/chi-tieu/org.members/", {"don_vi": "DN", "ky": "2019"}
    )

    assert [r.entered for r in response.context["rows"]] == [False, False, False]
    page = text(response)
    assert "có số nhập" not in page
    assert "Đơn vị có số liệu nhập tổng hợp" not in page


def test_it_says_when_the_unit_itself_has_an_entered_value(world):
    enter(world, "org.members", "DN", "2019", 60)

    response = world.client("tochuc").get(
        "/so-lieu/chi-tieu/org.members/", {"don_vi": "DN", "ky": "2019"}
    )

    assert response.context["own"] == {"2019": {"": 60}}
    assert "Đơn vị có số liệu nhập tổng hợp cho chỉ tiêu này" in text(response)


def test_it_drills_into_a_keyed_indicator(world):
    code = "supervision.front_by_level"
    enter(world, code, "DN.CUJUT", SEED_PERIOD, 25, key="commune")
    enter(world, code, EATLING, SEED_PERIOD, 10, key="commune")

    response = world.client("tochuc").get(f"/so-lieu/chi-tieu/{code}/", {"don_vi": "DN"})

    assert response.context["keys"] == ["province", "district", "commune"]
    rows = [(r.unit.code, r.values, r.entered) for r in response.context["rows"]]
    empty = {"province": None, "district": None, "commune": None}
    assert rows == [
        ("DN.CUJUT", {SEED_PERIOD: {**empty, "commune": 25}}, True),
        ("DN.DAKMIL", {SEED_PERIOD: empty}, False),
        ("DN.TUYDUC", {SEED_PERIOD: empty}, False),
    ]


def test_it_drills_only_into_children_the_inspector_reaches(world):
    response = world.client("huong").get(
        "/so-lieu/chi-tieu/org.members/", {"don_vi": "DN.DAKMIL", "ky": "2019"}
    )

    assert [(r.unit.code, r.values) for r in response.context["rows"]] == [
        ("DN.DAKMIL.UBKT", {"2019": {"": 1}}),
        ("DN.DAKMIL.DUCMINH", {"2019": {"": 1}}),
    ]
    assert (
        world.client("huong").get("/so-lieu/chi-tieu/org.members/", {"don_vi": "DN"}).status_code
        == 404
    )


def test_it_has_no_drill_down_for_an_unknown_indicator(world):
    assert world.client("tochuc").get("/so-lieu/chi-tieu/org.nothing/").status_code == 404


# -- entry grid -----------------------------------------------------------------------
def test_it_offers_the_entered_indicators_with_their_values(world):
    enter(world, "propaganda.teams_35", "DN", SEED_PERIOD, 557)
    enter(world, "study.online_halls_district", "DN", "2019", 4)

    response = world.client("tuyengiao").get(ENTRY)

    assert response.status_code == 200
    assert [i.code for i, _ in response.context["form"].rows] == ENTERED_ONLY
    page = response.content.decode()
    assert 'name="v__propaganda.teams_35__" value="557"' in page
    assert 'name="v__media.websites__" maxlength="20"' in page
    assert 'value="4"' not in page
    assert "Đảng bộ tỉnh Đắk Nông · Cả thời kỳ đề án: 05/07/2018 – 30/06/2023" in text(response)


def test_it_offers_computed_indicators_for_historical_values_on_demand(world, leader):
    response = world.client("thuongtruc").get(ENTRY, {"ky": "2019", "ca_chi_tieu_tinh": "1"})

    rows = {i.code: [key for _, key, _ in cells] for i, cells in response.context["form"].rows}
    assert rows["org.members"] == [""]
    assert rows["supervision.front_by_level"] == ["province", "district", "commune"]
    assert rows["suggestion.collectives"] == ["province", "district", "grassroots"]
    assert rows["review.members_reviewed"] == [""]
    assert "meeting.regular_held" not in rows  # by month: a year is not its period
    entered = [c for c in rows if Indicator.objects.get(code=c).source == Source.ENTERED]
    assert entered == ENTERED_ONLY


def test_it_offers_no_by_year_indicator_for_a_range(world, leader):
    response = world.client("thuongtruc").get(ENTRY, {"ca_chi_tieu_tinh": "1"})

    rows = [i.code for i, _ in response.context["form"].rows]
    assert "org.members" in rows
    assert "review.members_reviewed" not in rows
    assert "suggestion.collectives" not in rows


def test_it_saves_the_values_typed_in(world):
    response = world.client("tuyengiao").post(
        f"{ENTRY}?{SEED_QUERY}",
        grid_post(
            **{
                "propaganda.teams_35": "557",
                "media.websites": "1.200",
                "media.issues_oriented": "3,5",
            }
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == f"{ENTRY}?{SEED_QUERY}"
    assert stored() == [
        ("media.issues_oriented", "", "DN", SEED_PERIOD, Decimal("3.50"), "tuyengiao"),
        ("media.websites", "", "DN", SEED_PERIOD, Decimal("1200.00"), "tuyengiao"),
        ("propaganda.teams_35", "", "DN", SEED_PERIOD, Decimal("557.00"), "tuyengiao"),
    ]
    follow = world.client("tuyengiao").get(response["Location"])
    assert 'name="v__media.websites__" value="1.200"' in follow.content.decode()


def test_it_saves_keyed_historical_values_for_a_year(world):
    code = "supervision.front_by_level"
    response = world.client("mattran").post(
        f"{ENTRY}?don_vi=DN.CUJUT&ky=2019&ca_chi_tieu_tinh=1",
        {f"v__{code}__commune": "25", f"v__{code}__district": "7"},
    )

    assert response.status_code == 302
    assert response["Location"] == f"{ENTRY}?don_vi=DN.CUJUT&ky=2019&ca_chi_tieu_tinh=1"
    assert stored() == [
        (code, "commune", "DN.CUJUT", "2019", Decimal("25.00"), "mattran"),
        (code, "district", "DN.CUJUT", "2019", Decimal("7.00"), "mattran"),
    ]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("khoảng 200", "'khoảng 200' không phải số."),
        ("-5", "Giá trị không được âm."),
        ("NaN", "'NaN' không phải số."),
    ],
)
def test_it_saves_nothing_when_a_number_is_bad(world, typed, message):
    enter(world, "propaganda.online_pages", "DN", SEED_PERIOD, 50)

    response = world.client("tuyengiao").post(
        f"{ENTRY}?{SEED_QUERY}",
        grid_post(**{"propaganda.teams_35": "557", "media.websites": typed}),
    )

    assert response.status_code == 200
    assert messages_of(response) == [
        f"Trang thông tin điện tử được cấp phép hoạt động (trang): {message}"
    ]
    assert f"Trang thông tin điện tử được cấp phép hoạt động (trang): {message}" in text(response)
    assert stored() == [
        ("propaganda.online_pages", "", "DN", SEED_PERIOD, Decimal("50.00"), None),
    ]


def test_it_clears_a_value_whose_cell_was_emptied(world):
    enter(world, "propaganda.teams_35", "DN", SEED_PERIOD, 557)
    enter(world, "media.websites", "DN", SEED_PERIOD, 200)

    response = world.client("tuyengiao").post(
        f"{ENTRY}?{SEED_QUERY}", grid_post(**{"media.websites": "200"})
    )

    assert response.status_code == 302
    assert stored() == [("media.websites", "", "DN", SEED_PERIOD, Decimal("200.00"), "tuyengiao")]


def test_it_enters_values_only_in_the_inspectors_district(world):
    client = world.client("huong")
    signs = {"v__inspection.member_violation_signs__": "2"}

    assert client.get(ENTRY).context["unit"] == world.units["DN.DAKMIL"]
    response = client.post(f"{ENTRY}?don_vi=DN.CUJUT&ky=2019&ca_chi_tieu_tinh=1", signs)

    assert response.status_code == 404
    assert stored() == []
    saved = client.post(f"{ENTRY}?don_vi=DN.DAKMIL.DUCMINH&ky=2019&ca_chi_tieu_tinh=1", signs)
    assert saved.status_code == 302
    assert stored() == [
        (
            "inspection.member_violation_signs",
            "",
            "DN.DAKMIL.DUCMINH",
            "2019",
            Decimal("2"),
            "huong",
        )
    ]


def test_it_falls_back_to_the_programmes_period_in_the_entry_grid(world):
    response = world.client("tochuc").get(ENTRY, {"ky": "2019-13"})

    assert messages_of(response) == [INVALID.format(text="2019-13")]
    assert response.context["period"].label == SEED_PERIOD
