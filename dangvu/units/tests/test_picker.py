"""The unit picker: find a unit by name inside one's reach, and read what was chosen."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from django import forms
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from dangvu.accounts.scope import today
from dangvu.core.errors import DomainError
from dangvu.units import selectors
from dangvu.units.models import UnitKind
from dangvu.units.services import unit_create, unit_dissolve
from dangvu.units.widgets import UnitPickField

FOUNDED = date(2004, 1, 1)
DUCMINH_T1 = "DN.DAKMIL.DUCMINH.T1"
EATLING_T1 = "DN.CUJUT.EATLING.T1"


def text(response) -> str:
    return html.unescape(response.content.decode())


def picks(world, username: str, query: str, **params: str):
    client = world.client(username)
    return client.get(reverse("units:pick"), {"q": query, **params}, HTTP_HX_REQUEST="true")


def codes(response) -> list[str]:
    return re.findall(r'data-unit-code="([^"]+)"', response.content.decode())


def second_thon_1(world) -> None:
    """After a merger Ea T'Ling holds a "Chi bộ Thôn 1" too."""
    world.units[EATLING_T1] = unit_create(
        code=EATLING_T1,
        name="Chi bộ Thôn 1",
        kind=UnitKind.CELL,
        parent=world.units["DN.CUJUT.EATLING"],
        valid_from=FOUNDED,
    )


def test_it_finds_thon_1_with_its_parent_named(world):
    second_thon_1(world)
    response = picks(world, "tochuc", "thôn 1")
    assert response.status_code == 200
    page = text(response)
    assert sorted(codes(response)) == [EATLING_T1, DUCMINH_T1]
    assert 'data-unit-label="Chi bộ Thôn 1 — Đảng bộ xã Đức Minh"' in page
    assert 'data-unit-label="Chi bộ Thôn 1 — Đảng bộ thị trấn Ea T\'Ling"' in page
    # Names are shown, codes only carried in the data attribute.
    assert ">DN.DAKMIL" not in page


def test_it_searches_without_accents_and_in_any_case(world):
    for query in ("duc minh", "ĐỨC MINH", "Đức Minh", "xa duc"):
        assert codes(picks(world, "tochuc", query))[0] == "DN.DAKMIL.DUCMINH", query


def test_it_finds_a_unit_by_the_beginning_of_its_code(world):
    found = codes(picks(world, "tochuc", "DN.DAKMIL.DUC"))
    assert sorted(found) == ["DN.DAKMIL.DUCMINH", DUCMINH_T1]


def test_it_shows_a_cell_secretary_only_her_own_subtree(world):
    response = picks(world, "hoa", "chi bo")
    assert codes(response) == ["DN.CUJUT.EATLING.TDP1"]
    assert codes(picks(world, "hoa", "thon 1")) == []
    assert "Không tìm thấy đơn vị nào" in text(picks(world, "hoa", "thon 1"))


def test_it_keeps_the_district_inspector_in_her_district(world):
    second_thon_1(world)
    assert codes(picks(world, "huong", "thon 1")) == [DUCMINH_T1]


@pytest.mark.parametrize("username", ["ybhiong", "tuyduc.cu"])
def test_it_answers_404_to_members_and_ended_roles(world, username):
    assert picks(world, username, "thon").status_code == 404


def test_it_sends_anonymous_visitors_to_the_login(world):
    response = picks(world, None, "thon")  # type: ignore[arg-type]
    assert response.status_code == 302


def test_it_answers_nothing_for_a_blank_query(world):
    response = picks(world, "tochuc", "  ")
    assert response.status_code == 200
    assert response.content.strip() == b""


def test_it_bounds_the_results(world):
    for n in range(2, 2 + selectors.PICK_LIMIT + 5):
        unit_create(
            code=f"DN.DAKMIL.DUCMINH.T{n}",
            name=f"Chi bộ Thôn {n}",
            kind=UnitKind.CELL,
            parent=world.units["DN.DAKMIL.DUCMINH"],
            valid_from=FOUNDED,
        )
    response = picks(world, "tochuc", "thon")
    assert len(codes(response)) == selectors.PICK_LIMIT
    assert "Chỉ hiện 20 đơn vị đầu tiên" in text(response)


