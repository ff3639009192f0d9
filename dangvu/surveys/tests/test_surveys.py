"""Implementation surveys: a committee's round over units beneath it, counted."""

from __future__ import annotations

from datetime import date

import pytest

from dangvu.conftest import World
from dangvu.core.errors import DomainError
from dangvu.indicators.catalogue import catalogue_sync
from dangvu.indicators.engine import evaluate
from dangvu.indicators.models import Indicator
from dangvu.lib.periods import parse_period
from dangvu.surveys.models import ImplementationSurvey
from dangvu.surveys.services import survey_record


def test_it_records_a_round_over_units_beneath_and_counts_it(world: World) -> None:
    programme = catalogue_sync()
    u = world.units
    survey_record(
        programme=programme,
        unit=u["DN"],
        title="Đợt 1",
        started_on=date(2019, 9, 9),
        ended_on=date(2019, 10, 18),
        targets=[u["DN.CUJUT"], u["DN.TUYDUC.QUANGTRUC"]],
    )
    with pytest.raises(DomainError, match="không thuộc Huyện ủy Cư Jút"):
        survey_record(
            programme=programme,
            unit=u["DN.CUJUT"],
            title="x",
            started_on=date(2019, 9, 9),
            ended_on=date(2019, 9, 10),
            targets=[u["DN.DAKMIL"]],
        )
    with pytest.raises(DomainError, match="Ngày kết thúc không được trước"):
        survey_record(
            programme=programme,
            unit=u["DN"],
            title="x",
            started_on=date(2019, 9, 9),
            ended_on=date(2019, 9, 1),
            targets=[u["DN.CUJUT"]],
        )
    ev = evaluate(
        targets=[u["DN"]],
        period=parse_period("2019"),
        indicators=list(Indicator.objects.filter(code="survey.implementation_rounds")),
    )
    assert ev.of("survey.implementation_rounds", u["DN"].pk) == {"2019": {"": 1}}


def test_it_lets_the_province_record_a_round_with_its_conclusion(world: World) -> None:
    from dangvu.documents.services import document_register

    document_register(
        symbol="666-KL/TU",
        issued_on=date(2019, 11, 23),
        issuer="Ban Thường vụ Tỉnh ủy",
        title="Kết luận",
    )
    response = world.client("tochuc").post(
        "/khao-sat/moi/",
        {
            "don_vi": "DN",
            "ten": "Đợt 1",
            "tu_ngay": "09/09/2019",
            "den_ngay": "18/10/2019",
            "doi_tuong": "DN.CUJUT, DN.DAKMIL",
            "ket_luan": "666-KL/TU",
        },
    )
    assert response.status_code == 302
    survey = ImplementationSurvey.objects.get()
    assert survey.conclusion is not None and survey.targets.count() == 2
    refused = world.client("tochuc").post(
        "/khao-sat/moi/",
        {
            "don_vi": "DN",
            "ten": "Đợt 2",
            "tu_ngay": "02/08/2021",
            "den_ngay": "10/09/2021",
            "doi_tuong": "DN.KHONGCO",
            "ket_luan": "",
        },
    )
    assert "Không có đơn vị mã DN.KHONGCO." in refused.content.decode()
    assert "Đợt 1" in world.client("tuyengiao").get("/khao-sat/").content.decode()


def test_the_form_chooses_the_committee_by_name_with_the_picker(world: World) -> None:
    from dangvu.accounts.models import Department
    from dangvu.conftest import _user

    _user(world, "tg.cujut", roles=(("DN.CUJUT", Department.PROPAGANDA),))
    client = world.client("tg.cujut")
    page = client.get("/khao-sat/moi/").content.decode()
    assert "data-unit-picker" in page and "Mã đơn vị của cấp ủy" not in page
    form = {
        "ten": "Đợt 1",
        "tu_ngay": "2021-08-02",
        "den_ngay": "2021-09-10",
        "doi_tuong": "DN.CUJUT.EATLING",
    }
    # Out of reach: by name it is not found, by code it is refused; nothing is saved.
    by_name = client.post("/khao-sat/moi/", {**form, "don_vi": "Huyện ủy Đắk Mil"})
    assert "Không tìm thấy đơn vị “Huyện ủy Đắk Mil” trong phạm vi của bạn" in (
        by_name.content.decode()
    )
    by_code = client.post("/khao-sat/moi/", {**form, "don_vi": "DN.DAKMIL"})
    assert "ngoài phạm vi của bạn" in by_code.content.decode()
    assert not ImplementationSurvey.objects.exists()
    # Without the script the box is sent as typed: the committee's name is enough.
    saved = client.post("/khao-sat/moi/", {**form, "don_vi": "Huyện ủy Cư Jút"})
    assert saved.status_code == 302
    assert ImplementationSurvey.objects.get().unit == world.units["DN.CUJUT"]
