"""A unit that has ended (merged away, dissolved) offers no reorganisation, and says so."""

from __future__ import annotations

import html
from datetime import date

import pytest

from dangvu.units.models import Reorganisation, UnitVersion
from dangvu.units.services import unit_merge

TDP1 = "DN.CUJUT.EATLING.TDP1"
TDP2 = "DN.CUJUT.EATLING.TDP2"
MERGED = date(2025, 7, 1)
ENDED = "Đơn vị này đã kết thúc ngày 01/07/2025."

#: (url suffix, a form that would be valid for a standing unit)
CHANGES = [
    (
        "thanh-lap",
        {"code": "DN.X", "name": "Chi bộ X", "kind": "cell", "effective_on": "01/08/2025"},
    ),
    ("doi-ten", {"name": "Chi bộ Mới", "kind": "cell", "effective_on": "01/08/2025"}),
    ("chuyen", {"parent_code": "DN.DAKMIL.DUCMINH", "effective_on": "01/08/2025"}),
    ("sap-nhap", {"source_codes": TDP1, "effective_on": "01/08/2025"}),
    ("chia-tach", {"effective_on": "01/08/2025"}),
    ("giai-the", {"effective_on": "01/08/2025"}),
]
BUTTONS = [
    "Thành lập đơn vị trực thuộc",
    "Đổi tên",
    "Chuyển cấp trên",
    "Sáp nhập",
    "Chia tách",
    "Giải thể",
]


@pytest.fixture
def merged(world):
    """Tổ dân phố 2 merged into Tổ dân phố 1 on 01/07/2025."""
    unit_merge(sources=[world.units[TDP2]], target=world.units[TDP1], effective_on=MERGED)
    return world


def state() -> tuple[object, ...]:
    return (
        list(UnitVersion.objects.order_by("pk").values_list("pk", "name", "path", "valid_to")),
        Reorganisation.objects.count(),
    )


def test_it_offers_no_reorganisation_on_the_page_of_an_ended_unit(merged):
    page = html.unescape(
        merged.client("tochuc").get(f"/to-chuc/{TDP2}/?ngay=01/01/2024").content.decode()
    )
    assert "Chi bộ Tổ dân phố 2" in page
    assert "Đơn vị đã kết thúc hoạt động từ ngày 01/07/2025" in page
    for label in BUTTONS:
        assert f">{label}" not in page, label


def test_it_still_offers_reorganisation_of_a_standing_unit(merged):
    page = html.unescape(merged.client("tochuc").get(f"/to-chuc/{TDP1}/").content.decode())
    for label in BUTTONS[1:]:
        assert f">{label}" in page, label


@pytest.mark.parametrize("suffix, data", CHANGES)
def test_it_refuses_to_reorganise_an_ended_unit_saying_when_it_ended(merged, suffix, data):
    before = state()
    client = merged.client("tochuc")

    shown = client.get(f"/to-chuc/{TDP2}/{suffix}/")
    posted = client.post(f"/to-chuc/{TDP2}/{suffix}/", data)

    for response in (shown, posted):
        page = html.unescape(response.content.decode())
        assert response.status_code == 200
        assert ENDED in page
        assert "không có quyền" not in page
        assert 'class="form card"' not in page
    assert state() == before
