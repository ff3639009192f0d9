"""Models (mô hình): registered per unit with their evidence and recognition, counted."""

from __future__ import annotations

from datetime import date

import pytest

from dangvu.conftest import World
from dangvu.core.errors import DomainError
from dangvu.indicators.engine import evaluate
from dangvu.indicators.models import Indicator
from dangvu.lib.periods import parse_period
from dangvu.practices.models import Practice
from dangvu.practices.services import PracticeSpec, practice_save

TDP1 = "DN.CUJUT.EATLING.TDP1"


def test_it_registers_models_and_counts_the_new_ones_for_learning_from_ho_chi_minh(
    world: World,
) -> None:
    practice_save(
        spec=PracticeSpec(
            unit=world.units[TDP1], name="Tủ sách Bác Hồ", started_on=date(2020, 5, 19)
        )
    )
    practice_save(
        spec=PracticeSpec(
            unit=world.units[TDP1], name="Giảm nghèo", started_on=date(2020, 6, 1), field="economy"
        )
    )
    with pytest.raises(DomainError, match="Ngày công nhận không được trước"):
        practice_save(
            spec=PracticeSpec(
                unit=world.units[TDP1],
                name="x",
                started_on=date(2020, 6, 1),
                recognized_on=date(2020, 1, 1),
            )
        )
    with pytest.raises(DomainError, match="Cần ghi tên mô hình"):
        practice_save(
            spec=PracticeSpec(unit=world.units[TDP1], name=" ", started_on=date(2020, 6, 1))
        )
    ev = evaluate(
        targets=[world.units["DN"]],
        period=parse_period("2020"),
        indicators=list(Indicator.objects.filter(code="model.new_models")),
    )
    assert ev.of("model.new_models", world.units["DN"].pk) == {"2020": {"": 1}}


def test_it_lets_a_cell_register_its_model_and_keeps_others_out(world: World) -> None:
    response = world.client("hoa").post(
        "/mo-hinh/moi/",
        {
            "don_vi": TDP1,
            "ten": "Mỗi đảng viên gắn với một hộ",
            "linh_vuc": "hcm",
            "ngay": "19/05/2021",
        },
    )
    assert response.status_code == 302
    practice = Practice.objects.get()
    assert (
        "Mỗi đảng viên gắn với một hộ" in world.client("tochuc").get("/mo-hinh/").content.decode()
    )
    assert world.client("kbinh").get(f"/mo-hinh/{practice.pk}/").status_code == 404
    refused = world.client("hoa").post(
        "/mo-hinh/moi/", {"don_vi": "DN.TUYDUC.QUANGTRUC.BP", "ten": "x", "ngay": "19/05/2021"}
    )
    assert "ngoài phạm vi của bạn" in refused.content.decode()
    assert Practice.objects.count() == 1


def test_it_records_models_in_bulk_by_the_page_rules(world: World) -> None:
    from dangvu.practices.services import (
        RECOGNIZED_BEFORE,
        UNIT_NOT_STANDING,
        PracticeRow,
        practices_create,
    )

    unit = world.units[TDP1]
    good = PracticeRow(unit_id=unit.pk, name=" Tủ sách Bác Hồ ", started_on=date(2020, 5, 19))
    late = good._replace(recognized_on=date(2020, 1, 1))
    with pytest.raises(DomainError) as refused:
        practices_create(rows=[good, late])
    assert str(refused.value) == RECOGNIZED_BEFORE
    before = good._replace(started_on=date(1900, 1, 1))
    with pytest.raises(DomainError) as refused:
        practices_create(rows=[before])
    assert str(refused.value) == UNIT_NOT_STANDING.format(unit=TDP1, day=date(1900, 1, 1))
    assert not Practice.objects.exists()
    assert practices_create(rows=[good]) == 1
    saved = Practice.objects.get()
    assert (saved.name, saved.field, saved.started_on) == (
        "Tủ sách Bác Hồ",
        "hcm",
        date(2020, 5, 19),
    )


def test_it_lists_and_edits_only_the_models_in_reach(world: World) -> None:
    from django.http import Http404

    from dangvu.practices import selectors

    ours = practice_save(
        spec=PracticeSpec(unit=world.units[TDP1], name="Tủ sách", started_on=date(2021, 5, 19))
    )
    theirs = practice_save(
        spec=PracticeSpec(
            unit=world.units["DN.DAKMIL.DUCMINH.T1"],
            name="Vườn mẫu",
            started_on=date(2021, 6, 1),
            field="economy",
        )
    )
    hoa, tochuc = world.users["hoa"], world.users["tochuc"]

    assert list(selectors.practices_visible(user=hoa)) == [ours]
    assert list(selectors.practices_visible(user=tochuc)) == [theirs, ours]
    assert list(selectors.practices_visible(user=tochuc, field="economy")) == [theirs]
    assert selectors.practice_to_edit(user=hoa, practice_id=ours.pk) == ours
    with pytest.raises(Http404):
        selectors.practice_to_edit(user=hoa, practice_id=theirs.pk)


def test_the_form_chooses_the_unit_by_name_with_the_picker(world: World) -> None:
    client = world.client("hoa")
    page = client.get("/mo-hinh/moi/").content.decode()
    assert "data-unit-picker" in page and "Mã đơn vị" not in page
    form = {"ten": "Tủ sách", "linh_vuc": "hcm", "ngay": "2021-05-19"}
    # Without the script the box is sent as typed: her cell's name is enough.
    saved = client.post("/mo-hinh/moi/", {**form, "don_vi": "Chi bộ Tổ dân phố 1"})
    assert saved.status_code == 302
    practice = Practice.objects.get()
    assert practice.unit == world.units[TDP1]
    # The edit page shows the unit by name, not by code.
    edit = client.get(f"/mo-hinh/{practice.pk}/").content.decode()
    assert 'name="don_vi" value="Chi bộ Tổ dân phố 1 — Đảng bộ thị trấn Ea T&#x27;Ling"' in edit
    # A unit outside her reach: by name it is not found, by code it is refused.
    by_name = client.post("/mo-hinh/moi/", {**form, "don_vi": "Chi bộ Bon Bu Prăng"})
    assert "Không tìm thấy đơn vị “Chi bộ Bon Bu Prăng” trong phạm vi của bạn" in (
        by_name.content.decode()
    )
    by_code = client.post("/mo-hinh/moi/", {**form, "don_vi": "DN.TUYDUC.QUANGTRUC.BP"})
    assert "ngoài phạm vi của bạn" in by_code.content.decode()
    assert Practice.objects.count() == 1
