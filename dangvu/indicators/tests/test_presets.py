"""Periods chosen from presets, shown as dd/mm/yyyy – dd/mm/yyyy; the old `ky` still read;
the unit chosen with the picker; indicator codes only as a hint for staff."""

from __future__ import annotations

import html

from django.http import QueryDict

from dangvu.indicators import presets
from dangvu.indicators.models import Programme
from dangvu.indicators.tests.helpers import SEED_PERIOD

OVERVIEW = "/so-lieu/"


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_it_offers_the_programmes_period_its_years_and_quarters(world):
    groups = presets.presets(Programme.objects.get())
    texts = {g.name: [p.text for p in g.presets] for g in groups}
    assert texts["Đề án"] == ["Cả thời kỳ đề án: 05/07/2018 – 30/06/2023"]
    assert texts["Năm"][0] == "Năm 2018: 01/01/2018 – 31/12/2018"
    assert texts["Năm"][-1] == "Năm 2023: 01/01/2023 – 31/12/2023"
    # Quarters overlapping 05/07/2018 – 30/06/2023: 2018 Q3 to 2023 Q2.
    assert texts["Quý"][0] == "Quý 3/2018: 01/07/2018 – 30/09/2018"
    assert texts["Quý"][-1] == "Quý 2/2023: 01/04/2023 – 30/06/2023"
    assert len(texts["Quý"]) == 20


def test_it_reads_a_preset_an_old_spelling_and_a_range_of_dates(world):
    prog = Programme.objects.get()

    def chosen(query: str) -> str | None:
        period = presets.chosen_period(QueryDict(query), prog)
        return None if period is None else presets.span(period)

    assert chosen("") is None
    assert chosen("ky=2019") == "01/01/2019 – 31/12/2019"
    assert chosen("ky=2019Q3") == "01/07/2019 – 30/09/2019"
    assert chosen(f"ky={SEED_PERIOD}") == "05/07/2018 – 30/06/2023"
    assert chosen("ky=05/07/2018..30/06/2023") == "05/07/2018 – 30/06/2023"
    assert chosen("ky=khac&tu=2020-03-01&den=2020-05-31") == "01/03/2020 – 31/05/2020"


def test_the_page_selects_the_preset_and_shows_no_typed_period(world):
    page = text(world.client("tochuc").get(OVERVIEW, {"ky": "2019Q3"}))
    assert '<option value="2019Q3" selected>Quý 3/2019: 01/07/2019 – 30/09/2019</option>' in page
    assert 'name="ky" value=' not in page  # no box to type a period into
    assert "2018-07-05..2023-06-30</option>" not in page


def test_the_page_keeps_the_old_link_and_a_range_of_dates(world):
    client = world.client("tochuc")
    old = client.get(OVERVIEW, {"don_vi": "DN", "ky": SEED_PERIOD})
    assert "Đảng bộ tỉnh Đắk Nông · Cả thời kỳ đề án: 05/07/2018 – 30/06/2023" in text(old)
    other = client.get(OVERVIEW, {"ky": "khac", "tu": "2020-03-01", "den": "2020-05-31"})
    page = text(other)
    assert other.context["period"].label == "2020-03-01..2020-05-31"
    assert "Đảng bộ tỉnh Đắk Nông · 01/03/2020 – 31/05/2020" in page
    assert '<option value="khac" selected>Khoảng đã chọn: 01/03/2020 – 31/05/2020</option>' in page


def test_it_asks_for_both_days_of_a_range(world):
    response = world.client("tochuc").get(OVERVIEW, {"ky": "khac", "tu": "2020-03-01"})
    assert presets.NO_RANGE in text(response)
    assert response.context["period"].label == SEED_PERIOD


def test_it_finds_the_unit_typed_by_name_without_the_script(world):
    response = world.client("tochuc").get(OVERVIEW, {"don_vi": "Đảng bộ xã Đức Minh"})
    assert response.context["unit"] == world.units["DN.DAKMIL.DUCMINH"]
    # The picker shows the unit by name, its code only in the hidden input.
    assert 'value="Đảng bộ xã Đức Minh — Huyện ủy Đắk Mil"' in text(response)


def test_it_says_so_when_the_unit_typed_is_out_of_reach(world):
    response = world.client("huong").get(OVERVIEW, {"don_vi": "Chi bộ Tổ dân phố 1"})
    assert "Không tìm thấy đơn vị “Chi bộ Tổ dân phố 1”" in text(response)
    assert response.context["unit"] == world.units["DN.DAKMIL"]


def test_it_offers_no_drop_down_of_units(world):
    page = text(world.client("tochuc").get(OVERVIEW))
    assert '<select name="don_vi"' not in page
    assert 'data-unit-picker data-name="don_vi"' in page


def test_it_shows_indicator_codes_to_staff_only_as_a_hint(world):
    staff = text(world.client("tochuc").get(OVERVIEW))
    secretary = text(world.client("hoa").get(OVERVIEW))
    assert ">Số đảng bộ trực thuộc</a>" in secretary
    assert '<small class="code-hint">org.direct_committees</small>' in staff
    assert "org.direct_committees</" not in secretary
