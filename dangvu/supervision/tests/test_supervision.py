"""Supervisions by the Front: recorded by Front staff at the right level, counted by level,
in and out of the exchange workbook, seen by the party's report readers."""

from __future__ import annotations

import io
from datetime import date

import pytest

from dangvu.accounts.models import Department
from dangvu.accounts.services import account_create, role_grant
from dangvu.conftest import World
from dangvu.core.errors import DomainError
from dangvu.exchange.services import workbook_export
from dangvu.exchange.tests.helpers import read, run_import, where
from dangvu.indicators.engine import evaluate
from dangvu.indicators.models import Indicator
from dangvu.lib.periods import parse_period
from dangvu.supervision.models import Supervision
from dangvu.supervision.services import SupervisionSpec, supervision_save

HEADERS = ["Mã cuộc giám sát", "Ngày", "Cấp chủ trì", "Chủ trì", "Mã đơn vị", "Nội dung"]


def record(
    world: World, code: str, unit: str, level: str, day: date = date(2022, 6, 1)
) -> Supervision:
    return supervision_save(
        spec=SupervisionSpec(
            code=code,
            held_on=day,
            level=level,
            organisation="front",
            unit=world.units[unit],
            subject="Việc giải quyết kiến nghị của Nhân dân",
        )
    )


def test_it_records_a_supervision_at_a_unit_of_its_level(world: World) -> None:
    record(world, "GS-1", "DN", "province")
    record(world, "GS-2", "DN.CUJUT", "district")
    record(world, "GS-3", "DN.CUJUT.EATLING", "commune")
    with pytest.raises(DomainError, match="cấp huyện phải ghi tại đảng bộ trực thuộc"):
        record(world, "GS-4", "DN.CUJUT.EATLING", "district")
    with pytest.raises(DomainError, match="đã có"):
        record(world, "GS-1", "DN", "province")
    with pytest.raises(DomainError, match="không hoạt động"):
        record(world, "GS-5", "DN", "province", date(1990, 1, 1))
    assert Supervision.objects.count() == 3


def test_it_counts_supervisions_by_level_up_the_tree(world: World) -> None:
    record(world, "GS-1", "DN", "province")
    record(world, "GS-2", "DN.CUJUT", "district")
    record(world, "GS-3", "DN.CUJUT.EATLING", "commune")
    record(world, "GS-4", "DN.TUYDUC.QUANGTRUC", "commune")
    indicators = list(Indicator.objects.filter(code__startswith="supervision."))
    ev = evaluate(
        targets=[world.units["DN"], world.units["DN.CUJUT"]],
        period=parse_period("2022"),
        indicators=indicators,
    )
    assert ev.of("supervision.front_by_level", world.units["DN"].pk) == {
        "2022": {"province": 1, "district": 1, "commune": 2}
    }
    assert ev.of("supervision.front_total", world.units["DN.CUJUT"].pk) == {"2022": {"": 2}}


def test_it_lets_front_staff_record_and_report_readers_see(world: World) -> None:
    front = world.client("mattran")
    response = front.post(
        "/giam-sat/moi/",
        {
            "code": "GS-2022-01",
            "held_on": "01/06/2022",
            "level": "district",
            "organisation": "women",
            "unit_code": "DN.CUJUT",
            "subject": "Việc thực hiện quy chế dân chủ ở cơ sở",
            "recommendations": "Công khai kết quả.",
        },
    )
    assert response.status_code == 302
    saved = Supervision.objects.get()
    assert saved.awaits_follow_up
    refused = front.post(
        "/giam-sat/moi/",
        {
            "code": "GS-2",
            "held_on": "01/06/2022",
            "level": "province",
            "organisation": "front",
            "unit_code": "DN.CUJUT",
            "subject": "x",
        },
    )
    assert "Cuộc giám sát cấp tỉnh phải ghi tại đảng bộ tỉnh" in refused.content.decode()
    listed = world.client("tuyengiao").get("/giam-sat/?cho-ket-qua=1").content.decode()
    assert "GS-2022-01" in listed and "Chờ kết quả" in listed
    assert world.client("tuyengiao").get(f"/giam-sat/{saved.pk}/").status_code == 404
    front.post(
        f"/giam-sat/{saved.pk}/",
        {
            "code": "GS-2022-01",
            "held_on": "01/06/2022",
            "level": "district",
            "organisation": "women",
            "unit_code": "DN.CUJUT",
            "subject": "Việc thực hiện quy chế dân chủ ở cơ sở",
            "recommendations": "Công khai kết quả.",
            "follow_up": "Đã công khai.",
            "followed_up_on": "01/09/2022",
        },
    )
    saved.refresh_from_db()
    assert not saved.awaits_follow_up


def test_it_keeps_a_district_front_officer_to_the_district(world: World) -> None:
    officer = account_create(
        username="mttq-cujut", password="x", full_name="MTTQ Cư Jút", check_password=False
    )
    role_grant(
        user=officer,
        unit=world.units["DN.CUJUT"],
        department=Department.FRONT,
        valid_from=date(2018, 1, 1),
    )
    world.users["mttq-cujut"] = officer
    record(world, "GS-TD", "DN.TUYDUC", "district")
    client = world.client("mttq-cujut")
    assert "GS-TD" not in client.get("/giam-sat/").content.decode()
    refused = client.post(
        "/giam-sat/moi/",
        {
            "code": "GS-X",
            "held_on": "01/06/2022",
            "level": "district",
            "organisation": "front",
            "unit_code": "DN.TUYDUC",
            "subject": "x",
        },
    )
    assert "ngoài phạm vi của bạn" in refused.content.decode()
    assert Supervision.objects.count() == 1


def test_it_imports_the_sheet_all_or_nothing_and_exports_it_back(world: World) -> None:
    bad = run_import(
        {
            "GiamSat": [
                HEADERS,
                ["GS-1", "01/06/2022", "Huyện", "Mặt trận Tổ quốc", "DN.CUJUT", "Dân chủ cơ sở"],
                [
                    "GS-2",
                    "01/06/2022",
                    "Tỉnh",
                    "Hội Nông dân",
                    "DN.CUJUT",
                    "Đất đai",
                ],  # wrong level
                ["GS-3", "01/06/2022", "Xã", "Hội Phụ lão", "DN.CUJUT.EATLING", "x"],  # no such org
                ["GS-1", "02/06/2022", "Huyện", "Công đoàn", "DN.CUJUT", "trùng mã"],
            ]
        }
    )
    assert where(bad) == {
        ("GiamSat", 3, "Cấp chủ trì"),
        ("GiamSat", 4, "Chủ trì"),
        ("GiamSat", 5, "Mã cuộc giám sát"),
    }
    assert not Supervision.objects.exists()
    good = run_import(
        {
            "GiamSat": [
                HEADERS,
                ["GS-1", "01/06/2022", "Huyện", "Mặt trận Tổ quốc", "DN.CUJUT", "Dân chủ cơ sở"],
            ]
        }
    )
    assert good.ok, good.errors
    out = io.BytesIO()
    workbook_export(out=out, actor=None, scope=None)
    rows = read(out.getvalue())["GiamSat"]
    assert rows[1][:6] == (
        "GS-1",
        date(2022, 6, 1),
        "Huyện",
        "Mặt trận Tổ quốc",
        "DN.CUJUT",
        "Dân chủ cơ sở",
    )
    again = run_import(out.getvalue())
    assert again.ok and again.counts["GiamSat"].unchanged == 1