def test_it_shows_an_ended_unit_with_its_dates(world):
    cell = unit_create(
        code="DN.DAKMIL.DUCMINH.T9",
        name="Chi bộ Thôn 9",
        kind=UnitKind.CELL,
        parent=world.units["DN.DAKMIL.DUCMINH"],
        valid_from=FOUNDED,
    )
    unit_dissolve(unit=cell, effective_on=date(2025, 7, 1))
    response = picks(world, "tochuc", "thon 9")
    assert codes(response) == ["DN.DAKMIL.DUCMINH.T9"]
    assert "01/01/2004 – 30/06/2025" in text(response)
    assert codes(picks(world, "tochuc", "thon 9", ca_cu="0")) == []
    # On a day it still stood, it is a unit like any other.
    assert "30/06/2025" not in text(picks(world, "tochuc", "thon 9", ngay="01/01/2020"))


def test_it_reads_a_code_a_label_or_a_unique_name(world):
    second_thon_1(world)
    tochuc, day = world.users["tochuc"], today()

    def picked(typed: str) -> str:
        return selectors.unit_picked(user=tochuc, text=typed, day=day).code

    assert picked(DUCMINH_T1) == DUCMINH_T1
    assert picked("chi bo thon 1 — dang bo xa duc minh") == DUCMINH_T1
    assert picked("Chi bộ Thôn 1 — Đảng bộ thị trấn Ea T'Ling") == EATLING_T1
    assert picked("Đảng bộ xã Đức Minh") == "DN.DAKMIL.DUCMINH"
    with pytest.raises(DomainError) as ambiguous:
        picked("Chi bộ Thôn 1")
    assert ambiguous.value.message == selectors.UNIT_PICK_AMBIGUOUS.format(
        n=2, text="Chi bộ Thôn 1"
    )
    with pytest.raises(DomainError) as unknown:
        selectors.unit_picked(user=world.users["hoa"], text="Đảng bộ xã Đức Minh", day=day)
    assert unknown.value.message == selectors.UNIT_PICK_UNKNOWN.format(text="Đảng bộ xã Đức Minh")
    with pytest.raises(DomainError, match=selectors.UNIT_PICK_EMPTY):
        picked("  ")


class _Form(forms.Form):
    unit_code = UnitPickField(label="Đơn vị")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_code"].bind(user)


def test_the_widget_shows_the_chosen_unit_by_name(world):
    form = _Form(initial={"unit_code": DUCMINH_T1}, user=world.users["tochuc"])
    rendered = html.unescape(str(form["unit_code"]))
    assert 'value="Chi bộ Thôn 1 — Đảng bộ xã Đức Minh"' in rendered
    assert f'value="{DUCMINH_T1}" data-unit-picker-value' in rendered
    assert "units/picker.js" in rendered


def test_the_widget_names_no_unit_outside_the_reach(world):
    form = _Form(initial={"unit_code": DUCMINH_T1}, user=world.users["hoa"])
    rendered = html.unescape(str(form["unit_code"]))
    assert "Đức Minh" not in rendered


def test_the_field_reads_a_name_typed_without_the_script(world):
    form = _Form({"unit_code": "Đảng bộ xã Đức Minh"}, user=world.users["tochuc"])
    assert form.is_valid(), form.errors
    assert form.cleaned_data["unit_code"] == "DN.DAKMIL.DUCMINH"
    second_thon_1(world)
    form = _Form({"unit_code": "chi bo thon 1"}, user=world.users["tochuc"])
    assert not form.is_valid()
    assert "Có 2 đơn vị tên" in form.errors["unit_code"][0]


def test_the_template_tag_renders_a_labelled_picker(world):
    request = RequestFactory().get("/")
    request.user = world.users["tochuc"]
    template = Template(
        '{% load unit_picker %}{% unit_picker "co_quan" "Cơ quan tiến hành" value=code required=True %}'
    )
    rendered = html.unescape(template.render(Context({"request": request, "code": DUCMINH_T1})))
    assert '<label for="id_co_quan">Cơ quan tiến hành</label>' in rendered
    assert 'name="co_quan" value="Chi bộ Thôn 1 — Đảng bộ xã Đức Minh"' in rendered
    assert " required" in rendered
    assert reverse("units:pick") in rendered
